#include "services/decisions/key_decision_logic.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "libs/tracing/tracer.h"
#include "services/decisions/audit_log.h"
#include "services/decisions/key_decision_store.h"

namespace moot::decisions {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kTenantPattern[] = "tenants/{tenant}";
constexpr char kDecisionPattern[] = "tenants/{tenant}/decisions/{decision}";
constexpr size_t kMaxReference = 32;
constexpr size_t kMaxTitle = 500;
constexpr size_t kMaxSummary = 20000;

absl::Status RequireText(absl::string_view field, const std::string& value, size_t max) {
  if (value.empty()) {
    return status::InvalidArgument(field, "is required");
  }
  if (value.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

// A civil date written exactly as "YYYY-MM-DD" (no normalisation: 2023-02-30 is refused).
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, const std::string& value) {
  absl::CivilDay day;
  if (value.size() != 10 || !absl::ParseCivilTime(value, &day) ||
      absl::FormatCivilTime(day) != value) {
    return status::InvalidArgument(field, "must be a date written as YYYY-MM-DD");
  }
  return day;
}

bool IsConfidential(const v1::KeyDecision& decision) {
  return decision.confidentiality() == v1::CONFIDENTIALITY_CONFIDENTIAL ||
         decision.confidentiality() == v1::CONFIDENTIALITY_COMMERCIALLY_CONFIDENTIAL;
}

// Officers and the PCC's office of the tenant read confidential summaries; nobody else does.
bool MayReadConfidential(const auth::Principal& p, const std::string& tenant) {
  return !p.IsAnonymous() && p.tenant == tenant &&
         (p.HasRole(auth::Role::kOfficer) || p.HasRole(auth::Role::kPccOffice));
}

void Redact(const auth::Principal& p, const std::string& tenant, v1::KeyDecision& decision) {
  // R-KD-03: title and date only; attachments on confidential decisions are never public.
  if (IsConfidential(decision) && !MayReadConfidential(p, tenant)) {
    decision.clear_summary();
    decision.clear_report_documents();
  }
}

}  // namespace

bool IsPreceptYear(absl::string_view year) {
  // R-KD-08: "2019-20": four digits, a dash, and the next year's last two digits.
  if (year.size() != 7 || year[4] != '-') {
    return false;
  }
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(year[i]))) {
      return false;
    }
  }
  int first = 0;
  int second = 0;
  if (!absl::SimpleAtoi(year.substr(0, 4), &first) || !absl::SimpleAtoi(year.substr(5), &second)) {
    return false;
  }
  return first >= 1900 && second == (first + 1) % 100;
}

std::string DecisionReference::Normalized() const {
  return absl::StrFormat("%03d%s-%04d", seq, suffix, year);
}

std::optional<DecisionReference> ParseDecisionReference(absl::string_view reference) {
  reference = absl::StripAsciiWhitespace(reference);
  size_t i = 0;
  while (i < reference.size() && absl::ascii_isdigit(static_cast<unsigned char>(reference[i]))) {
    ++i;
  }
  DecisionReference out;
  if (i == 0 || i > 4 || !absl::SimpleAtoi(reference.substr(0, i), &out.seq)) {
    return std::nullopt;
  }
  if (i < reference.size() && absl::ascii_isalpha(static_cast<unsigned char>(reference[i]))) {
    out.suffix = std::string(1, absl::ascii_toupper(static_cast<unsigned char>(reference[i])));
    ++i;
  }
  if (i >= reference.size() || (reference[i] != '-' && reference[i] != '/')) {
    return std::nullopt;
  }
  absl::string_view year = reference.substr(i + 1);
  if ((year.size() != 2 && year.size() != 4) || !absl::SimpleAtoi(year, &out.year) ||
      year.find_first_not_of("0123456789") != absl::string_view::npos) {
    return std::nullopt;
  }
  if (year.size() == 2) {
    out.year += 2000;
  }
  return out;
}

