// AIP-122 resource names: parsing against a pattern, and id validation (every name starts with
// the tenant, `tenants/{tenant}/...`).
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace moot::api {

// A parsed resource name: the variable segments by name, e.g. {"tenant": "wm", "body": "pcp"}.
class ResourceName {
 public:
  // Parses `name` against `pattern`, e.g. "tenants/{tenant}/bodies/{body}". Each variable must
  // be a valid id (IsValidId). INVALID_ARGUMENT naming `field` when it does not match.
  static absl::StatusOr<ResourceName> Parse(absl::string_view pattern, absl::string_view name,
                                            absl::string_view field);

  // The value of a variable; empty if the pattern has none of that name.
  const std::string& Get(absl::string_view variable) const;
  const std::string& tenant() const { return Get("tenant"); }
  const std::string& full() const { return full_; }

 private:
  std::string full_;
  absl::flat_hash_map<std::string, std::string> vars_;
};

// Fills `pattern`'s variables in order: Format("tenants/{tenant}/bodies/{body}", {"wm", "pcp"}).
std::string FormatName(absl::string_view pattern, const std::vector<std::string>& values);

// An id segment: 1..63 characters of a-z, 0-9 and '-', starting with a letter or digit and not
// ending with '-' (AIP-122 allows digits first so that dates such as "2023-11-13" are ids).
bool IsValidId(absl::string_view id);

// INVALID_ARGUMENT naming `field` unless IsValidId(id).
absl::Status ValidateId(absl::string_view field, absl::string_view id);

// The tenant of any Moot resource name ("tenants/{t}/..."), or an empty string if the name does
// not start with a valid "tenants/{t}".
std::string TenantOf(absl::string_view name);

}  // namespace moot::api
