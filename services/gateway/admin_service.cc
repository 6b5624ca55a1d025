#include "services/gateway/admin_service.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/auth/access.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "libs/status/macros.h"

namespace moot::gateway {
namespace {

using moot::auth::Principal;
using moot::auth::Role;

void SetTime(absl::Time t, google::protobuf::Timestamp* out) {
  int64_t micros = absl::ToUnixMicros(t);
  out->set_seconds(micros / 1000000);
  out->set_nanos(static_cast<int32_t>((micros % 1000000) * 1000));
}

void ToProto(const TenantRecord& record, moot::admin::v1::Tenant* out) {
  out->set_name(absl::StrCat("tenants/", record.id));
  out->set_display_name(record.display_name);
  out->set_rate_limit_per_second(static_cast<int32_t>(record.rate_limit_per_second));
  SetTime(record.create_time, out->mutable_create_time());
}

void ToProto(const ApiKeyRecord& record, moot::admin::v1::ApiKey* out) {
  out->set_name(absl::StrCat("tenants/", record.info.tenant, "/apiKeys/", record.info.id));
  out->set_display_name(record.info.description);
  for (Role role : record.info.roles) {
    out->add_roles(std::string(moot::auth::RoleName(role)));
  }
  out->set_rate_limit_per_second(static_cast<int32_t>(record.rate_limit_per_second));
  SetTime(record.info.create_time, out->mutable_create_time());
  if (record.revoke_time.has_value()) {
    SetTime(*record.revoke_time, out->mutable_revoke_time());
  }
}

bool ValidTenantId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id.front() == '-' || id.back() == '-') {
    return false;
  }
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

// "tenants/{t}" -> t.
absl::StatusOr<std::string> TenantOf(absl::string_view name, absl::string_view field) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != "tenants" || !ValidTenantId(parts[1])) {
    return moot::status::InvalidArgument(field, "must be tenants/{tenant}");
  }
  return std::string(parts[1]);
}

// Admin calls: OPS anywhere, TENANT_ADMIN in their own tenant.
absl::StatusOr<Principal> Authorize(const moot::auth::Authenticator& authenticator,
                                    grpc::ServerContext* ctx, absl::string_view resource,
                                    absl::string_view field) {
  MOOT_ASSIGN_OR_RETURN(Principal principal, authenticator.Authenticate(ctx->client_metadata()));
  MOOT_RETURN_IF_ERROR(moot::auth::RequireRole(principal, {Role::kOps, Role::kTenantAdmin}));
  if (!principal.HasRole(Role::kOps) && !resource.empty()) {
    MOOT_RETURN_IF_ERROR(
        moot::auth::CheckTenant(principal, resource, moot::auth::TenantScope::kOwnTenant, field));
  }
  return principal;
}

}  // namespace

grpc::Status TenantServiceImpl::CreateTenant(grpc::ServerContext* ctx,
                                             const moot::admin::v1::CreateTenantRequest* request,
                                             moot::admin::v1::Tenant* response) {
  absl::Status status = [&]() -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(Principal principal, authenticator_.Authenticate(ctx->client_metadata()));
    MOOT_RETURN_IF_ERROR(moot::auth::RequireRole(principal, {Role::kOps}));
    if (!ValidTenantId(request->tenant_id())) {
      return moot::status::InvalidArgument(
          "tenant_id", "lower-case letters, digits and hyphens, 1..63 characters");
    }
    if (request->tenant().display_name().empty()) {
      return moot::status::InvalidArgument("tenant.display_name", "is required");
    }
    if (request->tenant().rate_limit_per_second() < 0) {
      return moot::status::InvalidArgument("tenant.rate_limit_per_second", "must not be negative");
    }
    MOOT_ASSIGN_OR_RETURN(
        TenantRecord record,
        store_.CreateTenant(request->tenant_id(), request->tenant().display_name(),
                            request->tenant().rate_limit_per_second()));
    ToProto(record, response);
    return absl::OkStatus();
  }();
  return moot::status::ToGrpcStatus(status);
}

grpc::Status TenantServiceImpl::GetTenant(grpc::ServerContext* ctx,
                                          const moot::admin::v1::GetTenantRequest* request,
                                          moot::admin::v1::Tenant* response) {
  absl::Status status = [&]() -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(std::string tenant, TenantOf(request->name(), "name"));
    MOOT_RETURN_IF_ERROR(Authorize(authenticator_, ctx, request->name(), "name").status());
    MOOT_ASSIGN_OR_RETURN(TenantRecord record, store_.GetTenant(tenant));
    ToProto(record, response);
    return absl::OkStatus();
  }();
  return moot::status::ToGrpcStatus(status);
}

