#include "tools/seed/seed.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "google/protobuf/descriptor.h"
#include "grpcpp/grpcpp.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "libs/testing/test_util.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "proto/all_contracts.h"

namespace moot::seed {
namespace {

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef-seed-test";

std::unique_ptr<Credentials> MakeCredentials() {
  auto signer = auth::JwtSigner::Hs256(kSecret);
  EXPECT_TRUE(signer.ok());
  return std::make_unique<Credentials>(std::move(*signer), "moot", "moot", absl::Now(),
                                       absl::Hours(1));
}

TEST(SeedTest, EveryDemoFileIsValidAgainstTheContracts) {
  const std::string dir = testing::SourceDir() + "/deploy/demo";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") {
      continue;
    }
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    std::string tenant;
    auto calls = ParseDataFile(text.str(), &tenant);
    ASSERT_TRUE(calls.ok()) << entry.path() << ": " << calls.status();
    EXPECT_FALSE(tenant.empty());
    EXPECT_FALSE(calls->empty());
    EXPECT_TRUE(Validate(*calls).ok()) << entry.path() << ": " << Validate(*calls);
    ++files;
  }
  EXPECT_GE(files, 2);
}

TEST(SeedTest, ValidateNamesTheBadCall) {
  std::vector<Call> calls = {
      {.method = "/moot.scheduling.v1.BodyService/GetBody",
       .tenant = "t",
       .role = "officer",
       .request_json = R"({"name": "tenants/t/bodies/b"})"},
      {.method = "/moot.scheduling.v1.BodyService/GetBody",
       .tenant = "t",
       .role = "officer",
       .request_json = R"({"nmae": "typo"})"},
  };
  absl::Status status = Validate(calls);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("call 1"), absl::string_view::npos) << status;
  calls.pop_back();
  EXPECT_TRUE(Validate(calls).ok());
  calls[0].method = "/moot.nope.v1.X/Y";
  EXPECT_FALSE(Validate(calls).ok());
  calls[0].method = "/moot.scheduling.v1.BodyService/GetBody";
  calls[0].role = "emperor";
  EXPECT_FALSE(Validate(calls).ok());
}

TEST(SeedTest, ParseDataFileRejectsMalformedFiles) {
  std::string tenant;
  EXPECT_FALSE(ParseDataFile("not json", &tenant).ok());
  EXPECT_FALSE(ParseDataFile(R"({"tenant": "t"})", &tenant).ok());
  EXPECT_FALSE(ParseDataFile(R"({"tenant": "t", "calls": [{"method": "/a/b"}]})", &tenant).ok());
  auto calls = ParseDataFile(
      R"({"tenant": "t", "calls": [{"method": "/a/b", "as": "member", "request": {}}]})", &tenant);
  ASSERT_TRUE(calls.ok());
  EXPECT_EQ(tenant, "t");
  EXPECT_EQ((*calls)[0].role, "member");
  EXPECT_EQ((*calls)[0].tenant, "t");
}

TEST(SeedTest, CredentialsVerifyAsTheirRoleAndTenant) {
  auto credentials = MakeCredentials();
  auto token = credentials->Token("west-midlands", "finance_officer");
  ASSERT_TRUE(token.ok());
  auto verifier = auth::JwtVerifier::Create(
      {.algorithms = {"HS256"}, .hs256_secret = kSecret, .issuer = "moot", .audience = "moot"});
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  auto principal = (*verifier)->Verify(*token);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->tenant, "west-midlands");
  EXPECT_EQ(principal->subject, "user:demo-finance_officer");
  EXPECT_TRUE(principal->HasRole(auth::Role::kFinanceOfficer));
  EXPECT_FALSE(credentials->Token("west-midlands", "emperor").ok());

  auto json = credentials->Json({"west-midlands", "north-shire"});
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find("\"north-shire\""), std::string::npos);
  EXPECT_NE(json->find("\"tenant_admin\""), std::string::npos);
}

// A body service that remembers what it was sent and refuses duplicates.
class FakeBodies final : public scheduling::v1::BodyService::Service {
 public:
  grpc::Status CreateBody(grpc::ServerContext* context,
                          const scheduling::v1::CreateBodyRequest* request,
                          scheduling::v1::Body* response) override {
    auto auth = context->client_metadata().find("authorization");
    if (auth == context->client_metadata().end()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no token");
    }
    if (request->body_id() == "exists") {
      return grpc::Status(grpc::StatusCode::ALREADY_EXISTS, "exists");
    }
    if (request->body_id() == "stale") {
      return status::ToGrpcStatus(
          status::FailedPrecondition("REQUEST_ID_REUSED", "request_id",
                                     "this request_id was already used with a different "
                                     "request"));
    }
    if (request->body_id() == "bad") {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "body_id: bad");
    }
    created.push_back(request->body_id());
    response->set_name(request->parent() + "/bodies/" + request->body_id());
    return grpc::Status::OK;
  }
  std::vector<std::string> created;
};

