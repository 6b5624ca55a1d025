// The public iCalendar feeds on the gateway's HTTP edge, in front of an in-test scheduling
// backend that filters drafts as the real one does (only for callers with credentials).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <libical/ical.h>

#include <atomic>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/rpc/server_runner.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "services/gateway/gateway.h"

namespace moot::gateway {
namespace {

namespace v1 = moot::scheduling::v1;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";

bool HasCredentials(grpc::ServerContext* ctx) {
  return ctx->client_metadata().count("authorization") > 0 ||
         ctx->client_metadata().count("x-api-key") > 0;
}

// Tenant "wm" with bodies "pcp" and "spcb"; "empty" has none. Meetings page two at a time.
// Drafts go only to callers with credentials (the real service: officers and members).
class FakeScheduling {
 public:
  FakeScheduling() {
    AddBody("wm", "pcp", "West Midlands Police and Crime Panel");
    AddBody("wm", "spcb", "Strategic Policing and Crime Board");
    AddMeeting("tenants/wm/bodies/pcp", "2023-09-11", 1694437200, v1::MEETING_STATUS_HELD, 1);
    AddMeeting("tenants/wm/bodies/pcp", "2023-11-13", 1699884000,
               v1::MEETING_STATUS_AGENDA_PUBLISHED, 2);
    AddMeeting("tenants/wm/bodies/pcp", "2024-01-15", 1705327200, v1::MEETING_STATUS_CANCELLED, 4);
    AddMeeting("tenants/wm/bodies/pcp", "2024-02-05", 1707141600, v1::MEETING_STATUS_DRAFT, 0);
    AddMeeting("tenants/wm/bodies/spcb", "2023-02-28", 1677578400,
               v1::MEETING_STATUS_AGENDA_PUBLISHED, 1);
  }

  void AddBody(const std::string& tenant, const std::string& id, const std::string& display) {
    v1::Body body;
    body.set_name(absl::StrCat("tenants/", tenant, "/bodies/", id));
    body.set_display_name(display);
    bodies_[body.name()] = body;
  }
  void AddMeeting(const std::string& body, const std::string& id, int64_t start,
                  v1::MeetingStatus status, int sequence) {
    v1::Meeting m;
    m.set_name(absl::StrCat(body, "/meetings/", id));
    m.set_title(status == v1::MEETING_STATUS_DRAFT ? "Draft only for officers"
                                                   : "Police and Crime Panel");
    m.set_status(status);
    m.mutable_start_time()->set_seconds(start);
    m.mutable_update_time()->set_seconds(start - 86400);
    m.set_sequence(sequence);
    meetings_[body].push_back(m);
  }
  void SetSequence(const std::string& name, int sequence) {
    for (auto& [body, list] : meetings_) {
      for (v1::Meeting& m : list) {
        if (m.name() == name) {
          m.set_sequence(sequence);
        }
      }
    }
  }

  class Bodies final : public v1::BodyService::Service {
   public:
    explicit Bodies(FakeScheduling& s) : s_(s) {}
    grpc::Status GetBody(grpc::ServerContext* ctx, const v1::GetBodyRequest* request,
                         v1::Body* body) override {
      s_.Record(ctx);
      auto it = s_.bodies_.find(request->name());
      if (it == s_.bodies_.end()) {
        return moot::status::ToGrpcStatus(moot::status::NotFound(request->name()));
      }
      *body = it->second;
      return grpc::Status::OK;
    }
    grpc::Status ListBodies(grpc::ServerContext* ctx, const v1::ListBodiesRequest* request,
                            v1::ListBodiesResponse* response) override {
      s_.Record(ctx);
      for (const auto& [name, body] : s_.bodies_) {
        if (absl::StartsWith(name, request->parent() + "/")) {
          *response->add_bodies() = body;
        }
      }
      return grpc::Status::OK;
    }

   private:
    FakeScheduling& s_;
  };

  class Meetings final : public v1::MeetingService::Service {
   public:
    explicit Meetings(FakeScheduling& s) : s_(s) {}
    grpc::Status ListMeetings(grpc::ServerContext* ctx, const v1::ListMeetingsRequest* request,
                              v1::ListMeetingsResponse* response) override {
      s_.Record(ctx);
      std::vector<v1::Meeting> visible;
      for (const v1::Meeting& m : s_.meetings_[request->parent()]) {
        if (m.status() != v1::MEETING_STATUS_DRAFT || HasCredentials(ctx)) {
          visible.push_back(m);
        }
      }
      size_t from = 0;
      if (!request->page_token().empty() && !absl::SimpleAtoi(request->page_token(), &from)) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "page_token");
      }
      for (size_t i = from; i < visible.size() && i < from + 2; ++i) {
        *response->add_meetings() = visible[i];
      }
      if (from + 2 < visible.size()) {
        response->set_next_page_token(absl::StrCat(from + 2));
      }
      return grpc::Status::OK;
    }

   private:
    FakeScheduling& s_;
  };