absl::StatusOr<std::string> DecisionIdFromReference(absl::string_view reference) {
  std::string id(reference);
  for (char& c : id) {
    c = absl::ascii_tolower(static_cast<unsigned char>(c));
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) && !(c >= 'a' && c <= 'z')) {
      c = '-';
    }
  }
  // Punctuation at either end ("(004A/2018)") would leave a dash there, which no id may have.
  const size_t first = id.find_first_not_of('-');
  id = first == std::string::npos ? "" : id.substr(first, id.find_last_not_of('-') - first + 1);
  if (!api::IsValidId(id)) {
    return status::InvalidArgument(
        "key_decision.reference",
        "must contain a letter or digit so that it can name the decision");
  }
  return id;
}

KeyDecisionLogic::KeyDecisionLogic(sql::Database& db, const events::Outbox& outbox,
                                   const time::Clock& clock, ids::IdGenerator& ids,
                                   const api::PageTokens& page_tokens,
                                   SchedulingDirectory* scheduling)
    : db_(db),
      outbox_(outbox),
      clock_(clock),
      ids_(ids),
      page_tokens_(page_tokens),
      scheduling_(scheduling) {}

absl::Status KeyDecisionLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("decisions", KeyDecisionStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("audit", AuditLog::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::Outbox::Migrate(db_);
}

absl::StatusOr<v1::KeyDecision> KeyDecisionLogic::CreateKeyDecision(
    const auth::Principal& principal, const v1::CreateKeyDecisionRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kPccOffice, auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  const v1::KeyDecision& in = request.key_decision();
  MOOT_RETURN_IF_ERROR(RequireText("key_decision.reference", in.reference(), kMaxReference));
  MOOT_ASSIGN_OR_RETURN(std::string decision_id, DecisionIdFromReference(in.reference()));
  MOOT_RETURN_IF_ERROR(RequireText("key_decision.title", in.title(), kMaxTitle));
  MOOT_ASSIGN_OR_RETURN(absl::CivilDay decided,
                        ParseDate("key_decision.decision_date", in.decision_date()));
  if (!in.publication_date().empty()) {
    MOOT_ASSIGN_OR_RETURN(absl::CivilDay published,
                          ParseDate("key_decision.publication_date", in.publication_date()));
    if (published < decided) {
      return status::InvalidArgument("key_decision.publication_date",
                                     "must not be before key_decision.decision_date");
    }
  }
  if (!v1::Confidentiality_IsValid(in.confidentiality())) {
    return status::InvalidArgument("key_decision.confidentiality", "is not a known value");
  }
  if (in.summary().size() > kMaxSummary) {
    return status::InvalidArgument("key_decision.summary",
                                   absl::StrCat("must be at most ", kMaxSummary, " characters"));
  }

  // R-KD-05 / §8 A5: stored as given, normalised for sorting, search and uniqueness.
  // A reference that does not follow the pattern is kept, flagged, and normalised to its id.
  const auto parsed = ParseDecisionReference(in.reference());
  for (const std::string& amended : in.amends()) {
    if (!ParseDecisionReference(amended)) {
      return status::InvalidArgument("key_decision.amends",
                                     absl::StrCat("'", amended, "' is not a decision reference"));
    }
  }
  if (!in.precept_year().empty() && !IsPreceptYear(in.precept_year())) {
    return status::InvalidArgument("key_decision.precept_year",
                                   "must be a precept year written YYYY-YY, e.g. 2019-20");
  }
  for (const std::string& document : in.report_documents()) {
    if (api::TenantOf(document) != parent.tenant() ||
        !absl::StartsWith(document, absl::StrCat(request.parent(), "/documents/"))) {
      return status::InvalidArgument("key_decision.report_documents",
                                     "must be documents of the same tenant");
    }
  }

  v1::KeyDecision decision = in;
  decision.set_name(api::FormatName(kDecisionPattern, {parent.tenant(), decision_id}));
  decision.clear_flags();
  if (parsed) {
    decision.set_normalized_reference(parsed->Normalized());
    decision.set_reference_seq(parsed->seq);
    decision.set_reference_year(parsed->year);
    decision.set_reference_suffix(parsed->suffix);
    if (absl::StrCat(parsed->year) != in.decision_date().substr(0, 4)) {
      decision.add_flags("REFERENCE_YEAR_MISMATCH");
    }
  } else {
    decision.set_normalized_reference(absl::AsciiStrToUpper(decision_id));
    decision.add_flags("REFERENCE_UNPARSED");
  }
  // R-KD-07: the implications are set out in the decision's own report, so a decision published
  // without one is flagged (never refused: historic registers have such entries).
  if (in.report_documents().empty()) {
    decision.add_flags("REPORT_DOCUMENT_MISSING");
  }
  decision.clear_amends();
  for (const std::string& amended : in.amends()) {
    decision.add_amends(ParseDecisionReference(amended)->Normalized());
  }
  if (decision.confidentiality() == v1::CONFIDENTIALITY_UNSPECIFIED) {
    decision.set_confidentiality(v1::CONFIDENTIALITY_PUBLIC);
  }
  *decision.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now()));

  // The public event carries the register entry's headline only: never a summary.
  v1::KeyDecision payload;
  payload.set_name(decision.name());
  payload.set_reference(decision.reference());
  payload.set_title(decision.title());
  payload.set_decision_date(decision.decision_date());
  payload.set_publication_date(decision.publication_date());

  v1::KeyDecision result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "CreateKeyDecision",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    // R-KD-08: one budget-and-precept decision per precept year.
    if (!decision.precept_year().empty()) {
      MOOT_ASSIGN_OR_RETURN(
          std::string existing,
          KeyDecisionStore::FindPreceptDecision(tx, parent.tenant(), decision.precept_year()));
      if (!existing.empty()) {
        return status::FailedPrecondition(
            "PRECEPT_DECISION_EXISTS", decision.name(),
            absl::StrCat("the ", decision.precept_year(), " budget-and-precept decision is ",
                         api::FormatName(kDecisionPattern, {parent.tenant(), existing})));
      }
    }
    // R-KD-01: the PCC must publish a record of decisions: every decision, confidential ones
    // included, gets its register entry (the public reads at least its title and date).
    MOOT_RETURN_IF_ERROR(KeyDecisionStore::Insert(tx, parent.tenant(), decision_id, decision));
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "decisions", "decision.published", parent.tenant(),
                              decision.name(), payload, /*is_public=*/true)));
    // The audit chain keeps the whole record (it is never shown to the public).
    const auto context = tracing::CurrentSpanContext();
    MOOT_RETURN_IF_ERROR(AuditLog::Append(tx, parent.tenant(),
                                          {.actor = principal.subject,
                                           .method = "CreateKeyDecision",
                                           .resource = decision.name(),
                                           .time = clock_.Now(),
                                           .trace_id = context ? context->trace_id : "",
                                           .change = AuditLog::Canonical(decision)})
                             .status());
    result = decision;
    return api::RequestLog::Record(tx, parent.tenant(), "CreateKeyDecision", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::KeyDecision> KeyDecisionLogic::GetKeyDecision(
    const auth::Principal& principal, const v1::GetKeyDecisionRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kDecisionPattern, request.name(), "name"));
  v1::KeyDecision decision;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        decision, KeyDecisionStore::Get(conn, name.tenant(), name.Get("decision"), request.name()));
    return absl::OkStatus();
  }));
  Redact(principal, name.tenant(), decision);
  return decision;
}

