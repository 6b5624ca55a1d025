// The public iCalendar feeds end to end: Redis, scheduling, notifications and the gateway run as
// processes; an officer sets up a tenant, a body and meetings either side of a clock change
// through the gateway, and an anonymous HTTP client fetches /ical/<tenant>/<body>.ics and
// /ical/<tenant>.ics, which libical parses.
#include <gtest/gtest.h>
#include <httplib.h>
#include <libical/ical.h>

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "moot/admin/v1/admin.grpc.pb.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "tests/integration/process_env.h"

namespace moot::integration {
namespace {

namespace sched = moot::scheduling::v1;

struct CalendarDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Calendar = std::unique_ptr<icalcomponent, CalendarDeleter>;

icalcomponent* EventByUid(icalcomponent* calendar, const std::string& uid) {
  for (icalcomponent* e = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
       e != nullptr; e = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
    if (uid == icalcomponent_get_uid(e)) {
      return e;
    }
  }
  return nullptr;
}

// The UTC instant of an event's DTSTART, by libical from the feed's own VTIMEZONE.
time_t StartUtc(icalcomponent* calendar, icalcomponent* event) {
  icalproperty* dtstart = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
  return icaltime_as_timet_with_zone(icalproperty_get_dtstart(dtstart),
                                     icalcomponent_get_timezone(calendar, "Europe/London"));
}

// Redis, scheduling, notifications and the gateway; tenant "wm" (created by an operator) with
// the Panel and three meetings: 14:00 local either side of the 2023 autumn clock change,
// 23 October (BST, 13:00Z) and 13 November (GMT, 14:00Z), and a provisional one in February 2024.
class IcalFeedEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(suite_.redis_ok());
    ASSERT_TRUE(suite_.StartSlice()) << suite_.Logs();
    gateway_ = WaitForChannel(suite_.gateway_grpc());
    ASSERT_NE(gateway_, nullptr) << suite_.Logs();
    officer_ = Bearer({.tenant = "wm", .subject = "user:clerk", .roles = {auth::Role::kOfficer}});
    const std::string ops = Bearer({.subject = "user:ops", .roles = {auth::Role::kOps}});
    auto deadline = [] { return std::chrono::system_clock::now() + std::chrono::seconds(10); };

    {
      grpc::ClientContext c;
      c.set_deadline(deadline());
      c.AddMetadata("authorization", ops);
      moot::admin::v1::CreateTenantRequest r;
      r.set_tenant_id("wm");
      r.mutable_tenant()->set_display_name("West Midlands Police and Crime Panel");
      moot::admin::v1::Tenant tenant;
      grpc::Status s =
          moot::admin::v1::TenantService::NewStub(gateway_)->CreateTenant(&c, r, &tenant);
      ASSERT_TRUE(s.ok()) << s.error_message() << suite_.Logs();
    }
    auto bodies = sched::BodyService::NewStub(gateway_);
    auto meetings = sched::MeetingService::NewStub(gateway_);
    {
      grpc::ClientContext c;
      c.set_deadline(deadline());
      c.AddMetadata("authorization", officer_);
      sched::CreateBodyRequest r;
      r.set_parent("tenants/wm");
      r.set_body_id("pcp");
      r.mutable_body()->set_display_name("West Midlands Police and Crime Panel");
      r.mutable_body()->set_kind(sched::BODY_KIND_PANEL);
      sched::Body body;
      grpc::Status s = bodies->CreateBody(&c, r, &body);
      ASSERT_TRUE(s.ok()) << s.error_message() << suite_.Logs();
    }
    struct NewMeeting {
      std::string id;
      int64_t start;
      sched::MeetingKind kind;
      std::string venue;
    };
    const std::vector<NewMeeting> to_create = {
        {"2023-10-23", 1698066000, sched::MEETING_KIND_ORDINARY, "Sandwell Council House"},
        {"2023-11-13", 1699884000, sched::MEETING_KIND_ORDINARY,
         "Walsall Council Chamber, Council House, Lichfield Street, Walsall, WS1 1TP"},
        {"2024-02-19", 1708351200, sched::MEETING_KIND_PROVISIONAL, "Birmingham Council House"},
    };
    for (const NewMeeting& n : to_create) {
      grpc::ClientContext c;
      c.set_deadline(deadline());
      c.AddMetadata("authorization", officer_);
      sched::CreateMeetingRequest r;
      r.set_parent("tenants/wm/bodies/pcp");
      r.set_meeting_id(n.id);
      r.mutable_meeting()->set_title("Police and Crime Panel");
      r.mutable_meeting()->set_kind(n.kind);
      r.mutable_meeting()->mutable_start_time()->set_seconds(n.start);
      r.mutable_meeting()->mutable_end_time()->set_seconds(n.start + 9000);
      r.mutable_meeting()->set_venue(n.venue);
      r.mutable_meeting()->set_webcast_url("https://walsall.public-i.tv/");
      sched::Meeting meeting;
      grpc::Status s = meetings->CreateMeeting(&c, r, &meeting);
      ASSERT_TRUE(s.ok()) << s.error_message() << suite_.Logs();
    }
    http_ = std::make_unique<httplib::Client>("127.0.0.1", suite_.gateway_http());
    http_->set_read_timeout(10, 0);
  }

