// Shared set-up of the process-level tests: where the built binaries are, a signed token, and a
// gRPC channel that waits for a server to come up.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"
#include "libs/auth/principal.h"
#include "libs/testing/child_process.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/test_util.h"

namespace moot::integration {

// The HS256 secret the tests start services with.
inline constexpr char kTestSecret[] = "integration-test-secret-0123456789abcdef";

// The path of a built binary, e.g. Binary("services/scheduling/scheduling").
std::string Binary(const std::string& relative);

// A bearer token ("Bearer ...") for `principal`, valid for an hour, issuer and audience "moot".
std::string Bearer(const auth::Principal& principal);

// A channel to 127.0.0.1:`port` once it accepts connections (waits up to 20 s; null if never).
std::shared_ptr<grpc::Channel> WaitForChannel(int port);

// The body of GET http://127.0.0.1:`port``path`, or empty on failure; `status` gets the code.
std::string HttpGet(int port, const std::string& path, int* status = nullptr,
                    const std::string& bearer = "");

// The body and status of POST http://127.0.0.1:`port``path` with a JSON body.
std::string HttpPostJson(int port, const std::string& path, const std::string& json, int* status,
                         const std::string& bearer = "");

// Redis and Moot processes for one test, in a temporary directory; everything stops at
// destruction.
class ProcessSuite {
 public:
  // Starts Redis (ASSERTs inside tests should check redis_ok()).
  ProcessSuite();
  bool redis_ok() const { return redis_ != nullptr; }
  testing::RedisServer& redis() { return *redis_; }

  // Starts services/<name>/<name> listening on a free port with the suite's Redis, a SQLite file,
  // the test JWT secret and `extra` settings; returns its gRPC port (0 on failure).
  int Start(const std::string& name, std::map<std::string, std::string> extra = {});

  // Starts scheduling, notifications and the gateway routed to them; returns false on failure.
  bool StartSlice();
  // Starts every service (scheduling, documents, decisions, budget, notifications) and the
  // gateway routed to all of them, as scripts/up.sh does, each with `extra` settings (the
  // gateway's own ports and backend addresses win); returns false on failure.
  // `gateway_extra` goes to the gateway alone (its own settings, e.g. rate limits).
  bool StartAll(const std::map<std::string, std::string>& extra = {},
                const std::map<std::string, std::string>& gateway_extra = {});
  int gateway_grpc() const { return gateway_grpc_; }
  int gateway_http() const { return gateway_http_; }

  // Every process's log, for failure messages.
  std::string Logs();
  // The suite's temporary directory (removed at destruction).
  const std::string& dir() const { return dir_.path(); }

 private:
  testing::TempDir dir_;
  std::unique_ptr<testing::RedisServer> redis_;
  std::map<std::string, std::unique_ptr<testing::ChildProcess>> processes_;
  int gateway_grpc_ = 0;
  int gateway_http_ = 0;
};

}  // namespace moot::integration
