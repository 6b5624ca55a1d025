#include "libs/auth/principal.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace moot::auth {
namespace {

constexpr std::array<std::pair<Role, absl::string_view>, 8> kRoles = {{
    {Role::kPublic, "PUBLIC"},
    {Role::kMember, "MEMBER"},
    {Role::kOfficer, "OFFICER"},
    {Role::kFinanceOfficer, "FINANCE_OFFICER"},
    {Role::kPccOffice, "PCC_OFFICE"},
    {Role::kPartner, "PARTNER"},
    {Role::kOps, "OPS"},
    {Role::kTenantAdmin, "TENANT_ADMIN"},
}};

}  // namespace

absl::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoles) {
    if (r == role) {
      return name;
    }
  }
  return "UNKNOWN";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (const auto& [r, n] : kRoles) {
    if (n == name) {
      return r;
    }
  }
  return std::nullopt;
}

bool Principal::HasRole(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

Principal Principal::Anonymous() {
  Principal p;
  p.roles = {Role::kPublic};
  return p;
}

std::string Principal::DebugString() const {
  return absl::StrCat("tenant=", tenant, " subject=", subject,
                      " roles=", absl::StrJoin(roles, ",", [](std::string* out, Role r) {
                        absl::StrAppend(out, RoleName(r));
                      }));
}

}  // namespace moot::auth
