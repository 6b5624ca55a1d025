// The configuration keys every Moot service shares, declared once.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "libs/config/config.h"
#include "libs/config/config_schema.h"

namespace moot::config {

// Per-service defaults for the common keys.
struct CommonDefaults {
  std::string service_name;  // e.g. "scheduling".
  int grpc_port = 50051;     // Default listen port on 127.0.0.1.
  int admin_port = 0;        // Loopback admin HTTP port (metrics, healthz); 0 = disabled.
  // Default MOOT_DATABASE_URL; empty makes the key required.
  std::string database_url;
};

// The values of the common keys.
struct CommonConfig {
  std::string service_name;       // MOOT_SERVICE_NAME
  std::string grpc_listen;        // MOOT_GRPC_LISTEN, "host:port"
  int admin_port = 0;             // MOOT_ADMIN_PORT (always bound to 127.0.0.1)
  std::string database_url;       // MOOT_DATABASE_URL: sqlite:..., postgres[ql]://...
  std::string redis_url;          // MOOT_REDIS_URL: redis://[:password@]host:port[/db]
  std::string log_level;          // MOOT_LOG_LEVEL: debug|info|warn|error
  absl::Duration shutdown_grace;  // MOOT_SHUTDOWN_GRACE
  // JWT verification (libs/auth).
  std::string jwt_issuer;                   // MOOT_JWT_ISSUER
  std::string jwt_audience;                 // MOOT_JWT_AUDIENCE
  std::string jwt_hs256_secret;             // MOOT_JWT_HS256_SECRET (empty: HS256 off)
  std::vector<std::string> jwt_algorithms;  // MOOT_JWT_ALGORITHMS, e.g. {"RS256","ES256"}
  // MOOT_JWT_PUBLIC_KEYS "kid=/path/key.pem,kid2=/path/other.pem" as (kid, path) pairs.
  std::vector<std::pair<std::string, std::string>> jwt_public_key_files;
  absl::Duration jwt_leeway;   // MOOT_JWT_LEEWAY, clock skew allowed on exp/nbf
  std::string api_key_pepper;  // MOOT_API_KEY_PEPPER (HMAC key for API key hashes)
};

// Declares MOOT_SERVICE_NAME, MOOT_GRPC_LISTEN, MOOT_ADMIN_PORT, MOOT_DATABASE_URL,
// MOOT_REDIS_URL, MOOT_LOG_LEVEL, MOOT_SHUTDOWN_GRACE, MOOT_JWT_ISSUER, MOOT_JWT_AUDIENCE,
// MOOT_JWT_HS256_SECRET, MOOT_JWT_ALGORITHMS, MOOT_JWT_PUBLIC_KEYS, MOOT_JWT_LEEWAY and
// MOOT_API_KEY_PEPPER, with validators; tolerates MOOT_SOURCE_DIR and MOOT_BINARY_DIR (set by
// CTest for tests, never read by a service).
void AddCommonKeys(ConfigSchema& schema, const CommonDefaults& defaults);

// Reads the common keys from a config loaded with a schema that AddCommonKeys() filled.
CommonConfig ReadCommonConfig(const Config& config);

}  // namespace moot::config
