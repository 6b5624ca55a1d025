#include "services/decisions/action_logic.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/decisions/action_store.h"
#include "services/decisions/change_recorder.h"
#include "services/decisions/minute_numbers.h"
#include "services/decisions/minutes_store.h"

namespace moot::decisions {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kBodyPattern[] = "tenants/{tenant}/bodies/{body}";
constexpr char kMeetingPattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}";
constexpr char kActionPattern[] = "tenants/{tenant}/bodies/{body}/actions/{action}";
constexpr size_t kMaxText = 5000;
constexpr size_t kMaxNote = 2000;
constexpr size_t kMaxOwner = 200;
constexpr char kRefUnresolved[] = "ACTION_REF_UNRESOLVED";
constexpr char kRefMissing[] = "ACTION_REF_MISSING";

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Status RequireText(absl::string_view field, const std::string& value, size_t max) {
  if (value.empty()) {
    return status::InvalidArgument(field, "is required");
  }
  if (value.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

absl::Status CheckOptional(absl::string_view field, const std::string& value, size_t max) {
  return value.empty() ? absl::OkStatus() : RequireText(field, value, max);
}

// An ISO 8601 period of whole days, weeks, months or years: "P6M", "P1Y" (R-ACT-07).
bool IsPeriod(absl::string_view p) {
  if (p.size() < 3 || p[0] != 'P' || !absl::StrContains("DWMY", p.back())) {
    return false;
  }
  for (char c : p.substr(1, p.size() - 2)) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return p.substr(1, p.size() - 2) != std::string(p.size() - 2, '0');
}

// "YYYY-MM".
bool IsMonth(absl::string_view m) {
  absl::CivilMonth month;
  return m.size() == 7 && absl::ParseCivilTime(m, &month) && absl::FormatCivilTime(month) == m;
}

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view field, const std::string& value) {
  absl::CivilDay day;
  if (value.size() != 10 || !absl::ParseCivilTime(value, &day) ||
      absl::FormatCivilTime(day) != value) {
    return status::InvalidArgument(field, "must be a date written as YYYY-MM-DD");
  }
  return day;
}

absl::Status CheckMeeting(absl::string_view field, const std::string& meeting,
                          const std::string& tenant) {
  if (meeting.empty()) {
    return absl::OkStatus();
  }
  MOOT_ASSIGN_OR_RETURN(auto parsed, api::ResourceName::Parse(kMeetingPattern, meeting, field));
  if (parsed.tenant() != tenant) {
    return status::InvalidArgument(field, "must be a meeting of the same tenant");
  }
  return absl::OkStatus();
}

absl::Status RequireReader(const auth::Principal& principal, absl::string_view name,
                           absl::string_view field) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, name, auth::TenantScope::kOwnTenant, field));
  return auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kMember});
}

absl::Status Writer(const auth::Principal& principal, absl::string_view name,
                    absl::string_view field) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, name, auth::TenantScope::kOwnTenant, field));
  return auth::RequireRole(principal, {auth::Role::kOfficer});
}

std::string LocalDate(absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, time::London()); }

constexpr size_t kMaxPerson = 200;
constexpr int kMaxMinimumMembers = 100;

