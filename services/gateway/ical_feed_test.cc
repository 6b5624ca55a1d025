// RFC 5545 rendering of the public meeting feeds, checked by hand (line structure) and by
// libical (a real parser and its own time-zone arithmetic on our VTIMEZONE).
#include "services/gateway/ical_feed.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <ctime>
#include <memory>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace moot::gateway {
namespace {

namespace v1 = moot::scheduling::v1;
using ::testing::HasSubstr;
using ::testing::Not;

struct CalendarDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Calendar = std::unique_ptr<icalcomponent, CalendarDeleter>;

IcalMeeting Meeting(const std::string& id, int64_t start, v1::MeetingStatus status,
                    int sequence = 0) {
  IcalMeeting m;
  m.meeting.set_name("tenants/wm/bodies/pcp/meetings/" + id);
  m.meeting.set_title("Police and Crime Panel");
  m.meeting.set_status(status);
  m.meeting.mutable_start_time()->set_seconds(start);
  m.meeting.mutable_end_time()->set_seconds(start + 2 * 3600 + 30 * 60);
  m.meeting.mutable_update_time()->set_seconds(1690000000);
  m.meeting.set_sequence(sequence);
  m.body_display_name = "West Midlands Police and Crime Panel";
  return m;
}

// Meetings either side of both 2023 clock changes (26 March, 29 October), one cancelled, one
// provisional and one draft.
IcalCalendar Fixture() {
  IcalCalendar calendar;
  calendar.calendar_name = "West Midlands Police and Crime Panel";
  calendar.public_base_url = "https://moot.example.org/";
  // 20 March 2023 14:00 GMT = 14:00Z.
  calendar.meetings.push_back(Meeting("2023-03-20", 1679320800, v1::MEETING_STATUS_HELD, 2));
  // 3 April 2023 14:00 BST = 13:00Z.
  IcalMeeting april = Meeting("2023-04-03", 1680526800, v1::MEETING_STATUS_CANCELLED, 3);
  april.meeting.set_status_reason("Not quorate; see the Chair's note");
  calendar.meetings.push_back(april);
  // 23 October 2023 14:00 BST = 13:00Z (a week before the change back).
  calendar.meetings.push_back(Meeting("2023-10-23", 1698066000, v1::MEETING_STATUS_PROVISIONAL, 0));
  // 13 November 2023 14:00 GMT = 14:00Z, with a webcast and a venue full of commas.
  IcalMeeting november = Meeting("2023-11-13", 1699884000, v1::MEETING_STATUS_AGENDA_PUBLISHED, 1);
  november.meeting.set_venue(
      "Walsall Council Chamber, Council House, Lichfield Street, Walsall, WS1 1TP");
  november.meeting.set_webcast_url("https://walsall.public-i.tv/core/portal/webcast");
  november.meeting.set_webcast_provider("Walsall MBC webcasting portal");
  calendar.meetings.push_back(november);
  IcalMeeting draft = Meeting("2023-12-11", 1702303200, v1::MEETING_STATUS_DRAFT, 0);
  draft.meeting.set_title("Secret draft meeting");
  calendar.meetings.push_back(draft);
  return calendar;
}

Calendar Parse(const std::string& text) { return Calendar(icalparser_parse_string(text.c_str())); }

icalcomponent* EventByUid(icalcomponent* calendar, const std::string& uid) {
  for (icalcomponent* e = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
       e != nullptr; e = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
    if (uid == icalcomponent_get_uid(e)) {
      return e;
    }
  }
  return nullptr;
}

// The instant DTSTART names, computed by libical from the feed's own VTIMEZONE (not from a
// built-in time-zone database).
time_t StartUtc(icalcomponent* calendar, icalcomponent* event) {
  icaltimezone* london = icalcomponent_get_timezone(calendar, "Europe/London");
  icalproperty* dtstart = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
  icaltimetype local = icalproperty_get_dtstart(dtstart);
  return icaltime_as_timet_with_zone(local, london);
}

TEST(IcalFeedTest, LibicalParsesTheFeedWithoutErrors) {
  const std::string text = RenderIcalendar(Fixture());
  Calendar calendar = Parse(text);
  ASSERT_NE(calendar, nullptr) << text;
  EXPECT_EQ(icalcomponent_isa(calendar.get()), ICAL_VCALENDAR_COMPONENT);
  EXPECT_EQ(icalcomponent_count_errors(calendar.get()), 0) << text;
  EXPECT_EQ(icalcomponent_check_restrictions(calendar.get()), 1)
      << icalcomponent_as_ical_string(calendar.get());
  EXPECT_STREQ(icalproperty_get_prodid(
                   icalcomponent_get_first_property(calendar.get(), ICAL_PRODID_PROPERTY)),
               "-//Moot//Moot meeting calendar//EN");
  EXPECT_STREQ(icalproperty_get_version(
                   icalcomponent_get_first_property(calendar.get(), ICAL_VERSION_PROPERTY)),
               "2.0");
  EXPECT_EQ(icalcomponent_get_method(calendar.get()), ICAL_METHOD_PUBLISH);
  EXPECT_THAT(text, HasSubstr("\r\nCALSCALE:GREGORIAN\r\n"));
  EXPECT_THAT(text, HasSubstr("\r\nX-WR-CALNAME:West Midlands Police and Crime Panel\r\n"));
  // Four public meetings; the draft is never rendered.
  EXPECT_EQ(icalcomponent_count_components(calendar.get(), ICAL_VEVENT_COMPONENT), 4);
  EXPECT_THAT(text, Not(HasSubstr("Secret draft")));
  EXPECT_EQ(EventByUid(calendar.get(), "tenants.wm.bodies.pcp.meetings.2023-12-11@moot"), nullptr);
}

TEST(IcalFeedTest, VtimezoneIsEuropeLondonWithBothObservancesAndRrules) {
  const std::string text = RenderIcalendar(Fixture());
  Calendar calendar = Parse(text);
  ASSERT_NE(calendar, nullptr);
  icalcomponent* vtimezone =
      icalcomponent_get_first_component(calendar.get(), ICAL_VTIMEZONE_COMPONENT);
  ASSERT_NE(vtimezone, nullptr);
  icalproperty* tzid = icalcomponent_get_first_property(vtimezone, ICAL_TZID_PROPERTY);
  ASSERT_NE(tzid, nullptr);
  EXPECT_STREQ(icalproperty_get_tzid(tzid), "Europe/London");
  icalcomponent* daylight = icalcomponent_get_first_component(vtimezone, ICAL_XDAYLIGHT_COMPONENT);
  icalcomponent* standard = icalcomponent_get_first_component(vtimezone, ICAL_XSTANDARD_COMPONENT);
  ASSERT_NE(daylight, nullptr);
  ASSERT_NE(standard, nullptr);
  for (icalcomponent* observance : {daylight, standard}) {
    icalproperty* rrule = icalcomponent_get_first_property(observance, ICAL_RRULE_PROPERTY);
    ASSERT_NE(rrule, nullptr);
    icalrecurrencetype recur = icalproperty_get_rrule(rrule);
    EXPECT_EQ(recur.freq, ICAL_YEARLY_RECURRENCE);
  }
  EXPECT_EQ(icalproperty_get_tzoffsetto(
                icalcomponent_get_first_property(daylight, ICAL_TZOFFSETTO_PROPERTY)),
            3600);
  EXPECT_EQ(icalproperty_get_tzoffsetto(
                icalcomponent_get_first_property(standard, ICAL_TZOFFSETTO_PROPERTY)),
            0);
}

// Local 14:00 on each side of both 2023 clock changes resolves, through the feed's VTIMEZONE,
// to the right instant: GMT in winter, BST (UTC+1) in summer.
TEST(IcalFeedTest, DtstartIsEuropeLondonAcrossDaylightSavingChanges) {
  const std::string text = RenderIcalendar(Fixture());
  Calendar calendar = Parse(text);
  ASSERT_NE(calendar, nullptr);
  struct Case {
    std::string uid;
    std::string local;  // DTSTART as written
    time_t utc;
  };
  const std::vector<Case> cases = {
      {"tenants.wm.bodies.pcp.meetings.2023-03-20@moot", "20230320T140000", 1679320800},
      {"tenants.wm.bodies.pcp.meetings.2023-04-03@moot", "20230403T140000", 1680526800},
      {"tenants.wm.bodies.pcp.meetings.2023-10-23@moot", "20231023T140000", 1698066000},
      {"tenants.wm.bodies.pcp.meetings.2023-11-13@moot", "20231113T140000", 1699884000},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.uid);
    icalcomponent* event = EventByUid(calendar.get(), c.uid);
    ASSERT_NE(event, nullptr);
    icalproperty* dtstart = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
    icalparameter* tzid = icalproperty_get_first_parameter(dtstart, ICAL_TZID_PARAMETER);
    ASSERT_NE(tzid, nullptr);
    EXPECT_STREQ(icalparameter_get_tzid(tzid), "Europe/London");
    EXPECT_STREQ(icaltime_as_ical_string(icalproperty_get_dtstart(dtstart)), c.local.c_str());
    EXPECT_EQ(StartUtc(calendar.get(), event), c.utc);
    // DTEND is two and a half hours later, in the same zone.
    icalproperty* dtend = icalcomponent_get_first_property(event, ICAL_DTEND_PROPERTY);
    ASSERT_NE(dtend, nullptr);
    EXPECT_EQ(
        icaltime_as_timet_with_zone(icalproperty_get_dtend(dtend),
                                    icalcomponent_get_timezone(calendar.get(), "Europe/London")),
        c.utc + 9000);
  }
}

