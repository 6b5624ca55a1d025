#include "services/budget/precept_logic.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/budget/band_d.h"
#include "services/budget/precept_store.h"

namespace moot::budget {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kTenantPattern[] = "tenants/{tenant}";
constexpr char kPreceptPattern[] = "tenants/{tenant}/precepts/{precept}";

}  // namespace

absl::Status ValidatePreceptYear(absl::string_view id) {
  const auto bad = [&] {
    return status::InvalidArgument(
        "precept_id",
        "must be a financial year \"YYYY-YY\" whose second part is the first plus "
        "one, e.g. \"2024-25\"");
  };
  if (id.size() != 7 || id[4] != '-') {
    return bad();
  }
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(id[i]))) {
      return bad();
    }
  }
  const int first = (id[0] - '0') * 1000 + (id[1] - '0') * 100 + (id[2] - '0') * 10 + (id[3] - '0');
  const int second = (id[5] - '0') * 10 + (id[6] - '0');
  if ((first + 1) % 100 != second) {
    return bad();
  }
  return absl::OkStatus();
}

PreceptLogic::PreceptLogic(sql::Database& db, const events::Outbox& outbox,
                           const time::Clock& clock, ids::IdGenerator& ids,
                           const api::PageTokens& page_tokens)
    : db_(db), outbox_(outbox), clock_(clock), ids_(ids), page_tokens_(page_tokens) {}

absl::Status PreceptLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("budget", PreceptStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::Outbox::Migrate(db_);
}

absl::StatusOr<v1::Precept> PreceptLogic::CreatePrecept(const auth::Principal& principal,
                                                        const v1::CreatePreceptRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kFinanceOfficer, auth::Role::kPccOffice}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_RETURN_IF_ERROR(ValidatePreceptYear(request.precept_id()));
  const v1::Precept& in = request.precept();
  if (in.council_tax_requirement_pence() < 0) {
    return status::InvalidArgument("precept.council_tax_requirement_pence", "must not be negative");
  }
  if (in.tax_base_hundredths() <= 0) {
    return status::InvalidArgument("precept.tax_base_hundredths", "must be greater than zero");
  }
  MOOT_ASSIGN_OR_RETURN(int64_t band_d,
                        BandDPence(in.council_tax_requirement_pence(), in.tax_base_hundredths()));

  v1::Precept precept;
  precept.set_name(api::FormatName(kPreceptPattern, {parent.tenant(), request.precept_id()}));
  precept.set_year(request.precept_id());
  precept.set_council_tax_requirement_pence(in.council_tax_requirement_pence());
  precept.set_tax_base_hundredths(in.tax_base_hundredths());
  precept.set_band_d_pence(band_d);
  *precept.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now()));

  v1::Precept result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "CreatePrecept",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(PreceptStore::Insert(tx, parent.tenant(), request.precept_id(), precept));
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "budget", "precept.created", parent.tenant(),
                              precept.name(), precept, /*is_public=*/true)));
    result = precept;
    return api::RequestLog::Record(tx, parent.tenant(), "CreatePrecept", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Precept> PreceptLogic::GetPrecept(const auth::Principal& principal,
                                                     const v1::GetPreceptRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kPreceptPattern, request.name(), "name"));
  v1::Precept precept;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        precept, PreceptStore::Get(conn, name.tenant(), name.Get("precept"), request.name()));
    return absl::OkStatus();
  }));
  return precept;
}

absl::StatusOr<v1::ListPreceptsResponse> PreceptLogic::ListPrecepts(
    const auth::Principal& principal, const v1::ListPreceptsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("budget.ListPrecepts|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListPreceptsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto page, PreceptStore::List(conn, parent.tenant(), after, page_size));
    for (auto& precept : page.items) {
      *response.add_precepts() = std::move(precept);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace moot::budget