absl::StatusOr<v1::KeyDecision> KeyDecisionLogic::MarkPreceptDecision(
    const auth::Principal& principal, const v1::MarkPreceptDecisionRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kOwnTenant, "name"));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kPccOffice, auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kDecisionPattern, request.name(), "name"));
  if (!IsPreceptYear(request.precept_year())) {
    return status::InvalidArgument("precept_year", "is required, written YYYY-YY, e.g. 2019-20");
  }
  v1::KeyDecision result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, name.tenant(), "MarkPreceptDecision",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(
        v1::KeyDecision decision,
        KeyDecisionStore::Get(tx, name.tenant(), name.Get("decision"), request.name()));
    if (decision.precept_year() == request.precept_year()) {
      result = decision;
      return absl::OkStatus();
    }
    // R-KD-08: a decision is one year's budget and precept, and a year has one such decision.
    if (!decision.precept_year().empty()) {
      return status::FailedPrecondition(
          "PRECEPT_YEAR_ALREADY_SET", decision.name(),
          absl::StrCat("already the ", decision.precept_year(), " budget-and-precept decision"));
    }
    MOOT_ASSIGN_OR_RETURN(std::string existing, KeyDecisionStore::FindPreceptDecision(
                                                    tx, name.tenant(), request.precept_year()));
    if (!existing.empty()) {
      return status::FailedPrecondition(
          "PRECEPT_DECISION_EXISTS", decision.name(),
          absl::StrCat("the ", request.precept_year(), " budget-and-precept decision is ",
                       api::FormatName(kDecisionPattern, {name.tenant(), existing})));
    }
    decision.set_precept_year(request.precept_year());
    MOOT_RETURN_IF_ERROR(
        KeyDecisionStore::UpdatePreceptYear(tx, name.tenant(), name.Get("decision"), decision));
    // The public event carries the headline only, as decision.published does.
    v1::KeyDecision payload;
    payload.set_name(decision.name());
    payload.set_reference(decision.reference());
    payload.set_title(decision.title());
    payload.set_decision_date(decision.decision_date());
    payload.set_precept_year(decision.precept_year());
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "decisions", "decision.precept_marked", name.tenant(),
                              decision.name(), payload, /*is_public=*/true)));
    const auto context = tracing::CurrentSpanContext();
    MOOT_RETURN_IF_ERROR(AuditLog::Append(tx, name.tenant(),
                                          {.actor = principal.subject,
                                           .method = "MarkPreceptDecision",
                                           .resource = decision.name(),
                                           .time = clock_.Now(),
                                           .trace_id = context ? context->trace_id : "",
                                           .change = AuditLog::Canonical(decision)})
                             .status());
    result = decision;
    return api::RequestLog::Record(tx, name.tenant(), "MarkPreceptDecision", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  Redact(principal, name.tenant(), result);
  return result;
}

