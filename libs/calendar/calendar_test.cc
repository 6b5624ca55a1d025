#include "libs/calendar/calendar.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/errors.h"

namespace moot::calendar {
namespace {

using absl::CivilDay;

// --- The shipped data against the standing rules (domain.md §9 item 3) -------------------------

// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
CivilDay Easter(int y) {
  int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25;
  int g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return CivilDay(y, month, day);
}

bool Weekend(CivilDay d) {
  return absl::GetWeekday(d) == absl::Weekday::saturday ||
         absl::GetWeekday(d) == absl::Weekday::sunday;
}

CivilDay FirstMonday(int y, int m) {
  CivilDay d(y, m, 1);
  while (absl::GetWeekday(d) != absl::Weekday::monday) ++d;
  return d;
}

CivilDay LastMonday(int y, int m) {
  CivilDay d = CivilDay(y, m + 1, 1) - 1;
  while (absl::GetWeekday(d) != absl::Weekday::monday) --d;
  return d;
}

// The standing rules: each holiday falling on a weekend moves to the next weekday not already a
// holiday (Christmas on Saturday -> Mon 27 and Tue 28; on Sunday -> Mon 26 and Tue 27).
std::set<CivilDay> StandingRules(int y) {
  std::set<CivilDay> out;
  auto add = [&](CivilDay d) {
    while (Weekend(d) || out.count(d) > 0) ++d;
    out.insert(d);
  };
  add(CivilDay(y, 1, 1));
  out.insert(Easter(y) - 2);  // Good Friday
  out.insert(Easter(y) + 1);  // Easter Monday
  out.insert(FirstMonday(y, 5));
  out.insert(LastMonday(y, 5));
  out.insert(LastMonday(y, 8));
  add(CivilDay(y, 12, 25));
  add(CivilDay(y, 12, 26));
  return out;
}

TEST(BankHolidayData, EasterAlgorithm) {
  EXPECT_EQ(Easter(2019), CivilDay(2019, 4, 21));
  EXPECT_EQ(Easter(2024), CivilDay(2024, 3, 31));
  EXPECT_EQ(Easter(2027), CivilDay(2027, 3, 28));
}

TEST(BankHolidayData, EveryYearMatchesTheStandingRulesExceptTheKnownExceptions) {
  // The known exceptions, listed explicitly.
  const std::vector<std::pair<CivilDay, CivilDay>> moved = {
      {CivilDay(2020, 5, 4), CivilDay(2020, 5, 8)},   // early May moved to Fri 8 May (VE Day)
      {CivilDay(2022, 5, 30), CivilDay(2022, 6, 2)},  // spring moved to Thu 2 June (Jubilee)
  };
  const std::vector<CivilDay> one_offs = {
      CivilDay(2022, 6, 3),   // Platinum Jubilee
      CivilDay(2022, 9, 19),  // State Funeral of Queen Elizabeth II
      CivilDay(2023, 5, 8),   // Coronation of King Charles III
  };
  std::set<CivilDay> expected;
  for (int y = kFirstDataYear; y <= kLastDataYear; ++y) {
    for (CivilDay d : StandingRules(y)) expected.insert(d);
  }
  for (const auto& [from, to] : moved) {
    ASSERT_EQ(expected.erase(from), 1u) << from;
    expected.insert(to);
  }
  for (CivilDay d : one_offs) expected.insert(d);

  std::set<CivilDay> actual;
  for (const BankHoliday& h : EnglandAndWalesBankHolidays()) {
    EXPECT_FALSE(h.name.empty()) << h.day;
    EXPECT_TRUE(actual.insert(h.day).second) << "duplicate " << h.day;
  }
  EXPECT_EQ(actual, expected);
  // 8 per year, plus the three one-offs.
  EXPECT_EQ(actual.size(), 8u * (kLastDataYear - kFirstDataYear + 1) + 3u);
}

TEST(BankHolidayData, SubstituteDaysArePresent) {
  HolidayCalendar cal;
  EXPECT_TRUE(cal.IsBankHoliday(CivilDay(2020, 12, 28)));  // Boxing Day (Sat) substitute
  EXPECT_TRUE(cal.IsBankHoliday(CivilDay(2021, 12, 27)));  // Christmas (Sat) substitute
  EXPECT_TRUE(cal.IsBankHoliday(CivilDay(2021, 12, 28)));  // Boxing Day (Sun) substitute
  EXPECT_TRUE(cal.IsBankHoliday(CivilDay(2022, 1, 3)));    // New Year's Day (Sat) substitute
  EXPECT_TRUE(cal.IsBankHoliday(CivilDay(2023, 1, 2)));    // New Year's Day (Sun) substitute
  EXPECT_FALSE(cal.IsBankHoliday(CivilDay(2020, 5, 4)));   // moved to 8 May
}

TEST(BankHolidayData, CsvIsEmbeddedAndParses) {
  EXPECT_THAT(std::string(EnglandAndWalesBankHolidaysCsv()),
              testing::HasSubstr("2023-05-08,Bank holiday for the coronation of King Charles III"));
  EXPECT_TRUE(ParseBankHolidayCsv(EnglandAndWalesBankHolidaysCsv()).ok());
}

TEST(BankHolidayData, BadCsvIsInvalidArgument) {
  for (const char* csv : {"date,name\n2023-13-01,Nope\n", "date,name\nxyz\n", "2023-01-02,\n"}) {
    absl::StatusOr<std::vector<BankHoliday>> parsed = ParseBankHolidayCsv(csv);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << csv;
  }
}

// --- HolidayCalendar ----------------------------------------------------------------------------

TEST(HolidayCalendar, WorkingDays) {
  HolidayCalendar cal;
  EXPECT_TRUE(cal.IsWorkingDay(CivilDay(2023, 11, 13)));   // Monday
  EXPECT_FALSE(cal.IsWorkingDay(CivilDay(2023, 11, 11)));  // Saturday
  EXPECT_FALSE(cal.IsWorkingDay(CivilDay(2023, 11, 12)));  // Sunday
  EXPECT_FALSE(cal.IsWorkingDay(CivilDay(2023, 12, 25)));  // Christmas Day
  EXPECT_TRUE(cal.IsWorkingDay(CivilDay(2023, 12, 27)));
}

TEST(HolidayCalendar, LocalClosureDay) {
  HolidayCalendar cal;
  ASSERT_TRUE(cal.AddClosure(CivilDay(2023, 2, 20), "Council closure day").ok());
  EXPECT_TRUE(cal.IsClosure(CivilDay(2023, 2, 20)));
  EXPECT_FALSE(cal.IsWorkingDay(CivilDay(2023, 2, 20)));
  EXPECT_FALSE(cal.IsBankHoliday(CivilDay(2023, 2, 20)));
  absl::Status outside = cal.AddClosure(CivilDay(2035, 1, 2), "x");
  EXPECT_EQ(outside.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(outside.message()), testing::StartsWith("closure_day"));
}

// --- Deadlines ----------------------------------------------------------------------------------

struct DayCase {
  const char* name;
  CivilDay meeting;
  int days;
  DayUnit unit;
  CivilDay want;
};

class DayBeforeTest : public testing::TestWithParam<DayCase> {};

TEST_P(DayBeforeTest, Computes) {
  const DayCase& c = GetParam();
  HolidayCalendar cal;
  absl::StatusOr<CivilDay> got = DayBefore(cal, c.meeting, c.days, c.unit);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, c.want) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Worked, DayBeforeTest,
    testing::Values(
        // R-PQ-01: the Panel's "4 days before", domain.md §3.2: Mon 13 Nov 2023 -> Thu 9 Nov.
        DayCase{"PanelPublicQuestions", CivilDay(2023, 11, 13), 4, DayUnit::kCalendar,
                CivilDay(2023, 11, 9)},
        // R-PQ-02: the Board's "seven working days", §3.2: 27, 24, 23, 22, 21, 20, 17 Feb.
        DayCase{"BoardPublicQuestions", CivilDay(2023, 2, 28), 7, DayUnit::kWorking,
                CivilDay(2023, 2, 17)},
        // R-MTG-09 / §9 item 2: five clear working days before Mon 13 Nov 2023. The five whole
        // working days strictly between publication and meeting are Mon 6 .. Fri 10 Nov, so the
        // agenda must be published by the working day before them: Fri 3 Nov 2023. (The
        // walkthrough's "Tue 7 Nov" in domain.md counts five clear *calendar* days 8..12 Nov.)
        DayCase{"AgendaFiveClearWorkingDays", CivilDay(2023, 11, 13), 5, DayUnit::kClear,
                CivilDay(2023, 11, 3)},
        // Christmas / New Year: Tue 2 Jan 2024; 1 Jan, 25 and 26 Dec are holidays:
        // 29 (1), 28 (2), 27 (3), 22 (4), 21 Dec (5).
        DayCase{"ChristmasNewYearWorking", CivilDay(2024, 1, 2), 5, DayUnit::kWorking,
                CivilDay(2023, 12, 21)},
        // Five clear working days across Christmas 2021 (substitute days 27, 28 Dec and 3 Jan
        // 2022): Wed 5 Jan 2022 -> between: 4 Jan, 31, 30, 29, 24 Dec -> deadline Thu 23 Dec.
        DayCase{"ChristmasSubstituteDaysClear", CivilDay(2022, 1, 5), 5, DayUnit::kClear,
                CivilDay(2021, 12, 23)},
        // Easter 2024: Good Friday 29 Mar, Easter Monday 1 Apr: Tue 2 Apr -> 28 (1), 27 (2).
        DayCase{"EasterWorking", CivilDay(2024, 4, 2), 2, DayUnit::kWorking, CivilDay(2024, 3, 27)},
        // Calendar days ignore holidays: Tue 2 Apr 2024 minus 4 days is Good Friday.
        DayCase{"EasterCalendar", CivilDay(2024, 4, 2), 4, DayUnit::kCalendar,
                CivilDay(2024, 3, 29)},
        // Monday meeting after a bank holiday Monday (spring, 29 May 2023): Mon 5 Jun ->
        // 2, 1 Jun, 31, 30 May, (29 holiday), 26 May.
        DayCase{"MondayAfterBankHolidayMonday", CivilDay(2023, 6, 5), 5, DayUnit::kWorking,
                CivilDay(2023, 5, 26)},
        // Tuesday after the bank holiday Monday: 1 working day back skips the Monday and weekend.
        DayCase{"TuesdayAfterBankHolidayMonday", CivilDay(2023, 5, 30), 1, DayUnit::kWorking,
                CivilDay(2023, 5, 26)},
        // The one-off 2022 Jubilee days (Thu 2, Fri 3 Jun): Mon 6 Jun 2022 -> 1 Jun.
        DayCase{"Jubilee", CivilDay(2022, 6, 6), 1, DayUnit::kWorking, CivilDay(2022, 6, 1)},
        // N = 0.
        DayCase{"ZeroCalendar", CivilDay(2023, 11, 13), 0, DayUnit::kCalendar,
                CivilDay(2023, 11, 13)},
        DayCase{"ZeroWorking", CivilDay(2023, 11, 13), 0, DayUnit::kWorking,
                CivilDay(2023, 11, 13)},
        DayCase{"ZeroClear", CivilDay(2023, 11, 13), 0, DayUnit::kClear, CivilDay(2023, 11, 10)},
        DayCase{"MaxCalendar", CivilDay(2024, 3, 1), 366, DayUnit::kCalendar,
                CivilDay(2023, 3, 1)}),
    [](const testing::TestParamInfo<DayCase>& info) { return std::string(info.param.name); });

TEST(DayBefore, LocalClosureDayIsSkipped) {
  // R-PQ-02 with a tenant closure on Mon 20 Feb 2023: the seventh working day moves to 16 Feb.
  HolidayCalendar cal;
  ASSERT_TRUE(cal.AddClosure(CivilDay(2023, 2, 20), "Council closure day").ok());
  absl::StatusOr<CivilDay> got = DayBefore(cal, CivilDay(2023, 2, 28), 7, DayUnit::kWorking);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, CivilDay(2023, 2, 16));
}

