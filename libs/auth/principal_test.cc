#include "libs/auth/principal.h"

#include <gtest/gtest.h>

namespace moot::auth {
namespace {

TEST(RoleTest, NamesRoundTrip) {
  for (Role r : {Role::kPublic, Role::kMember, Role::kOfficer, Role::kFinanceOfficer,
                 Role::kPccOffice, Role::kPartner, Role::kOps, Role::kTenantAdmin}) {
    std::optional<Role> parsed = ParseRole(RoleName(r));
    ASSERT_TRUE(parsed.has_value()) << RoleName(r);
    EXPECT_EQ(*parsed, r);
  }
  EXPECT_EQ(RoleName(Role::kFinanceOfficer), "FINANCE_OFFICER");
  EXPECT_FALSE(ParseRole("officer").has_value());
  EXPECT_FALSE(ParseRole("ROOT").has_value());
  EXPECT_FALSE(ParseRole("").has_value());
}

TEST(PrincipalTest, AnonymousIsPublicWithoutTenant) {
  Principal p = Principal::Anonymous();
  EXPECT_TRUE(p.IsAnonymous());
  EXPECT_TRUE(p.HasRole(Role::kPublic));
  EXPECT_FALSE(p.HasRole(Role::kMember));
  EXPECT_EQ(p.tenant, "");
}

TEST(PrincipalTest, HasRoleAndDebugString) {
  Principal p{"wm", "user:alice", {Role::kOfficer, Role::kMember}};
  EXPECT_FALSE(p.IsAnonymous());
  EXPECT_TRUE(p.HasRole(Role::kOfficer));
  EXPECT_FALSE(p.HasRole(Role::kOps));
  EXPECT_EQ(p.DebugString(), "tenant=wm subject=user:alice roles=OFFICER,MEMBER");
}

}  // namespace
}  // namespace moot::auth
