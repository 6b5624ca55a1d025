#include "libs/auth/access.h"

#include <gtest/gtest.h>

#include "libs/status/errors.h"

namespace moot::auth {
namespace {

const Principal kWmOfficer{"wm", "user:o", {Role::kOfficer}};
const Principal kWmMember{"wm", "user:m", {Role::kMember}};
const Principal kNyOps{"ny", "user:ops", {Role::kOps}};
const Principal kAnon = Principal::Anonymous();

struct TenantCase {
  std::string name;
  Principal principal;
  std::string resource;
  TenantScope scope;
  absl::StatusCode code;
  std::string reason;
};

class CheckTenantTest : public ::testing::TestWithParam<TenantCase> {};

TEST_P(CheckTenantTest, Decides) {
  const TenantCase& c = GetParam();
  absl::Status s = CheckTenant(c.principal, c.resource, c.scope);
  EXPECT_EQ(s.code(), c.code) << s;
  EXPECT_EQ(moot::status::Details(s).reason, c.reason);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CheckTenantTest,
    ::testing::Values(
        TenantCase{"SameTenant", kWmOfficer, "tenants/wm/bodies/pcp", TenantScope::kOwnTenant,
                   absl::StatusCode::kOk, ""},
        TenantCase{"TenantItself", kWmOfficer, "tenants/wm", TenantScope::kOwnTenant,
                   absl::StatusCode::kOk, ""},
        TenantCase{"OtherTenant", kWmOfficer, "tenants/ny/bodies/pcp", TenantScope::kOwnTenant,
                   absl::StatusCode::kPermissionDenied, "TENANT_MISMATCH"},
        TenantCase{"PrefixIsNotTheTenant", kWmOfficer, "tenants/wmx/bodies/pcp",
                   TenantScope::kOwnTenant, absl::StatusCode::kPermissionDenied, "TENANT_MISMATCH"},
        TenantCase{"Malformed", kWmOfficer, "bodies/pcp", TenantScope::kOwnTenant,
                   absl::StatusCode::kInvalidArgument, "INVALID_ARGUMENT"},
        TenantCase{"EmptyTenant", kWmOfficer, "tenants//bodies", TenantScope::kOwnTenant,
                   absl::StatusCode::kInvalidArgument, "INVALID_ARGUMENT"},
        TenantCase{"BadTenantChars", kWmOfficer, "tenants/W M/x", TenantScope::kOwnTenant,
                   absl::StatusCode::kInvalidArgument, "INVALID_ARGUMENT"},
        TenantCase{"AnonymousNeedsCredentials", kAnon, "tenants/wm/bodies/pcp",
                   TenantScope::kOwnTenant, absl::StatusCode::kUnauthenticated,
                   "CREDENTIALS_REQUIRED"},
        TenantCase{"AnonymousPublicRead", kAnon, "tenants/wm/meetings/m1", TenantScope::kPublicRead,
                   absl::StatusCode::kOk, ""},
        TenantCase{"OtherTenantEvenOnPublicRead", kWmMember, "tenants/ny/meetings/m1",
                   TenantScope::kPublicRead, absl::StatusCode::kPermissionDenied,
                   "TENANT_MISMATCH"},
        TenantCase{"OpsCrossTenantOnlyForOpsRead", kNyOps, "tenants/wm/deliveries/d",
                   TenantScope::kOpsRead, absl::StatusCode::kOk, ""},
        TenantCase{"OpsNotCrossTenantOtherwise", kNyOps, "tenants/wm/deliveries/d",
                   TenantScope::kOwnTenant, absl::StatusCode::kPermissionDenied, "TENANT_MISMATCH"},
        TenantCase{"OpsReadDoesNotAdmitOthers", kWmOfficer, "tenants/ny/deliveries/d",
                   TenantScope::kOpsRead, absl::StatusCode::kPermissionDenied, "TENANT_MISMATCH"}),
    [](const auto& info) { return info.param.name; });

struct RoleCase {
  std::string name;
  Principal principal;
  std::vector<Role> allowed;
  absl::StatusCode code;
  std::string reason;
};

class RequireRoleTest : public ::testing::TestWithParam<RoleCase> {};

TEST_P(RequireRoleTest, Decides) {
  const RoleCase& c = GetParam();
  absl::Status s = RequireRole(c.principal, c.allowed);
  EXPECT_EQ(s.code(), c.code) << s;
  EXPECT_EQ(moot::status::Details(s).reason, c.reason);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RequireRoleTest,
    ::testing::Values(
        RoleCase{"HasRole", kWmOfficer, {Role::kOfficer}, absl::StatusCode::kOk, ""},
        RoleCase{
            "OneOfSeveral", kWmMember, {Role::kOfficer, Role::kMember}, absl::StatusCode::kOk, ""},
        RoleCase{"MemberCallingOfficerOnly",
                 kWmMember,
                 {Role::kOfficer},
                 absl::StatusCode::kPermissionDenied,
                 "ROLE_NOT_ALLOWED"},
        RoleCase{"NoImpliedRoles",
                 Principal{"wm", "u", {Role::kTenantAdmin}},
                 {Role::kOfficer},
                 absl::StatusCode::kPermissionDenied,
                 "ROLE_NOT_ALLOWED"},
        RoleCase{"AnonymousOnNonPublic",
                 kAnon,
                 {Role::kOfficer},
                 absl::StatusCode::kUnauthenticated,
                 "CREDENTIALS_REQUIRED"},
        RoleCase{"AnonymousOnPublic", kAnon, {Role::kPublic}, absl::StatusCode::kOk, ""},
        RoleCase{"EmptyListDeniesEveryone",
                 kWmOfficer,
                 {},
                 absl::StatusCode::kPermissionDenied,
                 "ROLE_NOT_ALLOWED"}),
    [](const auto& info) { return info.param.name; });

TEST(RequireRoleTest, InitializerListForm) {
  EXPECT_TRUE(RequireRole(kWmOfficer, {Role::kMember, Role::kOfficer}).ok());
  EXPECT_EQ(RequireRole(kWmOfficer, {Role::kFinanceOfficer}).message(),
            "this method needs one of the roles FINANCE_OFFICER");
}

}  // namespace
}  // namespace moot::auth
