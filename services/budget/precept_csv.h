// CSV import of tax bases and funding lines (issue 5 point 7), CSV export of a year's statement,
// band table and per-head table, and the chart series a page draws (point 8). Pure.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "moot/budget/v1/budget.pb.h"

namespace moot::budget {

// "id,title,tax_base,collection_fund" with a header line; tax base in Band D equivalents and the
// collection fund in pounds, each with up to two decimals. INVALID_ARGUMENT naming "csv" with
// "line N: ..." for the first bad line (1-based, the header is line 1).
absl::StatusOr<std::vector<v1::BillingAuthority>> ParseTaxBaseCsv(absl::string_view csv);

// "id,title,band,dwellings": each billing authority's dwellings (after discounts, up to two
// decimals) per band A-H, one row per authority and band; the tax base of each authority is
// Σ dwellings x the band's ninths / 9 in Band D equivalents, to the hundredth. An unknown band
// is an error naming the line.
absl::StatusOr<std::vector<v1::BillingAuthority>> ParseBandDwellingsCsv(absl::string_view csv);

// "id,title,amount" with a header line; amounts in pounds (income positive).
absl::StatusOr<std::vector<v1::FundingLine>> ParseFundingLineCsv(absl::string_view csv);

// The statement ("where the money comes from"), the bands A-H, the billing authorities and the
// per-head table as CSV sections separated by blank lines; amounts in pounds ("569850000.00").
std::string ExportStatementCsv(const v1::Precept& precept);

// "where_the_money_comes_from" (each funding line and the council tax requirement) and "bands"
// (A-H, when the year has a Band D).
v1::Charts StatementCharts(const v1::Precept& precept);

}  // namespace moot::budget
