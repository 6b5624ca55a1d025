#include "libs/auth/auth_config.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"

namespace moot::auth {

absl::StatusOr<JwtVerifierOptions> JwtOptionsFromConfig(const moot::config::CommonConfig& config,
                                                        const moot::time::Clock* clock) {
  JwtVerifierOptions o;
  o.algorithms = config.jwt_algorithms;
  o.hs256_secret = config.jwt_hs256_secret;
  o.issuer = config.jwt_issuer;
  o.audience = config.jwt_audience;
  o.leeway = config.jwt_leeway;
  o.clock = clock;
  for (const auto& [kid, path] : config.jwt_public_key_files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream pem;
    if (in) {
      pem << in.rdbuf();
    }
    if (!in || pem.str().empty()) {
      return moot::status::InvalidArgument(
          "MOOT_JWT_PUBLIC_KEYS",
          absl::StrCat("cannot read the key file of kid ", kid, ": ", path));
    }
    o.public_keys_pem[kid] = pem.str();
  }
  return o;
}

absl::StatusOr<std::unique_ptr<JwtVerifier>> JwtVerifierFromConfig(
    const moot::config::CommonConfig& config, const moot::time::Clock* clock) {
  absl::StatusOr<JwtVerifierOptions> o = JwtOptionsFromConfig(config, clock);
  if (!o.ok()) {
    return o.status();
  }
  return JwtVerifier::Create(*std::move(o));
}

}  // namespace moot::auth
