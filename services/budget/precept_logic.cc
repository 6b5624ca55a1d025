#include "services/budget/precept_logic.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/budget/band_d.h"
#include "services/budget/panel_review.h"
#include "services/budget/precept_csv.h"
#include "services/budget/precept_cycle.h"
#include "services/budget/precept_model.h"
#include "services/budget/precept_store.h"

namespace moot::budget {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kTenantPattern[] = "tenants/{tenant}";
constexpr char kPreceptPattern[] = "tenants/{tenant}/precepts/{precept}";
constexpr char kBodyPattern[] = "tenants/{tenant}/bodies/{body}";

const std::vector<auth::Role>& Writers() {
  static const auto* roles =
      new std::vector<auth::Role>{auth::Role::kFinanceOfficer, auth::Role::kPccOffice};
  return *roles;
}
const std::vector<auth::Role>& PanelOfficers() {
  static const auto* roles = new std::vector<auth::Role>{auth::Role::kOfficer};
  return *roles;
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}
absl::Time TimeOr(const google::protobuf::Timestamp& ts, bool has) {
  return has ? absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(ts)) : absl::InfinitePast();
}

// Validates body, planned meetings, and inputs, and computes the derived figures.
absl::Status Complete(v1::Precept& precept, const std::string& tenant, absl::string_view prefix) {
  if (!precept.body().empty()) {
    auto body =
        api::ResourceName::Parse(kBodyPattern, precept.body(), absl::StrCat(prefix, ".body"));
    if (!body.ok()) {
      return body.status();
    }
    if (body->tenant() != tenant) {
      return status::InvalidArgument(absl::StrCat(prefix, ".body"),
                                     "must be a body of the precept's tenant");
    }
  }
  for (int i = 0; i < precept.planned_meetings_size(); ++i) {
    const auto& m = precept.planned_meetings(i);
    const std::string field = absl::StrCat(prefix, ".planned_meetings[", i, "]");
    if (m.step() == v1::TIMETABLE_STEP_UNSPECIFIED) {
      return status::InvalidArgument(field + ".step", "is required");
    }
    absl::CivilDay day;
    if (!absl::ParseCivilTime(m.date(), &day)) {
      return status::InvalidArgument(field + ".date", "must be a date \"YYYY-MM-DD\"");
    }
    if (!m.meeting().empty() &&
        !absl::StartsWith(m.meeting(), absl::StrCat("tenants/", tenant, "/bodies/"))) {
      return status::InvalidArgument(field + ".meeting", "must be a meeting of the tenant");
    }
  }
  // R-KD-08: the budget and precept are themselves a PCC decision; link it by its reference.
  precept.clear_pcc_decision();
  if (!precept.pcc_decision_reference().empty()) {
    MOOT_ASSIGN_OR_RETURN(
        std::string reference,
        NormalizeDecisionReference(precept.pcc_decision_reference(),
                                   absl::StrCat(prefix, ".pcc_decision_reference")));
    precept.set_pcc_decision_reference(reference);
    precept.set_pcc_decision(DecisionName(tenant, reference));
  }
  precept.clear_statement();
  if (precept.has_inputs()) {
    MOOT_ASSIGN_OR_RETURN(*precept.mutable_statement(),
                          ComputeStatement(precept.inputs(), absl::StrCat(prefix, ".inputs")));
    const auto& s = precept.statement();
    precept.set_council_tax_requirement_pence(s.council_tax_requirement_pence());
    precept.set_tax_base_hundredths(s.tax_base_hundredths());
    precept.set_band_d_pence(s.has_band_d() ? s.band_d_pence() : 0);
    return absl::OkStatus();
  }
  if (precept.council_tax_requirement_pence() < 0) {
    return status::InvalidArgument(absl::StrCat(prefix, ".council_tax_requirement_pence"),
                                   "must not be negative");
  }
  if (precept.tax_base_hundredths() <= 0) {
    return status::InvalidArgument(absl::StrCat(prefix, ".tax_base_hundredths"),
                                   "must be greater than zero");
  }
  MOOT_ASSIGN_OR_RETURN(int64_t band_d, BandDPence(precept.council_tax_requirement_pence(),
                                                   precept.tax_base_hundredths()));
  precept.set_band_d_pence(band_d);
  return absl::OkStatus();
}

