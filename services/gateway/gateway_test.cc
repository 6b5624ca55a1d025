// The gateway over real gRPC and HTTP on loopback, in front of in-test backends.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/ids/id_generator.h"
#include "libs/rpc/server_runner.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "libs/testing/test_util.h"
#include "libs/tracing/span_exporter.h"
#include "moot/documents/v1/documents.grpc.pb.h"
#include "moot/notifications/v1/notifications.grpc.pb.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "services/gateway/gateway.h"

namespace moot::gateway {
namespace {

using ::testing::HasSubstr;
namespace sv1 = moot::scheduling::v1;
namespace dv1 = moot::documents::v1;
namespace nv1 = moot::notifications::v1;

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";

// A tiny BodyService: GetBody answers with the name and echoes what the gateway forwarded;
// names ending in "/fail" fail with FAILED_PRECONDITION reason X; no credentials is
// UNAUTHENTICATED (as a real backend's own check would be).
class FakeBodies final : public sv1::BodyService::Service {
 public:
  grpc::Status GetBody(grpc::ServerContext* ctx, const sv1::GetBodyRequest* request,
                       sv1::Body* body) override {
    ++calls;
    auto auth = ctx->client_metadata().find("authorization");
    if (auth == ctx->client_metadata().end()) {
      return moot::status::ToGrpcStatus(
          moot::status::Unauthenticated("CREDENTIALS_REQUIRED", "sign in"));
    }
    if (absl::EndsWith(request->name(), "/fail")) {
      return moot::status::ToGrpcStatus(
          moot::status::FailedPrecondition("X", request->name(), "the rule said no"));
    }
    body->set_name(request->name());
    body->set_kind(sv1::BODY_KIND_PANEL);
    auto tp = ctx->client_metadata().find("traceparent");
    if (tp != ctx->client_metadata().end()) {
      body->set_description(std::string(tp->second.data(), tp->second.size()));
    }
    body->set_display_name(std::string(auth->second.data(), auth->second.size()));
    ctx->AddTrailingMetadata("x-backend", "bodies");
    return grpc::Status::OK;
  }
  std::atomic<int> calls{0};
};

class FakeEvents final : public nv1::EventService::Service {
 public:
  grpc::Status WatchEvents(grpc::ServerContext*, const nv1::WatchEventsRequest* request,
                           grpc::ServerWriter<moot::events::v1::Event>* writer) override {
    ++calls;
    for (int i = 0; i < 3; ++i) {
      moot::events::v1::Event event;
      if (!writer->Write(event)) {
        break;
      }
    }
    return grpc::Status::OK;
  }
  std::atomic<int> calls{0};
};

class FakeDocuments final : public dv1::DocumentService::Service {
 public:
  grpc::Status UploadDocument(grpc::ServerContext*,
                              grpc::ServerReader<dv1::UploadDocumentRequest>* reader,
                              dv1::Document* document) override {
    ++calls;
    dv1::UploadDocumentRequest part;
    int64_t size = 0;
    while (reader->Read(&part)) {
      if (part.has_metadata()) {
        document->set_name(part.metadata().parent() + "/documents/d1");
      } else {
        size += static_cast<int64_t>(part.chunk().size());
      }
    }
    document->set_size_bytes(size);
    return grpc::Status::OK;
  }
  std::atomic<int> calls{0};
};

class Overrides : public RateOverrides {
 public:
  std::optional<double> TenantRate(absl::string_view tenant) const override {
    if (tenant == "slow") {
      return 1;
    }
    return std::nullopt;
  }
  std::optional<double> ApiKeyRate(absl::string_view) const override { return std::nullopt; }
};

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = std::make_unique<moot::rpc::ServerRunner>(
        moot::rpc::ServerRunnerOptions{.service_name = "backend"});
    backend_->AddService(&bodies_);
    backend_->AddService(&events_);
    backend_->AddService(&documents_);
    ASSERT_TRUE(backend_->Start().ok());
    std::string backend_address = "127.0.0.1:" + std::to_string(backend_->port());

    auto verifier =
        moot::auth::JwtVerifier::Create({.algorithms = {"HS256"}, .hs256_secret = kSecret});
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
    authenticator_ = std::make_unique<moot::auth::Authenticator>(verifier_.get(), nullptr);
    tracer_ =
        std::make_unique<moot::tracing::Tracer>("gateway", moot::time::Clock::Real(), ids_, spans_);
    trace_source_.Add({"4bf92f3577b34da6a3ce929d0e0e4736", R"({"id":"00f067aa0ba902b7"})"});
    traces_ = std::make_unique<TraceQuery>(trace_source_);

