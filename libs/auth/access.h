// Access checks every handler makes before any lookup: the caller's tenant against the resource
// name's, and the caller's roles against the method's.
//
// Roles do not imply one another: a method lists every role it admits (TENANT_ADMIN does not
// silently include OFFICER). OPS is the platform operators' role: it is cross-tenant, but only
// for read-only operational methods (health of a tenant's deliveries, traces, outbox depth),
// which opt in with TenantScope::kOpsRead; OPS never writes tenant data and never reads exempt
// or confidential content through these helpers.
#pragma once

#include <initializer_list>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "libs/auth/principal.h"

namespace moot::auth {

// ErrorInfo reasons.
inline constexpr absl::string_view kTenantMismatch = "TENANT_MISMATCH";
inline constexpr absl::string_view kRoleNotAllowed = "ROLE_NOT_ALLOWED";
inline constexpr absl::string_view kCredentialsRequired = "CREDENTIALS_REQUIRED";

// Who may name a tenant's resources.
enum class TenantScope {
  // Only principals of that tenant; anonymous callers get UNAUTHENTICATED.
  kOwnTenant,
  // Also anonymous callers: the method serves published public records only and must filter
  // accordingly. An authenticated principal of another tenant is still denied.
  kPublicRead,
  // Also OPS principals of any tenant (read-only operational methods only).
  kOpsRead,
};

// Checks `resource_name` ("tenants/{t}/..." or "tenants/{t}") against the principal's tenant.
// INVALID_ARGUMENT (field `field`) when the name does not start with a valid tenant segment;
// PERMISSION_DENIED reason TENANT_MISMATCH when the tenants differ; UNAUTHENTICATED reason
// CREDENTIALS_REQUIRED for an anonymous caller under kOwnTenant. Call it before any lookup, so a
// denied caller cannot tell whether the resource exists.
absl::Status CheckTenant(const Principal& principal, absl::string_view resource_name,
                         TenantScope scope = TenantScope::kOwnTenant,
                         absl::string_view field = "name");

// OK when the principal holds one of `allowed` (a list holding PUBLIC admits everyone).
// Otherwise UNAUTHENTICATED reason CREDENTIALS_REQUIRED for an anonymous caller, else
// PERMISSION_DENIED reason ROLE_NOT_ALLOWED.
absl::Status RequireRole(const Principal& principal, std::initializer_list<Role> allowed);
absl::Status RequireRole(const Principal& principal, const std::vector<Role>& allowed);

}  // namespace moot::auth