  ProcessSuite suite_;
  std::shared_ptr<grpc::Channel> gateway_;
  std::string officer_;
  std::unique_ptr<httplib::Client> http_;
};

TEST_F(IcalFeedEndToEndTest, AnonymousFeedsThroughTheGatewayParseWithLibical) {
  auto res = http_->Get("/ical/wm/pcp.ics");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body << suite_.Logs();
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "public, max-age=300");
  const std::string etag = res->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());

  Calendar calendar(icalparser_parse_string(res->body.c_str()));
  ASSERT_NE(calendar, nullptr) << res->body;
  EXPECT_EQ(icalcomponent_count_errors(calendar.get()), 0) << res->body;
  EXPECT_EQ(icalcomponent_get_method(calendar.get()), ICAL_METHOD_PUBLISH);
  icalcomponent* vtimezone =
      icalcomponent_get_first_component(calendar.get(), ICAL_VTIMEZONE_COMPONENT);
  ASSERT_NE(vtimezone, nullptr);
  EXPECT_STREQ(
      icalproperty_get_tzid(icalcomponent_get_first_property(vtimezone, ICAL_TZID_PROPERTY)),
      "Europe/London");
  EXPECT_EQ(icalcomponent_count_components(calendar.get(), ICAL_VEVENT_COMPONENT), 3);
  struct Expected {
    std::string uid;
    std::string local_start;
    time_t utc;
    icalproperty_status status;
  };
  const std::vector<Expected> expected = {
      {"tenants.wm.bodies.pcp.meetings.2023-10-23@moot", "20231023T140000", 1698066000,
       ICAL_STATUS_CONFIRMED},
      {"tenants.wm.bodies.pcp.meetings.2023-11-13@moot", "20231113T140000", 1699884000,
       ICAL_STATUS_CONFIRMED},
      {"tenants.wm.bodies.pcp.meetings.2024-02-19@moot", "20240219T140000", 1708351200,
       ICAL_STATUS_TENTATIVE},
  };
  for (const Expected& e : expected) {
    SCOPED_TRACE(e.uid);
    icalcomponent* event = EventByUid(calendar.get(), e.uid);
    ASSERT_NE(event, nullptr) << res->body;
    icalproperty* dtstart = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
    ASSERT_NE(icalproperty_get_first_parameter(dtstart, ICAL_TZID_PARAMETER), nullptr);
    EXPECT_STREQ(icaltime_as_ical_string(icalproperty_get_dtstart(dtstart)), e.local_start.c_str());
    EXPECT_EQ(StartUtc(calendar.get(), event), e.utc);
    EXPECT_EQ(icalcomponent_get_status(event), e.status);
    EXPECT_GE(icalcomponent_get_sequence(event), 0);
    EXPECT_TRUE(
        absl::StrContains(icalcomponent_get_description(event), "https://walsall.public-i.tv/"));
  }
  EXPECT_STREQ(icalcomponent_get_location(
                   EventByUid(calendar.get(), "tenants.wm.bodies.pcp.meetings.2023-11-13@moot")),
               "Walsall Council Chamber, Council House, Lichfield Street, Walsall, WS1 1TP");

  // The tenant feed, the 304 and the 404s.
  auto tenant = http_->Get("/ical/wm.ics");
  ASSERT_TRUE(tenant);
  EXPECT_EQ(tenant->status, 200);
  EXPECT_TRUE(
      absl::StrContains(tenant->body, "X-WR-CALNAME:West Midlands Police and Crime Panel\r\n"));
  auto cached = http_->Get("/ical/wm/pcp.ics", {{"If-None-Match", etag}});
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->status, 304);
  for (const char* path : {"/ical/nowhere.ics", "/ical/wm/nobody.ics", "/ical/nowhere/pcp.ics"}) {
    auto missing = http_->Get(path);
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404) << path;
  }
}

