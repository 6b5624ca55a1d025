#include "libs/auth/jwt_verifier.h"

#include <functional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "libs/auth/crypto.h"
#include "libs/auth/jwt_signer.h"
#include "libs/status/errors.h"
#include "nlohmann/json.hpp"

namespace moot::auth {
namespace {

using ::nlohmann::json;

const absl::Time kNow = absl::FromUnixSeconds(1700000000);
const std::string kSecret = "0123456789abcdef0123456789abcdef-secret";

// Keys generated once per test binary.
struct Keys {
  KeyPairPem rsa;
  KeyPairPem rsa_other;
  KeyPairPem ec;
  KeyPairPem ec_other;
};
const Keys& TestKeys() {
  static const Keys* keys = [] {
    auto* k = new Keys;
    k->rsa = *GenerateKeyPair(KeyType::kRsa2048);
    k->rsa_other = *GenerateKeyPair(KeyType::kRsa2048);
    k->ec = *GenerateKeyPair(KeyType::kEcP256);
    k->ec_other = *GenerateKeyPair(KeyType::kEcP256);
    return k;
  }();
  return *keys;
}

json GoodClaims() {
  return json{{"iss", "moot"},
              {"aud", "moot"},
              {"sub", "user:alice"},
              {"tenant", "wm"},
              {"roles", {"OFFICER", "MEMBER"}},
              {"iat", 1700000000},
              {"exp", 1700003600}};
}

json With(json j, const std::string& key, json value) {
  j[key] = std::move(value);
  return j;
}
json Without(json j, const std::string& key) {
  j.erase(key);
  return j;
}

std::string B64(const json& j) { return Base64UrlEncode(j.dump()); }

// A token with any header and claims, HMAC-signed with `secret`.
std::string Hs(const json& header, const json& claims, absl::string_view secret) {
  std::string input = absl::StrCat(B64(header), ".", B64(claims));
  return absl::StrCat(input, ".", Base64UrlEncode(HmacSha256(secret, input)));
}

std::string SignWith(const std::string& pem, const std::string& kid, const json& claims) {
  absl::StatusOr<std::unique_ptr<JwtSigner>> signer = JwtSigner::FromPrivateKeyPem(pem, kid);
  EXPECT_TRUE(signer.ok()) << signer.status();
  return *(*signer)->Sign(claims);
}

std::string HsToken(const json& claims) {
  return Hs({{"alg", "HS256"}, {"typ", "JWT"}}, claims, kSecret);
}
std::string RsToken(const json& claims) {
  return SignWith(TestKeys().rsa.private_key_pem, "r1", claims);
}
std::string EsToken(const json& claims) {
  return SignWith(TestKeys().ec.private_key_pem, "e1", claims);
}

enum class Setup { kHsOnly, kPublicKeysOnly, kAll };

JwtVerifierOptions Options(Setup setup, const moot::time::Clock* clock) {
  JwtVerifierOptions o;
  o.issuer = "moot";
  o.audience = "moot";
  o.clock = clock;
  o.leeway = absl::Seconds(30);
  if (setup != Setup::kPublicKeysOnly) {
    o.hs256_secret = kSecret;
  }
  if (setup != Setup::kHsOnly) {
    o.public_keys_pem = {{"r1", TestKeys().rsa.public_key_pem},
                         {"e1", TestKeys().ec.public_key_pem}};
  }
  if (setup == Setup::kPublicKeysOnly) {
    o.algorithms = {"RS256", "ES256"};
  }
  return o;
}

struct AttackCase {
  std::string name;
  Setup setup;
  std::function<std::string()> token;
  std::string reason;
};

class JwtAttackTest : public ::testing::TestWithParam<AttackCase> {};

TEST_P(JwtAttackTest, IsUnauthenticatedWithItsReason) {
  const AttackCase& c = GetParam();
  moot::time::FakeClock clock(kNow);
  absl::StatusOr<std::unique_ptr<JwtVerifier>> v = JwtVerifier::Create(Options(c.setup, &clock));
  ASSERT_TRUE(v.ok()) << v.status();
  absl::StatusOr<Principal> p = (*v)->Verify(c.token());
  ASSERT_FALSE(p.ok()) << p->DebugString();
  EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(moot::status::Details(p.status()).reason, c.reason) << p.status();
}

const json kHsHeader = {{"alg", "HS256"}, {"typ", "JWT"}};

INSTANTIATE_TEST_SUITE_P(
    S2, JwtAttackTest,
    ::testing::Values(
        // Time.
        AttackCase{"Expired", Setup::kAll,
                   [] { return HsToken(With(GoodClaims(), "exp", 1700000000 - 31)); },
                   "TOKEN_EXPIRED"},
        AttackCase{"ExpiredRs256", Setup::kAll,
                   [] { return RsToken(With(GoodClaims(), "exp", 1600000000)); }, "TOKEN_EXPIRED"},
        AttackCase{"NotYetValid", Setup::kAll,
                   [] { return EsToken(With(GoodClaims(), "nbf", 1700000000 + 31)); },
                   "TOKEN_NOT_YET_VALID"},
        // Issuer and audience.
        AttackCase{"WrongIssuer", Setup::kAll,
                   [] { return HsToken(With(GoodClaims(), "iss", "evil")); }, "TOKEN_WRONG_ISSUER"},
        AttackCase{"MissingIssuer", Setup::kAll,
                   [] { return HsToken(Without(GoodClaims(), "iss")); }, "TOKEN_WRONG_ISSUER"},
        AttackCase{"IssuerOfWrongType", Setup::kAll,
                   [] { return HsToken(With(GoodClaims(), "iss", json::array({"moot"}))); },
                   "TOKEN_WRONG_ISSUER"},
        AttackCase{"WrongAudience", Setup::kAll,
                   [] { return RsToken(With(GoodClaims(), "aud", "other")); },
                   "TOKEN_WRONG_AUDIENCE"},
        AttackCase{"AudienceArrayWithoutUs", Setup::kAll,
                   [] {
                     return RsToken(With(GoodClaims(), "aud", {"a", "b"}));
                   },
                   "TOKEN_WRONG_AUDIENCE"},
        AttackCase{"MissingAudience", Setup::kAll,
                   [] { return EsToken(Without(GoodClaims(), "aud")); }, "TOKEN_WRONG_AUDIENCE"},
        // Signatures.
        AttackCase{"Hs256WrongSecret", Setup::kAll,
                   [] { return Hs(kHsHeader, GoodClaims(), kSecret + "x"); },
                   "TOKEN_BAD_SIGNATURE"},
        AttackCase{
            "Rs256SignedByAnotherKey", Setup::kAll,
            [] { return SignWith(TestKeys().rsa_other.private_key_pem, "r1", GoodClaims()); },
            "TOKEN_BAD_SIGNATURE"},
        AttackCase{"Es256SignedByAnotherKey", Setup::kPublicKeysOnly,
                   [] { return SignWith(TestKeys().ec_other.private_key_pem, "e1", GoodClaims()); },
                   "TOKEN_BAD_SIGNATURE"},
        AttackCase{"ClaimsSwappedAfterSigning", Setup::kAll,
                   [] {
                     std::string t = EsToken(GoodClaims());
                     std::string forged = B64(With(GoodClaims(), "roles", {"TENANT_ADMIN"}));
                     size_t a = t.find('.'), b = t.rfind('.');
                     return absl::StrCat(t.substr(0, a + 1), forged, t.substr(b));
                   },
                   "TOKEN_BAD_SIGNATURE"},
        AttackCase{"SignatureStripped", Setup::kAll,
                   [] {
                     std::string t = RsToken(GoodClaims());
                     return t.substr(0, t.rfind('.') + 1);
                   },
                   "TOKEN_BAD_SIGNATURE"},
        // Algorithms.
        AttackCase{"AlgNone", Setup::kAll,
                   [] {
                     return absl::StrCat(B64({{"alg", "none"}}), ".", B64(GoodClaims()), ".");
                   },
                   "TOKEN_ALG_NOT_ALLOWED"},
        AttackCase{"AlgNoneMixedCase", Setup::kAll,
                   [] {
                     return absl::StrCat(B64({{"alg", "nOnE"}}), ".", B64(GoodClaims()), ".");
                   },
                   "TOKEN_ALG_NOT_ALLOWED"},
        AttackCase{"AlgNotOnAllowList", Setup::kAll,
                   [] {
                     return Hs({{"alg", "HS512"}}, GoodClaims(), kSecret);
                   },
                   "TOKEN_ALG_NOT_ALLOWED"},
        AttackCase{"Hs256SignedWithPublicKey", Setup::kPublicKeysOnly,
                   [] {
                     return Hs({{"alg", "HS256"}, {"kid", "r1"}}, GoodClaims(),
                               TestKeys().rsa.public_key_pem);
                   },
                   "TOKEN_ALG_NOT_ALLOWED"},
        AttackCase{"Hs256SignedWithPublicKeyWhenHsAlsoOn", Setup::kAll,
                   [] {
                     return Hs({{"alg", "HS256"}, {"kid", "r1"}}, GoodClaims(),
                               TestKeys().rsa.public_key_pem);
                   },
                   "TOKEN_BAD_SIGNATURE"},
        AttackCase{"Hs256WhenOnlyPublicKeysEvenWithRightSecret", Setup::kPublicKeysOnly,
                   [] { return HsToken(GoodClaims()); }, "TOKEN_ALG_NOT_ALLOWED"},
        AttackCase{
            "Es256HeaderOnRsaKey", Setup::kAll,
            [] {
              std::string t = RsToken(GoodClaims());
              return absl::StrCat(B64({{"alg", "ES256"}, {"kid", "r1"}}), t.substr(t.find('.')));
            },
            "TOKEN_ALG_NOT_ALLOWED"},
        // Keys.
        AttackCase{"UnknownKid", Setup::kAll,
                   [] { return SignWith(TestKeys().rsa.private_key_pem, "nope", GoodClaims()); },
                   "TOKEN_UNKNOWN_KEY"},
        AttackCase{"MissingKid", Setup::kAll,
                   [] {
                     std::string t = RsToken(GoodClaims());
                     return absl::StrCat(B64({{"alg", "RS256"}}), t.substr(t.find('.')));
                   },
                   "TOKEN_UNKNOWN_KEY"},
        // Structure.
        AttackCase{"Empty", Setup::kAll, [] { return std::string(); }, "TOKEN_MALFORMED"},
        AttackCase{"NotAJwt", Setup::kAll, [] { return std::string("hello"); }, "TOKEN_MALFORMED"},
        AttackCase{"FourParts", Setup::kAll,
                   [] { return absl::StrCat(HsToken(GoodClaims()), ".x"); }, "TOKEN_MALFORMED"},
        AttackCase{"HeaderNotBase64", Setup::kAll, [] { return std::string("!!!.eyJ9.abc"); },
                   "TOKEN_MALFORMED"},
        AttackCase{"HeaderNotJson", Setup::kAll,
                   [] { return absl::StrCat(Base64UrlEncode("{alg"), ".e30.abc"); },
                   "TOKEN_MALFORMED"},
        AttackCase{"HeaderNotObject", Setup::kAll,
                   [] { return absl::StrCat(Base64UrlEncode("[1]"), ".e30.abc"); },
                   "TOKEN_MALFORMED"},
        AttackCase{"AlgNotString", Setup::kAll,
                   [] {
                     return Hs({{"alg", 5}}, GoodClaims(), kSecret);
                   },
                   "TOKEN_MALFORMED"},
        AttackCase{"CritHeader", Setup::kAll,
                   [] {
                     return Hs({{"alg", "HS256"}, {"crit", {"x"}}}, GoodClaims(), kSecret);
                   },
                   "TOKEN_MALFORMED"},
        AttackCase{"ClaimsNotObject", Setup::kAll,
                   [] {
                     return Hs(kHsHeader, json::array({1, 2}), kSecret);
                   },
                   "TOKEN_MALFORMED"},
        AttackCase{"NoExp", Setup::kAll, [] { return HsToken(Without(GoodClaims(), "exp")); },
                   "TOKEN_MALFORMED"},
        AttackCase{"ExpNotNumber", Setup::kAll,
                   [] { return HsToken(With(GoodClaims(), "exp", "tomorrow")); },
                   "TOKEN_MALFORMED"},
        AttackCase{"ExpHuge", Setup::kAll, [] { return HsToken(With(GoodClaims(), "exp", 1e300)); },
                   "TOKEN_MALFORMED"},
        AttackCase{"NoSub", Setup::kAll, [] { return HsToken(Without(GoodClaims(), "sub")); },
                   "TOKEN_MALFORMED"},
        AttackCase{"TenantNotString", Setup::kAll,
                   [] { return HsToken(With(GoodClaims(), "tenant", 7)); }, "TOKEN_MALFORMED"},
        AttackCase{"RolesNotArray", Setup::kAll,
                   [] { return HsToken(With(GoodClaims(), "roles", "OFFICER")); },
                   "TOKEN_MALFORMED"},
        AttackCase{"RoleNotString", Setup::kAll,
                   [] { return HsToken(With(GoodClaims(), "roles", {1})); }, "TOKEN_MALFORMED"},
        AttackCase{"TooLong", Setup::kAll,
                   [] { return HsToken(With(GoodClaims(), "pad", std::string(9000, 'x'))); },
                   "TOKEN_MALFORMED"},
        AttackCase{"DeepNesting", Setup::kAll,
                   [] { return absl::StrCat(Base64UrlEncode(std::string(5000, '[')), ".e30.abc"); },
                   "TOKEN_MALFORMED"}),
    [](const auto& info) { return info.param.name; });

struct GoodCase {
  std::string name;
  Setup setup;
  std::function<std::string()> token;
  Principal want;
};

class JwtGoodTest : public ::testing::TestWithParam<GoodCase> {};

TEST_P(JwtGoodTest, GivesThePrincipal) {
  const GoodCase& c = GetParam();
  moot::time::FakeClock clock(kNow);
  absl::StatusOr<std::unique_ptr<JwtVerifier>> v = JwtVerifier::Create(Options(c.setup, &clock));
  ASSERT_TRUE(v.ok()) << v.status();
  absl::StatusOr<Principal> p = (*v)->Verify(c.token());
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p, c.want) << p->DebugString();
}

const Principal kAlice{"wm", "user:alice", {Role::kOfficer, Role::kMember}};

INSTANTIATE_TEST_SUITE_P(
    Valid, JwtGoodTest,
    ::testing::Values(
        GoodCase{"Hs256", Setup::kHsOnly, [] { return HsToken(GoodClaims()); }, kAlice},
        GoodCase{"Rs256", Setup::kPublicKeysOnly, [] { return RsToken(GoodClaims()); }, kAlice},
        GoodCase{"Es256", Setup::kPublicKeysOnly, [] { return EsToken(GoodClaims()); }, kAlice},
        GoodCase{"ExpiredWithinLeeway", Setup::kAll,
                 [] { return HsToken(With(GoodClaims(), "exp", 1700000000 - 29)); }, kAlice},
        GoodCase{"NbfWithinLeeway", Setup::kAll,
                 [] { return HsToken(With(GoodClaims(), "nbf", 1700000000 + 29)); }, kAlice},
        GoodCase{"FractionalTimes", Setup::kAll,
                 [] { return HsToken(With(GoodClaims(), "exp", 1700000100.5)); }, kAlice},
        GoodCase{"AudienceArray", Setup::kAll,
                 [] {
                   return RsToken(With(GoodClaims(), "aud", {"other", "moot"}));
                 },
                 kAlice},
        GoodCase{"UnknownAndDuplicateRolesIgnored", Setup::kAll,
                 [] {
                   return EsToken(
                       With(GoodClaims(), "roles", {"OFFICER", "SUPERUSER", "MEMBER", "OFFICER"}));
                 },
                 kAlice},
        GoodCase{"NoTenantClaim", Setup::kAll,
                 [] { return HsToken(Without(GoodClaims(), "tenant")); },
                 Principal{"", "user:alice", {Role::kOfficer, Role::kMember}}}),
    [](const auto& info) { return info.param.name; });

TEST(JwtSignerTest, SignTokenRoundTripsThroughTheVerifier) {
  moot::time::FakeClock clock(kNow);
  auto verifier = JwtVerifier::Create(Options(Setup::kAll, &clock));
  ASSERT_TRUE(verifier.ok());
  TokenSpec spec{Principal{"ny", "user:bob", {Role::kFinanceOfficer}}, "moot", "moot", kNow,
                 absl::Minutes(5)};
  for (auto& signer : {JwtSigner::Hs256(kSecret),
                       JwtSigner::FromPrivateKeyPem(TestKeys().rsa.private_key_pem, "r1"),
                       JwtSigner::FromPrivateKeyPem(TestKeys().ec.private_key_pem, "e1")}) {
    ASSERT_TRUE(signer.ok()) << signer.status();
    absl::StatusOr<std::string> token = (*signer)->SignToken(spec);
    ASSERT_TRUE(token.ok());
    absl::StatusOr<Principal> p = (*verifier)->Verify(*token);
    ASSERT_TRUE(p.ok()) << (*signer)->alg() << ": " << p.status();
    EXPECT_EQ(*p, spec.principal);
    clock.Advance(absl::Minutes(6));
    EXPECT_EQ(moot::status::Details((*verifier)->Verify(*token).status()).reason, "TOKEN_EXPIRED");
    clock.Set(kNow);
  }
}

TEST(JwtVerifierCreateTest, RejectsBadOptions) {
  JwtVerifierOptions o;
  o.algorithms = {"HS256", "none"};
  EXPECT_EQ(JwtVerifier::Create(o).status().code(), absl::StatusCode::kInvalidArgument);
  o = {};
  o.hs256_secret = "short";
  EXPECT_EQ(JwtVerifier::Create(o).status().code(), absl::StatusCode::kInvalidArgument);
  o = {};
  o.public_keys_pem = {{"k", "garbage"}};
  EXPECT_EQ(JwtVerifier::Create(o).status().code(), absl::StatusCode::kInvalidArgument);
  o = {};
  o.public_keys_pem = {{"k", TestKeys().rsa.private_key_pem}};  // A private key is not accepted.
  EXPECT_EQ(JwtVerifier::Create(o).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(JwtSigner::Hs256("short").ok());
  EXPECT_FALSE(JwtSigner::FromPrivateKeyPem(TestKeys().ec.private_key_pem, "").ok());
}

}  // namespace
}  // namespace moot::auth

