#include "services/gateway/call_policy.h"

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/access.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/gateway/json_transcoder.h"

namespace moot::gateway {
namespace {

using google::protobuf::FieldDescriptor;

bool IsNameField(const FieldDescriptor* field) {
  return field->type() == FieldDescriptor::TYPE_STRING && !field->is_repeated() &&
         (field->name() == "name" || field->name() == "parent");
}

void CollectNames(const google::protobuf::Message& message, const std::string& prefix,
                  const google::protobuf::Descriptor* root,
                  std::vector<std::pair<std::string, std::string>>* out) {
  const google::protobuf::Descriptor* type = message.GetDescriptor();
  const google::protobuf::Reflection* reflection = message.GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (IsNameField(field)) {
      std::string value = reflection->GetString(message, field);
      if (!value.empty()) {
        out->emplace_back(prefix + field->name(), std::move(value));
      }
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE && !field->is_repeated() &&
               field->message_type()->containing_type() == root &&
               reflection->HasField(message, field)) {
      CollectNames(reflection->GetMessage(message, field), prefix + field->name() + ".", root, out);
    }
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> RequestResourceNames(
    const google::protobuf::Message& request) {
  std::vector<std::pair<std::string, std::string>> names;
  CollectNames(request, "", request.GetDescriptor(), &names);
  return names;
}

absl::Status CheckRequestTenant(const moot::auth::Principal& principal,
                                const google::protobuf::Message& request) {
  if (principal.IsAnonymous() || principal.tenant.empty()) {
    return absl::OkStatus();
  }
  for (const auto& [field, value] : RequestResourceNames(request)) {
    MOOT_RETURN_IF_ERROR(
        moot::auth::CheckTenant(principal, value, moot::auth::TenantScope::kOwnTenant, field));
  }
  return absl::OkStatus();
}

absl::StatusOr<AdmittedCall> CallPolicy::Admit(
    absl::string_view path, const std::vector<absl::string_view>& authorization,
    const std::vector<absl::string_view>& api_keys) const {
  AdmittedCall call;
  MOOT_ASSIGN_OR_RETURN(call.method, registry_.Find(path));
  MOOT_ASSIGN_OR_RETURN(call.backend, routes_.Route(call.method.service));
  MOOT_ASSIGN_OR_RETURN(call.principal,
                        authenticator_.AuthenticateHeaders(authorization, api_keys));
  MOOT_RETURN_IF_ERROR(CheckRateLimits(call.principal));
  return call;
}

absl::Status CallPolicy::CheckRateLimits(const moot::auth::Principal& principal) const {
  auto limit = [&](double rate) { return RateLimit{rate, rate * limits_.burst_seconds}; };
  if (principal.IsAnonymous()) {
    return rate_limiter_.Acquire("anonymous", limit(limits_.anonymous_requests_per_second));
  }
  if (absl::StartsWith(principal.subject, "apikey:")) {
    std::string key_id = principal.subject.substr(7);
    double rate = limits_.api_key_requests_per_second;
    if (overrides_ != nullptr) {
      std::optional<double> custom = overrides_->ApiKeyRate(key_id);
      if (custom.has_value() && *custom > 0) {
        rate = *custom;
      }
    }
    MOOT_RETURN_IF_ERROR(rate_limiter_.Acquire(absl::StrCat("apikey:", key_id), limit(rate)));
  }
  if (!principal.tenant.empty()) {
    double rate = limits_.tenant_requests_per_second;
    if (overrides_ != nullptr) {
      std::optional<double> custom = overrides_->TenantRate(principal.tenant);
      if (custom.has_value() && *custom > 0) {
        rate = *custom;
      }
    }
    MOOT_RETURN_IF_ERROR(
        rate_limiter_.Acquire(absl::StrCat("tenant:", principal.tenant), limit(rate)));
  }
  return absl::OkStatus();
}

absl::Status CallPolicy::CheckRequest(const AdmittedCall& call, absl::string_view bytes) const {
  if (static_cast<int64_t>(bytes.size()) > limits_.max_request_bytes) {
    return moot::status::WithReason(
        absl::ResourceExhaustedError(absl::StrCat("request message of ", bytes.size(),
                                                  " bytes exceeds the limit of ",
                                                  limits_.max_request_bytes, " bytes")),
        kRequestTooLarge, {{"limit_bytes", absl::StrCat(limits_.max_request_bytes)}});
  }
  std::unique_ptr<google::protobuf::Message> request = NewMessage(call.method.input_type());
  if (request == nullptr ||
      !request->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return moot::status::InvalidArgument(
        "request", absl::StrCat("not a valid ", call.method.input_type()->full_name()),
        "MALFORMED_REQUEST");
  }
  return CheckRequestTenant(call.principal, *request);
}

absl::Time CallPolicy::BackendDeadline(const MethodInfo& method, absl::Time requested,
                                       absl::Time now) const {
  if (method.server_streaming) {
    return std::min(requested, now + limits_.max_stream_duration);
  }
  if (requested == absl::InfiniteFuture()) {
    return now + limits_.default_deadline;
  }
  return std::min(requested, now + limits_.max_deadline);
}

}  // namespace moot::gateway
