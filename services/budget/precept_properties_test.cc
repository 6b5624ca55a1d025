// Properties of the model and the CSV parsers over many generated inputs (a deterministic
// pseudo-random generator, so a failure reproduces): the statement's identities always hold to
// the penny, and the parsers never crash and either accept or name a line.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "services/budget/precept_csv.h"
#include "services/budget/precept_model.h"

namespace moot::budget {
namespace {

TEST(PreceptPropertiesTest, StatementIdentitiesHoldToThePenny) {
  std::mt19937_64 rng(20240208);
  std::uniform_int_distribution<int64_t> amount(0, 100000000000);  // up to £1bn
  std::uniform_int_distribution<int64_t> base(1, 150000000);       // up to 1.5m Band D equivalents
  std::uniform_int_distribution<int> count(0, 12);
  int checked = 0;
  for (int i = 0; i < 3000; ++i) {
    v1::PreceptInputs in;
    in.set_population(1 + static_cast<int64_t>(rng() % 5000000));
    int64_t funding = 0;
    const int lines = count(rng);
    for (int l = 0; l < lines; ++l) {
      auto* line = in.add_funding_lines();
      line->set_id(absl::StrCat("l", l));
      line->set_amount_pence(amount(rng) / 10);
      funding += line->amount_pence();
    }
    const int authorities = count(rng);
    int64_t fund = 0;
    int64_t tax_base = 0;
    for (int a = 0; a < authorities; ++a) {
      auto* ba = in.add_billing_authorities();
      ba->set_id(absl::StrCat("a", a));
      ba->set_tax_base_hundredths(base(rng) / 10);
      ba->set_collection_fund_pence(static_cast<int64_t>(rng() % 20000000) - 10000000);
      fund += ba->collection_fund_pence();
      tax_base += ba->tax_base_hundredths();
    }
    if (authorities == 0) {
      in.set_tax_base_hundredths(base(rng));
      tax_base = in.tax_base_hundredths();
    }
    in.set_net_budget_requirement_pence(funding + fund + amount(rng));
    auto s = ComputeStatement(in);
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_EQ(s->gross_precept_pence(), in.net_budget_requirement_pence() - funding);
    EXPECT_EQ(s->council_tax_requirement_pence(), s->gross_precept_pence() - fund);
    EXPECT_EQ(s->tax_base_hundredths(), tax_base);
    // Band D is the nearest penny: Band D x base is within half a base of the requirement.
    __extension__ using Int128 = __int128;
    const Int128 raised = static_cast<Int128>(s->band_d_pence()) * tax_base;
    const Int128 wanted = static_cast<Int128>(s->council_tax_requirement_pence()) * 100;
    const Int128 gap = raised > wanted ? raised - wanted : wanted - raised;
    EXPECT_LE(2 * gap, static_cast<Int128>(tax_base)) << i;
    // Bands keep their order and D is Band D.
    ASSERT_EQ(s->bands_size(), 8);
    EXPECT_EQ(s->bands(3).amount_pence(), s->band_d_pence());
    for (int b = 1; b < 8; ++b) {
      EXPECT_LE(s->bands(b - 1).amount_pence(), s->bands(b).amount_pence());
    }
    // The authority precepts add up to Band D x the whole base, within a penny each.
    if (authorities > 0) {
      const int64_t whole =
          s->council_tax_requirement_pence() + s->band_d_rounding_residual_pence();
      const int64_t spread = s->total_precept_due_pence() - whole;
      EXPECT_LE(spread < 0 ? -spread : spread, authorities) << i;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 3000);
}

TEST(PreceptPropertiesTest, CsvParsersNeverCrashAndNameTheLine) {
  std::mt19937_64 rng(1);
  const std::string alphabet = "abz09-,.\"\n\r £AH";
  const std::string seed_csv =
      "id,title,tax_base,collection_fund\nbirmingham,\"Birmingham, City\",250000.50,-10.5\n";
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string csv = seed_csv;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t at = rng() % (csv.size() + 1);
      switch (rng() % 3) {
        case 0:
          csv.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 1:
          if (at < csv.size()) csv.erase(at, 1);
          break;
        default:
          if (at < csv.size()) csv[at] = alphabet[rng() % alphabet.size()];
      }
    }
    for (int kind = 0; kind < 3; ++kind) {
      absl::Status status;
      if (kind == 0) {
        auto r = ParseTaxBaseCsv(csv);
        status = r.status();
        if (r.ok()) {
          ++accepted;
          for (const auto& a : *r) EXPECT_GE(a.tax_base_hundredths(), 0) << csv;
        }
      } else if (kind == 1) {
        status = ParseFundingLineCsv(csv).status();
      } else {
        status = ParseBandDwellingsCsv(csv).status();
      }
      if (!status.ok()) {
        EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
        auto d = status::Details(status);
        ASSERT_FALSE(d.field_violations.empty());
        EXPECT_EQ(d.field_violations[0].field, "csv");
      }
    }
  }
  EXPECT_GT(accepted, 0);  // the mutations keep some files valid
}

}  // namespace
}  // namespace moot::budget
