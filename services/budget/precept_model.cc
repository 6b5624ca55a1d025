#include "services/budget/precept_model.h"

#include <limits>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/money/money.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::budget {
namespace {

__extension__ using Wide = __int128;

int64_t Saturate(Wide value) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  return value > kMax ? kMax : value < kMin ? kMin : static_cast<int64_t>(value);
}

bool ValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63) {
    return false;
  }
  for (char c : id) {
    if (!(absl::ascii_islower(static_cast<unsigned char>(c)) ||
          absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return false;
    }
  }
  return true;
}

std::string Field(absl::string_view prefix, absl::string_view name) {
  return prefix.empty() ? std::string(name) : absl::StrCat(prefix, ".", name);
}

void AddWarning(v1::PreceptStatement& statement, absl::string_view code, absl::string_view text) {
  v1::Warning* w = statement.add_warnings();
  w->set_code(std::string(code));
  w->set_message(std::string(text));
}

// Compares a stated figure with the computed one; records a mismatch beyond the tolerance.
void Reconcile(v1::PreceptStatement& statement, absl::string_view figure, bool has_stated,
               int64_t stated, int64_t computed, int64_t tolerance) {
  if (!has_stated) {
    return;
  }
  if (auto issue = CheckTotal(figure, {computed}, stated, tolerance)) {
    AddWarning(statement, kReconciliationMismatch,
               absl::StrCat("stated ", figure, " ", money::FormatPounds(stated),
                            " differs from the computed ", money::FormatPounds(computed), " by ",
                            money::FormatPounds(issue->difference_pence())));
    *statement.add_reconciliation() = *std::move(issue);
  }
}

}  // namespace

absl::Status ValidateId(absl::string_view id, absl::string_view field) {
  if (!ValidId(id)) {
    return status::InvalidArgument(field, "must be 1-63 lower-case letters, digits and hyphens");
  }
  return absl::OkStatus();
}

const std::vector<BandRatio>& BandRatios() {
  static const auto* ratios = new std::vector<BandRatio>{
      {'A', 6}, {'B', 7}, {'C', 8}, {'D', 9}, {'E', 11}, {'F', 13}, {'G', 15}, {'H', 18}};
  return *ratios;
}

absl::StatusOr<int> BandNinths(absl::string_view band, absl::string_view field) {
  if (band.size() == 1) {
    for (const BandRatio& r : BandRatios()) {
      if (band[0] == r.band) {
        return r.ninths;
      }
    }
  }
  return status::InvalidArgument(
      field, absl::StrCat("unknown band \"", band, "\"; bands are A, B, C, D, E, F, G and H"));
}

int VetoVotesRequired(int members_at_time) {
  if (members_at_time <= 0) {
    return 0;
  }
  return (2 * members_at_time + 2) / 3;  // ceil(2N/3), domain.md §9 item 5.
}