TEST(IcalFeedTest, UidSequenceStatusAndDtstampComeFromTheMeeting) {
  const std::string text = RenderIcalendar(Fixture());
  Calendar calendar = Parse(text);
  ASSERT_NE(calendar, nullptr);
  struct Case {
    std::string uid;
    int sequence;
    icalproperty_status status;
  };
  const std::vector<Case> cases = {
      {"tenants.wm.bodies.pcp.meetings.2023-03-20@moot", 2, ICAL_STATUS_CONFIRMED},
      {"tenants.wm.bodies.pcp.meetings.2023-04-03@moot", 3, ICAL_STATUS_CANCELLED},
      {"tenants.wm.bodies.pcp.meetings.2023-10-23@moot", 0, ICAL_STATUS_TENTATIVE},
      {"tenants.wm.bodies.pcp.meetings.2023-11-13@moot", 1, ICAL_STATUS_CONFIRMED},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.uid);
    icalcomponent* event = EventByUid(calendar.get(), c.uid);
    ASSERT_NE(event, nullptr);
    EXPECT_EQ(icalcomponent_get_sequence(event), c.sequence);
    EXPECT_EQ(icalcomponent_get_status(event), c.status);
    icaltimetype stamp = icalcomponent_get_dtstamp(event);
    EXPECT_TRUE(icaltime_is_utc(stamp));
    EXPECT_EQ(icaltime_as_timet(stamp), 1690000000);
  }
  EXPECT_THAT(text, HasSubstr("\r\nSTATUS:CANCELLED\r\n"));
}

