#include "libs/auth/authenticator.h"

#include <gtest/gtest.h>

#include "libs/auth/jwt_signer.h"
#include "libs/status/errors.h"

namespace moot::auth {
namespace {

const std::string kSecret(40, 's');

class AuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    JwtVerifierOptions o;
    o.hs256_secret = kSecret;
    o.issuer = "moot";
    o.audience = "moot";
    o.clock = &clock_;
    verifier_ = *JwtVerifier::Create(o);
    signer_ = *JwtSigner::Hs256(kSecret);
    token_ = *signer_->SignToken(
        {Principal{"wm", "user:a", {Role::kMember}}, "moot", "moot", clock_.Now()});
    key_ = store_.Create("wm", {Role::kPartner}, "")->key;
  }

  absl::StatusOr<Principal> Auth(const std::multimap<std::string, std::string>& md) {
    std::multimap<grpc::string_ref, grpc::string_ref> refs;
    for (const auto& [k, v] : md) {
      refs.emplace(grpc::string_ref(k), grpc::string_ref(v));
    }
    return authenticator_.Authenticate(refs);
  }

  moot::time::FakeClock clock_;
  std::unique_ptr<JwtVerifier> verifier_;
  std::unique_ptr<JwtSigner> signer_;
  InMemoryApiKeyStore store_{&clock_, "pepper"};
  Authenticator authenticator_{nullptr, nullptr};
  std::string token_;
  std::string key_;
};

TEST_F(AuthenticatorTest, Decides) {
  authenticator_ = Authenticator(verifier_.get(), &store_);
  struct Case {
    std::string name;
    std::multimap<std::string, std::string> md;
    std::string want_subject;  // When OK.
    std::string want_reason;   // When UNAUTHENTICATED.
  };
  std::vector<Case> cases = {
      {"NoCredentialsIsAnonymous", {{"user-agent", "x"}}, "", ""},
      {"Bearer", {{"authorization", "Bearer " + token_}}, "user:a", ""},
      {"BearerSchemeCaseInsensitive", {{"authorization", "bearer " + token_}}, "user:a", ""},
      {"ApiKey", {{"x-api-key", key_}}, "apikey:" + key_.substr(5, 16), ""},
      {"BasicAuthIsMalformed", {{"authorization", "Basic dXNlcjpwYXNz"}}, "", "TOKEN_MALFORMED"},
      {"BearerWithoutToken", {{"authorization", "Bearer "}}, "", "TOKEN_MALFORMED"},
      {"BadTokenDoesNotFallBackToAnonymous",
       {{"authorization", "Bearer x.y.z"}},
       "",
       "TOKEN_MALFORMED"},
      {"BadApiKey", {{"x-api-key", "moot_nope"}}, "", "API_KEY_MALFORMED"},
      {"BothCredentials",
       {{"authorization", "Bearer " + token_}, {"x-api-key", key_}},
       "",
       "CREDENTIALS_AMBIGUOUS"},
      {"TwoTokens",
       {{"authorization", "Bearer " + token_}, {"authorization", "Bearer " + token_}},
       "",
       "CREDENTIALS_AMBIGUOUS"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Principal> p = Auth(c.md);
    if (c.want_reason.empty()) {
      ASSERT_TRUE(p.ok()) << c.name << ": " << p.status();
      EXPECT_EQ(p->subject, c.want_subject) << c.name;
      EXPECT_EQ(p->IsAnonymous(), c.want_subject.empty()) << c.name;
    } else {
      ASSERT_FALSE(p.ok()) << c.name;
      EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated) << c.name;
      EXPECT_EQ(moot::status::Details(p.status()).reason, c.want_reason) << c.name;
    }
  }
}

TEST_F(AuthenticatorTest, MissingVerifierOrStoreRefusesThatCredential) {
  Authenticator none(nullptr, nullptr);
  EXPECT_EQ(
      moot::status::Details(none.AuthenticateHeaders({"Bearer " + token_}, {}).status()).reason,
      "CREDENTIALS_NOT_ACCEPTED");
  EXPECT_EQ(moot::status::Details(none.AuthenticateHeaders({}, {key_}).status()).reason,
            "CREDENTIALS_NOT_ACCEPTED");
  EXPECT_TRUE(none.AuthenticateHeaders({}, {})->IsAnonymous());
}

}  // namespace
}  // namespace moot::auth
