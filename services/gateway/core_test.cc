#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "google/rpc/error_details.pb.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/status/errors.h"
#include "moot/documents/v1/documents.pb.h"
#include "moot/scheduling/v1/scheduling.pb.h"
#include "nlohmann/json.hpp"
#include "services/gateway/cached_rate_overrides.h"
#include "services/gateway/call_policy.h"
#include "services/gateway/connect_error.h"
#include "services/gateway/json_transcoder.h"
#include "services/gateway/method_registry.h"
#include "services/gateway/rate_limiter.h"

namespace moot::gateway {
namespace {

using ::testing::HasSubstr;

TEST(MethodRegistryTest, FindsEveryKindOfMethodFromTheGeneratedPool) {
  MethodRegistry registry;
  auto get_body = registry.Find("/moot.scheduling.v1.BodyService/GetBody");
  ASSERT_TRUE(get_body.ok()) << get_body.status();
  EXPECT_EQ(get_body->service, "moot.scheduling.v1.BodyService");
  EXPECT_EQ(get_body->package, "moot.scheduling.v1");
  EXPECT_TRUE(get_body->unary());
  EXPECT_EQ(get_body->input_type()->full_name(), "moot.scheduling.v1.GetBodyRequest");

  auto watch = registry.Find("/moot.notifications.v1.EventService/WatchEvents");
  ASSERT_TRUE(watch.ok()) << watch.status();
  EXPECT_TRUE(watch->server_streaming);
  EXPECT_FALSE(watch->client_streaming);
  auto upload = registry.Find("/moot.documents.v1.DocumentService/UploadDocument");
  ASSERT_TRUE(upload.ok()) << upload.status();
  EXPECT_TRUE(upload->client_streaming);
  EXPECT_TRUE(registry.Find("/moot.admin.v1.TenantService/GetTenant").ok());
  EXPECT_TRUE(registry.Find("/moot.budget.v1.PreceptService/GetPrecept").ok());
}

TEST(MethodRegistryTest, UnknownOrMalformedMethodIsUnimplementedNamingIt) {
  MethodRegistry registry;
  for (const char* path : {"/moot.scheduling.v1.BodyService/Nope", "/no.Such/Method", "", "/",
                           "nopath", "/a/b/c", "//x"}) {
    auto found = registry.Find(path);
    ASSERT_FALSE(found.ok()) << path;
    EXPECT_EQ(found.status().code(), absl::StatusCode::kUnimplemented);
    EXPECT_THAT(found.status().message(), HasSubstr(path));
  }
}

TEST(RouteTableTest, LongestPrefixWins) {
  RouteTable routes = RouteTable::Default();
  EXPECT_EQ(*routes.Route("moot.scheduling.v1.BodyService"), "scheduling");
  EXPECT_EQ(*routes.Route("moot.admin.v1.ApiKeyService"), "admin");
  routes.Add("moot.scheduling.v1.MeetingService", "meetings");
  EXPECT_EQ(*routes.Route("moot.scheduling.v1.MeetingService"), "meetings");
  EXPECT_EQ(*routes.Route("moot.scheduling.v1.BodyService"), "scheduling");
  EXPECT_EQ(routes.Route("moot.schedulingx.v1.BodyService").status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(routes.Route("moot.bench.v1.EchoService").status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST(JsonTranscoderTest, RoundTripsProto3Json) {
  const auto* type = moot::scheduling::v1::CreateBodyRequest::descriptor();
  auto bytes =
      JsonToBinary(type, R"({"parent":"tenants/t1","bodyId":"panel","body":{"displayName":"Panel",
              "kind":"BODY_KIND_PANEL"}})");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  moot::scheduling::v1::CreateBodyRequest request;
  ASSERT_TRUE(request.ParseFromString(*bytes));
  EXPECT_EQ(request.parent(), "tenants/t1");
  EXPECT_EQ(request.body().kind(), moot::scheduling::v1::BODY_KIND_PANEL);

  auto json = BinaryToJson(type, *bytes);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr(R"("bodyId":"panel")"));
  EXPECT_TRUE(JsonToBinary(type, "  ").ok());
}

TEST(JsonTranscoderTest, MalformedJsonIsInvalidArgumentNamingTheProblem) {
  const auto* type = moot::scheduling::v1::GetBodyRequest::descriptor();
  for (const char* body : {"{", "[1,2]", R"({"name": 5})", R"({"nope": "x"})", "\xff\xfe"}) {
    auto bytes = JsonToBinary(type, body);
    ASSERT_FALSE(bytes.ok()) << body;
    EXPECT_EQ(bytes.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(moot::status::Details(bytes.status()).reason, "MALFORMED_JSON");
    EXPECT_THAT(bytes.status().message(), HasSubstr("GetBodyRequest"));
  }
  EXPECT_FALSE(BinaryToJson(type, "\xff\xff\xff").ok());
}

TEST(ConnectErrorTest, MapsCodesToConnectHttpStatuses) {
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kFailedPrecondition), 400);
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kOutOfRange), 400);
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kAborted), 409);
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kCancelled), 499);
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kUnimplemented), 501);
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kDeadlineExceeded), 504);
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kInternal), 500);
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kDataLoss), 500);
  EXPECT_EQ(ConnectCodeName(absl::StatusCode::kCancelled), "canceled");
  EXPECT_EQ(ConnectCodeName(absl::StatusCode::kResourceExhausted), "resource_exhausted");
}