// The report shows the year's information requests (R-PR-11) and the review's warnings
// (R-PR-03, R-PR-12, R-PR-11); both are output only.
void FinishReview(const v1::Precept& p, v1::PanelReport& report) {
  report.clear_information_requests();
  report.clear_warnings();
  std::vector<v1::InformationRequest> requests(p.information_requests().begin(),
                                               p.information_requests().end());
  for (const auto& r : requests) {
    *report.add_information_requests() = r;
  }
  for (auto& w : ReviewWarnings(report, requests)) {
    *report.add_warnings() = std::move(w);
  }
}

std::shared_ptr<google::protobuf::Message> Changed(const v1::Precept& precept) {
  auto payload = std::make_shared<v1::PreceptChanged>();
  *payload->mutable_precept() = precept;
  return payload;
}

}  // namespace

absl::Status ValidatePreceptYear(absl::string_view id, absl::string_view field) {
  const auto bad = [&] {
    return status::InvalidArgument(
        field,
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

bool CanReadDrafts(const auth::Principal& p) {
  return !p.IsAnonymous() &&
         (p.HasRole(auth::Role::kMember) || p.HasRole(auth::Role::kOfficer) ||
          p.HasRole(auth::Role::kFinanceOfficer) || p.HasRole(auth::Role::kPccOffice) ||
          p.HasRole(auth::Role::kTenantAdmin));
}

PreceptLogic::PreceptLogic(sql::Database& db, const events::Outbox& outbox,
                           const time::Clock& clock, ids::IdGenerator& ids,
                           const api::PageTokens& page_tokens, const VoteLookup& votes,
                           const MeetingDirectory* meetings)
    : db_(db),
      outbox_(outbox),
      clock_(clock),
      ids_(ids),
      page_tokens_(page_tokens),
      votes_(votes),
      meetings_(meetings) {}

absl::Status PreceptLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("budget", PreceptStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::Outbox::Migrate(db_);
}

absl::StatusOr<v1::Precept> PreceptLogic::CreatePrecept(const auth::Principal& principal,
                                                        const v1::CreatePreceptRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, Writers()));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_RETURN_IF_ERROR(ValidatePreceptYear(request.precept_id()));
  const v1::Precept& in = request.precept();
  v1::Precept precept;
  precept.set_name(api::FormatName(kPreceptPattern, {parent.tenant(), request.precept_id()}));
  precept.set_year(request.precept_id());
  precept.set_council_tax_requirement_pence(in.council_tax_requirement_pence());
  precept.set_tax_base_hundredths(in.tax_base_hundredths());
  if (in.has_inputs()) {
    *precept.mutable_inputs() = in.inputs();
  }
  precept.set_body(in.body());
  precept.set_published(in.published());
  *precept.mutable_planned_meetings() = in.planned_meetings();
  precept.set_pcc_decision_reference(in.pcc_decision_reference());
  MOOT_RETURN_IF_ERROR(Complete(precept, parent.tenant(), "precept"));
  precept.set_state(v1::PRECEPT_STATE_DRAFT);
  precept.set_etag("1");
  *precept.mutable_create_time() = ToProto(clock_.Now());
  *precept.mutable_update_time() = precept.create_time();

  v1::Precept result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "CreatePrecept",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(PreceptStore::Insert(tx, parent.tenant(), request.precept_id(), precept));
    // Drafts are not public: the event is public only for a published statement.
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "budget", "precept.created", parent.tenant(),
                              precept.name(), precept, /*is_public=*/precept.published())));
    result = precept;
    return api::RequestLog::Record(tx, parent.tenant(), "CreatePrecept", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Precept> PreceptLogic::Read(const auth::Principal& principal,
                                               const std::string& name_text) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, name_text, auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kPreceptPattern, name_text, "name"));
  v1::Precept precept;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(precept,
                          PreceptStore::Get(conn, name.tenant(), name.Get("precept"), name_text));
    return absl::OkStatus();
  }));
  // The public reads issued precepts and published statements only; a draft does not exist
  // for them.
  if (!precept.published() && !CanReadDrafts(principal)) {
    return status::NotFound(name_text);
  }
  return precept;
}

