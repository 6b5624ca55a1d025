#include "services/gateway/ical_feed.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "libs/time/clock.h"

namespace moot::gateway {
namespace {

namespace v1 = moot::scheduling::v1;

constexpr char kCrlf[] = "\r\n";
constexpr size_t kMaxLineOctets = 75;

// Europe/London as an RFC 5545 VTIMEZONE: GMT in winter, BST from the last Sunday of March at
// 01:00 UTC to the last Sunday of October at 01:00 UTC (the EU rule the UK keeps). DTSTART of
// each observance is in the local time it is left from.
constexpr char kLondonTimezone[] =
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/London\r\n"
    "X-LIC-LOCATION:Europe/London\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0000\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:BST\r\n"
    "DTSTART:19700329T010000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0000\r\n"
    "TZNAME:GMT\r\n"
    "DTSTART:19701025T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n";

absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

// DATE-TIME in UTC form: 20231113T140000Z.
std::string UtcDateTime(const google::protobuf::Timestamp& ts) {
  return absl::FormatTime("%Y%m%dT%H%M%SZ", ToTime(ts), absl::UTCTimeZone());
}

// DATE-TIME in Europe/London local form, to go with TZID=Europe/London: 20231113T140000.
std::string LondonDateTime(const google::protobuf::Timestamp& ts) {
  return absl::FormatTime("%Y%m%dT%H%M%S", ToTime(ts), moot::time::London());
}

// A URI value: no escaping in RFC 5545, but a control character would break the line
// structure, so any is dropped.
std::string UriValue(absl::string_view uri) {
  std::string out;
  for (char c : uri) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) {
      out.push_back(c);
    }
  }
  return out;
}

// A quoted parameter value (RFC 5545 §3.1 quoted-string): no DQUOTE and no control character.
std::string QuotedParam(absl::string_view value) {
  std::string out;
  for (char c : value) {
    if (c != '"' && (c == '\t' || (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f))) {
      out.push_back(c);
    }
  }
  return out;
}

// Whether `c` continues a UTF-8 sequence (10xxxxxx).
bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

void AddLine(std::string& out, absl::string_view name, absl::string_view value) {
  out += FoldIcalLine(absl::StrCat(name, ":", value));
}

}  // namespace

std::string EscapeIcalText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\r':
        // CRLF is one newline; a lone CR is one too.
        if (i + 1 < text.size() && text[i + 1] == '\n') {
          ++i;
        }
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (c == '\t' || (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f)) {
          out.push_back(c);
        }
        break;
    }
  }
  return out;
}

std::string FoldIcalLine(absl::string_view line) {
  std::string out;
  out.reserve(line.size() + line.size() / 70 * 3 + 2);
  size_t pos = 0;
  bool first = true;
  while (pos < line.size()) {
    // A continuation line's leading space counts towards its 75 octets.
    const size_t room = first ? kMaxLineOctets : kMaxLineOctets - 1;
    size_t end = std::min(line.size(), pos + room);
    // Never split a UTF-8 sequence: back off to the start of the character.
    while (end < line.size() && end > pos && IsUtf8Continuation(line[end])) {
      --end;
    }
    if (end == pos) {  // Not UTF-8 at all; split where the octet limit says.
      end = std::min(line.size(), pos + room);
    }
    if (!first) {
      out.push_back(' ');
    }
    out.append(line.data() + pos, end - pos);
    out += kCrlf;
    pos = end;
    first = false;
  }
  if (first) {
    out += kCrlf;
  }
  return out;
}

std::string IcalUid(absl::string_view meeting_name) {
  return absl::StrCat(absl::StrReplaceAll(meeting_name, {{"/", "."}}), "@moot");
}

absl::string_view IcalStatus(v1::MeetingStatus status) {
  switch (status) {
    case v1::MEETING_STATUS_CANCELLED:
      return "CANCELLED";
    case v1::MEETING_STATUS_PROVISIONAL:
    case v1::MEETING_STATUS_POSTPONED:
      return "TENTATIVE";
    default:
      return "CONFIRMED";
  }
}

std::string AgendaLink(absl::string_view public_base_url, absl::string_view meeting_name) {
  absl::string_view base = public_base_url;
  while (!base.empty() && base.back() == '/') {
    base.remove_suffix(1);
  }
  return absl::StrCat(base, "/", meeting_name);
}