// The fields each action type needs, and no other type may carry (R-ACT-08, R-ACT-10,
// R-ACT-11).
absl::Status CheckTypeFields(const v1::Action& in) {
  if (!v1::ActionType_IsValid(in.type())) {
    return status::InvalidArgument("action.type",
                                   "must be REQUEST, WRITTEN_RESPONSE, UNDERTAKING or MEMBERSHIP");
  }
  const v1::ActionType type =
      in.type() == v1::ACTION_TYPE_UNSPECIFIED ? v1::ACTION_TYPE_REQUEST : in.type();
  struct Field {
    const char* name;
    const std::string& value;
    v1::ActionType type;
  };
  const Field people[] = {
      {"action.requested_by", in.requested_by(), v1::ACTION_TYPE_WRITTEN_RESPONSE},
      {"action.respondent", in.respondent(), v1::ACTION_TYPE_WRITTEN_RESPONSE},
      {"action.given_by", in.given_by(), v1::ACTION_TYPE_UNDERTAKING},
      {"action.given_to", in.given_to(), v1::ACTION_TYPE_UNDERTAKING},
  };
  for (const Field& f : people) {
    if (f.type == type) {
      MOOT_RETURN_IF_ERROR(RequireText(f.name, f.value, kMaxPerson));
    } else if (!f.value.empty()) {
      return status::InvalidArgument(
          f.name, absl::StrCat("only for a ", v1::ActionType_Name(f.type), " action"));
    }
  }
  if (type == v1::ACTION_TYPE_MEMBERSHIP) {
    if (in.minimum_members() < 1 || in.minimum_members() > kMaxMinimumMembers) {
      return status::InvalidArgument(
          "action.minimum_members",
          absl::StrCat("a MEMBERSHIP action needs its minimum, 1..", kMaxMinimumMembers));
    }
  } else if (in.minimum_members() != 0) {
    return status::InvalidArgument("action.minimum_members", "only for a MEMBERSHIP action");
  }
  if (!in.members().empty()) {
    return status::InvalidArgument("action.members", "are recorded when the action is completed");
  }
  return absl::OkStatus();
}

// R-ACT-09: "There are currently 10 outstanding actions."
std::string OutstandingSummary(int count) {
  if (count == 0) {
    return "There are currently no outstanding actions.";
  }
  if (count == 1) {
    return "There is currently 1 outstanding action.";
  }
  return absl::StrCat("There are currently ", count, " outstanding actions.");
}

}  // namespace

std::vector<std::pair<std::string, v1::Action>> ActionsFromResolution(
    const v1::MinuteEntry& entry, const std::string& meeting, const std::string& meeting_date) {
  std::vector<std::pair<std::string, v1::Action>> out;
  auto body = api::ResourceName::Parse(kMeetingPattern, meeting, "meeting");
  if (!body.ok()) {
    return out;
  }
  const std::string entry_id = entry.name().substr(entry.name().rfind('/') + 1);
  for (const auto& clause : entry.resolutions()) {
    if (clause.kind() != v1::RESOLUTION_KIND_REQUEST &&
        clause.kind() != v1::RESOLUTION_KIND_WRITE_LETTER) {
      continue;
    }
    v1::Action action;
    const std::string id =
        clause.clause_no() > 0
            ? absl::StrCat(entry_id, "-",
                           FormatClause(clause.clause_no(), v1::CLAUSE_STYLE_LOWER_ROMAN))
            : entry_id;
    action.set_name(api::FormatName(kActionPattern, {body->tenant(), body->Get("body"), id}));
    action.set_ref(clause.display_ref());
    if (auto ref = ParseActionRef(clause.display_ref())) {
      action.set_canonical_ref(ref->Canonical());
    } else {
      action.set_canonical_ref(clause.display_ref());
    }
    action.set_minute_number(entry.number());
    action.set_clause_no(clause.clause_no());
    action.set_minute_entry(entry.name());
    action.set_meeting(meeting);
    action.set_meeting_month(meeting_date.substr(0, 7));
    action.set_text(clause.text());
    action.set_owner(clause.kind() == v1::RESOLUTION_KIND_REQUEST
                         ? "The Police and Crime Commissioner"
                         : "The Panel Chair");
    action.set_type(v1::ACTION_TYPE_REQUEST);
    action.set_status(v1::ACTION_STATUS_OUTSTANDING);
    action.set_etag("1");
    out.emplace_back(id, std::move(action));
  }
  return out;
}

ActionLogic::ActionLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                         ids::IdGenerator& ids, const api::PageTokens& page_tokens,
                         SchedulingDirectory& scheduling)
    : db_(db),
      outbox_(outbox),
      clock_(clock),
      ids_(ids),
      page_tokens_(page_tokens),
      scheduling_(scheduling) {}

absl::Status ActionLogic::Migrate() { return db_.Migrate("actions", ActionStore::Migrations()); }