TEST(DayAfter, CountsForward) {
  HolidayCalendar cal;
  // "Within 5 working days after" Thu 21 Dec 2023: 22, 27, 28, 29 Dec, 2 Jan 2024.
  absl::StatusOr<CivilDay> working = DayAfter(cal, CivilDay(2023, 12, 21), 5, DayUnit::kWorking);
  ASSERT_TRUE(working.ok()) << working.status();
  EXPECT_EQ(*working, CivilDay(2024, 1, 2));
  absl::StatusOr<CivilDay> clear = DayAfter(cal, CivilDay(2023, 12, 21), 5, DayUnit::kClear);
  ASSERT_TRUE(clear.ok()) << clear.status();
  EXPECT_EQ(*clear, CivilDay(2024, 1, 3));
  absl::StatusOr<CivilDay> calendar = DayAfter(cal, CivilDay(2023, 12, 21), 14, DayUnit::kCalendar);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_EQ(*calendar, CivilDay(2024, 1, 4));
}

// --- Cut-off times in Europe/London (DST) -------------------------------------------------------

struct CutoffCase {
  const char* name;
  CivilDay meeting;
  int days;
  DayUnit unit;
  const char* want_utc;  // RFC 3339
};

class DeadlineTest : public testing::TestWithParam<CutoffCase> {};