absl::StatusOr<v1::Precept> PreceptLogic::GetPrecept(const auth::Principal& principal,
                                                     const v1::GetPreceptRequest& request) {
  return Read(principal, request.name());
}

absl::StatusOr<v1::ListPreceptsResponse> PreceptLogic::ListPrecepts(
    const auth::Principal& principal, const v1::ListPreceptsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const bool published_only = !CanReadDrafts(principal);
  const std::string binding = absl::StrCat("budget.ListPrecepts|", request.parent(), "|",
                                           published_only ? "public" : "all");
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListPreceptsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        auto page, PreceptStore::List(conn, parent.tenant(), after, page_size, published_only));
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

absl::StatusOr<v1::Precept> PreceptLogic::Mutate(
    const auth::Principal& principal, const google::protobuf::Message& request,
    absl::string_view method, const std::string& name_text, const std::string& etag,
    const std::string& request_id, const std::vector<auth::Role>& roles, const Change& change) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, name_text));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, roles));
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kPreceptPattern, name_text, "name"));
  v1::Precept result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed, api::RequestLog::Replay(tx, name.tenant(), method,
                                                                 request_id, request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(
        auto found, PreceptStore::GetVersioned(tx, name.tenant(), name.Get("precept"), name_text));
    v1::Precept precept = std::move(found.first);
    if (!etag.empty() && etag != precept.etag()) {
      // FAILED_PRECONDITION, not ABORTED: Transact retries ABORTED (docs/development.md).
      return status::FailedPrecondition(
          "ETAG_MISMATCH", name_text,
          absl::StrCat("the precept has changed (etag ", precept.etag(), ", not ", etag,
                       "); read it again"));
    }
    MOOT_ASSIGN_OR_RETURN(std::vector<PendingEvent> events, change(precept));
    precept.set_etag(absl::StrCat(found.second + 1));
    *precept.mutable_update_time() = ToProto(clock_.Now());
    MOOT_RETURN_IF_ERROR(
        PreceptStore::Update(tx, name.tenant(), name.Get("precept"), precept, found.second));
    for (const PendingEvent& e : events) {
      if (auto* changed = dynamic_cast<v1::PreceptChanged*>(e.payload.get())) {
        *changed->mutable_precept() = precept;
      }
      MOOT_RETURN_IF_ERROR(
          outbox_.Append(tx, service::NewEvent(ids_, clock_, "budget", e.type, name.tenant(),
                                               precept.name(), *e.payload, e.is_public)));
    }
    result = precept;
    return api::RequestLog::Record(tx, name.tenant(), method, request_id, request, result,
                                   absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Precept> PreceptLogic::UpdatePrecept(const auth::Principal& principal,
                                                        const v1::UpdatePreceptRequest& request) {
  const v1::Precept& in = request.precept();
  return Mutate(
      principal, request, "UpdatePrecept", in.name(), request.etag(), request.request_id(),
      Writers(), [&](v1::Precept& p) -> absl::StatusOr<std::vector<PendingEvent>> {
        const std::string& tenant = principal.tenant;  // CheckTenant passed in Mutate.
        if (p.state() == v1::PRECEPT_STATE_DRAFT) {
          p.clear_inputs();
          if (in.has_inputs()) {
            *p.mutable_inputs() = in.inputs();
          } else {
            p.set_council_tax_requirement_pence(in.council_tax_requirement_pence());
            p.set_tax_base_hundredths(in.tax_base_hundredths());
          }
          p.set_body(in.body());
          *p.mutable_planned_meetings() = in.planned_meetings();
          p.set_pcc_decision_reference(in.pcc_decision_reference());
          MOOT_RETURN_IF_ERROR(Complete(p, tenant, "precept"));
        } else {
          if (in.has_inputs() &&
              in.inputs().SerializeAsString() != p.inputs().SerializeAsString()) {
            return status::FailedPrecondition(
                kPreceptState, p.name(),
                "the inputs of a precept are fixed once it is proposed; model changes "
                "as scenarios");
          }
          // The meeting plan may change at any time (a provisional meeting moves), and the PCC's
          // decision is linked at the end of the workflow (R-KD-08).
          *p.mutable_planned_meetings() = in.planned_meetings();
          p.set_pcc_decision_reference(in.pcc_decision_reference());
          MOOT_RETURN_IF_ERROR(Complete(p, tenant, "precept"));
        }
        p.set_published(p.published() || in.published() || p.state() == v1::PRECEPT_STATE_ISSUED);
        return std::vector<PendingEvent>{{"precept.updated", Changed(p), p.published()}};
      });
}

absl::StatusOr<v1::Precept> PreceptLogic::ProposePrecept(const auth::Principal& principal,
                                                         const v1::ProposePreceptRequest& request) {
  const absl::Time now = clock_.Now();
  return Mutate(principal, request, "ProposePrecept", request.name(), request.etag(),
                request.request_id(), Writers(),
                [&](v1::Precept& p) -> absl::StatusOr<std::vector<PendingEvent>> {
                  MOOT_RETURN_IF_ERROR(
                      Propose(p, request.band_d_pence(),
                              TimeOr(request.notify_time(), request.has_notify_time()), now));
                  return std::vector<PendingEvent>{{"precept.proposed", Changed(p), p.published()}};
                });
}

absl::StatusOr<v1::Precept> PreceptLogic::RecordPanelReport(
    const auth::Principal& principal, const v1::RecordPanelReportRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, PanelOfficers()));
  // The veto's vote comes from the decisions register, never from the request (§3.7).
  absl::StatusOr<VoteRecord> vote = absl::NotFoundError("no vote");
  if (IsVeto(request.report().outcome()) && !request.report().vote().empty()) {
    MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.report().vote(),
                                           auth::TenantScope::kOwnTenant, "report.vote"));
    vote = votes_.GetVote(principal, request.report().vote());
  }
  MOOT_RETURN_IF_ERROR(CheckSubCommitteeScenarios(request.report(), principal.tenant, "report"));
  const absl::Time now = clock_.Now();
  return Mutate(principal, request, "RecordPanelReport", request.name(), request.etag(),
                request.request_id(), PanelOfficers(),
                [&](v1::Precept& p) -> absl::StatusOr<std::vector<PendingEvent>> {
                  if (p.body().empty()) {
                    return status::InvalidArgument(
                        "precept.body", "set the reviewing panel's body before its report");
                  }
                  // R-PR-10, R-PR-03, R-PR-12, R-PR-07 (panel_review.h).
                  MOOT_RETURN_IF_ERROR(CheckPanelReview(request.report(), principal.tenant,
                                                        p.body(), p.name(), "report"));
                  MOOT_ASSIGN_OR_RETURN(bool vetoed, RecordReport(p, request.report(), vote, now));
                  FinishReview(p, *p.mutable_report());
                  auto outcome = std::make_shared<v1::PreceptOutcome>();
                  outcome->set_tenant(principal.tenant);
                  outcome->set_body(p.body());
                  outcome->set_precept_year(p.year());
                  outcome->set_outcome(vetoed ? v1::PreceptOutcome::OUTCOME_VETOED
                                              : v1::PreceptOutcome::OUTCOME_NOT_VETOED);
                  *outcome->mutable_decided_at() = p.report().report_time();
                  // The panel decides in public: the outcome is a public record.
                  return std::vector<PendingEvent>{
                      {vetoed ? "precept.vetoed" : "precept.not_vetoed", outcome, true}};
                });
}

