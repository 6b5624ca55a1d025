// Shared set-up of the process-level tests: where the built binaries are, a signed token, and a
// gRPC channel that waits for a server to come up.
#pragma once

#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"
#include "libs/auth/principal.h"

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

}  // namespace moot::integration
