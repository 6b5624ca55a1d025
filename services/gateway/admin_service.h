// moot.admin.v1 TenantService and ApiKeyService, served inside the gateway (it owns tenants and
// API keys). TENANT_ADMIN (own tenant) and OPS only.
#pragma once

#include "libs/api/page_token.h"
#include "libs/auth/authenticator.h"
#include "moot/admin/v1/admin.grpc.pb.h"
#include "services/gateway/admin_store.h"

namespace moot::gateway {

class TenantServiceImpl final : public moot::admin::v1::TenantService::Service {
 public:
  // Not owned; must outlive the service.
  TenantServiceImpl(SqlAdminStore& store, const moot::auth::Authenticator& authenticator,
                    const moot::api::PageTokens& page_tokens)
      : store_(store), authenticator_(authenticator), page_tokens_(page_tokens) {}

  // OPS only.
  grpc::Status CreateTenant(grpc::ServerContext* ctx,
                            const moot::admin::v1::CreateTenantRequest* request,
                            moot::admin::v1::Tenant* response) override;
  // OPS, or TENANT_ADMIN of that tenant.
  grpc::Status GetTenant(grpc::ServerContext* ctx, const moot::admin::v1::GetTenantRequest* request,
                         moot::admin::v1::Tenant* response) override;
  // OPS: every tenant; TENANT_ADMIN: their own.
  grpc::Status ListTenants(grpc::ServerContext* ctx,
                           const moot::admin::v1::ListTenantsRequest* request,
                           moot::admin::v1::ListTenantsResponse* response) override;

 private:
  SqlAdminStore& store_;
  const moot::auth::Authenticator& authenticator_;
  const moot::api::PageTokens& page_tokens_;
};

// TENANT_ADMIN of the key's tenant, or OPS.
class ApiKeyServiceImpl final : public moot::admin::v1::ApiKeyService::Service {
 public:
  ApiKeyServiceImpl(SqlAdminStore& store, const moot::auth::Authenticator& authenticator,
                    const moot::api::PageTokens& page_tokens)
      : store_(store), authenticator_(authenticator), page_tokens_(page_tokens) {}

  grpc::Status CreateApiKey(grpc::ServerContext* ctx,
                            const moot::admin::v1::CreateApiKeyRequest* request,
                            moot::admin::v1::ApiKey* response) override;
  grpc::Status ListApiKeys(grpc::ServerContext* ctx,
                           const moot::admin::v1::ListApiKeysRequest* request,
                           moot::admin::v1::ListApiKeysResponse* response) override;
  grpc::Status RevokeApiKey(grpc::ServerContext* ctx,
                            const moot::admin::v1::RevokeApiKeyRequest* request,
                            moot::admin::v1::ApiKey* response) override;

 private:
  SqlAdminStore& store_;
  const moot::auth::Authenticator& authenticator_;
  const moot::api::PageTokens& page_tokens_;
};

}  // namespace moot::gateway