absl::StatusOr<v1::Precept> PreceptLogic::RevisePrecept(const auth::Principal& principal,
                                                        const v1::RevisePreceptRequest& request) {
  const absl::Time now = clock_.Now();
  return Mutate(
      principal, request, "RevisePrecept", request.name(), request.etag(), request.request_id(),
      Writers(), [&](v1::Precept& p) -> absl::StatusOr<std::vector<PendingEvent>> {
        MOOT_RETURN_IF_ERROR(Revise(p, request.band_d_pence(),
                                    TimeOr(request.revise_time(), request.has_revise_time()), now));
        return std::vector<PendingEvent>{{"precept.revised", Changed(p), p.published()}};
      });
}

absl::StatusOr<v1::Precept> PreceptLogic::RecordSecondReport(
    const auth::Principal& principal, const v1::RecordSecondReportRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, PanelOfficers()));
  MOOT_RETURN_IF_ERROR(CheckSubCommitteeScenarios(request.report(), principal.tenant, "report"));
  const absl::Time now = clock_.Now();
  return Mutate(
      principal, request, "RecordSecondReport", request.name(), request.etag(),
      request.request_id(), PanelOfficers(),
      [&](v1::Precept& p) -> absl::StatusOr<std::vector<PendingEvent>> {
        // The second report is a review too: R-PR-10, R-PR-03, R-PR-12, R-PR-07.
        MOOT_RETURN_IF_ERROR(
            CheckPanelReview(request.report(), principal.tenant, p.body(), p.name(), "report"));
        MOOT_RETURN_IF_ERROR(budget::RecordSecondReport(p, request.report(), now));
        FinishReview(p, *p.mutable_second_report());
        return std::vector<PendingEvent>{{"precept.second_reported", Changed(p), p.published()}};
      });
}

