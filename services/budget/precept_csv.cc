#include "services/budget/precept_csv.h"

#include <limits>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/money/money.h"
#include "libs/status/errors.h"
#include "services/budget/precept_model.h"

namespace moot::budget {
namespace {

// Splits one CSV line into fields; double quotes may enclose a field with commas ("" is a
// quote). INVALID_ARGUMENT when a quote is not closed.
absl::StatusOr<std::vector<std::string>> SplitLine(absl::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          fields.back().push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        fields.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back().push_back(c);
    }
  }
  if (quoted) {
    return absl::InvalidArgumentError("a quoted field is not closed");
  }
  for (auto& f : fields) {
    f = std::string(absl::StripAsciiWhitespace(f));
  }
  return fields;
}

std::string Quote(absl::string_view text) {
  if (text.find_first_of(",\"\n") == absl::string_view::npos) {
    return std::string(text);
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"')
      out += "\"\"";
    else
      out.push_back(c);
  }
  return out + "\"";
}

bool ValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  for (char c : id) {
    if (!(absl::ascii_islower(static_cast<unsigned char>(c)) ||
          absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return false;
    }
  }
  return true;
}

// Reads the rows of a CSV with the expected header, calling `row(fields, line)` for each.
// `unique_ids`: the first column may not repeat (false when a row is keyed by more columns).
template <typename Row>
absl::Status ReadCsv(absl::string_view csv, const std::vector<std::string>& header, Row row,
                     bool unique_ids = true) {
  const auto bad = [](int line, absl::string_view why) {
    return status::InvalidArgument("csv", absl::StrCat("line ", line, ": ", why));
  };
  std::vector<absl::string_view> lines = absl::StrSplit(csv, '\n');
  int number = 0;
  bool seen_header = false;
  std::set<std::string> ids;
  int rows = 0;
  for (absl::string_view raw : lines) {
    ++number;
    absl::string_view line = absl::StripTrailingAsciiWhitespace(raw);
    if (absl::StripAsciiWhitespace(line).empty()) {
      continue;
    }
    auto fields = SplitLine(line);
    if (!fields.ok()) {
      return bad(number, fields.status().message());
    }
    if (!seen_header) {
      std::vector<std::string> lowered;
      for (auto f : *fields) lowered.push_back(absl::AsciiStrToLower(f));
      if (lowered != header) {
        return bad(number, absl::StrCat("the header must be \"", absl::StrJoin(header, ","), "\""));
      }
      seen_header = true;
      continue;
    }
    if (fields->size() != header.size()) {
      return bad(number,
                 absl::StrCat("expected ", header.size(), " fields, found ", fields->size()));
    }
    const std::string& id = (*fields)[0];
    if (!ValidId(id)) {
      return bad(number,
                 absl::StrCat("id \"", id, "\" must be lower-case letters, digits and hyphens"));
    }
    if (unique_ids && !ids.insert(id).second) {
      return bad(number, absl::StrCat("duplicate id \"", id, "\""));
    }
    absl::Status s = row(*fields);
    if (!s.ok()) {
      return bad(number, s.message());
    }
    ++rows;
  }
  if (!seen_header) {
    return status::InvalidArgument("csv", "is empty: expected a header line");
  }
  if (rows == 0) {
    return status::InvalidArgument("csv", "has a header but no rows");
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> Amount(const std::string& text, absl::string_view column) {
  auto value = money::ParseHundredths(text, column);
  if (!value.ok()) {
    return absl::InvalidArgumentError(value.status().message());
  }
  return *value;
}

}  // namespace

absl::StatusOr<std::vector<v1::BillingAuthority>> ParseTaxBaseCsv(absl::string_view csv) {
  std::vector<v1::BillingAuthority> out;
  absl::Status s = ReadCsv(csv, {"id", "title", "tax_base", "collection_fund"},
                           [&](const std::vector<std::string>& f) -> absl::Status {
                             auto base = Amount(f[2], "tax_base");
                             if (!base.ok()) return base.status();
                             if (*base < 0) {
                               return absl::InvalidArgumentError("tax_base: must not be negative");
                             }
                             auto fund = Amount(f[3].empty() ? "0" : f[3], "collection_fund");
                             if (!fund.ok()) return fund.status();
                             v1::BillingAuthority a;
                             a.set_id(f[0]);
                             a.set_title(f[1]);
                             a.set_tax_base_hundredths(*base);
                             a.set_collection_fund_pence(*fund);
                             out.push_back(std::move(a));
                             return absl::OkStatus();
                           });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<v1::FundingLine>> ParseFundingLineCsv(absl::string_view csv) {
  std::vector<v1::FundingLine> out;
  absl::Status s = ReadCsv(csv, {"id", "title", "amount"},
                           [&](const std::vector<std::string>& f) -> absl::Status {
                             auto amount = Amount(f[2], "amount");
                             if (!amount.ok()) return amount.status();
                             v1::FundingLine l;
                             l.set_id(f[0]);
                             l.set_title(f[1]);
                             l.set_amount_pence(*amount);
                             out.push_back(std::move(l));
                             return absl::OkStatus();
                           });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<v1::BillingAuthority>> ParseBandDwellingsCsv(absl::string_view csv) {
  __extension__ using Int128 = __int128;
  std::vector<v1::BillingAuthority> out;
  std::vector<Int128> ninths_sum;  // Σ dwellings (hundredths) x ninths, per authority
  std::map<std::string, size_t> index;
  std::set<std::pair<std::string, std::string>> seen;
  absl::Status s = ReadCsv(
      csv, {"id", "title", "band", "dwellings"},
      [&](const std::vector<std::string>& f) -> absl::Status {
        auto ninths = BandNinths(f[2], "band");
        if (!ninths.ok()) {
          return absl::InvalidArgumentError(ninths.status().message());
        }
        if (!seen.insert({f[0], f[2]}).second) {
          return absl::InvalidArgumentError(
              absl::StrCat("duplicate row for \"", f[0], "\" band ", f[2]));
        }
        auto dwellings = Amount(f[3], "dwellings");
        if (!dwellings.ok()) return dwellings.status();
        if (*dwellings < 0) {
          return absl::InvalidArgumentError("dwellings: must not be negative");
        }
        auto [it, added] = index.emplace(f[0], out.size());
        if (added) {
          v1::BillingAuthority a;
          a.set_id(f[0]);
          a.set_title(f[1]);
          out.push_back(std::move(a));
          ninths_sum.push_back(0);
        }
        ninths_sum[it->second] += static_cast<Int128>(*dwellings) * *ninths;
        return absl::OkStatus();
      },
      /*unique_ids=*/false);
  if (!s.ok()) return s;
  // Band D equivalents = Σ dwellings x ninths / 9, to the hundredth (half away from zero).
  for (size_t i = 0; i < out.size(); ++i) {
    const Int128 q = (ninths_sum[i] * 2 + 9) / 18;  // non-negative: round half up
    if (q > std::numeric_limits<int64_t>::max()) {
      return status::InvalidArgument("csv", absl::StrCat(out[i].id(), ": tax base too large"));
    }
    out[i].set_tax_base_hundredths(static_cast<int64_t>(q));
  }
  return out;
}

std::string ExportStatementCsv(const v1::Precept& p) {
  const v1::PreceptStatement& s = p.statement();
  const auto pounds = [](int64_t pence) { return money::FormatDecimal(pence); };
  std::string out = absl::StrCat("precept,", Quote(p.name()), "\nyear,", p.year(), "\n");
  if (!p.pcc_decision_reference().empty()) {
    // R-KD-08: the PCC's decision that set this budget and precept.
    absl::StrAppend(&out, "pcc_decision,", Quote(p.pcc_decision_reference()), "\n");
  }
  absl::StrAppend(&out, "\n");
  absl::StrAppend(&out, "line,amount\n");
  absl::StrAppend(&out, "Net budget requirement,", pounds(s.net_budget_requirement_pence()), "\n");
  for (const auto& l : s.funding_lines()) {
    absl::StrAppend(&out, Quote(l.title().empty() ? l.id() : l.title()), ",",
                    pounds(-l.amount_pence()), "\n");
  }
  absl::StrAppend(&out, "Gross precept,", pounds(s.gross_precept_pence()), "\n");
  absl::StrAppend(&out, "Collection fund surplus,", pounds(-s.collection_fund_pence()), "\n");
  absl::StrAppend(&out, "Council tax requirement,", pounds(s.council_tax_requirement_pence()),
                  "\n");
  absl::StrAppend(&out, "Resident population,", s.population(), "\n");
  if (s.has_band_d()) {
    absl::StrAppend(&out, "Tax base (Band D equivalents),",
                    money::FormatHundredths(s.tax_base_hundredths()), "\n");
    absl::StrAppend(&out, "Band D,", pounds(s.band_d_pence()), "\n");
    absl::StrAppend(&out, "Band D rounding residual,", pounds(s.band_d_rounding_residual_pence()),
                    "\n");
    absl::StrAppend(&out, "\nband,ninths,amount\n");
    for (const auto& b : s.bands()) {
      absl::StrAppend(&out, b.band(), ",", b.ninths(), "/9,", pounds(b.amount_pence()), "\n");
    }
    if (s.authority_precepts_size() > 0) {
      absl::StrAppend(&out, "\nbilling_authority,tax_base,precept_due\n");
      for (const auto& a : s.authority_precepts()) {
        absl::StrAppend(&out, Quote(a.title().empty() ? a.id() : a.title()), ",",
                        money::FormatHundredths(a.tax_base_hundredths()), ",",
                        pounds(a.precept_due_pence()), "\n");
      }
    }
  }
  absl::StrAppend(&out, "\nper_head,amount\n");
  for (const auto& h : s.per_head()) {
    absl::StrAppend(&out, Quote(h.title().empty() ? h.id() : h.title()), ",",
                    pounds(h.per_head_pence()), "\n");
  }
  absl::StrAppend(&out, "Average cost per person,", pounds(s.average_cost_per_person_pence()),
                  "\n");
  return out;
}

v1::Charts StatementCharts(const v1::Precept& p) {
  const v1::PreceptStatement& s = p.statement();
  v1::Charts charts;
  v1::ChartSeries* money = charts.add_series();
  money->set_id("where_the_money_comes_from");
  money->set_title(absl::StrCat("Where the money comes from, ", p.year()));
  for (const auto& l : s.funding_lines()) {
    v1::ChartPoint* point = money->add_points();
    point->set_label(l.title().empty() ? l.id() : l.title());
    point->set_value_pence(l.amount_pence());
  }
  v1::ChartPoint* tax = money->add_points();
  tax->set_label("Council tax");
  tax->set_value_pence(p.has_statement() ? s.council_tax_requirement_pence()
                                         : p.council_tax_requirement_pence());
  if (s.collection_fund_pence() != 0) {
    v1::ChartPoint* fund = money->add_points();
    fund->set_label("Collection fund surplus");
    fund->set_value_pence(s.collection_fund_pence());
  }
  if (s.has_band_d()) {
    v1::ChartSeries* bands = charts.add_series();
    bands->set_id("bands");
    bands->set_title(absl::StrCat("Police precept by council tax band, ", p.year()));
    for (const auto& b : s.bands()) {
      v1::ChartPoint* point = bands->add_points();
      point->set_label(absl::StrCat("Band ", b.band()));
      point->set_value_pence(b.amount_pence());
    }
  }
  return charts;
}

}  // namespace moot::budget
