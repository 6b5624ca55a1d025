// Builds the auth objects a service needs from its common configuration (libs/config).
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/config/common_keys.h"
#include "libs/time/clock.h"

namespace moot::auth {

// JwtVerifierOptions from MOOT_JWT_* (reading the PEM files named by MOOT_JWT_PUBLIC_KEYS).
// INVALID_ARGUMENT naming the key id when a file cannot be read.
absl::StatusOr<JwtVerifierOptions> JwtOptionsFromConfig(const moot::config::CommonConfig& config,
                                                        const moot::time::Clock* clock);

// The verifier itself (JwtVerifier::Create on the options above).
absl::StatusOr<std::unique_ptr<JwtVerifier>> JwtVerifierFromConfig(
    const moot::config::CommonConfig& config, const moot::time::Clock* clock);

}  // namespace moot::auth