absl::StatusOr<v1::Precept> PreceptLogic::IssuePrecept(const auth::Principal& principal,
                                                       const v1::IssuePreceptRequest& request) {
  const absl::Time now = clock_.Now();
  return Mutate(
      principal, request, "IssuePrecept", request.name(), request.etag(), request.request_id(),
      Writers(), [&](v1::Precept& p) -> absl::StatusOr<std::vector<PendingEvent>> {
        // R-KD-08: the issue is the PCC's decision; its reference may be given here.
        if (!request.pcc_decision_reference().empty()) {
          MOOT_ASSIGN_OR_RETURN(std::string reference,
                                NormalizeDecisionReference(request.pcc_decision_reference(),
                                                           "pcc_decision_reference"));
          p.set_pcc_decision_reference(reference);
          p.set_pcc_decision(DecisionName(principal.tenant, reference));
        }
        MOOT_RETURN_IF_ERROR(Issue(p, request.band_d_pence(),
                                   TimeOr(request.issue_time(), request.has_issue_time()), now));
        return std::vector<PendingEvent>{{"precept.issued", Changed(p), true}};
      });
}

absl::StatusOr<v1::PreceptTimetable> PreceptLogic::GetPreceptTimetable(
    const auth::Principal& principal, const v1::GetPreceptTimetableRequest& request) {
  MOOT_ASSIGN_OR_RETURN(v1::Precept precept, Read(principal, request.name()));
  // Issue 5 point 6: the deadlines are checked against the body's meetings as scheduling holds
  // them; the stored planned meetings are an explicit override or the fallback.
  v1::MeetingSource source = request.meeting_source();
  std::string note;
  if (source == v1::MEETING_SOURCE_SCHEDULING && meetings_ == nullptr) {
    return status::FailedPrecondition(
        "SCHEDULING_NOT_CONFIGURED", request.name(),
        "the budget service has no scheduling service (MOOT_SCHEDULING_ADDRESS) to read the "
        "panel's meetings from");
  }
  if (source == v1::MEETING_SOURCE_SCHEDULING && precept.body().empty()) {
    return status::FailedPrecondition("PRECEPT_BODY_NOT_SET", request.name(),
                                      "set the reviewing panel's body to read its meetings");
  }
  if (source == v1::MEETING_SOURCE_UNSPECIFIED) {
    if (meetings_ == nullptr) {
      source = v1::MEETING_SOURCE_STORED;
      note = "scheduling is not configured; the precept's stored planned meetings";
    } else if (precept.body().empty()) {
      source = v1::MEETING_SOURCE_STORED;
      note = "the precept names no body; the precept's stored planned meetings";
    } else {
      source = v1::MEETING_SOURCE_SCHEDULING;
    }
  } else if (source == v1::MEETING_SOURCE_STORED) {
    note = "the precept's stored planned meetings, as requested";
  }
  if (source == v1::MEETING_SOURCE_SCHEDULING) {
    const int first = FirstYearOf(precept.year());
    MOOT_ASSIGN_OR_RETURN(
        std::vector<BodyMeeting> found,
        meetings_->ListMeetings(principal, precept.body(), MeetingWindowStart(first),
                                MeetingWindowEnd(first)));
    precept.clear_planned_meetings();
    for (auto& m : PlanFromMeetings(precept, found)) {
      *precept.add_planned_meetings() = std::move(m);
    }
    note = absl::StrCat(found.size(), " meeting(s) of ", precept.body(), " from ",
                        absl::FormatCivilTime(MeetingWindowStart(first)), " to ",
                        absl::FormatCivilTime(MeetingWindowEnd(first)), " in scheduling");
  }
  v1::PreceptTimetable timetable = ComputeTimetable(precept, calendar_);
  timetable.set_meeting_source(source);
  timetable.set_meeting_source_note(note);
  return timetable;
}

