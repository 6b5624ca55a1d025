// Tenants and API keys through the gateway's HTTP/JSON edge, stored in SQLite; an API key then
// reaches a backend as a bearer token for the same principal.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include "libs/api/page_token.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/rpc/server_runner.h"
#include "libs/sql/database.h"
#include "libs/testing/test_database.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "services/gateway/admin_service.h"
#include "services/gateway/admin_store.h"
#include "services/gateway/gateway.h"

namespace moot::gateway {
namespace {

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";

// Answers GetBody with the tenant and subject of the bearer token it received.
class WhoAmIBodies final : public moot::scheduling::v1::BodyService::Service {
 public:
  explicit WhoAmIBodies(const moot::auth::Authenticator& auth) : auth_(auth) {}
  grpc::Status GetBody(grpc::ServerContext* ctx, const moot::scheduling::v1::GetBodyRequest*,
                       moot::scheduling::v1::Body* body) override {
    auto principal = auth_.Authenticate(ctx->client_metadata());
    if (!principal.ok()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          std::string(principal.status().message()));
    }
    body->set_name(principal->tenant);
    body->set_display_name(principal->subject);
    return grpc::Status::OK;
  }

 private:
  const moot::auth::Authenticator& auth_;
};

TEST(AdminTest, TenantsAndApiKeysEndToEnd) {
  auto db = moot::testing::OpenTestDatabase();
  ASSERT_TRUE(db.ok()) << db.status();
  SqlAdminStore store(**db, moot::time::Clock::Real(), "pepper");
  ASSERT_TRUE(store.Migrate().ok());
  auto verifier =
      moot::auth::JwtVerifier::Create({.algorithms = {"HS256"}, .hs256_secret = kSecret});
  ASSERT_TRUE(verifier.ok());
  moot::auth::Authenticator authenticator(verifier->get(), &store);
  moot::auth::Authenticator backend_auth(verifier->get(), nullptr);  // Bearer tokens only.
  auto signer = moot::auth::JwtSigner::Hs256(kSecret);
  ASSERT_TRUE(signer.ok());

  WhoAmIBodies bodies(backend_auth);
  moot::rpc::ServerRunner backend({.service_name = "scheduling"});
  backend.AddService(&bodies);
  ASSERT_TRUE(backend.Start().ok());

  moot::api::PageTokens page_tokens("page-secret");
  TenantServiceImpl tenants(store, authenticator, page_tokens);
  ApiKeyServiceImpl api_keys(store, authenticator, page_tokens);
  GatewayOptions options;
  options.backend_addresses = {{"scheduling", "127.0.0.1:" + std::to_string(backend.port())}};
  options.proxy.token_signer = signer->get();
  options.shutdown_grace = absl::Seconds(1);
  Gateway gateway(options, GatewayDeps{.authenticator = &authenticator,
                                       .rate_overrides = &store,
                                       .admin_services = {&tenants, &api_keys}});
  ASSERT_TRUE(gateway.Start().ok());
  httplib::Client http("127.0.0.1", gateway.http_port());

  auto token = [&](std::string tenant, moot::auth::Role role) {
    moot::auth::TokenSpec spec;
    spec.principal = {tenant, "user:admin", {role}};
    spec.issued_at = absl::Now();
    return "Bearer " + *(*signer)->SignToken(spec);
  };
  httplib::Headers ops{{"Authorization", token("", moot::auth::Role::kOps)}};
  httplib::Headers admin{{"Authorization", token("wm", moot::auth::Role::kTenantAdmin)}};

  auto created = http.Post("/moot.admin.v1.TenantService/CreateTenant", ops,
                           R"({"tenantId":"wm","tenant":{"displayName":"West Midlands"}})",
                           "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 200) << created->body;
  EXPECT_EQ(nlohmann::json::parse(created->body)["name"], "tenants/wm");
  auto again = http.Post("/moot.admin.v1.TenantService/CreateTenant", ops,
                         R"({"tenantId":"wm","tenant":{"displayName":"West Midlands"}})",
                         "application/json");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409);
  // A tenant admin may not create tenants, nor see another tenant.
  auto not_ops = http.Post("/moot.admin.v1.TenantService/CreateTenant", admin,
                           R"({"tenantId":"x","tenant":{"displayName":"X"}})", "application/json");
  ASSERT_TRUE(not_ops);
  EXPECT_EQ(not_ops->status, 403);
  auto other = http.Post("/moot.admin.v1.TenantService/GetTenant", admin,
                         R"({"name":"tenants/other"})", "application/json");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 403);

  auto key = http.Post("/moot.admin.v1.ApiKeyService/CreateApiKey", admin,
                       R"({"parent":"tenants/wm","apiKey":{"displayName":"OPCC feed",
                           "roles":["PARTNER"]}})",
                       "application/json");
  ASSERT_TRUE(key);
  ASSERT_EQ(key->status, 200) << key->body;
  nlohmann::json issued = nlohmann::json::parse(key->body);
  std::string secret = issued["key"];
  EXPECT_THAT(secret, ::testing::StartsWith("moot_"));

  auto listed = http.Post("/moot.admin.v1.ApiKeyService/ListApiKeys", admin,
                          R"({"parent":"tenants/wm"})", "application/json");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200);
  nlohmann::json list = nlohmann::json::parse(listed->body);
  ASSERT_EQ(list["apiKeys"].size(), 1u);
  EXPECT_FALSE(list["apiKeys"][0].contains("key"));  // Never the secret again.

  // The key works through the gateway; the backend sees a bearer token of the same principal.
  httplib::Headers with_key{{"x-api-key", secret}};
  auto body = http.Post("/moot.scheduling.v1.BodyService/GetBody", with_key,
                        R"({"name":"tenants/wm/bodies/b"})", "application/json");
  ASSERT_TRUE(body);
  ASSERT_EQ(body->status, 200) << body->body;
  nlohmann::json who = nlohmann::json::parse(body->body);
  EXPECT_EQ(who["name"], "wm");
  EXPECT_EQ(who["displayName"], "apikey:" + secret.substr(5, 16));

  auto revoked = http.Post("/moot.admin.v1.ApiKeyService/RevokeApiKey", admin,
                           nlohmann::json{{"name", issued["name"]}}.dump(), "application/json");
  ASSERT_TRUE(revoked);
  ASSERT_EQ(revoked->status, 200) << revoked->body;
  auto after = http.Post("/moot.scheduling.v1.BodyService/GetBody", with_key,
                         R"({"name":"tenants/wm/bodies/b"})", "application/json");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401);
  EXPECT_THAT(after->body, ::testing::HasSubstr("API_KEY_REVOKED"));

  gateway.Shutdown();
  backend.Shutdown();
}

}  // namespace
}  // namespace moot::gateway