TEST(IcalFeedTest, UidIsStableAcrossRendersAndChangesOnlyWithTheName) {
  EXPECT_EQ(IcalUid("tenants/wm/bodies/pcp/meetings/2023-11-13"),
            "tenants.wm.bodies.pcp.meetings.2023-11-13@moot");
  // Ids hold hyphens but never dots, so these two names cannot collide.
  EXPECT_NE(IcalUid("tenants/a-b/bodies/c/meetings/d"), IcalUid("tenants/a/bodies/b-c/meetings/d"));
  IcalCalendar changed = Fixture();
  changed.meetings[3].meeting.set_venue("Sandwell Council House");
  changed.meetings[3].meeting.set_sequence(2);
  Calendar a = Parse(RenderIcalendar(Fixture()));
  Calendar b = Parse(RenderIcalendar(changed));
  const std::string uid = "tenants.wm.bodies.pcp.meetings.2023-11-13@moot";
  ASSERT_NE(EventByUid(a.get(), uid), nullptr);
  ASSERT_NE(EventByUid(b.get(), uid), nullptr);
  EXPECT_EQ(icalcomponent_get_sequence(EventByUid(b.get(), uid)), 2);
  EXPECT_STREQ(icalcomponent_get_location(EventByUid(b.get(), uid)), "Sandwell Council House");
}