absl::StatusOr<v1::Action> ActionLogic::CreateAction(const auth::Principal& principal,
                                                     const v1::CreateActionRequest& request) {
  MOOT_RETURN_IF_ERROR(Writer(principal, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  const std::string tenant = parent.tenant();
  const std::string body = parent.Get("body");
  const v1::Action& in = request.action();
  MOOT_RETURN_IF_ERROR(RequireText("action.text", in.text(), kMaxText));
  std::optional<ActionRef> ref;
  if (!in.ref().empty()) {
    ref = ParseActionRef(in.ref());
    if (!ref) {
      return status::InvalidArgument(
          "action.ref", "must be a minute number with an optional clause, e.g. \"751 ii\"");
    }
  }
  MOOT_RETURN_IF_ERROR(CheckMeeting("action.meeting", in.meeting(), tenant));
  MOOT_RETURN_IF_ERROR(CheckMeeting("action.target_meeting", in.target_meeting(), tenant));
  if (!in.meeting_month().empty() && !IsMonth(in.meeting_month())) {
    return status::InvalidArgument("action.meeting_month", "must be written as YYYY-MM");
  }
  if (!in.recurrence().empty() && !IsPeriod(in.recurrence())) {
    return status::InvalidArgument("action.recurrence",
                                   "must be an ISO 8601 period such as P6M (six-monthly)");
  }
  for (const std::string& related : in.related_refs()) {
    if (!ParseActionRef(related)) {
      return status::InvalidArgument("action.related_refs",
                                     absl::StrCat("'", related, "' is not an action reference"));
    }
  }
  MOOT_RETURN_IF_ERROR(CheckOptional("action.owner", in.owner(), kMaxOwner));
  MOOT_RETURN_IF_ERROR(CheckTypeFields(in));
  MOOT_RETURN_IF_ERROR(CheckOptional("note", request.note(), kMaxNote));
  if (!request.action_id().empty()) {
    if (ref) {
      return status::InvalidArgument("action_id", "an action with a reference is named after it");
    }
    MOOT_RETURN_IF_ERROR(api::ValidateId("action_id", request.action_id()));
  }

  v1::Action result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, tenant, "CreateAction", request.request_id(),
                                                  request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    v1::Action action;
    action.set_ref(in.ref());
    action.set_meeting(in.meeting());
    action.set_meeting_month(in.meeting_month());
    action.set_text(in.text());
    action.set_owner(in.owner());
    action.set_target_meeting(in.target_meeting());
    action.set_recurrence(in.recurrence());
    action.set_type(in.type() == v1::ACTION_TYPE_UNSPECIFIED ? v1::ACTION_TYPE_REQUEST : in.type());
    action.set_requested_by(in.requested_by());
    action.set_respondent(in.respondent());
    action.set_given_by(in.given_by());
    action.set_given_to(in.given_to());
    action.set_minimum_members(in.minimum_members());
    for (const std::string& related : in.related_refs()) {
      action.add_related_refs(ParseActionRef(related)->Canonical());
    }
    std::string id;
    if (ref) {
      id = ref->Id();
      action.set_canonical_ref(ref->Canonical());
      action.set_minute_number(ref->minute);
      action.set_clause_no(ref->clause);
      action.set_sub_clause(ref->sub_clause);
      // R-ACT-04 / §8 A1: a reference must resolve to a clause of the minute when the register
      // holds that minute; a mismatch is flagged, never refused (historic trackers have one).
      MOOT_ASSIGN_OR_RETURN(auto entry, MinutesStore::FindEntry(tx, tenant, body, ref->minute));
      if (entry) {
        action.set_minute_entry(entry->name());
        const bool resolves =
            ref->clause == 0 ||
            std::any_of(entry->resolutions().begin(), entry->resolutions().end(),
                        [&](const auto& c) { return c.clause_no() == ref->clause; });
        if (!resolves) {
          action.add_flags(kRefUnresolved);
        }
      }
    } else {
      // §8 A3: a row without a minute number.
      id = request.action_id().empty() ? absl::StrCat("x-", absl::AsciiStrToLower(ids_.NewId()))
                                       : request.action_id();
      action.add_flags(kRefMissing);
    }
    action.set_name(api::FormatName(kActionPattern, {tenant, body, id}));
    action.set_status(v1::ACTION_STATUS_OUTSTANDING);
    const auto now = ToProto(clock_.Now());
    if (!request.note().empty()) {
      v1::ActionUpdate* update = action.add_updates();
      update->set_note(request.note());
      update->set_actor(principal.subject);
      *update->mutable_time() = now;
    }
    *action.mutable_create_time() = now;
    *action.mutable_update_time() = now;
    action.set_etag("1");
    MOOT_RETURN_IF_ERROR(ActionStore::Insert(tx, tenant, body, id, action));
    ChangeRecorder recorder(tx, outbox_, ids_, clock_, principal, tenant);
    MOOT_RETURN_IF_ERROR(recorder.Record("CreateAction", action.name(), action, "action.created",
                                         /*is_public=*/false));
    result = action;
    return api::RequestLog::Record(tx, tenant, "CreateAction", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Action> ActionLogic::GetAction(const auth::Principal& principal,
                                                  const v1::GetActionRequest& request) {
  MOOT_RETURN_IF_ERROR(RequireReader(principal, request.name(), "name"));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kActionPattern, request.name(), "name"));
  v1::Action action;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto found, ActionStore::Get(conn, name.tenant(), name.Get("body"),
                                                       name.Get("action"), request.name()));
    action = std::move(found.first);
    return absl::OkStatus();
  }));
  return action;
}