grpc::Status TenantServiceImpl::ListTenants(grpc::ServerContext* ctx,
                                            const moot::admin::v1::ListTenantsRequest* request,
                                            moot::admin::v1::ListTenantsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(Principal principal, Authorize(authenticator_, ctx, "", "parent"));
    if (!principal.HasRole(Role::kOps)) {
      absl::StatusOr<TenantRecord> own = store_.GetTenant(principal.tenant);
      if (own.ok()) {
        ToProto(*own, response->add_tenants());
      }
      return own.status().code() == absl::StatusCode::kNotFound ? absl::OkStatus() : own.status();
    }
    MOOT_ASSIGN_OR_RETURN(int page_size, moot::api::EffectivePageSize(request->page_size()));
    constexpr absl::string_view kBinding = "admin.ListTenants";
    MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(kBinding, request->page_token()));
    MOOT_ASSIGN_OR_RETURN(std::vector<TenantRecord> tenants,
                          store_.ListTenants(after, page_size + 1));
    bool more = static_cast<int>(tenants.size()) > page_size;
    if (more) {
      tenants.pop_back();
    }
    for (const TenantRecord& record : tenants) {
      ToProto(record, response->add_tenants());
    }
    if (more && !tenants.empty()) {
      response->set_next_page_token(page_tokens_.Issue(kBinding, tenants.back().id));
    }
    return absl::OkStatus();
  }();
  return moot::status::ToGrpcStatus(status);
}

grpc::Status ApiKeyServiceImpl::CreateApiKey(grpc::ServerContext* ctx,
                                             const moot::admin::v1::CreateApiKeyRequest* request,
                                             moot::admin::v1::ApiKey* response) {
  absl::Status status = [&]() -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(std::string tenant, TenantOf(request->parent(), "parent"));
    MOOT_RETURN_IF_ERROR(Authorize(authenticator_, ctx, request->parent(), "parent").status());
    MOOT_RETURN_IF_ERROR(store_.GetTenant(tenant).status());
    const moot::admin::v1::ApiKey& key = request->api_key();
    if (key.display_name().empty()) {
      return moot::status::InvalidArgument("api_key.display_name", "is required");
    }
    if (key.rate_limit_per_second() < 0) {
      return moot::status::InvalidArgument("api_key.rate_limit_per_second", "must not be negative");
    }
    std::vector<Role> roles;
    for (const std::string& name : key.roles()) {
      std::optional<Role> role = moot::auth::ParseRole(name);
      if (!role.has_value()) {
        return moot::status::InvalidArgument("api_key.roles", absl::StrCat("unknown role ", name));
      }
      if (*role == Role::kOps) {
        return moot::status::InvalidArgument("api_key.roles", "OPS cannot be granted to a key");
      }
      roles.push_back(*role);
    }
    MOOT_ASSIGN_OR_RETURN(moot::auth::IssuedApiKey issued,
                          store_.CreateKey(tenant, std::move(roles), key.display_name(),
                                           key.rate_limit_per_second()));
    ToProto(ApiKeyRecord{issued.info, key.rate_limit_per_second(), std::nullopt}, response);
    response->set_key(issued.key);
    return absl::OkStatus();
  }();
  return moot::status::ToGrpcStatus(status);
}

grpc::Status ApiKeyServiceImpl::ListApiKeys(grpc::ServerContext* ctx,
                                            const moot::admin::v1::ListApiKeysRequest* request,
                                            moot::admin::v1::ListApiKeysResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(std::string tenant, TenantOf(request->parent(), "parent"));
    MOOT_RETURN_IF_ERROR(Authorize(authenticator_, ctx, request->parent(), "parent").status());
    MOOT_ASSIGN_OR_RETURN(int page_size, moot::api::EffectivePageSize(request->page_size()));
    std::string binding = absl::StrCat("admin.ListApiKeys|", request->parent());
    MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request->page_token()));
    MOOT_ASSIGN_OR_RETURN(std::vector<ApiKeyRecord> keys,
                          store_.ListKeys(tenant, after, page_size + 1));
    bool more = static_cast<int>(keys.size()) > page_size;
    if (more) {
      keys.pop_back();
    }
    for (const ApiKeyRecord& record : keys) {
      ToProto(record, response->add_api_keys());
    }
    if (more && !keys.empty()) {
      response->set_next_page_token(page_tokens_.Issue(binding, keys.back().info.id));
    }
    return absl::OkStatus();
  }();
  return moot::status::ToGrpcStatus(status);
}

grpc::Status ApiKeyServiceImpl::RevokeApiKey(grpc::ServerContext* ctx,
                                             const moot::admin::v1::RevokeApiKeyRequest* request,
                                             moot::admin::v1::ApiKey* response) {
  absl::Status status = [&]() -> absl::Status {
    std::vector<std::string> parts = absl::StrSplit(request->name(), '/');
    if (parts.size() != 4 || parts[0] != "tenants" || parts[2] != "apiKeys" ||
        !ValidTenantId(parts[1]) || parts[3].empty()) {
      return moot::status::InvalidArgument("name", "must be tenants/{tenant}/apiKeys/{key}");
    }
    MOOT_RETURN_IF_ERROR(Authorize(authenticator_, ctx, request->name(), "name").status());
    MOOT_RETURN_IF_ERROR(store_.Revoke(parts[1], parts[3]));
    MOOT_ASSIGN_OR_RETURN(ApiKeyRecord record, store_.GetKey(parts[1], parts[3]));
    ToProto(record, response);
    return absl::OkStatus();
  }();
  return moot::status::ToGrpcStatus(status);
}

}  // namespace moot::gateway
