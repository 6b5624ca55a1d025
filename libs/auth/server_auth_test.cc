#include "libs/auth/server_auth.h"

#include <gtest/gtest.h>

#include "grpcpp/grpcpp.h"
#include "libs/auth/jwt_signer.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "libs/testing/test_util.h"
#include "moot/bench/v1/echo.grpc.pb.h"

namespace moot::auth {
namespace {

using moot::bench::v1::EchoRequest;
using moot::bench::v1::EchoResponse;
using moot::bench::v1::EchoService;

const std::string kSecret(40, 'k');

// Echoes the caller's principal; the payload "forget" makes it skip the auth check entirely
// (a buggy handler), which the interceptor must still turn into UNAUTHENTICATED.
class PrincipalEcho final : public EchoService::Service {
 public:
  explicit PrincipalEcho(const ServerAuth* auth) : auth_(auth) {}
  grpc::Status Echo(grpc::ServerContext* ctx, const EchoRequest* req, EchoResponse* resp) override {
    if (req->payload() == "forget") {
      resp->set_payload("secret data");
      return grpc::Status::OK;
    }
    absl::StatusOr<Principal> p = auth_->PrincipalFromContext(ctx);
    if (!p.ok()) {
      return moot::status::ToGrpcStatus(p.status());
    }
    // Asked twice in one call: the same answer.
    absl::StatusOr<Principal> again = auth_->PrincipalFromContext(ctx);
    if (!again.ok() || !(*again == *p)) {
      return grpc::Status(grpc::StatusCode::INTERNAL, "principal changed within a call");
    }
    resp->set_payload(p->DebugString());
    return grpc::Status::OK;
  }

 private:
  const ServerAuth* auth_;
};

class ServerAuthTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    JwtVerifierOptions o;
    o.hs256_secret = kSecret;
    o.issuer = "moot";
    o.audience = "moot";
    o.clock = &clock_;
    verifier_ = *JwtVerifier::Create(o);
    signer_ = *JwtSigner::Hs256(kSecret);

    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service_);
    if (with_interceptor()) {
      std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> f;
      f.push_back(server_auth_.InterceptorFactory());
      builder.experimental().SetInterceptorCreators(std::move(f));
    }
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = EchoService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (server_) {
      server_->Shutdown();
    }
  }
  bool with_interceptor() const { return GetParam(); }

  std::string Token(absl::Time issued, absl::Duration lifetime = absl::Hours(1)) {
    return *signer_->SignToken(
        {Principal{"wm", "user:alice", {Role::kOfficer}}, "moot", "moot", issued, lifetime});
  }

  // Calls Echo with the metadata; returns the payload or the status.
  absl::StatusOr<std::string> Call(const std::multimap<std::string, std::string>& md,
                                   const std::string& payload = "hi") {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    for (const auto& [k, v] : md) {
      ctx.AddMetadata(k, v);
    }
    EchoRequest req;
    req.set_payload(payload);
    EchoResponse resp;
    grpc::Status s = stub_->Echo(&ctx, req, &resp);
    if (!s.ok()) {
      return moot::status::FromGrpcStatus(s);
    }
    return resp.payload();
  }

  moot::time::FakeClock clock_;
  std::unique_ptr<JwtVerifier> verifier_;
  std::unique_ptr<JwtSigner> signer_;
  InMemoryApiKeyStore keys_{&clock_, "pepper"};
  Authenticator authenticator_{nullptr, nullptr};
  ServerAuth server_auth_{&authenticator_};
  PrincipalEcho service_{&server_auth_};
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<EchoService::Stub> stub_;
};

TEST_P(ServerAuthTest, EachCallGetsItsPrincipalOrItsReason) {
  authenticator_ = Authenticator(verifier_.get(), &keys_);
  IssuedApiKey key = *keys_.Create("ny", {Role::kPartner}, "");
  IssuedApiKey revoked = *keys_.Create("ny", {Role::kPartner}, "");
  ASSERT_TRUE(keys_.Revoke("ny", revoked.info.id).ok());

  struct Case {
    std::string name;
    std::multimap<std::string, std::string> md;
    std::string want_payload;
    std::string want_reason;
  };
  std::vector<Case> cases = {
      {"Anonymous", {}, "tenant= subject= roles=PUBLIC", ""},
      {"ValidToken",
       {{"authorization", "Bearer " + Token(clock_.Now())}},
       "tenant=wm subject=user:alice roles=OFFICER",
       ""},
      {"ExpiredToken",
       {{"authorization", "Bearer " + Token(clock_.Now() - absl::Hours(2))}},
       "",
       "TOKEN_EXPIRED"},
      {"NotYetValid",
       {{"authorization", "Bearer " + Token(clock_.Now() + absl::Hours(2))}},
       "",
       "TOKEN_NOT_YET_VALID"},
      {"Garbage", {{"authorization", "Bearer abc"}}, "", "TOKEN_MALFORMED"},
      {"ApiKey",
       {{"x-api-key", key.key}},
       "tenant=ny subject=apikey:" + key.info.id + " roles=PARTNER",
       ""},
      {"RevokedApiKey", {{"x-api-key", revoked.key}}, "", "API_KEY_REVOKED"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::string> got = Call(c.md);
    if (c.want_reason.empty()) {
      ASSERT_TRUE(got.ok()) << c.name << ": " << got.status();
      EXPECT_EQ(*got, c.want_payload) << c.name;
    } else {
      ASSERT_FALSE(got.ok()) << c.name;
      EXPECT_EQ(got.status().code(), absl::StatusCode::kUnauthenticated) << c.name;
      EXPECT_EQ(moot::status::Details(got.status()).reason, c.want_reason) << c.name;
    }
  }
  // Records are dropped when calls end.
  EXPECT_TRUE(moot::testing::WaitFor([&] { return server_auth_.TrackedCalls() == 0; }));
}

TEST_P(ServerAuthTest, HandlerThatForgetsTheCheckStillCannotSucceedWithBadCredentials) {
  authenticator_ = Authenticator(verifier_.get(), &keys_);
  absl::StatusOr<std::string> got = Call({{"authorization", "Bearer bad.token.here"}}, "forget");
  if (with_interceptor()) {
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(moot::status::Details(got.status()).reason, "TOKEN_MALFORMED");
  } else {
    // Without the interceptor there is no second line: the handler's own check is all there is.
    EXPECT_TRUE(got.ok());
  }
  // Good credentials are unaffected.
  EXPECT_TRUE(Call({{"authorization", "Bearer " + Token(clock_.Now())}}, "forget").ok());
}

INSTANTIATE_TEST_SUITE_P(Interceptor, ServerAuthTest, ::testing::Bool(), [](const auto& info) {
  return info.param ? std::string("WithInterceptor") : std::string("LazyWithoutInterceptor");
});

}  // namespace
}  // namespace moot::auth