absl::StatusOr<v1::ListActionsResponse> ActionLogic::ListActions(
    const auth::Principal& principal, const v1::ListActionsRequest& request) {
  MOOT_RETURN_IF_ERROR(RequireReader(principal, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  if (!v1::ActionStatus_IsValid(request.status())) {
    return status::InvalidArgument("status", "is not a known value");
  }
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding =
      absl::StrCat("decisions.ListActions|", request.parent(), "|", request.status());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListActionsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto page, ActionStore::List(conn, parent.tenant(), parent.Get("body"),
                                                       request.status(), after, page_size));
    for (auto& a : page.items) {
      *response.add_actions() = std::move(a);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Action> ActionLogic::Change(
    const auth::Principal& principal, const std::string& action_name, const std::string& etag,
    absl::string_view method, const google::protobuf::Message& request,
    const std::string& request_id, const std::function<absl::Status(v1::Action&)>& apply) {
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kActionPattern, action_name, "name"));
  v1::Action result;
  absl::Status stale;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    stale = absl::OkStatus();
    MOOT_ASSIGN_OR_RETURN(bool replayed, api::RequestLog::Replay(tx, name.tenant(), method,
                                                                 request_id, request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto found, ActionStore::Get(tx, name.tenant(), name.Get("body"),
                                                       name.Get("action"), action_name));
    v1::Action action = std::move(found.first);
    if (!etag.empty() && etag != action.etag()) {
      // Nothing written: leave the transaction with OK (ABORTED would be retried) and report.
      stale = status::WithReason(
          absl::AbortedError(absl::StrCat(action_name, " has changed (etag mismatch)")),
          "ETAG_MISMATCH");
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(apply(action));
    *action.mutable_update_time() = ToProto(clock_.Now());
    action.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(ActionStore::Update(tx, name.tenant(), name.Get("body"),
                                             name.Get("action"), action, found.second));
    ChangeRecorder recorder(tx, outbox_, ids_, clock_, principal, name.tenant());
    MOOT_RETURN_IF_ERROR(recorder.Record(
        method, action.name(), action,
        method == "CompleteAction" ? "action.completed" : "action.updated", /*is_public=*/false));
    result = action;
    return api::RequestLog::Record(tx, name.tenant(), method, request_id, request, result,
                                   absl::ToUnixMicros(clock_.Now()));
  }));
  MOOT_RETURN_IF_ERROR(stale);
  return result;
}

