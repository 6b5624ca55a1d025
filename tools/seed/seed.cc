#include "tools/seed/seed.h"

#include <iostream>

#include <algorithm>
#include <future>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "libs/auth/principal.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "nlohmann/json.hpp"
#include "proto/all_contracts.h"

namespace moot::seed {
namespace {

const std::map<std::string, auth::Role>& RoleMap() {
  static const auto* const map = new std::map<std::string, auth::Role>{
      {"officer", auth::Role::kOfficer},          {"member", auth::Role::kMember},
      {"partner", auth::Role::kPartner},          {"ops", auth::Role::kOps},
      {"tenant_admin", auth::Role::kTenantAdmin}, {"finance_officer", auth::Role::kFinanceOfficer},
      {"pcc_office", auth::Role::kPccOffice}};
  return *map;
}

// "/pkg.Service/Method" -> the method's descriptor, from every proto linked into this binary.
absl::StatusOr<const google::protobuf::MethodDescriptor*> FindMethod(const std::string& method) {
  static const int kServices = proto::LinkAllContracts();
  (void)kServices;
  if (method.size() < 4 || method[0] != '/' || method.find('/', 1) == std::string::npos) {
    return status::InvalidArgument("method",
                                   absl::StrCat("\"", method, "\" is not /package.Service/Method"));
  }
  const size_t slash = method.find('/', 1);
  const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      method.substr(1, slash - 1));
  const auto* found =
      service == nullptr ? nullptr : service->FindMethodByName(method.substr(slash + 1));
  if (found == nullptr) {
    return status::InvalidArgument("method", absl::StrCat("unknown method ", method));
  }
  return found;
}

// The call's request as a message of the method's input type.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> BuildRequest(
    const Call& call, size_t index, google::protobuf::DynamicMessageFactory& factory) {
  const std::string where = absl::StrCat("call ", index, " (", call.method, ")");
  auto method = FindMethod(call.method);
  if (!method.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", method.status().message()));
  }
  if (RoleMap().find(call.role) == RoleMap().end()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": unknown role \"", call.role, "\""));
  }
  std::unique_ptr<google::protobuf::Message> request(
      factory.GetPrototype((*method)->input_type())->New());
  auto parsed = google::protobuf::util::JsonStringToMessage(call.request_json, request.get());
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": request does not fit ",
                                                   (*method)->input_type()->full_name(), ": ",
                                                   parsed.message().as_string()));
  }
  return request;
}

}  // namespace

absl::Status Validate(const std::vector<Call>& calls) {
  google::protobuf::DynamicMessageFactory factory;
  for (size_t i = 0; i < calls.size(); ++i) {
    auto request = BuildRequest(calls[i], i, factory);
    if (!request.ok()) {
      return request.status();
    }
  }
  return absl::OkStatus();
}

const std::vector<std::string>& DemoRoles() {
  static const auto* const roles = new std::vector<std::string>{
      "officer", "member", "partner", "ops", "tenant_admin", "finance_officer", "pcc_office"};
  return *roles;
}

Credentials::Credentials(std::unique_ptr<auth::JwtSigner> signer, std::string issuer,
                         std::string audience, absl::Time now, absl::Duration lifetime)
    : signer_(std::move(signer)),
      issuer_(std::move(issuer)),
      audience_(std::move(audience)),
      now_(now),
      lifetime_(lifetime) {}

absl::StatusOr<std::string> Credentials::Token(const std::string& tenant, const std::string& role) {
  auto key = std::make_pair(tenant, role);
  if (auto it = cache_.find(key); it != cache_.end()) {
    return it->second;
  }
  auto r = RoleMap().find(role);
  if (r == RoleMap().end()) {
    return status::InvalidArgument("as", absl::StrCat("unknown role \"", role, "\""));
  }
  auth::TokenSpec spec;
  spec.principal = {
      .tenant = tenant, .subject = absl::StrCat("user:demo-", role), .roles = {r->second}};
  spec.issuer = issuer_;
  spec.audience = audience_;
  spec.issued_at = now_;
  spec.lifetime = lifetime_;
  auto token = signer_->SignToken(spec);
  if (token.ok()) {
    cache_[key] = *token;
  }
  return token;
}

