#include "libs/auth/access.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/api/resource_name.h"
#include "libs/status/errors.h"

namespace moot::auth {

absl::Status CheckTenant(const Principal& principal, absl::string_view resource_name,
                         TenantScope scope, absl::string_view field) {
  std::string tenant = moot::api::TenantOf(resource_name);
  if (tenant.empty()) {
    return moot::status::InvalidArgument(field, "must start with tenants/{tenant}");
  }
  if (principal.IsAnonymous()) {
    if (scope == TenantScope::kPublicRead) {
      return absl::OkStatus();
    }
    return moot::status::Unauthenticated(kCredentialsRequired, "this method needs credentials");
  }
  if (!principal.tenant.empty() && principal.tenant == tenant) {
    return absl::OkStatus();
  }
  if (scope == TenantScope::kOpsRead && principal.HasRole(Role::kOps)) {
    return absl::OkStatus();
  }
  return moot::status::PermissionDenied(kTenantMismatch,
                                        absl::StrCat("the caller may not access tenant ", tenant));
}

absl::Status RequireRole(const Principal& principal, const std::vector<Role>& allowed) {
  for (Role r : allowed) {
    if (r == Role::kPublic || principal.HasRole(r)) {
      return absl::OkStatus();
    }
  }
  if (principal.IsAnonymous()) {
    return moot::status::Unauthenticated(kCredentialsRequired, "this method needs credentials");
  }
  return moot::status::PermissionDenied(
      kRoleNotAllowed, absl::StrCat("this method needs one of the roles ",
                                    absl::StrJoin(allowed, ", ", [](std::string* out, Role r) {
                                      absl::StrAppend(out, RoleName(r));
                                    })));
}

absl::Status RequireRole(const Principal& principal, std::initializer_list<Role> allowed) {
  return RequireRole(principal, std::vector<Role>(allowed));
}

}  // namespace moot::auth
