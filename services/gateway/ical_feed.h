// iCalendar (RFC 5545) rendering of a body's or a tenant's public meetings: the text served by
// the gateway at /ical/<tenant>/<body>.ics and /ical/<tenant>.ics. Pure: no I/O, no clock.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "moot/scheduling/v1/scheduling.pb.h"

namespace moot::gateway {

// One meeting of a feed and the display name of the body it belongs to (shown as CATEGORIES).
struct IcalMeeting {
  moot::scheduling::v1::Meeting meeting;
  std::string body_display_name;
};

struct IcalCalendar {
  // X-WR-CALNAME, e.g. "West Midlands Police and Crime Panel".
  std::string calendar_name;
  // Where the public pages live; a meeting's agenda link is <base>/<meeting resource name>.
  std::string public_base_url;
  std::vector<IcalMeeting> meetings;
};

// The whole VCALENDAR: CRLF line endings, lines folded at 75 octets, PRODID, VERSION:2.0,
// CALSCALE:GREGORIAN, METHOD:PUBLISH, X-WR-CALNAME, a VTIMEZONE for Europe/London and one VEVENT
// per meeting in the given order. DRAFT meetings are never rendered (defence in depth: the feed
// is fetched anonymously, so the scheduling service has already left them out).
std::string RenderIcalendar(const IcalCalendar& calendar);

// The VEVENT of one meeting (folded, CRLF-terminated lines).
std::string RenderIcalEvent(const IcalMeeting& meeting, absl::string_view public_base_url);

// The stable UID of a meeting: its resource name with '/' replaced by '.' (ids never hold a
// '.', so distinct names give distinct UIDs) and "@moot" appended.
std::string IcalUid(absl::string_view meeting_name);

// STATUS of a meeting: CANCELLED when cancelled, TENTATIVE when provisional or postponed (held
// only if needed, or its date is not fixed), CONFIRMED otherwise.
absl::string_view IcalStatus(moot::scheduling::v1::MeetingStatus status);

// A TEXT value escaped per RFC 5545 §3.3.11: '\' ';' ',' escaped with a backslash, newlines
// (LF, CRLF or CR) as "\n", other control characters dropped.
std::string EscapeIcalText(absl::string_view text);

// One content line folded per RFC 5545 §3.1: at most 75 octets per physical line (never inside
// a UTF-8 sequence), continuation lines starting with a space, every line ending in CRLF.
std::string FoldIcalLine(absl::string_view line);

// A strong HTTP entity tag for a rendered feed: a quoted 64-bit FNV-1a hash in hex, the same
// for the same bytes in every process.
std::string IcalEtag(absl::string_view body);

// The agenda link of a meeting: `public_base_url` without a trailing '/', then '/', then the
// meeting's resource name.
std::string AgendaLink(absl::string_view public_base_url, absl::string_view meeting_name);

}  // namespace moot::gateway
