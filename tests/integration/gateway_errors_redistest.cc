// Bad input and access through the gateway, against the real scheduling service, over gRPC and
// over HTTP/JSON: each case gets the same code and reason on both edges, a message naming the
// problem, and nothing crashes (the processes still serve afterwards).
#include <gtest/gtest.h>

#include <future>
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/generic/generic_stub.h"
#include "libs/auth/jwt_signer.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/integration/process_env.h"

namespace moot::integration {
namespace {

namespace sched = moot::scheduling::v1;

struct Case {
  std::string name;
  std::string method;         // /pkg.Service/Method
  std::string json;           // The request as JSON (also sent, converted, over gRPC).
  std::string authorization;  // "" for none.
  grpc::StatusCode code;
  std::string reason;  // ErrorInfo reason expected on both edges ("" = any).
  int http_status;
};

// Sends `c` over gRPC (the JSON converted to the request type with the generated pool).
absl::Status CallGrpc(const std::shared_ptr<grpc::Channel>& channel, const Case& c,
                      const google::protobuf::Message& request) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!c.authorization.empty()) {
    context.AddMetadata("authorization", c.authorization);
  }
  const std::string bytes = request.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer in(&slice, 1);
  grpc::ByteBuffer out;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, c.method, grpc::StubOptions(), &in, &out,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  return status::FromGrpcStatus(done.get_future().get());
}

std::string ExpiredToken() {
  auto signer = auth::JwtSigner::Hs256(kTestSecret);
  auth::TokenSpec spec;
  spec.principal = {.tenant = "wm", .subject = "user:o", .roles = {auth::Role::kOfficer}};
  spec.issuer = "moot";
  spec.audience = "moot";
  spec.issued_at = absl::Now() - absl::Hours(3);
  spec.lifetime = absl::Hours(1);
  return "Bearer " + *(*signer)->SignToken(spec);
}

std::string AlgNoneToken() {
  // {"alg":"none","typ":"JWT"} . {"sub":"user:o","tenant":"wm","roles":["OFFICER"],...} .
  return "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0."
         "eyJzdWIiOiJ1c2VyOm8iLCJ0ZW5hbnQiOiJ3bSIsInJvbGVzIjpbIk9GRklDRVIiXSwiZXhwIjo0MTAyNDQ0ODAwL"
         "CJpc3MiOiJtb290IiwiYXVkIjoibW9vdCJ9.";
}