absl::StatusOr<std::string> Credentials::Json(const std::vector<std::string>& tenants) {
  nlohmann::json out = {{"tenants", nlohmann::json::object()}};
  for (const auto& tenant : tenants) {
    for (const auto& role : DemoRoles()) {
      auto token = Token(tenant, role);
      if (!token.ok()) {
        return token.status();
      }
      out["tenants"][tenant][role] = *token;
    }
  }
  return out.dump(2) + "\n";
}

absl::StatusOr<std::vector<Call>> ParseDataFile(const std::string& json, std::string* tenant) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("tenant") || !doc["tenant"].is_string() ||
      !doc.contains("calls") || !doc["calls"].is_array()) {
    return status::InvalidArgument(
        "data file", "must be a JSON object with \"tenant\" (string) and \"calls\" (array)");
  }
  *tenant = doc["tenant"].get<std::string>();
  std::vector<Call> calls;
  int index = 0;
  for (const auto& c : doc["calls"]) {
    const std::string where = absl::StrCat("calls[", index++, "]");
    if (!c.is_object() || !c.contains("method") || !c["method"].is_string() ||
        !c.contains("request") || !c["request"].is_object()) {
      return status::InvalidArgument(where, "needs \"method\" (string) and \"request\" (object)");
    }
    Call call;
    call.method = c["method"].get<std::string>();
    call.tenant = c.value("tenant", *tenant);
    call.role = c.value("as", std::string("officer"));
    call.request_json = c["request"].dump();
    call.allow_exists = c.value("allow_exists", true);
    calls.push_back(std::move(call));
  }
  return calls;
}

namespace {

// How many times a call refused with RESOURCE_EXHAUSTED is tried before Apply gives up.
constexpr int kMaxAttempts = 20;

// One unary call of `method` with `request`, as the holder of `token`.
grpc::Status CallOnce(grpc::GenericStub& stub, const std::string& method,
                      const google::protobuf::Message& request, const std::string& token,
                      absl::Duration deadline) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  const std::string bytes = request.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request_buffer, &response_buffer,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  return done.get_future().get();
}

}  // namespace

absl::StatusOr<int> Apply(const std::vector<Call>& calls, Credentials& credentials,
                          const std::shared_ptr<grpc::Channel>& channel,
                          absl::Duration per_call_deadline) {
  grpc::GenericStub stub(channel);
  google::protobuf::DynamicMessageFactory factory;
  int made = 0;
  for (size_t i = 0; i < calls.size(); ++i) {
    const Call& call = calls[i];
    const std::string where = absl::StrCat("call ", i, " (", call.method, ")");
    auto request = BuildRequest(call, i, factory);
    if (!request.ok()) {
      return request.status();
    }
    auto token = credentials.Token(call.tenant, call.role);
    if (!token.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": ", token.status().message()));
    }
    // The gateway rate-limits each tenant; a re-run replays its calls quickly enough to hit the
    // limit, so RESOURCE_EXHAUSTED is waited out (for its RetryInfo delay) and the call repeated.
    grpc::Status result;
    for (int attempt = 1;; ++attempt) {
      result = CallOnce(stub, call.method, **request, *token, per_call_deadline);
      if (result.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED || attempt == kMaxAttempts) {
        break;
      }
      const status::ErrorDetails details = status::Details(status::FromGrpcStatus(result));
      absl::SleepFor(details.has_retry_info && details.retry_delay > absl::ZeroDuration()
                         ? std::min(details.retry_delay, absl::Seconds(5))
                         : absl::Milliseconds(250));
    }
    if (!result.ok()) {
      if (result.error_code() == grpc::StatusCode::ALREADY_EXISTS && call.allow_exists) {
        continue;
      }
      absl::Status status = status::FromGrpcStatus(result);
      // The same request_id with other content: this call was loaded by an earlier version of
      // the demo files (an existing var/data). What it made is there; leave it as it is.
      if (call.allow_exists && status.code() == absl::StatusCode::kFailedPrecondition &&
          status::Details(status).reason == "REQUEST_ID_REUSED") {
        std::cerr << "moot-seed: " << where << ": loaded before from an older version of the demo "
                  << "data; left as it is (make down && rm -rf var/data, then make up, reloads)\n";
        continue;
      }
      return absl::Status(status.code(), absl::StrCat(where, " as ", call.role, " of ", call.tenant,
                                                      ": ", status.message()));
    }
    ++made;
  }
  return made;
}

}  // namespace moot::seed