TEST(ConnectErrorTest, ErrorBodyCarriesDetailsWithBase64AndDebugJson) {
  absl::Status status =
      moot::status::FailedPrecondition("QUESTION_DEADLINE", "tenants/t/bodies/b", "too late");
  nlohmann::json body = nlohmann::json::parse(ConnectErrorJson(status));
  EXPECT_EQ(body["code"], "failed_precondition");
  EXPECT_THAT(body["message"].get<std::string>(), HasSubstr("too late"));
  bool found = false;
  for (const auto& detail : body["details"]) {
    if (detail["type"] == "google.rpc.ErrorInfo") {
      found = true;
      EXPECT_EQ(detail["debug"]["reason"], "QUESTION_DEADLINE");
      std::string raw;
      ASSERT_TRUE(absl::Base64Unescape(detail["value"].get<std::string>(), &raw));
      google::rpc::ErrorInfo info;
      ASSERT_TRUE(info.ParseFromString(raw));
      EXPECT_EQ(info.reason(), "QUESTION_DEADLINE");
    }
  }
  EXPECT_TRUE(found) << body.dump();
  nlohmann::json plain =
      nlohmann::json::parse(ConnectErrorJson(absl::StatusCode::kUnavailable, "down", "junk"));
  EXPECT_EQ(plain["code"], "unavailable");
  EXPECT_FALSE(plain.contains("details"));
}

TEST(RateLimiterTest, TokenBucketRefillsWithTheClockAndReportsRetryDelay) {
  moot::time::FakeClock clock;
  RateLimiter limiter(clock);
  RateLimit limit{2, 2};
  EXPECT_TRUE(limiter.Acquire("tenant:a", limit).ok());
  EXPECT_TRUE(limiter.Acquire("tenant:a", limit).ok());
  absl::Status third = limiter.Acquire("tenant:a", limit);
  ASSERT_EQ(third.code(), absl::StatusCode::kResourceExhausted);
  auto details = moot::status::Details(third);
  EXPECT_EQ(details.reason, "RATE_LIMITED");
  EXPECT_TRUE(details.has_retry_info);
  EXPECT_EQ(details.retry_delay, absl::Milliseconds(500));
  EXPECT_TRUE(limiter.Acquire("tenant:b", limit).ok());  // Buckets are per key.
  clock.Advance(absl::Milliseconds(500));
  EXPECT_TRUE(limiter.Acquire("tenant:a", limit).ok());
  EXPECT_FALSE(limiter.Acquire("tenant:a", limit).ok());
  EXPECT_TRUE(limiter.Acquire("tenant:a", RateLimit{0, 0}).ok());  // Unlimited.
}