absl::StatusOr<v1::Precept> PreceptLogic::ImportPreceptCsv(
    const auth::Principal& principal, const v1::ImportPreceptCsvRequest& request) {
  // Parsed before anything is read or written: a bad file changes nothing.
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, Writers()));
  std::vector<v1::BillingAuthority> authorities;
  std::vector<v1::FundingLine> lines;
  if (request.kind() == "tax_bases") {
    MOOT_ASSIGN_OR_RETURN(authorities, ParseTaxBaseCsv(request.csv()));
  } else if (request.kind() == "band_dwellings") {
    MOOT_ASSIGN_OR_RETURN(authorities, ParseBandDwellingsCsv(request.csv()));
  } else if (request.kind() == "funding_lines") {
    MOOT_ASSIGN_OR_RETURN(lines, ParseFundingLineCsv(request.csv()));
  } else {
    return status::InvalidArgument(
        "kind", "must be \"tax_bases\", \"band_dwellings\" or \"funding_lines\"");
  }
  return Mutate(principal, request, "ImportPreceptCsv", request.name(), request.etag(),
                request.request_id(), Writers(),
                [&](v1::Precept& p) -> absl::StatusOr<std::vector<PendingEvent>> {
                  if (p.state() != v1::PRECEPT_STATE_DRAFT) {
                    return status::FailedPrecondition(kPreceptState, p.name(),
                                                      "only a draft year's inputs can change");
                  }
                  v1::PreceptInputs* in = p.mutable_inputs();
                  if (request.kind() != "funding_lines") {
                    if (request.kind() == "band_dwellings") {
                      // Dwellings give the tax base; each authority keeps its collection fund.
                      for (auto& a : authorities) {
                        for (const auto& old : in->billing_authorities()) {
                          if (old.id() == a.id()) {
                            a.set_collection_fund_pence(old.collection_fund_pence());
                          }
                        }
                      }
                    }
                    in->clear_billing_authorities();
                    in->set_tax_base_hundredths(0);
                    in->set_collection_fund_pence(0);
                    for (auto& a : authorities) *in->add_billing_authorities() = a;
                  } else {
                    in->clear_funding_lines();
                    for (auto& l : lines) *in->add_funding_lines() = l;
                  }
                  const std::string tenant = principal.tenant;
                  MOOT_RETURN_IF_ERROR(Complete(p, tenant, "precept"));
                  return std::vector<PendingEvent>{{"precept.updated", Changed(p), p.published()}};
                });
}

absl::StatusOr<v1::ExportPreceptResponse> PreceptLogic::ExportPrecept(
    const auth::Principal& principal, const v1::ExportPreceptRequest& request) {
  if (request.format() != "csv" && request.format() != "json") {
    return status::InvalidArgument("format", "must be \"csv\" or \"json\"");
  }
  MOOT_ASSIGN_OR_RETURN(v1::Precept precept, Read(principal, request.name()));
  v1::ExportPreceptResponse response;
  if (request.format() == "csv") {
    response.set_content(ExportStatementCsv(precept));
    response.set_content_type("text/csv; charset=utf-8");
  } else {
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    options.preserve_proto_field_names = true;
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(precept, &json, options).ok()) {
      return absl::InternalError("could not render the statement as JSON");
    }
    response.set_content(json);
    response.set_content_type("application/json");
  }
  return response;
}