// Cancelling a meeting shows in the next fetch as STATUS:CANCELLED with a higher SEQUENCE and a
// new ETag (TransitionMeeting comes with the meeting lifecycle work; until scheduling implements
// it, this test is skipped).
TEST_F(IcalFeedEndToEndTest, CancelledMeetingShowsAsCancelledWithAHigherSequence) {
  auto before = http_->Get("/ical/wm/pcp.ics");
  ASSERT_TRUE(before);
  ASSERT_EQ(before->status, 200) << suite_.Logs();
  const std::string etag = before->get_header_value("ETag");
  Calendar calendar(icalparser_parse_string(before->body.c_str()));
  ASSERT_NE(calendar, nullptr);
  ASSERT_NE(EventByUid(calendar.get(), "tenants.wm.bodies.pcp.meetings.2023-11-13@moot"), nullptr);
  auto meetings = sched::MeetingService::NewStub(gateway_);
  auto deadline = [] { return std::chrono::system_clock::now() + std::chrono::seconds(10); };
  const int sequence_before = icalcomponent_get_sequence(
      EventByUid(calendar.get(), "tenants.wm.bodies.pcp.meetings.2023-11-13@moot"));
  {
    grpc::ClientContext c;
    c.set_deadline(deadline());
    c.AddMetadata("authorization", officer_);
    sched::TransitionMeetingRequest r;
    r.set_name("tenants/wm/bodies/pcp/meetings/2023-11-13");
    r.set_status(sched::MEETING_STATUS_CANCELLED);
    r.set_reason("Not quorate");
    sched::Meeting meeting;
    grpc::Status s = meetings->TransitionMeeting(&c, r, &meeting);
    if (s.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
      GTEST_SKIP() << "TransitionMeeting is not implemented by scheduling yet";
    }
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  auto after = http_->Get("/ical/wm/pcp.ics", {{"If-None-Match", etag}});
  ASSERT_TRUE(after);
  ASSERT_EQ(after->status, 200);
  EXPECT_NE(after->get_header_value("ETag"), etag);
  Calendar changed(icalparser_parse_string(after->body.c_str()));
  ASSERT_NE(changed, nullptr);
  icalcomponent* cancelled =
      EventByUid(changed.get(), "tenants.wm.bodies.pcp.meetings.2023-11-13@moot");
  ASSERT_NE(cancelled, nullptr);
  EXPECT_EQ(icalcomponent_get_status(cancelled), ICAL_STATUS_CANCELLED);
  EXPECT_TRUE(absl::StrContains(after->body, "STATUS:CANCELLED\r\n"));
  EXPECT_GT(icalcomponent_get_sequence(cancelled), sequence_before);
}

}  // namespace
}  // namespace moot::integration