absl::StatusOr<v1::Action> ActionLogic::UpdateAction(const auth::Principal& principal,
                                                     const v1::UpdateActionRequest& request) {
  MOOT_RETURN_IF_ERROR(Writer(principal, request.name(), "name"));
  MOOT_RETURN_IF_ERROR(RequireText("note", request.note(), kMaxNote));
  const std::string tenant = api::TenantOf(request.name());
  MOOT_RETURN_IF_ERROR(CheckMeeting("target_meeting", request.target_meeting(), tenant));
  MOOT_RETURN_IF_ERROR(CheckOptional("owner", request.owner(), kMaxOwner));
  if (!request.recurrence().empty() && !IsPeriod(request.recurrence())) {
    return status::InvalidArgument("recurrence", "must be an ISO 8601 period such as P6M");
  }
  for (const std::string& related : request.add_related_refs()) {
    if (!ParseActionRef(related)) {
      return status::InvalidArgument("add_related_refs",
                                     absl::StrCat("'", related, "' is not an action reference"));
    }
  }
  return Change(principal, request.name(), request.etag(), "UpdateAction", request,
                request.request_id(), [&](v1::Action& action) -> absl::Status {
                  v1::ActionUpdate* update = action.add_updates();
                  update->set_note(request.note());
                  update->set_actor(principal.subject);
                  *update->mutable_time() = ToProto(clock_.Now());
                  if (!request.target_meeting().empty()) {
                    action.set_target_meeting(request.target_meeting());
                  }
                  if (!request.owner().empty()) {
                    action.set_owner(request.owner());
                  }
                  if (!request.recurrence().empty()) {
                    action.set_recurrence(request.recurrence());
                  }
                  for (const std::string& related : request.add_related_refs()) {
                    const std::string canonical = ParseActionRef(related)->Canonical();
                    if (std::find(action.related_refs().begin(), action.related_refs().end(),
                                  canonical) == action.related_refs().end()) {
                      action.add_related_refs(canonical);
                    }
                  }
                  return absl::OkStatus();
                });
}

absl::StatusOr<v1::Action> ActionLogic::CompleteAction(const auth::Principal& principal,
                                                       const v1::CompleteActionRequest& request) {
  MOOT_RETURN_IF_ERROR(Writer(principal, request.name(), "name"));
  // R-ACT-02: completion only by an officer, with an update note.
  MOOT_RETURN_IF_ERROR(RequireText("note", request.note(), kMaxNote));
  const std::string today = LocalDate(clock_.Now());
  std::string date = today;
  if (!request.completion_date().empty()) {
    MOOT_ASSIGN_OR_RETURN(absl::CivilDay day,
                          ParseDay("completion_date", request.completion_date()));
    date = absl::FormatCivilTime(day);
    if (date > today) {
      return status::InvalidArgument("completion_date", "must not be in the future");
    }
  }
  std::vector<std::string> members;
  for (int i = 0; i < request.members_size(); ++i) {
    const std::string field = absl::StrCat("members[", i, "]");
    MOOT_RETURN_IF_ERROR(RequireText(field, request.members(i), kMaxPerson));
    if (std::find(members.begin(), members.end(), request.members(i)) != members.end()) {
      return status::InvalidArgument(field, "is named twice");
    }
    members.push_back(request.members(i));
  }
  return Change(principal, request.name(), request.etag(), "CompleteAction", request,
                request.request_id(), [&](v1::Action& action) -> absl::Status {
                  if (action.status() == v1::ACTION_STATUS_COMPLETED) {
                    return status::FailedPrecondition(
                        "ACTION_ALREADY_COMPLETED", action.name(),
                        absl::StrCat("completed on ", action.completion_date()));
                  }
                  // R-ACT-08: a minimum-membership action completes with at least that many
                  // names ("Sub-group membership finalised (Hussain, Feeney, Jaspal, Murphy)").
                  if (action.type() == v1::ACTION_TYPE_MEMBERSHIP) {
                    if (static_cast<int>(members.size()) < action.minimum_members()) {
                      return status::FailedPrecondition(
                          "MEMBERSHIP_BELOW_MINIMUM", action.name(),
                          absl::StrCat("needs at least ", action.minimum_members(), " members; ",
                                       members.size(), " named"));
                    }
                    for (const std::string& m : members) {
                      action.add_members(m);
                    }
                  } else if (!members.empty()) {
                    return status::InvalidArgument("members", "only for a MEMBERSHIP action");
                  }
                  v1::ActionUpdate* update = action.add_updates();
                  update->set_note(request.note());
                  update->set_actor(principal.subject);
                  *update->mutable_time() = ToProto(clock_.Now());
                  action.set_status(v1::ACTION_STATUS_COMPLETED);
                  *action.mutable_complete_time() = ToProto(clock_.Now());
                  action.set_completion_date(date);
                  return absl::OkStatus();
                });
}

