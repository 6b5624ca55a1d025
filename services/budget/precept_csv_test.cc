#include "services/budget/precept_csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "libs/status/errors.h"

namespace moot::budget {
namespace {

TEST(PreceptCsvTest, ParsesTaxBasesAndFundingLines) {
  auto bases = ParseTaxBaseCsv(
      "ID,Title,Tax_Base,Collection_Fund\r\n"
      "birmingham,Birmingham City Council,\"250,000.50\",1000.5\r\n"
      "\n"
      "solihull,Solihull,80000,\r\n");
  ASSERT_TRUE(bases.ok()) << bases.status();
  ASSERT_EQ(bases->size(), 2u);
  EXPECT_EQ((*bases)[0].tax_base_hundredths(), 25000050);
  EXPECT_EQ((*bases)[0].collection_fund_pence(), 100050);
  EXPECT_EQ((*bases)[1].collection_fund_pence(), 0);
  auto lines = ParseFundingLineCsv("id,title,amount\npolice-grant,Police grant,252700000\n");
  ASSERT_TRUE(lines.ok());
  EXPECT_EQ((*lines)[0].amount_pence(), 25270000000);
}

TEST(PreceptCsvTest, ErrorsNameTheLine) {
  struct Case {
    std::string csv;
    std::string message;
  };
  const std::string header = "id,title,tax_base,collection_fund\n";
  const std::vector<Case> cases = {
      {"", "is empty"},
      {"id,name,base\n", "line 1: the header must be"},
      {header, "no rows"},
      {header + "a,A,1\n", "line 2: expected 4 fields, found 3"},
      {header + "a,A,1,0\nB,B,1,0\n", "line 3: id \"B\""},
      {header + "a,A,1,0\na,A,2,0\n", "line 3: duplicate id \"a\""},
      {header + "a,A,-1,0\n", "line 2: tax_base: must not be negative"},
      {header + "a,A,1.234,0\n", "line 2: tax_base: has more than two decimals"},
      {header + "a,A,x,0\n", "line 2: tax_base: must be a number"},
      {header + "\n\na,\"A,1,0\n", "line 4: a quoted field is not closed"},
  };
  for (const auto& c : cases) {
    auto r = ParseTaxBaseCsv(c.csv);
    ASSERT_FALSE(r.ok()) << c.csv;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(status::Details(r.status()).field_violations[0].field, "csv");
    EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr(c.message)) << c.csv;
  }
}

TEST(PreceptCsvTest, BandDwellingsGiveTheTaxBase) {
  // 9 band A dwellings (6/9) + 1 band H (18/9) + 2.5 band D = 6 + 2 + 2.5 = 10.50.
  auto bases = ParseBandDwellingsCsv(
      "id,title,band,dwellings\n"
      "dudley,Dudley,A,9\n"
      "dudley,Dudley,H,1\n"
      "walsall,Walsall,B,1\n"
      "dudley,Dudley,D,2.5\n");
  ASSERT_TRUE(bases.ok()) << bases.status();
  ASSERT_EQ(bases->size(), 2u);
  EXPECT_EQ((*bases)[0].id(), "dudley");
  EXPECT_EQ((*bases)[0].tax_base_hundredths(), 1050);
  EXPECT_EQ((*bases)[1].tax_base_hundredths(), 78);  // 7/9 = 0.777.. -> 0.78
  struct Case {
    std::string row;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"dudley,Dudley,I,9", "line 2: band: unknown band \"I\""},
      {"dudley,Dudley,a,9", "line 2: band: unknown band \"a\""},
      {"dudley,Dudley,A,-1", "line 2: dwellings: must not be negative"},
  };
  for (const auto& c : cases) {
    auto r = ParseBandDwellingsCsv("id,title,band,dwellings\n" + c.row + "\n");
    ASSERT_FALSE(r.ok()) << c.row;
    EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr(c.message)) << c.row;
  }
  auto twice = ParseBandDwellingsCsv("id,title,band,dwellings\na,A,A,1\na,A,A,2\n");
  EXPECT_THAT(std::string(twice.status().message()),
              ::testing::HasSubstr("line 3: duplicate row for \"a\" band A"));
}

TEST(PreceptCsvTest, ExportHasTheStatementBandsAndPerHead) {
  v1::Precept p;
  p.set_name("tenants/wm/precepts/2023-24");
  p.set_year("2023-24");
  auto* s = p.mutable_statement();
  s->set_net_budget_requirement_pence(100000);
  auto* line = s->add_funding_lines();
  line->set_id("grant");
  line->set_title("Police grant, core");
  line->set_amount_pence(60000);
  s->set_council_tax_requirement_pence(40000);
  s->set_has_band_d(true);
  s->set_band_d_pence(20255);
  auto* band = s->add_bands();
  band->set_band("A");
  band->set_ninths(6);
  band->set_amount_pence(13503);
  const std::string csv = ExportStatementCsv(p);
  EXPECT_THAT(csv, ::testing::HasSubstr("\"Police grant, core\",-600.00\n"));
  EXPECT_THAT(csv, ::testing::HasSubstr("Band D,202.55\n"));
  EXPECT_THAT(csv, ::testing::HasSubstr("band,ninths,amount\nA,6/9,135.03\n"));
  const v1::Charts charts = StatementCharts(p);
  ASSERT_EQ(charts.series_size(), 2);
  EXPECT_EQ(charts.series(1).id(), "bands");
  EXPECT_EQ(charts.series(1).points(0).value_pence(), 13503);
}

}  // namespace
}  // namespace moot::budget