TEST(IcalFeedTest, LocationUrlAndDescriptionCarryVenueAgendaAndWebcast) {
  const std::string text = RenderIcalendar(Fixture());
  Calendar calendar = Parse(text);
  icalcomponent* event =
      EventByUid(calendar.get(), "tenants.wm.bodies.pcp.meetings.2023-11-13@moot");
  ASSERT_NE(event, nullptr);
  EXPECT_STREQ(icalcomponent_get_location(event),
               "Walsall Council Chamber, Council House, Lichfield Street, Walsall, WS1 1TP");
  EXPECT_THAT(text, HasSubstr("LOCATION:Walsall Council Chamber\\, Council House\\, "));
  icalproperty* url = icalcomponent_get_first_property(event, ICAL_URL_PROPERTY);
  ASSERT_NE(url, nullptr);
  const std::string agenda = "https://moot.example.org/tenants/wm/bodies/pcp/meetings/2023-11-13";
  EXPECT_EQ(std::string(icalproperty_get_url(url)), agenda);
  EXPECT_EQ(std::string(icalcomponent_get_description(event)),
            "Agenda: " + agenda +
                "\nWebcast (Walsall MBC webcasting portal): "
                "https://walsall.public-i.tv/core/portal/webcast");
  EXPECT_STREQ(icalcomponent_get_summary(event), "Police and Crime Panel");
  icalproperty* categories = icalcomponent_get_first_property(event, ICAL_CATEGORIES_PROPERTY);
  ASSERT_NE(categories, nullptr);
  EXPECT_STREQ(icalproperty_get_categories(categories), "West Midlands Police and Crime Panel");
  icalproperty* organizer = icalcomponent_get_first_property(event, ICAL_ORGANIZER_PROPERTY);
  ASSERT_NE(organizer, nullptr);
  EXPECT_STREQ(icalproperty_get_organizer(organizer),
               "https://moot.example.org/tenants/wm/bodies/pcp");
  icalparameter* cn = icalproperty_get_first_parameter(organizer, ICAL_CN_PARAMETER);
  ASSERT_NE(cn, nullptr);
  EXPECT_STREQ(icalparameter_get_cn(cn), "West Midlands Police and Crime Panel");

  icalcomponent* cancelled =
      EventByUid(calendar.get(), "tenants.wm.bodies.pcp.meetings.2023-04-03@moot");
  ASSERT_NE(cancelled, nullptr);
  EXPECT_THAT(std::string(icalcomponent_get_description(cancelled)),
              HasSubstr("\nCancelled: Not quorate; see the Chair's note"));
}

TEST(IcalFeedTest, EveryLineEndsInCrlfAndIsAtMost75Octets) {
  IcalCalendar calendar = Fixture();
  // A long venue of two- and three-octet characters, so folds fall near multi-octet sequences.
  std::string venue;
  for (int i = 0; i < 40; ++i) {
    venue += "Ysgol Gymraeg – Neuadd £";
  }
  calendar.meetings[0].meeting.set_venue(venue);
  const std::string text = RenderIcalendar(calendar);
  ASSERT_TRUE(absl::EndsWith(text, "END:VCALENDAR\r\n"));
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(text[i - 1], '\r') << "bare LF at " << i;
    }
  }
  std::vector<std::string> lines = absl::StrSplit(text, "\r\n");
  lines.pop_back();  // After the final CRLF.
  bool folded = false;
  for (const std::string& line : lines) {
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_THAT(line, Not(HasSubstr("\r")));
    folded = folded || absl::StartsWith(line, " ");
  }
  EXPECT_TRUE(folded);
  // Unfolded by a real parser, the venue comes back whole: no UTF-8 sequence was split.
  Calendar parsed = Parse(text);
  icalcomponent* event = EventByUid(parsed.get(), "tenants.wm.bodies.pcp.meetings.2023-03-20@moot");
  ASSERT_NE(event, nullptr);
  EXPECT_EQ(std::string(icalcomponent_get_location(event)), venue);
}

TEST(IcalFeedTest, FoldingSplitsAt75OctetsWithALeadingSpace) {
  struct Case {
    std::string line;
    std::string folded;
  };
  const std::string a75(75, 'a');
  const std::string b74(74, 'b');
  const std::vector<Case> cases = {
      {"", "\r\n"},
      {"SUMMARY:x", "SUMMARY:x\r\n"},
      {a75, a75 + "\r\n"},
      {a75 + "b", a75 + "\r\n b\r\n"},
      {a75 + b74 + "c", a75 + "\r\n " + b74 + "\r\n c\r\n"},
      // "é" is two octets and would straddle octet 75: it moves whole to the next line.
      {std::string(74, 'a') + "é", std::string(74, 'a') + "\r\n é\r\n"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FoldIcalLine(c.line), c.folded) << c.line;
  }
}