TEST_P(DeadlineTest, TwelveNoonLondon) {
  const CutoffCase& c = GetParam();
  HolidayCalendar cal;
  absl::StatusOr<absl::Time> got = DeadlineBefore(cal, c.meeting, c.days, c.unit, {12, 0});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", *got, absl::UTCTimeZone()), c.want_utc)
      << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Dst, DeadlineTest,
    testing::Values(
        // BST starts Sun 26 Mar 2023: Fri 24 Mar is GMT, Mon 27 Mar is BST (UTC+1).
        CutoffCase{"MarchBeforeChange", CivilDay(2023, 3, 27), 1, DayUnit::kWorking,
                   "2023-03-24T12:00:00Z"},
        CutoffCase{"MarchAfterChange", CivilDay(2023, 3, 28), 1, DayUnit::kWorking,
                   "2023-03-27T11:00:00Z"},
        CutoffCase{"MarchChangeDay", CivilDay(2023, 3, 27), 1, DayUnit::kCalendar,
                   "2023-03-26T11:00:00Z"},
        // BST ends Sun 29 Oct 2023: Fri 27 Oct is BST, Mon 30 Oct is GMT.
        CutoffCase{"OctoberBeforeChange", CivilDay(2023, 10, 30), 1, DayUnit::kWorking,
                   "2023-10-27T11:00:00Z"},
        CutoffCase{"OctoberAfterChange", CivilDay(2023, 10, 31), 1, DayUnit::kWorking,
                   "2023-10-30T12:00:00Z"},
        CutoffCase{"OctoberChangeDay", CivilDay(2023, 10, 30), 1, DayUnit::kCalendar,
                   "2023-10-29T12:00:00Z"}),
    [](const testing::TestParamInfo<CutoffCase>& info) { return std::string(info.param.name); });

