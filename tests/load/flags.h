// A tiny command-line parser: --name=value (repeatable), --name for true; nothing else.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace moot::load {

class Flags {
 public:
  // Parses argv[1..]; INVALID_ARGUMENT for a positional argument or a name not in `known`.
  static absl::StatusOr<Flags> Parse(int argc, const char* const* argv,
                                     const std::set<std::string>& known);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  // The last value given, or `fallback`.
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  // Every value given, in order.
  std::vector<std::string> GetAll(const std::string& name) const;
  absl::StatusOr<int64_t> GetInt(const std::string& name, int64_t fallback) const;
  absl::StatusOr<double> GetDouble(const std::string& name, double fallback) const;
  // "20s", "500ms", "1m" (absl::ParseDuration); a bare number is seconds.
  absl::StatusOr<absl::Duration> GetDuration(const std::string& name,
                                             absl::Duration fallback) const;

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

}  // namespace moot::load
