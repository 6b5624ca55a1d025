#include "libs/auth/auth_config.h"

#include <fstream>

#include <gtest/gtest.h>

#include "libs/auth/crypto.h"
#include "libs/auth/jwt_signer.h"
#include "libs/testing/test_util.h"

namespace moot::auth {
namespace {

TEST(AuthConfigTest, VerifierFromCommonConfigReadsKeyFiles) {
  moot::testing::TempDir dir;
  KeyPairPem pair = *GenerateKeyPair(KeyType::kEcP256);
  std::string path = dir.path() + "/e1.pem";
  std::ofstream(path) << pair.public_key_pem;

  moot::config::ConfigSchema schema;
  moot::config::AddCommonKeys(schema, {.service_name = "x", .database_url = "sqlite::memory:"});
  absl::StatusOr<moot::config::Config> config = moot::config::Load(
      schema, moot::config::Environment{{"MOOT_JWT_PUBLIC_KEYS", "e1=" + path}}, {});
  ASSERT_TRUE(config.ok()) << config.status();
  moot::time::FakeClock clock;
  absl::StatusOr<std::unique_ptr<JwtVerifier>> verifier =
      JwtVerifierFromConfig(moot::config::ReadCommonConfig(*config), &clock);
  ASSERT_TRUE(verifier.ok()) << verifier.status();

  auto signer = JwtSigner::FromPrivateKeyPem(pair.private_key_pem, "e1");
  ASSERT_TRUE(signer.ok());
  std::string token = *(*signer)->SignToken(
      {Principal{"wm", "user:x", {Role::kMember}}, "moot", "moot", clock.Now()});
  absl::StatusOr<Principal> p = (*verifier)->Verify(token);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->tenant, "wm");
}

TEST(AuthConfigTest, MissingKeyFileIsAnError) {
  moot::config::CommonConfig c;
  c.jwt_algorithms = {"RS256"};
  c.jwt_public_key_files = {{"k1", "/nonexistent/k1.pem"}};
  absl::StatusOr<JwtVerifierOptions> o = JwtOptionsFromConfig(c, nullptr);
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.status().message().find("kid k1"), absl::string_view::npos);
}

}  // namespace
}  // namespace moot::auth