namespace moot::auth {
namespace {

TEST(JwtVerifierCacheTest, CachedTokensAreStillTimeCheckedAndOthersFullyChecked) {
  moot::time::FakeClock clock(absl::FromUnixSeconds(1700000000));
  JwtVerifierOptions options;
  options.algorithms = {"HS256"};
  options.hs256_secret = "0123456789abcdef0123456789abcdef-cache";
  options.clock = &clock;
  options.leeway = absl::ZeroDuration();
  auto verifier = JwtVerifier::Create(options);
  ASSERT_TRUE(verifier.ok());
  auto signer = JwtSigner::Hs256(options.hs256_secret);
  ASSERT_TRUE(signer.ok());
  TokenSpec spec{Principal{"wm", "user:o", {Role::kOfficer}}, "", "", clock.Now(),
                 absl::Minutes(5)};
  spec.not_before = clock.Now() + absl::Minutes(1);
  auto token = (*signer)->SignToken(spec);
  ASSERT_TRUE(token.ok());

  // Not yet valid: refused, and not remembered as valid.
  EXPECT_EQ(moot::status::Details((*verifier)->Verify(*token).status()).reason,
            "TOKEN_NOT_YET_VALID");
  clock.Advance(absl::Minutes(2));
  for (int i = 0; i < 3; ++i) {  // Verified once, then served from the cache.
    auto p = (*verifier)->Verify(*token);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->subject, "user:o");
  }
  // A token differing in one signature character is checked in full.
  std::string tampered = *token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(moot::status::Details((*verifier)->Verify(tampered).status()).reason,
            "TOKEN_BAD_SIGNATURE");
  // The cached token still expires.
  clock.Advance(absl::Minutes(4));
  EXPECT_EQ(moot::status::Details((*verifier)->Verify(*token).status()).reason, "TOKEN_EXPIRED");
}

}  // namespace
}  // namespace moot::auth
