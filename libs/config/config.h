// Loading a process's typed configuration from the environment, with command-line overrides.
//
//   ConfigSchema schema;
//   AddCommonKeys(schema, {.service_name = "scheduling", .grpc_port = 50061});
//   schema.Add(Key::Int("MOOT_MAX_PAGE_SIZE", 100).Range(1, 1000).Help("..."));
//   absl::StatusOr<Config> config = Load(schema, environ, argc, argv);
//
// A flag is the key's name in lower case without MOOT_ and with '-' for '_':
// MOOT_GRPC_PORT=1 is overridden by --grpc-port=2 (or "--grpc-port 2"). A bool flag alone
// (--enable-x) means true. Unknown MOOT_* variables, unknown flags, stray arguments, bad values
// and missing required keys fail Load() with one INVALID_ARGUMENT (reason CONFIG_INVALID) that
// names every problem, the key and the value, and suggests the closest known key.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/config/config_schema.h"

namespace moot::config {

// Environment variables by name. Passed in, never read with getenv, so tests are hermetic.
using Environment = std::map<std::string, std::string>;

// Copies a NULL-terminated `environ`-style array ("NAME=value" strings).
Environment EnvironmentFrom(const char* const* environ);

// Where a value came from.
enum class Source { kUnset, kDefault, kEnvironment, kFlag };

// The loaded, validated values. Cheap to copy; pass by const&.
class Config {
 public:
  Config() = default;

  // True when the key has a value (given, or defaulted).
  bool Has(absl::string_view name) const;
  // The typed value. Reading an undeclared or unset key, or with the wrong type, returns the
  // type's zero value (0, "", false, zero duration): a programming error that a test catches.
  int64_t GetInt(absl::string_view name) const;
  std::string GetString(absl::string_view name) const;  // Also for enum keys.
  bool GetBool(absl::string_view name) const;
  absl::Duration GetDuration(absl::string_view name) const;
  Source GetSource(absl::string_view name) const;

  // True when --help or -h was given; the caller prints schema.Help() and exits 0. Values are
  // then not validated.
  bool help_requested() const { return help_requested_; }

  // One line per key, "MOOT_X=value (source)", secrets shown as <redacted>; for the start-up log.
  std::string Describe() const;

 private:
  friend absl::StatusOr<Config> Load(const ConfigSchema&, const Environment&,
                                     const std::vector<std::string>&);
  struct Entry {
    Value value;
    Source source = Source::kUnset;
    bool secret = false;
    std::string text;
  };
  const Entry* Find(absl::string_view name) const;

  std::map<std::string, Entry, std::less<>> entries_;
  bool help_requested_ = false;
};

// Loads `schema` from `env`, then applies `args` (the arguments after the program name). On
// success, writes every bound target (Key::BindTo).
absl::StatusOr<Config> Load(const ConfigSchema& schema, const Environment& env,
                            const std::vector<std::string>& args);

// The same from main()'s arguments (argv[0] is skipped) and `environ`.
absl::StatusOr<Config> Load(const ConfigSchema& schema, const char* const* environ, int argc,
                            const char* const* argv);

// The known name closest to `name` (edit distance), or "" when nothing is close.
std::string ClosestMatch(absl::string_view name, const std::vector<std::string>& known);

}  // namespace moot::config
