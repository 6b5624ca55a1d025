#include "services/decisions/minute_numbers.h"

#include <gtest/gtest.h>

namespace moot::decisions {
namespace {

// R-MIN-03 (running numbers) and R-MIN-05 (per-year "%03d/%02d").
TEST(MinuteNumbersTest, DisplayAndIdFollowTheScheme) {
  struct Case {
    v1::NumberingScheme scheme;
    int64_t number;
    std::string date, display, id, scope;
  };
  const std::vector<Case> cases = {
      {v1::NUMBERING_SCHEME_RUNNING_INT, 746, "2023-09-11", "746", "746", ""},
      {v1::NUMBERING_SCHEME_RUNNING_INT, 756, "2023-11-13", "756", "756", ""},
      {v1::NUMBERING_SCHEME_RUNNING_INT, 1, "2024-01-01", "1", "1", ""},
      {v1::NUMBERING_SCHEME_SEQ_PER_YEAR, 1, "2023-01-24", "001/23", "001-23", "2023"},
      {v1::NUMBERING_SCHEME_SEQ_PER_YEAR, 10, "2023-02-28", "010/23", "010-23", "2023"},
      {v1::NUMBERING_SCHEME_SEQ_PER_YEAR, 12, "2022-12-20", "012/22", "012-22", "2022"},
      {v1::NUMBERING_SCHEME_SEQ_PER_YEAR, 1234, "2030-06-01", "1234/30", "1234-30", "2030"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DisplayNumber(c.scheme, c.number, c.date), c.display) << c.display;
    EXPECT_EQ(EntryId(c.scheme, c.number, c.date), c.id) << c.display;
    EXPECT_EQ(NumberScope(c.scheme, c.date), c.scope) << c.display;
  }
}

// R-MIN-04: clauses i, ii, iii in either case.
TEST(MinuteNumbersTest, ClausesParseInEitherCase) {
  const std::vector<std::pair<std::string, std::optional<int>>> cases = {
      {"i", 1},
      {"I", 1},
      {"ii", 2},
      {"II", 2},
      {"iii", 3},
      {"III", 3},
      {"iv", 4},
      {"iV", 4},
      {"ix", 9},
      {"xiv", 14},
      {"", std::nullopt},
      {"iiii", std::nullopt},
      {"a", std::nullopt},
      {"ii ", std::nullopt},
      {"2", std::nullopt},
      {"vv", std::nullopt},
  };
  for (const auto& [text, want] : cases) {
    EXPECT_EQ(ParseClause(text), want) << "'" << text << "'";
  }
  EXPECT_EQ(FormatClause(3, v1::CLAUSE_STYLE_LOWER_ROMAN), "iii");
  EXPECT_EQ(FormatClause(2, v1::CLAUSE_STYLE_UPPER_ROMAN), "II");
  EXPECT_EQ(FormatClause(4, v1::CLAUSE_STYLE_UNSPECIFIED), "iv");
}

// R-ACT-04 and domain.md §8 A2: every reference form the November 2023 tracker uses.
TEST(MinuteNumbersTest, ActionRefsParseTolerantly) {
  struct Case {
    std::string ref;
    std::optional<std::string> canonical;
    std::string id;
  };
  const std::vector<Case> cases = {
      {"620", "620", "620"},
      {"693 ii", "693 ii", "693-ii"},
      {"698iii", "698 iii", "698-iii"},
      {"751ii", "751 ii", "751-ii"},
      {"751 iii", "751 iii", "751-iii"},
      {"687 iii a", "687 iii a", "687-iii-a"},
      {"687 iii d", "687 iii d", "687-iii-d"},
      {"687iiib", "687 iii b", "687-iii-b"},
      {"710i", "710 i", "710-i"},
      {"754iii", "754 iii", "754-iii"},
      {" 749 II ", "749 ii", "749-ii"},
      {"", std::nullopt, ""},
      {"ii", std::nullopt, ""},
      {"751 iiii", std::nullopt, ""},
      {"751 a", std::nullopt, ""},
      {"751 ii ab", std::nullopt, ""},
      {"0", std::nullopt, ""},
      {"751/23", std::nullopt, ""},
  };
  for (const auto& c : cases) {
    auto parsed = ParseActionRef(c.ref);
    ASSERT_EQ(parsed.has_value(), c.canonical.has_value()) << "'" << c.ref << "'";
    if (parsed) {
      EXPECT_EQ(parsed->Canonical(), *c.canonical) << c.ref;
      EXPECT_EQ(parsed->Id(), c.id) << c.ref;
    }
  }
}

}  // namespace
}  // namespace moot::decisions