    GatewayOptions options;
    options.limits.max_request_bytes = 64 * 1024;
    options.backend_addresses = {{"scheduling", backend_address},
                                 {"notifications", backend_address},
                                 {"documents", backend_address}};
    options.shutdown_grace = absl::Seconds(1);
    gateway_ = std::make_unique<Gateway>(options, GatewayDeps{.authenticator = authenticator_.get(),
                                                              .tracer = tracer_.get(),
                                                              .traces = traces_.get(),
                                                              .rate_overrides = &overrides_});
    ASSERT_TRUE(gateway_->Start().ok());
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(gateway_->grpc_port()),
                                   grpc::InsecureChannelCredentials());
    http_ = std::make_unique<httplib::Client>("127.0.0.1", gateway_->http_port());
  }
  void TearDown() override {
    gateway_->Shutdown();
    backend_->Shutdown();
  }

  std::string Token(const std::string& tenant, absl::Duration lifetime = absl::Hours(1),
                    std::vector<moot::auth::Role> roles = {moot::auth::Role::kOfficer}) {
    auto signer = moot::auth::JwtSigner::Hs256(kSecret);
    moot::auth::TokenSpec spec;
    spec.principal = {tenant, "user:u", roles};
    spec.issued_at = absl::Now() - absl::Hours(2);
    spec.lifetime = lifetime + absl::Hours(2);
    return *(*signer)->SignToken(spec);
  }

  grpc::Status GetBody(const std::string& name, const std::string& token, sv1::Body* body) {
    auto stub = sv1::BodyService::NewStub(channel_);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!token.empty()) {
      ctx.AddMetadata("authorization", "Bearer " + token);
    }
    sv1::GetBodyRequest request;
    request.set_name(name);
    return stub->GetBody(&ctx, request, body);
  }

  httplib::Result Post(const std::string& path, const std::string& body, const std::string& token,
                       const std::string& content_type = "application/json") {
    httplib::Headers headers;
    if (!token.empty()) {
      headers.emplace("Authorization", "Bearer " + token);
    }
    return http_->Post(path.c_str(), headers, body, content_type.c_str());
  }

  FakeBodies bodies_;
  FakeEvents events_;
  FakeDocuments documents_;
  Overrides overrides_;
  std::unique_ptr<moot::rpc::ServerRunner> backend_;
  std::unique_ptr<moot::auth::JwtVerifier> verifier_;
  std::unique_ptr<moot::auth::Authenticator> authenticator_;
  moot::ids::UlidGenerator ids_;
  moot::tracing::InMemorySpanSink spans_;
  std::unique_ptr<moot::tracing::Tracer> tracer_;
  InMemorySpanSource trace_source_;
  std::unique_ptr<TraceQuery> traces_;
  std::unique_ptr<Gateway> gateway_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<httplib::Client> http_;
};

TEST_F(GatewayTest, UnaryCallIsForwardedWithCredentialsAndTraceContext) {
  sv1::Body body;
  std::string token = Token("t1");
  grpc::Status status = GetBody("tenants/t1/bodies/panel", token, &body);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(body.name(), "tenants/t1/bodies/panel");
  EXPECT_EQ(body.display_name(), "Bearer " + token);
  EXPECT_THAT(body.description(), ::testing::StartsWith("00-"));  // The gateway span's context.
  EXPECT_EQ(bodies_.calls.load(), 1);
  EXPECT_TRUE(moot::testing::WaitFor([&] { return spans_.size() >= 1; }));
}

TEST_F(GatewayTest, UnknownMethodIsUnimplementedNamingIt) {
  grpc::GenericStub stub(channel_);
  grpc::ClientContext ctx;
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&ctx, "/moot.scheduling.v1.BodyService/DeleteEverything", grpc::StubOptions(),
                 &request, &response, [&](grpc::Status s) {
                   status = s;
                   done.Notify();
                 });
  done.WaitForNotification();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("/moot.scheduling.v1.BodyService/DeleteEverything"));
}