TEST(RateLimiterTest, ForgetsFullBucketsWhenTooManyKeys) {
  moot::time::FakeClock clock;
  RateLimiter limiter(clock, /*max_keys=*/3);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(limiter.Acquire("k" + std::to_string(i), RateLimit{1, 1}).ok());
  }
  clock.Advance(absl::Seconds(5));
  ASSERT_TRUE(limiter.Acquire("k9", RateLimit{1, 1}).ok());
  EXPECT_EQ(limiter.size(), 1u);
}

TEST(TenantCheckTest, FindsNameParentAndNestedRequestFields) {
  moot::documents::v1::UploadDocumentRequest upload;
  upload.mutable_metadata()->set_parent("tenants/t2");
  upload.mutable_metadata()->mutable_document()->set_name("tenants/t2/documents/d");
  auto names = RequestResourceNames(upload);
  ASSERT_EQ(names.size(), 1u);  // Document is not nested in the request: its name is output.
  EXPECT_EQ(names[0].first, "metadata.parent");
  EXPECT_EQ(names[0].second, "tenants/t2");

  moot::auth::Principal alice{"t1", "user:alice", {moot::auth::Role::kOfficer}};
  absl::Status denied = CheckRequestTenant(alice, upload);
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(moot::status::Details(denied).reason, "TENANT_MISMATCH");

  moot::scheduling::v1::GetBodyRequest own;
  own.set_name("tenants/t1/bodies/b");
  EXPECT_TRUE(CheckRequestTenant(alice, own).ok());
  EXPECT_TRUE(CheckRequestTenant(moot::auth::Principal::Anonymous(), upload).ok());
}

class CallPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto verifier = moot::auth::JwtVerifier::Create(
        {.algorithms = {"HS256"}, .hs256_secret = kSecret, .clock = &clock_});
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
    authenticator_ = std::make_unique<moot::auth::Authenticator>(verifier_.get(), nullptr);
    policy_ = std::make_unique<CallPolicy>(
        registry_, routes_, *authenticator_, limiter_,
        GatewayLimits{.tenant_requests_per_second = 1, .burst_seconds = 1});
  }
  std::string Token(const std::string& tenant, absl::Duration lifetime = absl::Hours(1)) {
    auto signer = moot::auth::JwtSigner::Hs256(kSecret);
    moot::auth::TokenSpec spec;
    spec.principal = {tenant, "user:u", {moot::auth::Role::kOfficer}};
    spec.issued_at = clock_.Now();
    spec.lifetime = lifetime;
    return "Bearer " + *(*signer)->SignToken(spec);
  }
  static constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";
  moot::time::FakeClock clock_;
  MethodRegistry registry_;
  RouteTable routes_ = RouteTable::Default();
  RateLimiter limiter_{clock_};
  std::unique_ptr<moot::auth::JwtVerifier> verifier_;
  std::unique_ptr<moot::auth::Authenticator> authenticator_;
  std::unique_ptr<CallPolicy> policy_;
};

TEST_F(CallPolicyTest, AdmitsRoutesAndRateLimitsPerTenant) {
  std::string token = Token("t1");
  auto call = policy_->Admit("/moot.scheduling.v1.BodyService/GetBody", {token}, {});
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->backend, "scheduling");
  EXPECT_EQ(call->principal.tenant, "t1");
  auto again = policy_->Admit("/moot.scheduling.v1.BodyService/GetBody", {token}, {});
  EXPECT_EQ(again.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(moot::status::Details(again.status()).has_retry_info);
  EXPECT_TRUE(policy_->Admit("/moot.scheduling.v1.BodyService/GetBody", {Token("t2")}, {}).ok());
}

