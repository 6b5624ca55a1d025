#include "libs/calendar/calendar.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/status/errors.h"
#include "libs/time/clock.h"

namespace moot::calendar {
namespace internal {
extern const char kEnglandAndWalesBankHolidaysCsv[];
}  // namespace internal

namespace {

absl::Status CheckDays(int days) {
  if (days < 0 || days > kMaxDays) {
    return moot::status::InvalidArgument(
        "days", absl::StrCat("must be between 0 and ", kMaxDays, ", got ", days));
  }
  return absl::OkStatus();
}

absl::Status OutOfData(const HolidayCalendar& calendar, absl::CivilDay day) {
  return moot::status::FailedPrecondition(
      "CALENDAR_DATA_RANGE", absl::FormatCivilTime(day),
      absl::StrCat("the bank-holiday calendar covers ", calendar.first_year(), "-",
                   calendar.last_year(), " only"));
}

// Steps one day at a time in `step` direction until `count` working days have been passed;
// returns the last working day reached (or `from` when count is 0).
absl::StatusOr<absl::CivilDay> WalkWorking(const HolidayCalendar& calendar, absl::CivilDay from,
                                           int count, int step) {
  absl::CivilDay day = from;
  while (count > 0) {
    day += step;
    if (!calendar.Covers(day)) return OutOfData(calendar, day);
    if (calendar.IsWorkingDay(day)) --count;
  }
  return day;
}

absl::StatusOr<absl::CivilDay> Count(const HolidayCalendar& calendar, absl::CivilDay from, int days,
                                     DayUnit unit, int step) {
  if (absl::Status s = CheckDays(days); !s.ok()) return s;
  if (!calendar.Covers(from)) return OutOfData(calendar, from);
  switch (unit) {
    case DayUnit::kCalendar:
      return from + step * days;
    case DayUnit::kWorking:
      return WalkWorking(calendar, from, days, step);
    case DayUnit::kClear:
      return WalkWorking(calendar, from, days + 1, step);
  }
  return moot::status::InvalidArgument("unit", "unknown day unit");
}

}  // namespace

absl::string_view EnglandAndWalesBankHolidaysCsv() {
  return internal::kEnglandAndWalesBankHolidaysCsv;
}

absl::StatusOr<std::vector<BankHoliday>> ParseBankHolidayCsv(absl::string_view csv) {
  std::vector<BankHoliday> out;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(csv, '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line == "date,name") continue;
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(line, absl::MaxSplits(',', 1));
    absl::CivilDay day;
    if (!absl::ParseCivilTime(parts.first, &day) || parts.second.empty()) {
      return moot::status::InvalidArgument(
          "csv", absl::StrCat("line ", line_no, ": expected YYYY-MM-DD,name"));
    }
    out.push_back(BankHoliday{day, std::string(parts.second)});
  }
  return out;
}

const std::vector<BankHoliday>& EnglandAndWalesBankHolidays() {
  static const auto* holidays = [] {
    absl::StatusOr<std::vector<BankHoliday>> parsed =
        ParseBankHolidayCsv(EnglandAndWalesBankHolidaysCsv());
    // The CSV is checked by calendar_test; a broken build-time file yields no holidays.
    return new std::vector<BankHoliday>(parsed.ok() ? *std::move(parsed)
                                                    : std::vector<BankHoliday>{});
  }();
  return *holidays;
}

HolidayCalendar::HolidayCalendar()
    : HolidayCalendar(EnglandAndWalesBankHolidays(), kFirstDataYear, kLastDataYear) {}

HolidayCalendar::HolidayCalendar(std::vector<BankHoliday> holidays, int first_year, int last_year)
    : first_year_(first_year), last_year_(last_year) {
  for (BankHoliday& h : holidays) holidays_.emplace(h.day, std::move(h.name));
}

absl::Status HolidayCalendar::AddClosure(absl::CivilDay day, std::string name) {
  if (!Covers(day)) {
    return moot::status::InvalidArgument(
        "closure_day",
        absl::StrCat(absl::FormatCivilTime(day), " is outside ", first_year_, "-", last_year_));
  }
  closures_[day] = std::move(name);
  return absl::OkStatus();
}

bool HolidayCalendar::IsWeekend(absl::CivilDay day) const {
  absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

bool HolidayCalendar::IsBankHoliday(absl::CivilDay day) const { return holidays_.count(day) > 0; }

bool HolidayCalendar::IsClosure(absl::CivilDay day) const { return closures_.count(day) > 0; }

bool HolidayCalendar::IsWorkingDay(absl::CivilDay day) const {
  return !IsWeekend(day) && !IsBankHoliday(day) && !IsClosure(day);
}

bool HolidayCalendar::Covers(absl::CivilDay day) const {
  return day.year() >= first_year_ && day.year() <= last_year_;
}

absl::StatusOr<absl::CivilDay> DayBefore(const HolidayCalendar& calendar, absl::CivilDay meeting,
                                         int days, DayUnit unit) {
  return Count(calendar, meeting, days, unit, -1);
}

absl::StatusOr<absl::CivilDay> DayAfter(const HolidayCalendar& calendar, absl::CivilDay start,
                                        int days, DayUnit unit) {
  return Count(calendar, start, days, unit, +1);
}

absl::StatusOr<absl::Time> DeadlineBefore(const HolidayCalendar& calendar, absl::CivilDay meeting,
                                          int days, DayUnit unit, TimeOfDay cutoff,
                                          const absl::TimeZone& zone) {
  if (cutoff.hour < 0 || cutoff.hour > 23 || cutoff.minute < 0 || cutoff.minute > 59) {
    return moot::status::InvalidArgument("cutoff", "time of day must be between 00:00 and 23:59");
  }
  absl::StatusOr<absl::CivilDay> day = DayBefore(calendar, meeting, days, unit);
  if (!day.ok()) return day.status();
  return absl::FromCivil(
      absl::CivilSecond(day->year(), day->month(), day->day(), cutoff.hour, cutoff.minute, 0),
      zone);
}

absl::StatusOr<absl::Time> DeadlineBefore(const HolidayCalendar& calendar, absl::CivilDay meeting,
                                          int days, DayUnit unit, TimeOfDay cutoff) {
  return DeadlineBefore(calendar, meeting, days, unit, cutoff, moot::time::London());
}

}  // namespace moot::calendar
