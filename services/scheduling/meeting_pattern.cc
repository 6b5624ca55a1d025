#include "services/scheduling/meeting_pattern.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "libs/status/errors.h"
#include "libs/time/clock.h"

namespace moot::scheduling {
namespace {

constexpr const char* kOrdinals[] = {"", "first", "second", "third", "fourth"};
constexpr const char* kMonths[] = {"",    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// absl::Weekday of a Weekday (WEEKDAY_MONDAY..WEEKDAY_SUNDAY).
absl::Weekday ToAbsl(v1::Weekday day) {
  switch (day) {
    case v1::WEEKDAY_MONDAY:
      return absl::Weekday::monday;
    case v1::WEEKDAY_TUESDAY:
      return absl::Weekday::tuesday;
    case v1::WEEKDAY_WEDNESDAY:
      return absl::Weekday::wednesday;
    case v1::WEEKDAY_THURSDAY:
      return absl::Weekday::thursday;
    case v1::WEEKDAY_FRIDAY:
      return absl::Weekday::friday;
    case v1::WEEKDAY_SATURDAY:
      return absl::Weekday::saturday;
    default:
      return absl::Weekday::sunday;
  }
}

bool ParseHhMm(const std::string& text, int* hour, int* minute) {
  return text.size() == 5 && text[2] == ':' && absl::ascii_isdigit(text[0]) &&
         absl::ascii_isdigit(text[1]) && absl::ascii_isdigit(text[3]) &&
         absl::ascii_isdigit(text[4]) && absl::SimpleAtoi(text.substr(0, 2), hour) &&
         absl::SimpleAtoi(text.substr(3, 2), minute) && *hour < 24 && *minute < 60;
}

bool InMonths(const v1::MeetingPattern& pattern, int month) {
  if (pattern.months().empty()) {
    return true;
  }
  for (int m : pattern.months()) {
    if (m == month) {
      return true;
    }
  }
  return false;
}

}  // namespace

// R-MTG-05: the pattern is configuration, validated like the other rules.
absl::Status ValidateMeetingPattern(const v1::MeetingPattern& pattern, absl::string_view field) {
  if (pattern.weekday() == v1::WEEKDAY_UNSPECIFIED || !v1::Weekday_IsValid(pattern.weekday())) {
    return status::InvalidArgument(absl::StrCat(field, ".weekday"), "is required (MONDAY..SUNDAY)");
  }
  if (pattern.ordinal() != -1 && (pattern.ordinal() < 1 || pattern.ordinal() > 4)) {
    return status::InvalidArgument(absl::StrCat(field, ".ordinal"),
                                   "must be 1..4 (first..fourth) or -1 (last)");
  }
  int hour = 0;
  int minute = 0;
  if (!ParseHhMm(pattern.start_time(), &hour, &minute)) {
    return status::InvalidArgument(absl::StrCat(field, ".start_time"),
                                   "must be a time HH:MM (Europe/London)");
  }
  if (pattern.duration_minutes() < 0 || pattern.duration_minutes() > 720) {
    return status::InvalidArgument(absl::StrCat(field, ".duration_minutes"),
                                   "must be 0..720 (0 = no end time)");
  }
  std::set<int> seen;
  for (int month : pattern.months()) {
    if (month < 1 || month > 12) {
      return status::InvalidArgument(absl::StrCat(field, ".months"),
                                     absl::StrCat("holds ", month, "; months are 1..12"));
    }
    if (!seen.insert(month).second) {
      return status::InvalidArgument(absl::StrCat(field, ".months"),
                                     absl::StrCat("lists month ", month, " twice"));
    }
  }
  if (pattern.venue().size() > 500) {
    return status::InvalidArgument(absl::StrCat(field, ".venue"), "must be at most 500 characters");
  }
  if (pattern.title().size() > 200) {
    return status::InvalidArgument(absl::StrCat(field, ".title"), "must be at most 200 characters");
  }
  return absl::OkStatus();
}

std::optional<absl::CivilDay> PatternDayInMonth(const v1::MeetingPattern& pattern,
                                                absl::CivilMonth month) {
  if (!InMonths(pattern, month.month())) {
    return std::nullopt;
  }
  const absl::Weekday weekday = ToAbsl(pattern.weekday());
  if (pattern.ordinal() == -1) {
    // The last one: the first such weekday on or before the month's last day.
    const absl::CivilDay last = absl::CivilDay(month + 1) - 1;
    return absl::PrevWeekday(last + 1, weekday);
  }
  // The first one is the first such weekday on or after the 1st.
  const absl::CivilDay first = absl::NextWeekday(absl::CivilDay(month) - 1, weekday);
  return first + 7 * (pattern.ordinal() - 1);
}

std::vector<absl::CivilDay> PatternDays(const v1::MeetingPattern& pattern, absl::CivilDay from,
                                        absl::CivilDay to) {
  std::vector<absl::CivilDay> days;
  for (absl::CivilMonth month(from); month <= absl::CivilMonth(to); ++month) {
    std::optional<absl::CivilDay> day = PatternDayInMonth(pattern, month);
    if (day.has_value() && *day >= from && *day <= to) {
      days.push_back(*day);
    }
  }
  return days;
}

std::string DescribePattern(const v1::MeetingPattern& pattern) {
  std::string weekday = v1::Weekday_Name(pattern.weekday()).substr(8);  // After "WEEKDAY_".
  weekday = absl::StrCat(weekday.substr(0, 1), absl::AsciiStrToLower(weekday.substr(1)));
  std::string months = "each month";
  if (!pattern.months().empty()) {
    std::vector<std::string> names;
    for (int m : pattern.months()) {
      names.push_back(m >= 1 && m <= 12 ? kMonths[m] : absl::StrCat(m));
    }
    months = absl::StrJoin(names, ", ");
  }
  const int ordinal = pattern.ordinal();
  return absl::StrCat(
      "the ", ordinal == -1 ? "last" : kOrdinals[ordinal >= 1 && ordinal <= 4 ? ordinal : 0], " ",
      weekday, " of ", months, " at ", pattern.start_time());
}

std::vector<std::string> MeetingWarnings(const v1::Body& body, const v1::Meeting& meeting) {
  std::vector<std::string> warnings;
  const absl::Time start = absl::FromUnixSeconds(meeting.start_time().seconds());
  const absl::CivilSecond local = absl::ToCivilSecond(start, time::London());
  // R-MTG-05 (WARN only, §2.3: the 2023 Board dates break the 2019 rule): an ordinary meeting
  // of a body with a pattern falls on the pattern's day and time.
  if (body.rules().has_meeting_pattern() && meeting.kind() == v1::MEETING_KIND_ORDINARY) {
    const v1::MeetingPattern& pattern = body.rules().meeting_pattern();
    const std::optional<absl::CivilDay> expected =
        PatternDayInMonth(pattern, absl::CivilMonth(local));
    const std::string at = absl::FormatCivilTime(absl::CivilMinute(local)).substr(11);
    if (!expected.has_value() || *expected != absl::CivilDay(local) || at != pattern.start_time()) {
      warnings.push_back(absl::StrCat("MEETING_OFF_PATTERN: ", meeting.local_date(), " ", at,
                                      " is not on the body's pattern, ", DescribePattern(pattern),
                                      " (R-MTG-05)"));
    }
  }
  // R-MTG-06: "the PCC webcasts public board meetings". A draft is not yet public; a cancelled
  // meeting is not held.
  if (body.rules().public_meetings_webcast() && meeting.webcast_url().empty() &&
      meeting.status() != v1::MEETING_STATUS_DRAFT &&
      meeting.status() != v1::MEETING_STATUS_CANCELLED) {
    warnings.push_back(
        "WEBCAST_URL_MISSING: the body's public meetings are webcast but this meeting has no "
        "webcast URL (R-MTG-06)");
  }
  return warnings;
}

}  // namespace moot::scheduling
