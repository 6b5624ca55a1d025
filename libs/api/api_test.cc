#include <gtest/gtest.h>

#include "libs/api/page_token.h"
#include "libs/api/resource_name.h"
#include "libs/status/errors.h"

namespace moot::api {
namespace {

TEST(ResourceNameTest, ParsesVariables) {
  auto name = ResourceName::Parse("tenants/{tenant}/bodies/{body}/meetings/{meeting}",
                                  "tenants/west-midlands/bodies/pcp/meetings/2023-11-13", "name");
  ASSERT_TRUE(name.ok()) << name.status();
  EXPECT_EQ(name->tenant(), "west-midlands");
  EXPECT_EQ(name->Get("body"), "pcp");
  EXPECT_EQ(name->Get("meeting"), "2023-11-13");
  EXPECT_EQ(name->Get("nope"), "");
}

TEST(ResourceNameTest, RejectsMismatchesNamingTheField) {
  const char* bad[] = {"",
                       "tenants/wm",
                       "tenants/wm/bodies",
                       "tenants/wm/boards/pcp",
                       "tenants/WM/bodies/pcp",
                       "tenants/wm/bodies/pcp/extra",
                       "tenants//bodies/pcp",
                       "tenants/wm/bodies/-x"};
  for (const char* n : bad) {
    auto name = ResourceName::Parse("tenants/{tenant}/bodies/{body}", n, "parent");
    ASSERT_FALSE(name.ok()) << n;
    EXPECT_EQ(name.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(status::Details(name.status()).field_violations.at(0).field, "parent");
  }
}

TEST(ResourceNameTest, FormatsAndFindsTenant) {
  EXPECT_EQ(FormatName("tenants/{tenant}/bodies/{body}", {"wm", "pcp"}), "tenants/wm/bodies/pcp");
  EXPECT_EQ(TenantOf("tenants/wm/bodies/pcp"), "wm");
  EXPECT_EQ(TenantOf("tenants/wm"), "wm");
  EXPECT_EQ(TenantOf("bodies/pcp"), "");
  EXPECT_EQ(TenantOf("tenants/Bad!/x"), "");
}

TEST(ResourceNameTest, ValidIds) {
  EXPECT_TRUE(IsValidId("pcp"));
  EXPECT_TRUE(IsValidId("2023-11-13"));
  EXPECT_FALSE(IsValidId("a_b"));
  EXPECT_FALSE(IsValidId(std::string(64, 'a')));
  EXPECT_FALSE(IsValidId("trailing-"));
}

TEST(PageSizeTest, DefaultsAndCaps) {
  EXPECT_EQ(*EffectivePageSize(0), kDefaultPageSize);
  EXPECT_EQ(*EffectivePageSize(7), 7);
  EXPECT_EQ(*EffectivePageSize(kMaxPageSize), kMaxPageSize);
  auto over = EffectivePageSize(kMaxPageSize + 1);
  EXPECT_EQ(over.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status::Details(over.status()).field_violations.at(0).field, "page_size");
  EXPECT_FALSE(EffectivePageSize(-1).ok());
}

TEST(PageTokensTest, RoundTripsAndRejectsForgeryAndReuse) {
  PageTokens tokens("secret");
  std::string token = tokens.Issue("list|tenants/wm", "key-42");
  EXPECT_EQ(*tokens.Check("list|tenants/wm", token), "key-42");
  EXPECT_EQ(*tokens.Check("list|tenants/wm", ""), "");
  EXPECT_FALSE(tokens.Check("list|tenants/other", token).ok());
  EXPECT_FALSE(tokens.Check("list|tenants/wm", "garbage!!").ok());
  EXPECT_FALSE(PageTokens("other-secret").Check("list|tenants/wm", token).ok());
  std::string tampered = token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(tokens.Check("list|tenants/wm", tampered).ok());
}

}  // namespace
}  // namespace moot::api
