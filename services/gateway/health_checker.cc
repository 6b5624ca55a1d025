#include "services/gateway/health_checker.h"

#include <memory>

#include "absl/synchronization/blocking_counter.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "libs/status/grpc_status.h"
#include "nlohmann/json.hpp"

namespace moot::gateway {

std::string HealthSummary::ToJson() const {
  nlohmann::json body = nlohmann::json::object();
  body["status"] = all_serving ? "SERVING" : "NOT_SERVING";
  body["services"] = nlohmann::json::object();
  for (const auto& [name, state] : services) {
    body["services"][name] = state;
  }
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HealthSummary HealthChecker::Check() const {
  struct Probe {
    std::string name;
    std::unique_ptr<grpc::health::v1::Health::Stub> stub;
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status;
  };
  std::vector<std::unique_ptr<Probe>> probes;
  for (const std::string& name : names_) {
    std::shared_ptr<grpc::Channel> channel = backends_.Channel(name);
    auto probe = std::make_unique<Probe>();
    probe->name = name;
    if (channel == nullptr) {
      probe->status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "not configured");
    } else {
      probe->stub = grpc::health::v1::Health::NewStub(channel);
    }
    probes.push_back(std::move(probe));
  }
  absl::BlockingCounter pending(static_cast<int>(probes.size()));
  for (auto& probe : probes) {
    if (probe->stub == nullptr) {
      pending.DecrementCount();
      continue;
    }
    probe->context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
    Probe* p = probe.get();
    p->stub->async()->Check(&p->context, &p->request, &p->response,
                            [p, &pending](grpc::Status status) {
                              p->status = std::move(status);
                              pending.DecrementCount();
                            });
  }
  pending.Wait();

  HealthSummary summary;
  bool self = self_serving_ ? self_serving_() : true;
  summary.services["gateway"] = self ? "SERVING" : "NOT_SERVING";
  summary.all_serving = self;
  for (const auto& probe : probes) {
    std::string state;
    if (!probe->status.ok()) {
      state = std::string(
          moot::status::CodeName(static_cast<absl::StatusCode>(probe->status.error_code())));
    } else {
      state = grpc::health::v1::HealthCheckResponse::ServingStatus_Name(probe->response.status());
    }
    if (state != "SERVING") {
      summary.all_serving = false;
    }
    summary.services[probe->name] = state;
  }
  return summary;
}

}  // namespace moot::gateway