TEST(SeedTest, ApplyCallsThroughGrpcAndToleratesExistingResources) {
  FakeBodies bodies;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&bodies);
  auto server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  auto channel =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  auto credentials = MakeCredentials();
  auto call = [](const std::string& id) {
    return Call{.method = "/moot.scheduling.v1.BodyService/CreateBody",
                .tenant = "t",
                .role = "officer",
                .request_json = R"({"parent": "tenants/t", "bodyId": ")" + id + R"("})"};
  };
  // "stale": made by an older version of the demo files (same request_id, other content).
  auto made = Apply({call("a"), call("exists"), call("stale"), call("b")}, *credentials, channel);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(*made, 2);
  EXPECT_EQ(bodies.created, (std::vector<std::string>{"a", "b"}));

  auto failed = Apply({call("c"), call("bad"), call("d")}, *credentials, channel);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(failed.status().message().find("call 1"), absl::string_view::npos);
  EXPECT_EQ(bodies.created.back(), "c");
  server->Shutdown();
}

// A body service that refuses the first `refusals` calls as a rate-limited gateway does.
class RateLimitedBodies final : public scheduling::v1::BodyService::Service {
 public:
  explicit RateLimitedBodies(int refusals, bool retry_info)
      : refusals_(refusals), retry_info_(retry_info) {}
  grpc::Status CreateBody(grpc::ServerContext*, const scheduling::v1::CreateBodyRequest* request,
                          scheduling::v1::Body* response) override {
    ++calls;
    if (refusals_ > 0) {
      --refusals_;
      if (!retry_info_) {
        return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "slow down");
      }
      return status::ToGrpcStatus(status::ResourceExhausted(
          "RATE_LIMITED", "rate limit exceeded for tenant:t", absl::Milliseconds(20)));
    }
    response->set_name(request->parent() + "/bodies/" + request->body_id());
    return grpc::Status::OK;
  }
  int calls = 0;

 private:
  int refusals_;
  bool retry_info_;
};

TEST(SeedTest, ApplyWaitsOutTheRateLimitAndRepeatsTheCall) {
  const struct {
    int refusals;
    bool retry_info;
    bool ok;
    int calls;
  } cases[] = {
      {0, true, true, 1},
      {3, true, true, 4},
      {2, false, true, 3},    // No RetryInfo: a short fixed pause.
      {25, true, false, 20},  // Gives up after 20 tries, with the RESOURCE_EXHAUSTED.
  };
  for (const auto& c : cases) {
    RateLimitedBodies bodies(c.refusals, c.retry_info);
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&bodies);
    auto server = builder.BuildAndStart();
    ASSERT_NE(server, nullptr);
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                       grpc::InsecureChannelCredentials());
    auto credentials = MakeCredentials();
    auto made = Apply({Call{.method = "/moot.scheduling.v1.BodyService/CreateBody",
                            .tenant = "t",
                            .role = "officer",
                            .request_json = R"({"parent": "tenants/t", "bodyId": "a"})"}},
                      *credentials, channel);
    EXPECT_EQ(made.ok(), c.ok) << c.refusals << " " << made.status();
    if (!c.ok) {
      EXPECT_EQ(made.status().code(), absl::StatusCode::kResourceExhausted);
      EXPECT_NE(made.status().message().find("call 0"), absl::string_view::npos);
    }
    EXPECT_EQ(bodies.calls, c.calls) << c.refusals;
    server->Shutdown();
  }
}

}  // namespace
}  // namespace moot::seed

namespace moot::seed {
namespace {

// Programs that handle methods by name (the gateway, moot-seed, loadgen) see every contract:
// a .proto file missing from proto/all_contracts.cc fails here.
TEST(ContractsTest, EveryProtoFileIsInTheGeneratedPool) {
  proto::LinkAllContracts();
  const std::filesystem::path root = std::filesystem::path(testing::SourceDir()) / "proto";
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           root / "moot", std::filesystem::directory_options::follow_directory_symlink)) {
    if (entry.path().extension() != ".proto") {
      continue;
    }
    // The import path: from "moot/" on (Bazel's runfiles make the files symlinks).
    const std::string path = entry.path().string();
    const std::string name = path.substr(path.rfind("/proto/moot/") + 7);
    EXPECT_NE(google::protobuf::DescriptorPool::generated_pool()->FindFileByName(name), nullptr)
        << name << " is not linked: add it to proto/all_contracts.cc";
    ++files;
  }
  EXPECT_GE(files, 9);
}

}  // namespace
}  // namespace moot::seed