  void Record(grpc::ServerContext* ctx) {
    ++calls;
    if (HasCredentials(ctx)) {
      ++calls_with_credentials;
    }
  }

  std::atomic<int> calls{0};
  std::atomic<int> calls_with_credentials{0};

 private:
  std::map<std::string, v1::Body> bodies_;
  std::map<std::string, std::vector<v1::Meeting>> meetings_;
};

struct CalendarDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Calendar = std::unique_ptr<icalcomponent, CalendarDeleter>;

std::vector<std::string> Uids(icalcomponent* calendar) {
  std::vector<std::string> uids;
  for (icalcomponent* e = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
       e != nullptr; e = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
    uids.push_back(icalcomponent_get_uid(e));
  }
  return uids;
}

class IcalRouteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = std::make_unique<moot::rpc::ServerRunner>(
        moot::rpc::ServerRunnerOptions{.service_name = "scheduling"});
    backend_->AddService(&bodies_);
    backend_->AddService(&meetings_);
    ASSERT_TRUE(backend_->Start().ok());
    auto verifier =
        moot::auth::JwtVerifier::Create({.algorithms = {"HS256"}, .hs256_secret = kSecret});
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
    authenticator_ = std::make_unique<moot::auth::Authenticator>(verifier_.get(), nullptr);
  }
  void TearDown() override {
    if (gateway_ != nullptr) {
      gateway_->Shutdown();
    }
    backend_->Shutdown();
  }

  // `directory`: tenants the gateway knows ("wm" and "empty"); without it a tenant is known by
  // its bodies.
  void StartGateway(bool directory = true, double anonymous_rate = 0) {
    GatewayOptions options;
    options.backend_addresses = {{"scheduling", "127.0.0.1:" + std::to_string(backend_->port())}};
    options.shutdown_grace = absl::Seconds(1);
    options.limits.anonymous_requests_per_second = anonymous_rate;
    options.limits.burst_seconds = 3;
    options.ical.public_base_url = "https://moot.example.org";
    if (directory) {
      options.ical.tenant_display_name =
          [](absl::string_view tenant) -> absl::StatusOr<std::string> {
        if (tenant == "wm") {
          return std::string("West Midlands (Birmingham City Council)");
        }
        if (tenant == "empty") {
          return std::string("Empty Shire");
        }
        return moot::status::NotFound(absl::StrCat("tenants/", tenant));
      };
    }
    gateway_ =
        std::make_unique<Gateway>(options, GatewayDeps{.authenticator = authenticator_.get()});
    ASSERT_TRUE(gateway_->Start().ok());
    http_ = std::make_unique<httplib::Client>("127.0.0.1", gateway_->http_port());
  }

  std::string OfficerToken() {
    auto signer = moot::auth::JwtSigner::Hs256(kSecret);
    moot::auth::TokenSpec spec;
    spec.principal = {"wm", "user:clerk", {moot::auth::Role::kOfficer}};
    spec.issued_at = absl::Now();
    return *(*signer)->SignToken(spec);
  }

  FakeScheduling scheduling_;
  FakeScheduling::Bodies bodies_{scheduling_};
  FakeScheduling::Meetings meetings_{scheduling_};
  std::unique_ptr<moot::rpc::ServerRunner> backend_;
  std::unique_ptr<moot::auth::JwtVerifier> verifier_;
  std::unique_ptr<moot::auth::Authenticator> authenticator_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<httplib::Client> http_;
};

TEST_F(IcalRouteTest, BodyFeedIsPublicCacheableAndValid) {
  StartGateway();
  auto res = http_->Get("/ical/wm/pcp.ics");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "public, max-age=300");
  EXPECT_THAT(res->get_header_value("ETag"), ::testing::MatchesRegex("\"[0-9a-f]{16}\""));
  Calendar calendar(icalparser_parse_string(res->body.c_str()));
  ASSERT_NE(calendar, nullptr);
  EXPECT_EQ(icalcomponent_count_errors(calendar.get()), 0);
  EXPECT_THAT(res->body, HasSubstr("X-WR-CALNAME:West Midlands Police and Crime Panel\r\n"));
  // All three public meetings over two pages, in order; the draft is not among them.
  EXPECT_THAT(Uids(calendar.get()),
              ::testing::ElementsAre("tenants.wm.bodies.pcp.meetings.2023-09-11@moot",
                                     "tenants.wm.bodies.pcp.meetings.2023-11-13@moot",
                                     "tenants.wm.bodies.pcp.meetings.2024-01-15@moot"));
  EXPECT_THAT(res->body, HasSubstr("STATUS:CANCELLED\r\n"));
  EXPECT_THAT(res->body,
              HasSubstr("URL:https://moot.example.org/tenants/wm/bodies/pcp/meetings/2023-11-13"));
  EXPECT_THAT(res->body, Not(HasSubstr("Draft only")));
}