TEST_F(GatewayTest, BadCredentialsAreRejectedBeforeTheBackend) {
  sv1::Body body;
  grpc::Status invalid = GetBody("tenants/t1/bodies/panel", "not.a.token", &body);
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  grpc::Status expired = GetBody("tenants/t1/bodies/panel", Token("t1", -absl::Minutes(5)), &body);
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(moot::status::Details(moot::status::FromGrpcStatus(expired)).reason, "TOKEN_EXPIRED");
  std::string none = absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})") + "." +
                     absl::WebSafeBase64Escape(R"({"sub":"x","tenant":"t1","exp":9999999999})") +
                     ".";
  EXPECT_EQ(GetBody("tenants/t1/bodies/panel", none, &body).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(bodies_.calls.load(), 0);
  // No credentials at all reach the backend, which decides (here: it wants them).
  EXPECT_EQ(GetBody("tenants/t1/bodies/panel", "", &body).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(bodies_.calls.load(), 1);
}

TEST_F(GatewayTest, AnotherTenantsResourceIsDeniedAndNeverReachesTheBackend) {
  sv1::Body body;
  grpc::Status status = GetBody("tenants/t2/bodies/panel", Token("t1"), &body);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(moot::status::Details(moot::status::FromGrpcStatus(status)).reason, "TENANT_MISMATCH");
  auto res = Post("/moot.scheduling.v1.BodyService/GetBody", R"({"name":"tenants/t2/bodies/b"})",
                  Token("t1"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(nlohmann::json::parse(res->body)["code"], "permission_denied");
  EXPECT_EQ(bodies_.calls.load(), 0);
}

TEST_F(GatewayTest, ErrorDetailsSurviveTheProxyOverGrpcAndJson) {
  sv1::Body body;
  grpc::Status status = GetBody("tenants/t1/bodies/fail", Token("t1"), &body);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(moot::status::Details(moot::status::FromGrpcStatus(status)).reason, "X");

  auto res = Post("/moot.scheduling.v1.BodyService/GetBody", R"({"name":"tenants/t1/bodies/fail"})",
                  Token("t1"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  nlohmann::json error = nlohmann::json::parse(res->body);
  EXPECT_EQ(error["code"], "failed_precondition");
  bool found = false;
  for (const auto& detail : error["details"]) {
    if (detail["type"] == "google.rpc.ErrorInfo") {
      found = detail["debug"]["reason"] == "X";
    }
  }
  EXPECT_TRUE(found) << res->body;
  EXPECT_TRUE(res->has_header("traceparent"));
}

TEST_F(GatewayTest, RateLimitIsResourceExhaustedWithRetryInfo) {
  sv1::Body body;
  std::string token = Token("slow");
  // 1 request per second with two seconds of burst.
  ASSERT_TRUE(GetBody("tenants/slow/bodies/b", token, &body).ok());
  ASSERT_TRUE(GetBody("tenants/slow/bodies/b", token, &body).ok());
  grpc::Status limited = GetBody("tenants/slow/bodies/b", token, &body);
  ASSERT_EQ(limited.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(moot::status::Details(moot::status::FromGrpcStatus(limited)).has_retry_info);
  auto res =
      Post("/moot.scheduling.v1.BodyService/GetBody", R"({"name":"tenants/slow/bodies/b"})", token);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);
  EXPECT_THAT(res->body, HasSubstr("google.rpc.RetryInfo"));
}

TEST_F(GatewayTest, OversizedMessagesAreRejected) {
  sv1::Body body;
  grpc::Status status = GetBody(std::string(100 * 1024, 'x'), Token("t1"), &body);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  auto res = Post("/moot.scheduling.v1.BodyService/GetBody",
                  R"({"name":")" + std::string(100 * 1024, 'x') + R"("})", Token("t1"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(bodies_.calls.load(), 0);
}

TEST_F(GatewayTest, ServerStreamingCallFlowsThroughTheProxy) {
  auto stub = nv1::EventService::NewStub(channel_);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + Token("t1"));
  nv1::WatchEventsRequest request;
  request.set_parent("tenants/t1");
  auto reader = stub->WatchEvents(&ctx, request);
  moot::events::v1::Event event;
  int count = 0;
  while (reader->Read(&event)) {
    ++count;
  }
  EXPECT_TRUE(reader->Finish().ok());
  EXPECT_EQ(count, 3);
}

TEST_F(GatewayTest, ClientStreamingCallFlowsThroughTheProxyAndIsTenantChecked) {
  auto stub = dv1::DocumentService::NewStub(channel_);
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + Token("t1"));
    dv1::Document document;
    auto writer = stub->UploadDocument(&ctx, &document);
    dv1::UploadDocumentRequest part;
    part.mutable_metadata()->set_parent("tenants/t1");
    ASSERT_TRUE(writer->Write(part));
    for (int i = 0; i < 3; ++i) {
      part.set_chunk(std::string(1000, 'a'));
      ASSERT_TRUE(writer->Write(part));
    }
    ASSERT_TRUE(writer->WritesDone());
    grpc::Status status = writer->Finish();
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(document.size_bytes(), 3000);
    EXPECT_EQ(document.name(), "tenants/t1/documents/d1");
  }
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + Token("t1"));
    dv1::Document document;
    auto writer = stub->UploadDocument(&ctx, &document);
    dv1::UploadDocumentRequest part;
    part.mutable_metadata()->set_parent("tenants/t2");
    writer->Write(part);
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_EQ(documents_.calls.load(), 1);
}

TEST_F(GatewayTest, JsonCallSucceedsAndCarriesTraceparent) {
  auto res = Post("/moot.scheduling.v1.BodyService/GetBody", R"({"name":"tenants/t1/bodies/b"})",
                  Token("t1"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  nlohmann::json body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body["name"], "tenants/t1/bodies/b");
  EXPECT_EQ(body["kind"], "BODY_KIND_PANEL");
  ASSERT_TRUE(res->has_header("traceparent"));
  std::string traceparent = res->get_header_value("traceparent");
  // The backend saw the same trace.
  EXPECT_EQ(body["description"].get<std::string>().substr(3, 32), traceparent.substr(3, 32));
}

TEST_F(GatewayTest, JsonErrorsFollowConnect) {
  auto malformed = Post("/moot.scheduling.v1.BodyService/GetBody", R"({"name": )", Token("t1"));
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
  nlohmann::json error = nlohmann::json::parse(malformed->body);
  EXPECT_EQ(error["code"], "invalid_argument");
  EXPECT_THAT(error["message"].get<std::string>(), HasSubstr("GetBodyRequest"));
  EXPECT_TRUE(malformed->has_header("traceparent"));

  auto unknown = Post("/moot.scheduling.v1.BodyService/Nope", "{}", Token("t1"));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(nlohmann::json::parse(unknown->body)["code"], "unimplemented");
  EXPECT_TRUE(unknown->has_header("traceparent"));

  auto no_token = Post("/moot.scheduling.v1.BodyService/GetBody", "{}", "junk");
  ASSERT_TRUE(no_token);
  EXPECT_EQ(no_token->status, 401);
  EXPECT_EQ(nlohmann::json::parse(no_token->body)["code"], "unauthenticated");

  auto expired =
      Post("/moot.scheduling.v1.BodyService/GetBody", "{}", Token("t1", -absl::Minutes(5)));
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->status, 401);

  auto wrong_type =
      Post("/moot.scheduling.v1.BodyService/GetBody", "{}", Token("t1"), "text/plain");
  ASSERT_TRUE(wrong_type);
  EXPECT_EQ(wrong_type->status, 415);
  EXPECT_EQ(bodies_.calls.load(), 0);
}

TEST_F(GatewayTest, HealthzReportsEveryBackendAndTheGateway) {
  auto res = http_->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  nlohmann::json health = nlohmann::json::parse(res->body);
  EXPECT_EQ(health["status"], "SERVING");
  EXPECT_EQ(health["services"]["gateway"], "SERVING");
  EXPECT_EQ(health["services"]["scheduling"], "SERVING");
  EXPECT_TRUE(res->has_header("traceparent"));
  backend_->SetDependencyHealth("database", moot::rpc::DependencyHealth::kNotServing);
  res = http_->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(nlohmann::json::parse(res->body)["services"]["documents"], "NOT_SERVING");
}

TEST_F(GatewayTest, TraceApiServesZipkinJsonToOpsOnly) {
  httplib::Headers ops{
      {"Authorization", "Bearer " + Token("", absl::Hours(1), {moot::auth::Role::kOps})}};
  auto trace = http_->Get("/api/v2/trace/4bf92f3577b34da6a3ce929d0e0e4736", ops);
  ASSERT_TRUE(trace);
  EXPECT_EQ(trace->status, 200) << trace->body;
  EXPECT_EQ(nlohmann::json::parse(trace->body).size(), 1u);
  auto missing = http_->Get("/api/v2/trace/00000000000000000000000000000001", ops);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto recent = http_->Get("/api/v2/traces?limit=5", ops);
  ASSERT_TRUE(recent);
  EXPECT_EQ(recent->status, 200);
  EXPECT_EQ(nlohmann::json::parse(recent->body).size(), 1u);
  httplib::Headers officer{{"Authorization", "Bearer " + Token("t1")}};
  auto denied = http_->Get("/api/v2/traces", officer);
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403);
}

}  // namespace
}  // namespace moot::gateway
