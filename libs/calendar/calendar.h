// Working-day calendar and deadline engine (domain.md §3.2, §9 items 1-3; rules R-PQ-01,
// R-PQ-02, R-MTG-09). Pure functions: no clock, no I/O.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace moot::calendar {

// The years covered by the shipped England and Wales bank-holiday data.
inline constexpr int kFirstDataYear = 2018;
inline constexpr int kLastDataYear = 2030;
// The largest N a deadline may count.
inline constexpr int kMaxDays = 366;

struct BankHoliday {
  absl::CivilDay day;
  std::string name;
};

// The CSV (header "date,name") embedded into the binary at build time.
absl::string_view EnglandAndWalesBankHolidaysCsv();
// Parses "date,name" lines (YYYY-MM-DD); INVALID_ARGUMENT naming the line on bad input.
absl::StatusOr<std::vector<BankHoliday>> ParseBankHolidayCsv(absl::string_view csv);
// The embedded data, parsed once, in date order.
const std::vector<BankHoliday>& EnglandAndWalesBankHolidays();

// National bank holidays plus a tenant's local closure days. Not thread-safe for writes;
// concurrent const use is fine.
class HolidayCalendar {
 public:
  // England and Wales bank holidays 2018-2030 (§9 item 3).
  HolidayCalendar();
  // A calendar with exactly these holidays (tests, other jurisdictions).
  explicit HolidayCalendar(std::vector<BankHoliday> holidays, int first_year, int last_year);

  // A local closure day (e.g. a council's extra day off). INVALID_ARGUMENT for a day outside
  // the covered years.
  absl::Status AddClosure(absl::CivilDay day, std::string name);

  bool IsWeekend(absl::CivilDay day) const;
  bool IsBankHoliday(absl::CivilDay day) const;
  bool IsClosure(absl::CivilDay day) const;
  // Not Saturday, Sunday, bank holiday or closure day.
  bool IsWorkingDay(absl::CivilDay day) const;
  // Whether the calendar has data for the day's year.
  bool Covers(absl::CivilDay day) const;
  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }

 private:
  std::map<absl::CivilDay, std::string> holidays_;
  std::map<absl::CivilDay, std::string> closures_;
  int first_year_;
  int last_year_;
};

enum class DayUnit {
  // The date minus N days (R-PQ-01: "4 days before the meeting").
  kCalendar,
  // The Nth working day before the meeting; the meeting day does not count (R-PQ-02).
  kWorking,
  // N whole working days lie strictly between the deadline day and the meeting day (R-MTG-09,
  // §9 item 2): the working day before the Nth working day back.
  kClear,
};

struct TimeOfDay {
  int hour = 23;
  int minute = 59;
};

// The deadline day N units before `meeting`. N=0: CALENDAR and WORKING give the meeting day,
// CLEAR the last working day before it. INVALID_ARGUMENT (field "days") for N < 0 or
// N > kMaxDays; FAILED_PRECONDITION when the count leaves the calendar's data years.
absl::StatusOr<absl::CivilDay> DayBefore(const HolidayCalendar& calendar, absl::CivilDay meeting,
                                         int days, DayUnit unit);
// Counting forward from `start` ("within N working days after"): CALENDAR start + N, WORKING
// the Nth working day after start, CLEAR the working day after the Nth working day after.
absl::StatusOr<absl::CivilDay> DayAfter(const HolidayCalendar& calendar, absl::CivilDay start,
                                        int days, DayUnit unit);
// DayBefore at `cutoff` local time in `zone` (DST-correct). INVALID_ARGUMENT (field
// "cutoff") for a time of day outside 00:00-23:59.
absl::StatusOr<absl::Time> DeadlineBefore(const HolidayCalendar& calendar, absl::CivilDay meeting,
                                          int days, DayUnit unit, TimeOfDay cutoff,
                                          const absl::TimeZone& zone);
// The same in Europe/London.
absl::StatusOr<absl::Time> DeadlineBefore(const HolidayCalendar& calendar, absl::CivilDay meeting,
                                          int days, DayUnit unit, TimeOfDay cutoff);

}  // namespace moot::calendar