// A caller's credentials are never forwarded: the feed is the public view even for an officer,
// so it can be cached and shared, and never shows a draft.
TEST_F(IcalRouteTest, FeedIsFetchedAnonymouslyEvenWhenTheCallerSendsCredentials) {
  StartGateway();
  httplib::Headers officer{{"Authorization", "Bearer " + OfficerToken()}};
  auto res = http_->Get("/ical/wm/pcp.ics", officer);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_THAT(res->body, Not(HasSubstr("Draft only")));
  EXPECT_GT(scheduling_.calls.load(), 0);
  EXPECT_EQ(scheduling_.calls_with_credentials.load(), 0);
}

TEST_F(IcalRouteTest, TenantFeedHoldsEveryBodysMeetingsInStartOrder) {
  StartGateway();
  auto res = http_->Get("/ical/wm.ics");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_THAT(res->body, HasSubstr("X-WR-CALNAME:West Midlands (Birmingham City Council)\r\n"));
  Calendar calendar(icalparser_parse_string(res->body.c_str()));
  ASSERT_NE(calendar, nullptr);
  EXPECT_THAT(Uids(calendar.get()),
              ::testing::ElementsAre("tenants.wm.bodies.spcb.meetings.2023-02-28@moot",
                                     "tenants.wm.bodies.pcp.meetings.2023-09-11@moot",
                                     "tenants.wm.bodies.pcp.meetings.2023-11-13@moot",
                                     "tenants.wm.bodies.pcp.meetings.2024-01-15@moot"));
  EXPECT_THAT(res->body, HasSubstr("CATEGORIES:Strategic Policing and Crime Board\r\n"));
  // A known tenant without bodies has an empty (valid) calendar.
  auto empty = http_->Get("/ical/empty.ics");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 200);
  EXPECT_THAT(empty->body, Not(HasSubstr("BEGIN:VEVENT")));
}

TEST_F(IcalRouteTest, IfNoneMatchGets304UntilTheFeedChanges) {
  StartGateway();
  auto first = http_->Get("/ical/wm/pcp.ics");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200);
  const std::string etag = first->get_header_value("ETag");
  struct Case {
    std::string if_none_match;
    int status;
  };
  const std::vector<Case> cases = {
      {etag, 304},
      {"W/" + etag, 304},
      {"\"0000000000000000\", " + etag, 304},
      {"*", 304},
      {"\"0000000000000000\"", 200},
  };
  for (const Case& c : cases) {
    auto res = http_->Get("/ical/wm/pcp.ics", {{"If-None-Match", c.if_none_match}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, c.status) << c.if_none_match;
    EXPECT_EQ(res->get_header_value("ETag"), etag);
    EXPECT_EQ(res->get_header_value("Cache-Control"), "public, max-age=300");
    if (c.status == 304) {
      EXPECT_TRUE(res->body.empty());
    }
  }
  // A change (SEQUENCE rises) changes the ETag, so the cached copy is no longer current.
  scheduling_.SetSequence("tenants/wm/bodies/pcp/meetings/2023-11-13", 3);
  auto changed = http_->Get("/ical/wm/pcp.ics", {{"If-None-Match", etag}});
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->status, 200);
  EXPECT_NE(changed->get_header_value("ETag"), etag);
  EXPECT_THAT(changed->body, HasSubstr("SEQUENCE:3\r\n"));
}

TEST_F(IcalRouteTest, UnknownTenantOrBodyIs404) {
  StartGateway();
  for (const char* path : {"/ical/nowhere.ics", "/ical/nowhere/pcp.ics", "/ical/wm/nobody.ics",
                           "/ical/WM/pcp.ics", "/ical/wm/pcp%2Fmeetings.ics", "/ical/-x.ics"}) {
    auto res = http_->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path << " " << res->body;
  }
}

TEST_F(IcalRouteTest, WithoutATenantDirectoryATenantWithoutBodiesIs404) {
  StartGateway(/*directory=*/false);
  auto res = http_->Get("/ical/empty.ics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  auto known = http_->Get("/ical/wm.ics");
  ASSERT_TRUE(known);
  EXPECT_EQ(known->status, 200);
  EXPECT_THAT(known->body, HasSubstr("X-WR-CALNAME:wm\r\n"));
}

// Feeds take their tokens from the anonymous bucket like any anonymous call: at 1/s with three
// seconds of burst, a second body feed (three backend calls each) is refused.
TEST_F(IcalRouteTest, FeedsAreRateLimitedAsAnonymousCalls) {
  StartGateway(/*directory=*/true, /*anonymous_rate=*/1);
  auto first = http_->Get("/ical/wm/pcp.ics");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200) << first->body;
  int limited = 0;
  for (int i = 0; i < 3; ++i) {
    auto res = http_->Get("/ical/wm/pcp.ics");
    ASSERT_TRUE(res);
    if (res->status == 429) {
      ++limited;
      EXPECT_THAT(res->body, HasSubstr("resource_exhausted"));
      int retry_after = 0;
      EXPECT_TRUE(absl::SimpleAtoi(res->get_header_value("Retry-After"), &retry_after));
      EXPECT_GE(retry_after, 1);
    }
  }
  EXPECT_GT(limited, 0);
}

}  // namespace
}  // namespace moot::gateway