absl::Status ValidateInputs(const v1::PreceptInputs& in, absl::string_view prefix) {
  if (in.net_budget_requirement_pence() < 0) {
    return status::InvalidArgument(Field(prefix, "net_budget_requirement_pence"),
                                   "must not be negative");
  }
  std::set<std::string> ids;
  for (int i = 0; i < in.funding_lines_size(); ++i) {
    const auto& line = in.funding_lines(i);
    const std::string field = Field(prefix, absl::StrCat("funding_lines[", i, "].id"));
    if (!ValidId(line.id())) {
      return status::InvalidArgument(field, "must be 1-63 lower-case letters, digits and hyphens");
    }
    if (!ids.insert(line.id()).second) {
      return status::InvalidArgument(field, absl::StrCat("duplicate id \"", line.id(), "\""));
    }
  }
  ids.clear();
  for (int i = 0; i < in.billing_authorities_size(); ++i) {
    const auto& ba = in.billing_authorities(i);
    const std::string base = Field(prefix, absl::StrCat("billing_authorities[", i, "]"));
    if (!ValidId(ba.id())) {
      return status::InvalidArgument(base + ".id",
                                     "must be 1-63 lower-case letters, digits and hyphens");
    }
    if (!ids.insert(ba.id()).second) {
      return status::InvalidArgument(base + ".id", absl::StrCat("duplicate id \"", ba.id(), "\""));
    }
    if (ba.tax_base_hundredths() < 0) {
      return status::InvalidArgument(base + ".tax_base_hundredths", "must not be negative");
    }
  }
  if (in.billing_authorities_size() > 0 &&
      (in.tax_base_hundredths() != 0 || in.collection_fund_pence() != 0)) {
    return status::InvalidArgument(
        Field(prefix, "tax_base_hundredths"),
        "give the tax base and collection fund either per billing authority or as totals");
  }
  if (in.tax_base_hundredths() < 0) {
    return status::InvalidArgument(Field(prefix, "tax_base_hundredths"), "must not be negative");
  }
  if (in.population() <= 0) {
    return status::InvalidArgument(Field(prefix, "population"), "must be greater than zero");
  }
  if (in.prior_band_d_pence() < 0) {
    return status::InvalidArgument(Field(prefix, "prior_band_d_pence"), "must not be negative");
  }
  if (in.referendum_limit_pence() < 0) {
    return status::InvalidArgument(Field(prefix, "referendum_limit_pence"), "must not be negative");
  }
  if (in.reconciliation_tolerance_pence() < 0) {
    return status::InvalidArgument(Field(prefix, "reconciliation_tolerance_pence"),
                                   "must not be negative");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::PreceptStatement> ComputeStatement(const v1::PreceptInputs& in,
                                                      absl::string_view prefix) {
  MOOT_RETURN_IF_ERROR(ValidateInputs(in, prefix));
  v1::PreceptStatement s;
  s.set_net_budget_requirement_pence(in.net_budget_requirement_pence());
  int64_t total_funding = 0;
  for (const auto& line : in.funding_lines()) {
    *s.add_funding_lines() = line;
    MOOT_ASSIGN_OR_RETURN(total_funding, money::Add(total_funding, line.amount_pence(), "funding"));
  }
  s.set_total_funding_pence(total_funding);
  // domain.md §7.6(a): gross_precept = net_budget_requirement - Σ grants.
  MOOT_ASSIGN_OR_RETURN(
      int64_t gross, money::Sub(in.net_budget_requirement_pence(), total_funding, "gross_precept"));
  s.set_gross_precept_pence(gross);

  int64_t collection_fund = in.collection_fund_pence();
  int64_t tax_base = in.tax_base_hundredths();
  if (in.billing_authorities_size() > 0) {
    collection_fund = 0;
    tax_base = 0;
    for (const auto& ba : in.billing_authorities()) {
      MOOT_ASSIGN_OR_RETURN(collection_fund, money::Add(collection_fund, ba.collection_fund_pence(),
                                                        "collection_fund"));
      MOOT_ASSIGN_OR_RETURN(tax_base, money::Add(tax_base, ba.tax_base_hundredths(), "tax_base"));
    }
  }
  s.set_collection_fund_pence(collection_fund);
  // council_tax_requirement = gross_precept - collection_fund_surplus.
  MOOT_ASSIGN_OR_RETURN(int64_t requirement,
                        money::Sub(gross, collection_fund, "council_tax_requirement"));
  if (requirement < 0) {
    return status::FailedPrecondition(
        "NEGATIVE_COUNCIL_TAX_REQUIREMENT", Field(prefix, "net_budget_requirement_pence"),
        absl::StrCat("funding and the collection fund exceed the net budget requirement; the "
                     "council tax requirement would be ",
                     money::FormatPounds(requirement)));
  }
  s.set_council_tax_requirement_pence(requirement);
  s.set_tax_base_hundredths(tax_base);

  if (tax_base > 0) {
    s.set_has_band_d(true);
    // Band D = requirement / tax base (LGFA 1992 s.44), to the penny, half away from zero.
    MOOT_ASSIGN_OR_RETURN(
        int64_t band_d,
        money::MulDiv(requirement, 100, tax_base, money::Rounding::kHalfAwayFromZero, "band_d"));
    s.set_band_d_pence(band_d);
    MOOT_ASSIGN_OR_RETURN(
        int64_t raised,
        money::MulDiv(band_d, tax_base, 100, money::Rounding::kHalfAwayFromZero, "band_d_yield"));
    MOOT_ASSIGN_OR_RETURN(int64_t residual, money::Sub(raised, requirement, "residual"));
    s.set_band_d_rounding_residual_pence(residual);
    // Bands A-H at the statutory ninths (§9 item 11).
    for (const BandRatio& r : BandRatios()) {
      MOOT_ASSIGN_OR_RETURN(
          int64_t amount,
          money::MulDiv(band_d, r.ninths, 9, money::Rounding::kHalfAwayFromZero, "band"));
      v1::BandAmount* band = s.add_bands();
      band->set_band(std::string(1, r.band));
      band->set_ninths(r.ninths);
      band->set_amount_pence(amount);
    }
    // The precept due from each billing authority: Band D x its tax base.
    int64_t total_due = 0;
    for (const auto& ba : in.billing_authorities()) {
      MOOT_ASSIGN_OR_RETURN(int64_t due,
                            money::MulDiv(band_d, ba.tax_base_hundredths(), 100,
                                          money::Rounding::kHalfAwayFromZero, "precept_due"));
      v1::AuthorityPrecept* ap = s.add_authority_precepts();
      ap->set_id(ba.id());
      ap->set_title(ba.title());
      ap->set_tax_base_hundredths(ba.tax_base_hundredths());
      ap->set_precept_due_pence(due);
      ap->set_collection_fund_pence(ba.collection_fund_pence());
      MOOT_ASSIGN_OR_RETURN(total_due, money::Add(total_due, due, "precept_due"));
    }
    s.set_total_precept_due_pence(in.billing_authorities_size() > 0 ? total_due : raised);
    // The yield of £1 on Band D is the tax base in pounds; of 1%, Band D/100 x tax base.
    s.set_yield_of_one_pound_pence(tax_base);
    MOOT_ASSIGN_OR_RETURN(
        int64_t one_percent,
        money::MulDiv(band_d, tax_base, 10000, money::Rounding::kHalfAwayFromZero, "yield"));
    s.set_yield_of_one_percent_pence(one_percent);
  }

  // Per head (§4.1): each funding line and the council tax requirement / population, to the
  // penny; the average cost per person is their exact sum / population (no collection fund).
  s.set_population(in.population());
  for (const auto& line : in.funding_lines()) {
    MOOT_ASSIGN_OR_RETURN(int64_t per_head, money::Div(line.amount_pence(), in.population()));
    v1::PerHead* ph = s.add_per_head();
    ph->set_id(line.id());
    ph->set_title(line.title());
    ph->set_amount_pence(line.amount_pence());
    ph->set_per_head_pence(per_head);
  }
  {
    MOOT_ASSIGN_OR_RETURN(int64_t per_head, money::Div(requirement, in.population()));
    v1::PerHead* ph = s.add_per_head();
    ph->set_id("council-tax-requirement");
    ph->set_title("Council tax requirement");
    ph->set_amount_pence(requirement);
    ph->set_per_head_pence(per_head);
  }
  MOOT_ASSIGN_OR_RETURN(int64_t funded, money::Add(total_funding, requirement, "average"));
  MOOT_ASSIGN_OR_RETURN(int64_t average, money::Div(funded, in.population()));
  s.set_average_cost_per_person_pence(average);

  // Change on last year and the referendum check (R-PR-09: government caps the increase).
  s.set_referendum_limit_pence(in.referendum_limit_pence());
  if (s.has_band_d() && in.prior_band_d_pence() > 0) {
    s.set_prior_band_d_pence(in.prior_band_d_pence());
    MOOT_ASSIGN_OR_RETURN(int64_t change,
                          money::Sub(s.band_d_pence(), in.prior_band_d_pence(), "band_d_change"));
    s.set_band_d_change_pence(change);
    v1::Ratio* ratio = s.mutable_band_d_change();
    ratio->set_numerator(change);
    ratio->set_denominator(in.prior_band_d_pence());
    ratio->set_percent(money::PercentString(change, in.prior_band_d_pence(), 3));
    if (in.referendum_limit_pence() > 0 && change > in.referendum_limit_pence()) {
      s.set_referendum_limit_exceeded(true);
      AddWarning(s, kReferendumLimitExceeded,
                 absl::StrCat("Band D rises by ", money::FormatPounds(change),
                              ", more than the year's referendum limit of ",
                              money::FormatPounds(in.referendum_limit_pence())));
    }
  }

  // Reconciliation (§4.10): stated totals that disagree are reported, not trusted.
  const auto& st = in.stated();
  const int64_t tol = in.reconciliation_tolerance_pence();
  Reconcile(s, "total_funding", st.has_total_funding_pence(), st.total_funding_pence(),
            total_funding, tol);
  Reconcile(s, "gross_precept", st.has_gross_precept_pence(), st.gross_precept_pence(), gross, tol);
  Reconcile(s, "council_tax_requirement", st.has_council_tax_requirement_pence(),
            st.council_tax_requirement_pence(), requirement, tol);
  if (s.has_band_d()) {
    Reconcile(s, "band_d", st.has_band_d_pence(), st.band_d_pence(), s.band_d_pence(), tol);
  }
  Reconcile(s, "average_cost_per_person", st.has_average_cost_per_person_pence(),
            st.average_cost_per_person_pence(), average, tol);
  return s;
}

std::optional<v1::Reconciliation> CheckTotal(absl::string_view figure,
                                             const std::vector<int64_t>& parts,
                                             int64_t stated_pence, int64_t tolerance_pence) {
  __extension__ using Int128 = __int128;
  Int128 sum = 0;
  for (int64_t p : parts) {
    sum += p;
  }
  const Int128 difference = static_cast<Int128>(stated_pence) - sum;
  const Int128 magnitude = difference < 0 ? -difference : difference;
  if (magnitude <= tolerance_pence) {
    return std::nullopt;
  }
  v1::Reconciliation r;
  r.set_figure(std::string(figure));
  r.set_stated_pence(stated_pence);
  // Saturated at the int64 range: a sum that large is reported, not wrapped.
  r.set_computed_pence(Saturate(sum));
  r.set_difference_pence(Saturate(difference));
  return r;
}

std::optional<v1::Reconciliation> CheckAllocation(absl::string_view figure,
                                                  const std::vector<int64_t>& allocations,
                                                  int64_t pot_pence) {
  __extension__ using Int128 = __int128;
  Int128 sum = 0;
  for (int64_t a : allocations) {
    sum += a;
  }
  if (sum <= pot_pence) {
    return std::nullopt;
  }
  v1::Reconciliation r;
  r.set_figure(std::string(figure));
  r.set_stated_pence(pot_pence);
  r.set_computed_pence(Saturate(sum));
  r.set_difference_pence(Saturate(static_cast<Int128>(pot_pence) - sum));
  return r;
}

}  // namespace moot::budget