TEST(GatewayErrorsTest, SameAnswerOverGrpcAndJson) {
  ProcessSuite suite;
  ASSERT_TRUE(suite.redis_ok());
  ASSERT_TRUE(suite.StartSlice()) << suite.Logs();
  auto gateway = WaitForChannel(suite.gateway_grpc());
  ASSERT_NE(gateway, nullptr);
  const std::string officer =
      Bearer({.tenant = "wm", .subject = "user:o", .roles = {auth::Role::kOfficer}});
  const std::string member =
      Bearer({.tenant = "wm", .subject = "user:m", .roles = {auth::Role::kMember}});
  const std::string other_tenant =
      Bearer({.tenant = "other", .subject = "user:x", .roles = {auth::Role::kOfficer}});
  const std::string create_body =
      R"({"parent": "tenants/wm", "bodyId": "board", "body": {"displayName": "Board", "kind": "BODY_KIND_BOARD"}})";

  const std::vector<Case> cases = {
      {"page size over the cap", "/moot.scheduling.v1.BodyService/ListBodies",
       R"({"parent": "tenants/wm", "pageSize": 5000})", officer, grpc::StatusCode::INVALID_ARGUMENT,
       "INVALID_ARGUMENT", 400},
      {"bad resource name", "/moot.scheduling.v1.BodyService/GetBody",
       R"({"name": "tenants/wm/boards/x"})", officer, grpc::StatusCode::INVALID_ARGUMENT,
       "INVALID_ARGUMENT", 400},
      {"role without permission", "/moot.scheduling.v1.BodyService/CreateBody", create_body, member,
       grpc::StatusCode::PERMISSION_DENIED, "ROLE_NOT_ALLOWED", 403},
      {"another tenant's resource", "/moot.scheduling.v1.BodyService/GetBody",
       R"({"name": "tenants/wm/bodies/pcp"})", other_tenant, grpc::StatusCode::PERMISSION_DENIED,
       "TENANT_MISMATCH", 403},
      {"missing token on a write", "/moot.scheduling.v1.BodyService/CreateBody", create_body, "",
       grpc::StatusCode::UNAUTHENTICATED, "CREDENTIALS_REQUIRED", 401},
      {"invalid token", "/moot.scheduling.v1.BodyService/ListBodies", R"({"parent": "tenants/wm"})",
       "Bearer not.a.token", grpc::StatusCode::UNAUTHENTICATED, "TOKEN_MALFORMED", 401},
      {"expired token", "/moot.scheduling.v1.BodyService/ListBodies", R"({"parent": "tenants/wm"})",
       ExpiredToken(), grpc::StatusCode::UNAUTHENTICATED, "TOKEN_EXPIRED", 401},
      {"alg none", "/moot.scheduling.v1.BodyService/ListBodies", R"({"parent": "tenants/wm"})",
       AlgNoneToken(), grpc::StatusCode::UNAUTHENTICATED, "TOKEN_ALG_NOT_ALLOWED", 401},
      {"not found", "/moot.scheduling.v1.BodyService/GetBody",
       R"({"name": "tenants/wm/bodies/nope"})", officer, grpc::StatusCode::NOT_FOUND, "NOT_FOUND",
       404},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    // gRPC.
    const auto* method = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
        c.method.substr(1, c.method.rfind('/') - 1) + "." +
        c.method.substr(c.method.rfind('/') + 1));
    ASSERT_NE(method, nullptr);
    google::protobuf::DynamicMessageFactory factory;
    std::unique_ptr<google::protobuf::Message> request(
        factory.GetPrototype(method->input_type())->New());
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(c.json, request.get()).ok());
    absl::Status grpc_status = CallGrpc(gateway, c, *request);
    EXPECT_EQ(static_cast<int>(grpc_status.code()), static_cast<int>(c.code)) << grpc_status;
    EXPECT_EQ(status::Details(grpc_status).reason, c.reason) << grpc_status;
    EXPECT_FALSE(grpc_status.message().empty());
    // HTTP/JSON.
    int http = 0;
    std::string body = HttpPostJson(suite.gateway_http(), c.method, c.json, &http, c.authorization);
    EXPECT_EQ(http, c.http_status) << body;
    nlohmann::json error = nlohmann::json::parse(body, nullptr, false);
    ASSERT_TRUE(error.is_object()) << body;
    EXPECT_FALSE(error.value("message", "").empty()) << body;
    bool reason_found = false;
    for (const auto& detail : error.value("details", nlohmann::json::array())) {
      if (detail.value("type", "") == "google.rpc.ErrorInfo") {
        reason_found = detail["debug"].value("reason", "") == c.reason;
      }
    }
    EXPECT_TRUE(reason_found) << body;
  }

  // Transport-level mistakes: malformed JSON, unknown method, oversized message.
  int http = 0;
  std::string body =
      HttpPostJson(suite.gateway_http(), "/moot.scheduling.v1.BodyService/ListBodies", "{not json",
                   &http, officer);
  EXPECT_EQ(http, 400) << body;
  EXPECT_NE(body.find("MALFORMED_JSON"), std::string::npos) << body;
  body = HttpPostJson(suite.gateway_http(), "/moot.scheduling.v1.BodyService/Frobnicate", "{}",
                      &http, officer);
  EXPECT_EQ(http, 404) << body;
  {
    Case unknown{.method = "/moot.scheduling.v1.BodyService/Frobnicate", .authorization = officer};
    sched::GetBodyRequest empty;
    EXPECT_EQ(CallGrpc(gateway, unknown, empty).code(), absl::StatusCode::kUnimplemented);
    Case big{.method = "/moot.scheduling.v1.BodyService/GetBody", .authorization = officer};
    sched::GetBodyRequest huge;
    huge.set_name(std::string(5 * 1024 * 1024, 'x'));
    absl::Status status = CallGrpc(gateway, big, huge);
    EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
  }

  // Still serving.
  int code = 0;
  HttpGet(suite.gateway_http(), "/healthz", &code);
  EXPECT_NE(code, 0) << suite.Logs();
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", officer);
    sched::ListBodiesRequest request;
    request.set_parent("tenants/wm");
    sched::ListBodiesResponse response;
    EXPECT_TRUE(
        sched::BodyService::NewStub(gateway)->ListBodies(&context, request, &response).ok());
  }
}

}  // namespace
}  // namespace moot::integration