TEST_F(CallPolicyTest, RejectsBadCredentialsAndUnknownMethods) {
  EXPECT_EQ(policy_->Admit("/moot.scheduling.v1.BodyService/Nope", {}, {}).status().code(),
            absl::StatusCode::kUnimplemented);
  std::string expired = Token("t1", absl::Seconds(1));
  clock_.Advance(absl::Hours(2));
  auto status = policy_->Admit("/moot.scheduling.v1.BodyService/GetBody", {expired}, {}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(moot::status::Details(status).reason, "TOKEN_EXPIRED");
  // alg "none" with an empty signature.
  std::string none = "Bearer " + absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})") + "." +
                     absl::WebSafeBase64Escape(R"({"sub":"x","tenant":"t1","exp":9999999999})") +
                     ".";
  status = policy_->Admit("/moot.scheduling.v1.BodyService/GetBody", {none}, {}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(policy_->Admit("/moot.scheduling.v1.BodyService/GetBody", {"Bearer junk"}, {})
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(CallPolicyTest, ChecksRequestSizeShapeAndTenant) {
  auto call = policy_->Admit("/moot.scheduling.v1.BodyService/GetBody", {Token("t1")}, {});
  ASSERT_TRUE(call.ok());
  moot::scheduling::v1::GetBodyRequest request;
  request.set_name("tenants/t1/bodies/b");
  EXPECT_TRUE(policy_->CheckRequest(*call, request.SerializeAsString()).ok());
  request.set_name("tenants/t2/bodies/b");
  absl::Status other = policy_->CheckRequest(*call, request.SerializeAsString());
  EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(moot::status::Details(other).reason, "TENANT_MISMATCH");
  EXPECT_EQ(policy_->CheckRequest(*call, "\xff\xff").code(), absl::StatusCode::kInvalidArgument);
  std::string big(5 * 1024 * 1024, 'x');
  absl::Status too_big = policy_->CheckRequest(*call, big);
  EXPECT_EQ(too_big.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(moot::status::Details(too_big).reason, "REQUEST_TOO_LARGE");
}

TEST_F(CallPolicyTest, DeadlinesAreDefaultedAndCapped) {
  auto unary = registry_.Find("/moot.scheduling.v1.BodyService/GetBody");
  auto stream = registry_.Find("/moot.notifications.v1.EventService/WatchEvents");
  absl::Time now = clock_.Now();
  EXPECT_EQ(policy_->BackendDeadline(*unary, absl::InfiniteFuture(), now), now + absl::Seconds(30));
  EXPECT_EQ(policy_->BackendDeadline(*unary, now + absl::Hours(1), now), now + absl::Seconds(120));
  EXPECT_EQ(policy_->BackendDeadline(*unary, now + absl::Seconds(5), now), now + absl::Seconds(5));
  EXPECT_EQ(policy_->BackendDeadline(*stream, absl::InfiniteFuture(), now), now + absl::Hours(1));
}

}  // namespace
}  // namespace moot::gateway

namespace moot::gateway {
namespace {

// Counts lookups, answers from a map.
class CountingOverrides : public RateOverrides {
 public:
  std::optional<double> TenantRate(absl::string_view tenant) const override {
    ++lookups;
    auto it = tenants.find(std::string(tenant));
    return it == tenants.end() ? std::nullopt : std::optional<double>(it->second);
  }
  std::optional<double> ApiKeyRate(absl::string_view) const override {
    ++lookups;
    return std::nullopt;
  }
  std::map<std::string, double> tenants;
  mutable int lookups = 0;
};

TEST(CachedRateOverridesTest, AsksTheStoreOncePerLifetime) {
  CountingOverrides store;
  store.tenants["wm"] = 50;
  moot::time::FakeClock clock;
  CachedRateOverrides cached(store, clock, absl::Seconds(5));
  EXPECT_EQ(cached.TenantRate("wm"), 50);
  EXPECT_EQ(cached.TenantRate("wm"), 50);
  EXPECT_EQ(cached.TenantRate("other"), std::nullopt);
  EXPECT_EQ(cached.TenantRate("other"), std::nullopt);  // Absence is cached too.
  EXPECT_EQ(cached.ApiKeyRate("wm"), std::nullopt);     // Keys and tenants do not collide.
  EXPECT_EQ(store.lookups, 3);
  store.tenants["wm"] = 10;  // An admin change shows once the entry is older than the TTL.
  clock.Advance(absl::Seconds(4));
  EXPECT_EQ(cached.TenantRate("wm"), 50);
  clock.Advance(absl::Seconds(2));
  EXPECT_EQ(cached.TenantRate("wm"), 10);
  EXPECT_EQ(store.lookups, 4);
}

}  // namespace
}  // namespace moot::gateway
