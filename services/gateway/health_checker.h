// The gateway's /healthz: the grpc.health.v1 status of every backend process plus its own.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/gateway/backend_channels.h"

namespace moot::gateway {

struct HealthSummary {
  bool all_serving = false;
  std::map<std::string, std::string> services;  // name -> "SERVING", "NOT_SERVING", ...
  // {"status":"SERVING","services":{"gateway":"SERVING","scheduling":"UNAVAILABLE",...}}
  std::string ToJson() const;
};

class HealthChecker {
 public:
  // Checks the named backends of `backends` (which must outlive this object); `self_serving`
  // reports the gateway's own state.
  HealthChecker(const BackendChannels& backends, std::vector<std::string> names,
                std::function<bool()> self_serving, absl::Duration timeout = absl::Seconds(1))
      : backends_(backends),
        names_(std::move(names)),
        self_serving_(std::move(self_serving)),
        timeout_(timeout) {}

  // Calls Health/Check("") on every backend at once, each with `timeout`. A backend that does
  // not answer is "UNAVAILABLE" (or "DEADLINE_EXCEEDED", ...: the status code's name).
  HealthSummary Check() const;

 private:
  const BackendChannels& backends_;
  const std::vector<std::string> names_;
  const std::function<bool()> self_serving_;
  const absl::Duration timeout_;
};

}  // namespace moot::gateway