std::string RenderIcalEvent(const IcalMeeting& item, absl::string_view public_base_url) {
  const v1::Meeting& m = item.meeting;
  std::string out;
  out += "BEGIN:VEVENT\r\n";
  AddLine(out, "UID", IcalUid(m.name()));
  // DTSTAMP: when the meeting last changed, so that a render of unchanged data is identical
  // (and its ETag stable).
  const google::protobuf::Timestamp& stamp = m.has_update_time()   ? m.update_time()
                                             : m.has_create_time() ? m.create_time()
                                                                   : m.start_time();
  AddLine(out, "DTSTAMP", UtcDateTime(stamp));
  AddLine(out, "DTSTART;TZID=Europe/London", LondonDateTime(m.start_time()));
  if (m.has_end_time() && ToTime(m.end_time()) > ToTime(m.start_time())) {
    AddLine(out, "DTEND;TZID=Europe/London", LondonDateTime(m.end_time()));
  }
  AddLine(out, "SEQUENCE", absl::StrCat(std::max(0, m.sequence())));
  AddLine(out, "STATUS", IcalStatus(m.status()));
  AddLine(out, "SUMMARY", EscapeIcalText(m.title()));
  if (!m.venue().empty()) {
    AddLine(out, "LOCATION", EscapeIcalText(m.venue()));
  }
  if (!item.body_display_name.empty()) {
    AddLine(out, "CATEGORIES", EscapeIcalText(item.body_display_name));
  }
  // ORGANIZER (required by METHOD:PUBLISH, RFC 5546 §3.2.1): the body, by its public page.
  const size_t meetings_at = m.name().find("/meetings/");
  const std::string body_link =
      AgendaLink(public_base_url,
                 meetings_at == std::string::npos ? m.name() : m.name().substr(0, meetings_at));
  AddLine(out,
          item.body_display_name.empty()
              ? std::string("ORGANIZER")
              : absl::StrCat("ORGANIZER;CN=\"", QuotedParam(item.body_display_name), "\""),
          UriValue(body_link));
  const std::string agenda = AgendaLink(public_base_url, m.name());
  AddLine(out, "URL", UriValue(agenda));
  std::string description = absl::StrCat("Agenda: ", agenda);
  if (!m.webcast_url().empty()) {
    absl::StrAppend(
        &description, "\nWebcast",
        m.webcast_provider().empty() ? "" : absl::StrCat(" (", m.webcast_provider(), ")"), ": ",
        m.webcast_url());
  }
  if (m.status() == v1::MEETING_STATUS_CANCELLED || m.status() == v1::MEETING_STATUS_POSTPONED) {
    absl::StrAppend(&description, "\n",
                    m.status() == v1::MEETING_STATUS_CANCELLED ? "Cancelled" : "Postponed",
                    m.status_reason().empty() ? "" : absl::StrCat(": ", m.status_reason()));
  }
  AddLine(out, "DESCRIPTION", EscapeIcalText(description));
  out += "END:VEVENT\r\n";
  return out;
}

std::string RenderIcalendar(const IcalCalendar& calendar) {
  std::string out;
  out += "BEGIN:VCALENDAR\r\n";
  AddLine(out, "PRODID", "-//Moot//Moot meeting calendar//EN");
  AddLine(out, "VERSION", "2.0");
  AddLine(out, "CALSCALE", "GREGORIAN");
  AddLine(out, "METHOD", "PUBLISH");
  AddLine(out, "X-WR-CALNAME", EscapeIcalText(calendar.calendar_name));
  AddLine(out, "X-WR-TIMEZONE", "Europe/London");
  out += kLondonTimezone;
  for (const IcalMeeting& meeting : calendar.meetings) {
    if (meeting.meeting.status() == v1::MEETING_STATUS_DRAFT) {
      continue;
    }
    out += RenderIcalEvent(meeting, calendar.public_base_url);
  }
  out += "END:VCALENDAR\r\n";
  return out;
}

std::string IcalEtag(absl::string_view body) {
  uint64_t hash = 14695981039346656037ULL;
  for (char c : body) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return absl::StrFormat("\"%016x\"", hash);
}

}  // namespace moot::gateway