TEST(DeadlineBefore, BoardDefaultEndOfDay) {
  // §9 item 1: Board {7, WORKING_DAYS, 23:59}: end of Fri 17 Feb 2023 (GMT).
  HolidayCalendar cal;
  absl::StatusOr<absl::Time> got =
      DeadlineBefore(cal, CivilDay(2023, 2, 28), 7, DayUnit::kWorking, TimeOfDay{});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", *got, absl::UTCTimeZone()),
            "2023-02-17T23:59:00Z");
}

// --- Bad input ----------------------------------------------------------------------------------

TEST(BadInput, DaysOutOfRangeIsInvalidArgumentNamingTheField) {
  HolidayCalendar cal;
  for (int days : {-1, -400, kMaxDays + 1, 100000}) {
    for (DayUnit unit : {DayUnit::kCalendar, DayUnit::kWorking, DayUnit::kClear}) {
      absl::StatusOr<CivilDay> got = DayBefore(cal, CivilDay(2023, 11, 13), days, unit);
      ASSERT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << days;
      moot::status::ErrorDetails details = moot::status::Details(got.status());
      ASSERT_EQ(details.field_violations.size(), 1u);
      EXPECT_EQ(details.field_violations[0].field, "days");
      EXPECT_EQ(DayAfter(cal, CivilDay(2023, 11, 13), days, unit).status().code(),
                absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(BadInput, CutoffOutOfRange) {
  HolidayCalendar cal;
  for (TimeOfDay t : {TimeOfDay{24, 0}, TimeOfDay{-1, 0}, TimeOfDay{12, 60}}) {
    absl::StatusOr<absl::Time> got =
        DeadlineBefore(cal, CivilDay(2023, 11, 13), 4, DayUnit::kCalendar, t);
    ASSERT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(moot::status::Details(got.status()).field_violations.at(0).field, "cutoff");
  }
}

TEST(BadInput, OutsideTheDataYearsIsFailedPrecondition) {
  HolidayCalendar cal;
  EXPECT_EQ(DayBefore(cal, CivilDay(2031, 1, 10), 1, DayUnit::kWorking).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DayBefore(cal, CivilDay(2018, 1, 3), 5, DayUnit::kWorking).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DayAfter(cal, CivilDay(2030, 12, 20), 10, DayUnit::kClear).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Working counts of the maximum size stay in range inside the data years.
  EXPECT_TRUE(DayBefore(cal, CivilDay(2025, 6, 2), kMaxDays, DayUnit::kClear).ok());
}

}  // namespace
}  // namespace moot::calendar
