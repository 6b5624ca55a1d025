#include "libs/api/resource_name.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/status/errors.h"

namespace moot::api {

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id.back() == '-' || id.front() == '-') {
    return false;
  }
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (IsValidId(id)) {
    return absl::OkStatus();
  }
  return status::InvalidArgument(
      field, absl::StrCat("\"", id.substr(0, 80),
                          "\" is not a valid id (1-63 characters a-z, 0-9 and '-', not starting "
                          "or ending with '-')"));
}

absl::StatusOr<ResourceName> ResourceName::Parse(absl::string_view pattern, absl::string_view name,
                                                 absl::string_view field) {
  std::vector<absl::string_view> want = absl::StrSplit(pattern, '/');
  std::vector<absl::string_view> got = absl::StrSplit(name, '/');
  auto mismatch = [&]() {
    return status::InvalidArgument(
        field,
        absl::StrCat("\"", name.substr(0, 200), "\" is not a resource name of the form ", pattern));
  };
  if (name.empty()) {
    return status::InvalidArgument(field, absl::StrCat("is required (", pattern, ")"));
  }
  if (want.size() != got.size()) {
    return mismatch();
  }
  ResourceName out;
  out.full_ = std::string(name);
  for (size_t i = 0; i < want.size(); ++i) {
    absl::string_view w = want[i];
    if (w.size() >= 2 && w.front() == '{' && w.back() == '}') {
      if (!IsValidId(got[i])) {
        return mismatch();
      }
      out.vars_[std::string(w.substr(1, w.size() - 2))] = std::string(got[i]);
    } else if (w != got[i]) {
      return mismatch();
    }
  }
  return out;
}

const std::string& ResourceName::Get(absl::string_view variable) const {
  static const std::string* const kEmpty = new std::string();
  auto it = vars_.find(variable);
  return it == vars_.end() ? *kEmpty : it->second;
}

std::string FormatName(absl::string_view pattern, const std::vector<std::string>& values) {
  std::string out;
  size_t next = 0;
  bool first = true;
  for (absl::string_view part : absl::StrSplit(pattern, '/')) {
    if (!first) {
      out += '/';
    }
    first = false;
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}' && next < values.size()) {
      out += values[next++];
    } else {
      out.append(part.data(), part.size());
    }
  }
  return out;
}

std::string TenantOf(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, absl::MaxSplits('/', 2));
  if (parts.size() < 2 || parts[0] != "tenants" || !IsValidId(parts[1])) {
    return "";
  }
  return std::string(parts[1]);
}

}  // namespace moot::api
