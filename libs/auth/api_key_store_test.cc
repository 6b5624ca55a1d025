#include "libs/auth/api_key_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/status/errors.h"

namespace moot::auth {
namespace {

std::string Reason(const absl::Status& s) { return moot::status::Details(s).reason; }

class ApiKeyStoreTest : public ::testing::Test {
 protected:
  moot::time::FakeClock clock_;
  InMemoryApiKeyStore store_{&clock_, "pepper-for-tests"};
};

TEST_F(ApiKeyStoreTest, RoundTripGivesThePrincipal) {
  absl::StatusOr<IssuedApiKey> issued =
      store_.Create("wm", {Role::kPartner, Role::kPartner}, "council website");
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_THAT(issued->key, ::testing::MatchesRegex("moot_[0-9a-f]{16}_[0-9a-f]{64}"));
  EXPECT_EQ(issued->key.substr(5, 16), issued->info.id);
  absl::StatusOr<Principal> p = store_.Verify(issued->key);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p, (Principal{"wm", "apikey:" + issued->info.id, {Role::kPartner}}));
}

TEST_F(ApiKeyStoreTest, StoresOnlyAHash) {
  absl::StatusOr<IssuedApiKey> issued = store_.Create("wm", {Role::kPartner}, "");
  ASSERT_TRUE(issued.ok());
  std::optional<ApiKeyParts> parts = ParseApiKey(issued->key);
  ASSERT_TRUE(parts.has_value());
  // The hash depends on the pepper and the id, and is not the secret.
  std::string h = HashApiKeySecret("pepper-for-tests", parts->id, parts->secret);
  EXPECT_EQ(h.size(), 32u);
  EXPECT_NE(h, HashApiKeySecret("other-pepper", parts->id, parts->secret));
  EXPECT_NE(h, HashApiKeySecret("pepper-for-tests", "0000000000000000", parts->secret));
  // A store with another pepper does not accept the key.
  InMemoryApiKeyStore other(&clock_, "other-pepper");
  EXPECT_FALSE(other.Verify(issued->key).ok());
}

struct BadKeyCase {
  std::string name;
  std::function<std::string(const std::string& good)> mutate;
  std::string reason;
};

class ApiKeyBadTest : public ApiKeyStoreTest, public ::testing::WithParamInterface<BadKeyCase> {};

TEST_P(ApiKeyBadTest, IsUnauthenticated) {
  absl::StatusOr<IssuedApiKey> issued = store_.Create("wm", {Role::kPartner}, "");
  ASSERT_TRUE(issued.ok());
  absl::StatusOr<Principal> p = store_.Verify(GetParam().mutate(issued->key));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Reason(p.status()), GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ApiKeyBadTest,
    ::testing::Values(
        BadKeyCase{"WrongSecret",
                   [](const std::string& k) {
                     std::string s = k;
                     s.back() = s.back() == '0' ? '1' : '0';
                     return s;
                   },
                   "API_KEY_INVALID"},
        BadKeyCase{"UnknownId",
                   [](const std::string& k) {
                     std::string s = k;
                     s[5] = s[5] == 'a' ? 'b' : 'a';
                     return s;
                   },
                   "API_KEY_INVALID"},
        BadKeyCase{"Truncated", [](const std::string& k) { return k.substr(0, k.size() - 1); },
                   "API_KEY_MALFORMED"},
        BadKeyCase{"UpperCase",
                   [](const std::string& k) {
                     std::string s = k;
                     for (char& c : s) c = static_cast<char>(std::toupper(c));
                     return s;
                   },
                   "API_KEY_MALFORMED"},
        BadKeyCase{"Empty", [](const std::string&) { return std::string(); }, "API_KEY_MALFORMED"},
        BadKeyCase{"WrongPrefix", [](const std::string& k) { return "toot" + k.substr(4); },
                   "API_KEY_MALFORMED"}),
    [](const auto& info) { return info.param.name; });

TEST_F(ApiKeyStoreTest, RevokedKeyIsRefused) {
  absl::StatusOr<IssuedApiKey> issued = store_.Create("wm", {Role::kPartner}, "");
  ASSERT_TRUE(issued.ok());
  // Another tenant cannot revoke it, and cannot tell it exists.
  EXPECT_EQ(store_.Revoke("ny", issued->info.id).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_.Verify(issued->key).ok());
  ASSERT_TRUE(store_.Revoke("wm", issued->info.id).ok());
  ASSERT_TRUE(store_.Revoke("wm", issued->info.id).ok());  // Idempotent.
  EXPECT_EQ(Reason(store_.Verify(issued->key).status()), "API_KEY_REVOKED");
  EXPECT_EQ(store_.Revoke("wm", "ffffffffffffffff").code(), absl::StatusCode::kNotFound);
}

TEST_F(ApiKeyStoreTest, ListIsPerTenantOldestFirstAndHasNoSecrets) {
  auto a = store_.Create("wm", {Role::kPartner}, "a");
  clock_.Advance(absl::Seconds(1));
  auto b = store_.Create("wm", {Role::kOps}, "b");
  auto c = store_.Create("ny", {Role::kPartner}, "c");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  absl::StatusOr<std::vector<ApiKeyInfo>> list = store_.List("wm");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].description, "a");
  EXPECT_EQ((*list)[1].description, "b");
  EXPECT_EQ((*list)[1].create_time, a->info.create_time + absl::Seconds(1));
}

TEST_F(ApiKeyStoreTest, CreateValidates) {
  EXPECT_EQ(store_.Create("", {Role::kPartner}, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_.Create("wm", {Role::kPublic}, "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace moot::auth