absl::StatusOr<v1::Charts> PreceptLogic::GetPreceptCharts(
    const auth::Principal& principal, const v1::GetPreceptChartsRequest& request) {
  MOOT_ASSIGN_OR_RETURN(v1::Precept precept, Read(principal, request.name()));
  return StatementCharts(precept);
}

absl::Status PreceptLogic::CheckSubCommitteeScenarios(const v1::PanelReport& report,
                                                      const std::string& tenant,
                                                      const std::string& field) {
  if (!report.has_sub_committee() || report.sub_committee().scenarios().empty()) {
    return absl::OkStatus();
  }
  // R-PR-07 with R-SG-07: the sub-group models its own scenarios (ScenarioLogic lets members and
  // officers create only panel-recommended and alternative ones); the PCC's proposed and revised
  // scenarios are not the sub-committee's.
  return db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    const auto& scenarios = report.sub_committee().scenarios();
    for (int i = 0; i < scenarios.size(); ++i) {
      const std::string f = absl::StrCat(field, ".sub_committee.scenarios[", i, "]");
      auto name = api::ResourceName::Parse(
          "tenants/{tenant}/precepts/{precept}/scenarios/{scenario}", scenarios[i], f);
      if (!name.ok()) {
        return name.status();
      }
      if (name->tenant() != tenant) {
        return status::InvalidArgument(f, "must be a scenario of the precept's tenant");
      }
      auto scenario = PreceptStore::GetScenario(conn, name->tenant(), name->Get("precept"),
                                                name->Get("scenario"), scenarios[i]);
      if (absl::IsNotFound(scenario.status())) {
        return status::InvalidArgument(f, "is not a scenario of the year");
      }
      if (!scenario.ok()) {
        return scenario.status();
      }
      if (!IsPanelScenario(scenario->kind())) {
        return status::FailedPrecondition(
            kSubCommitteeScenarioNotItsOwn, scenarios[i],
            "the PCC's proposed and revised scenarios are not the sub-committee's own (R-PR-07)");
      }
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Precept> PreceptLogic::SetInformationRequest(
    const auth::Principal& principal, const v1::SetInformationRequestRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  static const auto* kRoles = new std::vector<auth::Role>{
      auth::Role::kOfficer, auth::Role::kFinanceOfficer, auth::Role::kPccOffice};
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, *kRoles));
  MOOT_RETURN_IF_ERROR(ValidateInformationRequest(request.information_request(), principal.tenant,
                                                  "information_request"));
  const absl::Time now = clock_.Now();
  return Mutate(
      principal, request, "SetInformationRequest", request.name(), request.etag(),
      request.request_id(), *kRoles,
      [&](v1::Precept& p) -> absl::StatusOr<std::vector<PendingEvent>> {
        // R-PR-11: the panel's information requests (comparators with the most similar forces,
        // the implications for reserves) feed its report on the precept.
        const v1::InformationRequest& in = request.information_request();
        v1::InformationRequest* target = nullptr;
        for (auto& r : *p.mutable_information_requests()) {
          if (r.id() == in.id()) {
            target = &r;
          }
        }
        if (target == nullptr) {
          if (!principal.HasRole(auth::Role::kOfficer)) {
            return status::PermissionDenied(
                "ROLE_NOT_ALLOWED", "the panel's officer records a new information request");
          }
          target = p.add_information_requests();
          *target->mutable_request_time() = ToProto(now);
        }
        const bool was_open = target->status() == v1::INFORMATION_REQUEST_STATUS_OPEN ||
                              target->status() == v1::INFORMATION_REQUEST_STATUS_UNSPECIFIED;
        const google::protobuf::Timestamp asked = target->request_time();
        const google::protobuf::Timestamp answered = target->answer_time();
        *target = in;
        *target->mutable_request_time() = asked;
        if (in.status() == v1::INFORMATION_REQUEST_STATUS_OPEN) {
          target->clear_answer_time();
        } else if (was_open) {
          *target->mutable_answer_time() = ToProto(now);
        } else {
          *target->mutable_answer_time() = answered;
        }
        return std::vector<PendingEvent>{
            {"precept.information_request_set", Changed(p), p.published()}};
      });
}

}  // namespace moot::budget