absl::StatusOr<v1::ActionTrackerReport> ActionLogic::TrackerReport(
    const auth::Principal& principal, const v1::TrackerReportRequest& request) {
  MOOT_RETURN_IF_ERROR(RequireReader(principal, request.meeting(), "meeting"));
  MOOT_ASSIGN_OR_RETURN(auto meeting,
                        api::ResourceName::Parse(kMeetingPattern, request.meeting(), "meeting"));
  MOOT_ASSIGN_OR_RETURN(MeetingFacts facts, scheduling_.GetMeeting(request.meeting()));
  const std::string tenant = meeting.tenant();
  const std::string body = meeting.Get("body");
  v1::ActionTrackerReport report;
  report.set_meeting(request.meeting());
  report.set_meeting_date(facts.local_date);
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    // The previous meeting: the latest of the body's minuted meetings before this one.
    MOOT_ASSIGN_OR_RETURN(auto all_minutes, MinutesStore::ListBodyMinutes(conn, tenant, body));
    for (const auto& m : all_minutes) {
      if (m.meeting_date() < facts.local_date &&
          m.meeting_date() >= report.previous_meeting_date()) {
        report.set_previous_meeting(m.meeting());
        report.set_previous_meeting_date(m.meeting_date());
      }
    }
    std::string after;
    do {
      MOOT_ASSIGN_OR_RETURN(
          auto page, ActionStore::List(conn, tenant, body, v1::ACTION_STATUS_UNSPECIFIED, after,
                                       api::kMaxPageSize));
      for (auto& a : page.items) {
        // R-ACT-03: the tracker carries forward the outstanding actions of every earlier
        // meeting; those raised at this meeting or later belong to a later tracker.
        // A row with only a month counts as raised at this meeting when it is this month.
        const std::string month = facts.local_date.substr(0, 7);
        const bool raised_before = a.meeting() != request.meeting() &&
                                   (a.meeting_month().empty() || a.meeting_month() < month ||
                                    (a.meeting_month() == month && !a.meeting().empty()));
        // Outstanding at the meeting: not completed, or completed after its date.
        const bool open_then =
            a.status() == v1::ACTION_STATUS_OUTSTANDING || a.completion_date() > facts.local_date;
        if (open_then) {
          // R-ACT-02: outstanding however old.
          if (raised_before) {
            *report.add_outstanding() = std::move(a);
          }
        } else if (a.completion_date() > report.previous_meeting_date()) {
          *report.add_completed() = std::move(a);
        }
      }
      after = page.last_key;
    } while (!after.empty());
    return absl::OkStatus();
  }));
  absl::CivilDay day;
  std::string title = "Action Tracker";
  if (absl::ParseCivilTime(facts.local_date, &day)) {
    title = absl::StrCat(
        "Action Tracker – ",
        absl::FormatTime("%B %Y", absl::FromCivil(day, absl::UTCTimeZone()), absl::UTCTimeZone()));
  }
  // R-ACT-09: the computed outstanding count is reported.
  report.set_outstanding_count(report.outstanding_size());
  report.set_outstanding_summary(OutstandingSummary(report.outstanding_size()));
  report.set_html(RenderTrackerHtml(report, title));
  return report;
}

}  // namespace moot::decisions
