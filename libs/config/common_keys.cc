#include "libs/config/common_keys.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace moot::config {
namespace {

absl::Status CheckHostPort(const Value& v) {
  const std::string& s = std::get<std::string>(v);
  size_t colon = s.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(absl::string_view(s).substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError("not host:port (e.g. 127.0.0.1:50061)");
  }
  return absl::OkStatus();
}

absl::Status CheckDatabaseUrl(const Value& v) {
  absl::string_view s = std::get<std::string>(v);
  if (absl::StartsWith(s, "sqlite:") || absl::StartsWith(s, "postgres://") ||
      absl::StartsWith(s, "postgresql://")) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "not a database URL (sqlite:///path.db, sqlite::memory: or postgresql://...)");
}

absl::Status CheckRedisUrl(const Value& v) {
  absl::string_view s = std::get<std::string>(v);
  if (s.empty() || absl::StartsWith(s, "redis://") || absl::StartsWith(s, "unix://")) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError("not a Redis URL (redis://[:password@]host:port[/db])");
}

absl::Status CheckAlgorithms(const Value& v) {
  const std::string& s = std::get<std::string>(v);
  for (absl::string_view alg : absl::StrSplit(s, ',', absl::SkipWhitespace())) {
    alg = absl::StripAsciiWhitespace(alg);
    if (alg != "HS256" && alg != "RS256" && alg != "ES256") {
      return absl::InvalidArgumentError(
          absl::StrCat("algorithm \"", alg, "\" is not supported (HS256, RS256, ES256)"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckPublicKeys(const Value& v) {
  const std::string& s = std::get<std::string>(v);
  for (absl::string_view entry : absl::StrSplit(s, ',', absl::SkipWhitespace())) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(entry, '=');
    if (absl::StripAsciiWhitespace(kv.first).empty() ||
        absl::StripAsciiWhitespace(kv.second).empty()) {
      return absl::InvalidArgumentError("expected kid=/path/key.pem[,kid2=/path/other.pem]");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckSecretLength(const Value& v) {
  const std::string& s = std::get<std::string>(v);
  if (!s.empty() && s.size() < 32) {
    return absl::InvalidArgumentError("must be at least 32 bytes long");
  }
  return absl::OkStatus();
}

}  // namespace

void AddCommonKeys(ConfigSchema& schema, const CommonDefaults& d) {
  schema.Add(Key::String("MOOT_SERVICE_NAME", d.service_name)
                 .Help("Name of this service in logs, traces and metrics."));
  schema.Add(Key::String("MOOT_GRPC_LISTEN", absl::StrCat("127.0.0.1:", d.grpc_port))
                 .Validate(CheckHostPort)
                 .Help("gRPC listen address, host:port (port 0 picks a free port)."));
  schema.Add(Key::Int("MOOT_ADMIN_PORT", d.admin_port)
                 .Range(0, 65535)
                 .Help("Admin HTTP port on 127.0.0.1 (metrics, healthz); 0 disables it."));
  Key db = d.database_url.empty() ? Key::String("MOOT_DATABASE_URL").Required()
                                  : Key::String("MOOT_DATABASE_URL", d.database_url);
  schema.Add(db.Validate(CheckDatabaseUrl)
                 .Secret()
                 .Help("Database URL: sqlite:///path.db, sqlite::memory: or postgresql://..."));
  schema.Add(Key::String("MOOT_REDIS_URL", "redis://127.0.0.1:6379")
                 .Validate(CheckRedisUrl)
                 .Secret()
                 .Help("Redis for events and traces: redis://[:password@]host:port[/db]."));
  schema.Add(Key::Enum("MOOT_LOG_LEVEL", {"debug", "info", "warn", "error"}, "info")
                 .Help("Lowest level of log lines written."));
  schema.Add(Key::Duration("MOOT_SHUTDOWN_GRACE", absl::Seconds(10))
                 .DurationRange(absl::ZeroDuration(), absl::Minutes(10))
                 .Help("How long in-flight calls get to finish on SIGTERM."));
  schema.Add(Key::String("MOOT_JWT_ISSUER", "moot")
                 .Help("Required 'iss' of bearer tokens; empty accepts any issuer."));
  schema.Add(Key::String("MOOT_JWT_AUDIENCE", "moot")
                 .Help("Required 'aud' of bearer tokens; empty accepts any audience."));
  schema.Add(Key::String("MOOT_JWT_HS256_SECRET", "")
                 .Validate(CheckSecretLength)
                 .Secret()
                 .Help("Shared HS256 secret (>= 32 bytes) for a single install; empty: no HS256."));
  schema.Add(Key::String("MOOT_JWT_ALGORITHMS", "HS256,RS256,ES256")
                 .Validate(CheckAlgorithms)
                 .Help("Allowed token algorithms, comma-separated (HS256, RS256, ES256)."));
  schema.Add(Key::String("MOOT_JWT_PUBLIC_KEYS", "")
                 .Validate(CheckPublicKeys)
                 .Help("RS256/ES256 public keys by key id: kid=/path/key.pem,kid2=/path2.pem."));
  schema.Add(Key::Duration("MOOT_JWT_LEEWAY", absl::Seconds(30))
                 .DurationRange(absl::ZeroDuration(), absl::Minutes(5))
                 .Help("Clock skew tolerated when checking exp and nbf."));
  schema.Add(Key::String("MOOT_API_KEY_PEPPER", "")
                 .Secret()
                 .Help("Server-side HMAC key mixed into stored API key hashes."));
  schema.Ignore("MOOT_SOURCE_DIR").Ignore("MOOT_BINARY_DIR");
}

CommonConfig ReadCommonConfig(const Config& c) {
  CommonConfig out;
  out.service_name = c.GetString("MOOT_SERVICE_NAME");
  out.grpc_listen = c.GetString("MOOT_GRPC_LISTEN");
  out.admin_port = static_cast<int>(c.GetInt("MOOT_ADMIN_PORT"));
  out.database_url = c.GetString("MOOT_DATABASE_URL");
  out.redis_url = c.GetString("MOOT_REDIS_URL");
  out.log_level = c.GetString("MOOT_LOG_LEVEL");
  out.shutdown_grace = c.GetDuration("MOOT_SHUTDOWN_GRACE");
  out.jwt_issuer = c.GetString("MOOT_JWT_ISSUER");
  out.jwt_audience = c.GetString("MOOT_JWT_AUDIENCE");
  out.jwt_hs256_secret = c.GetString("MOOT_JWT_HS256_SECRET");
  for (absl::string_view alg :
       absl::StrSplit(c.GetString("MOOT_JWT_ALGORITHMS"), ',', absl::SkipWhitespace())) {
    out.jwt_algorithms.emplace_back(absl::StripAsciiWhitespace(alg));
  }
  for (absl::string_view entry :
       absl::StrSplit(c.GetString("MOOT_JWT_PUBLIC_KEYS"), ',', absl::SkipWhitespace())) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(entry, '=');
    out.jwt_public_key_files.emplace_back(std::string(absl::StripAsciiWhitespace(kv.first)),
                                          std::string(absl::StripAsciiWhitespace(kv.second)));
  }
  out.jwt_leeway = c.GetDuration("MOOT_JWT_LEEWAY");
  out.api_key_pepper = c.GetString("MOOT_API_KEY_PEPPER");
  return out;
}

}  // namespace moot::config
