// Who is calling: the tenant, the subject and the roles every access check is made against.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace moot::auth {

// The roles of design.md §5. PUBLIC is the anonymous caller.
enum class Role {
  kPublic,
  kMember,
  kOfficer,
  kFinanceOfficer,
  kPccOffice,
  kPartner,
  kOps,
  kTenantAdmin,
};

// "PUBLIC", "MEMBER", "OFFICER", "FINANCE_OFFICER", "PCC_OFFICE", "PARTNER", "OPS",
// "TENANT_ADMIN".
absl::string_view RoleName(Role role);

// The role with that name (exact, upper case), or nullopt.
std::optional<Role> ParseRole(absl::string_view name);

// An authenticated (or anonymous) caller.
struct Principal {
  std::string tenant;       // Tenant id; empty for anonymous callers (and cross-tenant ops).
  std::string subject;      // "user:..." from a token's sub, or "apikey:<id>"; empty if anonymous.
  std::vector<Role> roles;  // Never contains duplicates.

  bool HasRole(Role role) const;
  // True for the caller that sent no credentials.
  bool IsAnonymous() const { return subject.empty(); }

  // The anonymous caller: no tenant, no subject, role PUBLIC.
  static Principal Anonymous();

  // "tenant=<t> subject=<s> roles=A,B" for logs (holds no secrets).
  std::string DebugString() const;

  friend bool operator==(const Principal&, const Principal&) = default;
};

}  // namespace moot::auth
