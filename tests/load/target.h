// What the load generator calls: one kind of request to one endpoint, started asynchronously.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace moot::load {

// Called once per call with a target-specific code (gRPC status code; HTTP status, or a negative
// transport error) and the response size in bytes.
using DoneFn = std::function<void(int code, size_t response_bytes)>;

class Target {
 public:
  virtual ~Target() = default;
  // Starts one call. `done` runs exactly once, on another thread, never inside Start().
  virtual void Start(DoneFn done) = 0;
  // Whether `code` is a success.
  virtual bool IsOk(int code) const = 0;
  // A stable name for `code` in reports, e.g. "OK", "UNAVAILABLE", "HTTP_503".
  virtual std::string CodeName(int code) const = 0;
};

}  // namespace moot::load
