#include "libs/rpc/server_runner.h"

#include <gtest/gtest.h>

#include <atomic>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "moot/bench/v1/echo.grpc.pb.h"

namespace moot::rpc {
namespace {

class EchoImpl final : public moot::bench::v1::EchoService::Service {
  grpc::Status Echo(grpc::ServerContext*, const moot::bench::v1::EchoRequest* request,
                    moot::bench::v1::EchoResponse* response) override {
    response->set_payload(request->payload());
    return grpc::Status::OK;
  }
};

grpc::health::v1::HealthCheckResponse::ServingStatus Check(grpc::Channel* channel,
                                                           const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(
      std::shared_ptr<grpc::Channel>(channel, [](grpc::Channel*) {}));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    return grpc::health::v1::HealthCheckResponse::UNKNOWN;
  }
  return response.status();
}

TEST(ServerRunnerTest, ServesHealthAndRunsBackgroundTasks) {
  EchoImpl echo;
  std::atomic<int> started{0};
  std::atomic<int> stopped{0};
  ServerRunner runner({.service_name = "echo"});
  runner.AddService(&echo);
  runner.AddBackgroundTask({"loop", [&] { ++started; }, [&] { ++stopped; }});
  ASSERT_TRUE(runner.Start().ok());
  ASSERT_GT(runner.port(), 0);
  EXPECT_EQ(started.load(), 1);

  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(runner.port()),
                                     grpc::InsecureChannelCredentials());
  auto stub = moot::bench::v1::EchoService::NewStub(channel);
  grpc::ClientContext context;
  moot::bench::v1::EchoRequest request;
  request.set_payload("hi");
  moot::bench::v1::EchoResponse response;
  ASSERT_TRUE(stub->Echo(&context, request, &response).ok());
  EXPECT_EQ(response.payload(), "hi");

  EXPECT_EQ(Check(channel.get(), ""), grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_EQ(Check(channel.get(), "echo"), grpc::health::v1::HealthCheckResponse::SERVING);

  // A degraded dependency (Redis: events wait in the outbox) keeps the service serving.
  runner.SetDependencyHealth("redis", DependencyHealth::kDegraded);
  EXPECT_EQ(Check(channel.get(), ""), grpc::health::v1::HealthCheckResponse::SERVING);
  runner.SetDependencyHealth("database", DependencyHealth::kNotServing);
  EXPECT_EQ(Check(channel.get(), ""), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  EXPECT_FALSE(runner.Serving());
  runner.SetDependencyHealth("database", DependencyHealth::kServing);
  EXPECT_EQ(Check(channel.get(), ""), grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_EQ(runner.Dependencies().size(), 2u);

  runner.Shutdown();
  runner.Shutdown();  // Idempotent.
  EXPECT_EQ(stopped.load(), 1);
  EXPECT_FALSE(runner.Serving());
}

TEST(ServerRunnerTest, RejectsOversizedMessages) {
  EchoImpl echo;
  ServerRunner runner({.service_name = "echo", .max_receive_message_bytes = 1024});
  runner.AddService(&echo);
  ASSERT_TRUE(runner.Start().ok());
  auto stub = moot::bench::v1::EchoService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(runner.port()), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  moot::bench::v1::EchoRequest request;
  request.set_payload(std::string(4096, 'x'));
  moot::bench::v1::EchoResponse response;
  EXPECT_EQ(stub->Echo(&context, request, &response).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(ServerRunnerTest, UnbindableAddressIsAnErrorNotACrash) {
  EchoImpl echo;
  ServerRunner runner({.service_name = "echo", .listen_address = "256.1.1.1:1"});
  runner.AddService(&echo);
  absl::Status status = runner.Start();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  runner.Shutdown();
}

}  // namespace
}  // namespace moot::rpc