TEST(IcalFeedTest, TextEscapingFollowsRfc5545) {
  struct Case {
    std::string in;
    std::string out;
  };
  const std::vector<Case> cases = {
      {"plain", "plain"},
      {"a,b", "a\\,b"},
      {"a;b", "a\\;b"},
      {"a\\b", "a\\\\b"},
      {"line1\nline2", "line1\\nline2"},
      {"line1\r\nline2", "line1\\nline2"},
      {"line1\rline2", "line1\\nline2"},
      {"tab\there", "tab\there"},
      {std::string("bell\x07") + "x", "bellx"},
      {"Budget: \"precept\" £1.5m", "Budget: \"precept\" £1.5m"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(EscapeIcalText(c.in), c.out) << c.in;
  }
  // Round trip through libical.
  IcalCalendar calendar = Fixture();
  const std::string title = "Precept, veto; and \\ more\nsecond line";
  calendar.meetings[0].meeting.set_title(title);
  Calendar parsed = Parse(RenderIcalendar(calendar));
  icalcomponent* event = EventByUid(parsed.get(), "tenants.wm.bodies.pcp.meetings.2023-03-20@moot");
  ASSERT_NE(event, nullptr);
  EXPECT_EQ(std::string(icalcomponent_get_summary(event)), title);
}

TEST(IcalFeedTest, StatusMapping) {
  struct Case {
    v1::MeetingStatus status;
    std::string ical;
  };
  const std::vector<Case> cases = {
      {v1::MEETING_STATUS_SCHEDULED, "CONFIRMED"},
      {v1::MEETING_STATUS_AGENDA_PUBLISHED, "CONFIRMED"},
      {v1::MEETING_STATUS_HELD, "CONFIRMED"},
      {v1::MEETING_STATUS_PROVISIONAL, "TENTATIVE"},
      {v1::MEETING_STATUS_POSTPONED, "TENTATIVE"},
      {v1::MEETING_STATUS_CANCELLED, "CANCELLED"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IcalStatus(c.status), c.ical) << v1::MeetingStatus_Name(c.status);
  }
}

TEST(IcalFeedTest, EtagIsStableForTheSameBytesAndChangesWithThem) {
  const std::string a = RenderIcalendar(Fixture());
  EXPECT_EQ(a, RenderIcalendar(Fixture()));
  EXPECT_EQ(IcalEtag(a), IcalEtag(a));
  EXPECT_EQ(IcalEtag(a).size(), 18u);
  EXPECT_EQ(IcalEtag(a).front(), '"');
  IcalCalendar changed = Fixture();
  changed.meetings[0].meeting.set_sequence(3);
  EXPECT_NE(IcalEtag(a), IcalEtag(RenderIcalendar(changed)));
  // FNV-1a 64 of the empty string: the offset basis.
  EXPECT_EQ(IcalEtag(""), "\"cbf29ce484222325\"");
}

TEST(IcalFeedTest, AgendaLinkJoinsBaseAndName) {
  EXPECT_EQ(AgendaLink("https://x.org/", "tenants/a/bodies/b/meetings/c"),
            "https://x.org/tenants/a/bodies/b/meetings/c");
  EXPECT_EQ(AgendaLink("https://x.org", "tenants/a/bodies/b/meetings/c"),
            "https://x.org/tenants/a/bodies/b/meetings/c");
}

TEST(IcalFeedTest, EmptyCalendarIsStillValid) {
  IcalCalendar calendar;
  calendar.calendar_name = "North Shire";
  Calendar parsed = Parse(RenderIcalendar(calendar));
  ASSERT_NE(parsed, nullptr);
  EXPECT_EQ(icalcomponent_count_errors(parsed.get()), 0);
  EXPECT_EQ(icalcomponent_count_components(parsed.get(), ICAL_VEVENT_COMPONENT), 0);
  EXPECT_NE(icalcomponent_get_first_component(parsed.get(), ICAL_VTIMEZONE_COMPONENT), nullptr);
}

}  // namespace
}  // namespace moot::gateway