absl::StatusOr<v1::ListKeyDecisionsResponse> KeyDecisionLogic::ListKeyDecisions(
    const auth::Principal& principal, const v1::ListKeyDecisionsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  std::string wanted;
  if (!request.reference().empty()) {
    auto parsed = ParseDecisionReference(request.reference());
    if (!parsed) {
      return status::InvalidArgument("reference", "is not a decision reference");
    }
    wanted = parsed->Normalized();
  }
  if (!request.precept_year().empty() && !IsPreceptYear(request.precept_year())) {
    return status::InvalidArgument("precept_year", "must be written YYYY-YY, e.g. 2019-20");
  }
  const std::string binding = absl::StrCat("decisions.ListKeyDecisions|", request.parent(), "|",
                                           wanted, "|", request.precept_year());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListKeyDecisionsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto page, KeyDecisionStore::List(conn, parent.tenant(), after, page_size,
                                                            wanted, request.precept_year()));
    for (auto& decision : page.items) {
      Redact(principal, parent.tenant(), decision);
      *response.add_key_decisions() = std::move(decision);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

namespace {

constexpr char kMeetingPattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}";

absl::StatusOr<v1::SetMeetingKeyDecisionSelectionRequest> LoadSelection(
    sql::Connection& conn, const std::string& tenant, const std::string& meeting) {
  MOOT_ASSIGN_OR_RETURN(sql::Result r,
                        conn.Execute("SELECT data FROM key_decision_selections WHERE tenant_id ="
                                     " $1 AND meeting = $2",
                                     {tenant, meeting}));
  if (r.rows.empty()) {
    return v1::SetMeetingKeyDecisionSelectionRequest();
  }
  return api::Decode<v1::SetMeetingKeyDecisionSelectionRequest>(r.rows[0], 0);
}

}  // namespace

absl::StatusOr<v1::MeetingKeyDecisions> KeyDecisionLogic::ListMeetingKeyDecisions(
    const auth::Principal& principal, const v1::ListMeetingKeyDecisionsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.meeting(), auth::TenantScope::kPublicRead, "meeting"));
  MOOT_ASSIGN_OR_RETURN(auto meeting,
                        api::ResourceName::Parse(kMeetingPattern, request.meeting(), "meeting"));
  if (scheduling_ == nullptr) {
    return absl::UnavailableError("the meeting window needs the scheduling service");
  }
  MOOT_ASSIGN_OR_RETURN(MeetingFacts facts, scheduling_->GetMeeting(request.meeting()));
  MOOT_ASSIGN_OR_RETURN(auto meetings, scheduling_->ListBodyMeetings(request.meeting().substr(
                                           0, request.meeting().find("/meetings/"))));
  // §9 item 7: decisions published since the previous ordinary meeting's pack date.
  v1::MeetingKeyDecisions out;
  out.set_meeting(request.meeting());
  out.set_window_end(facts.pack_date.empty() ? facts.local_date : facts.pack_date);
  for (const MeetingFacts& m : meetings) {
    if (m.ordinary && m.local_date < facts.local_date && m.name != facts.name) {
      out.set_previous_meeting(m.name);
      out.set_window_start(m.pack_date.empty() ? m.local_date : m.pack_date);
    }
  }
  const std::string tenant = meeting.tenant();
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto selection, LoadSelection(conn, tenant, request.meeting()));
    *out.mutable_included() = selection.include();
    *out.mutable_excluded() = selection.exclude();
    const std::set<std::string> include(selection.include().begin(), selection.include().end());
    const std::set<std::string> exclude(selection.exclude().begin(), selection.exclude().end());
    std::string after;
    do {
      MOOT_ASSIGN_OR_RETURN(auto page,
                            KeyDecisionStore::List(conn, tenant, after, api::kMaxPageSize));
      for (auto& d : page.items) {
        const std::string& published =
            d.publication_date().empty() ? d.decision_date() : d.publication_date();
        const bool in_window = published > out.window_start() && published <= out.window_end();
        if ((in_window || include.contains(d.name())) && !exclude.contains(d.name())) {
          Redact(principal, tenant, d);
          *out.add_key_decisions() = std::move(d);
        }
      }
      after = page.last_key;
    } while (!after.empty());
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::MeetingKeyDecisions> KeyDecisionLogic::SetMeetingKeyDecisionSelection(
    const auth::Principal& principal, const v1::SetMeetingKeyDecisionSelectionRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.meeting(), auth::TenantScope::kOwnTenant, "meeting"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto meeting,
                        api::ResourceName::Parse(kMeetingPattern, request.meeting(), "meeting"));
  const std::string tenant = meeting.tenant();
  for (const auto* list : {&request.include(), &request.exclude()}) {
    const std::string field = list == &request.include() ? "include" : "exclude";
    for (const std::string& name : *list) {
      MOOT_ASSIGN_OR_RETURN(auto d, api::ResourceName::Parse(kDecisionPattern, name, field));
      if (d.tenant() != tenant) {
        return status::InvalidArgument(field, "must name decisions of the same tenant");
      }
    }
  }
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    for (const auto* list : {&request.include(), &request.exclude()}) {
      for (const std::string& name : *list) {
        MOOT_RETURN_IF_ERROR(
            KeyDecisionStore::Get(tx, tenant, name.substr(name.rfind('/') + 1), name).status());
      }
    }
    MOOT_RETURN_IF_ERROR(tx.Execute("DELETE FROM key_decision_selections WHERE tenant_id = $1"
                                    " AND meeting = $2",
                                    {tenant, request.meeting()})
                             .status());
    MOOT_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO key_decision_selections (tenant_id, meeting,"
                   " data) VALUES ($1, $2, $3)",
                   {tenant, request.meeting(), sql::Bytes{request.SerializeAsString()}})
            .status());
    const auto context = tracing::CurrentSpanContext();
    MOOT_RETURN_IF_ERROR(AuditLog::Append(tx, tenant,
                                          {.actor = principal.subject,
                                           .method = "SetMeetingKeyDecisionSelection",
                                           .resource = request.meeting(),
                                           .time = clock_.Now(),
                                           .trace_id = context ? context->trace_id : "",
                                           .change = AuditLog::Canonical(request)})
                             .status());
    return outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "decisions", "decision.selection_changed", tenant,
                              request.meeting(), request, /*is_public=*/false));
  }));
  v1::ListMeetingKeyDecisionsRequest list;
  list.set_meeting(request.meeting());
  return ListMeetingKeyDecisions(principal, list);
}

}  // namespace moot::decisions
