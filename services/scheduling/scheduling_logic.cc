#include "services/scheduling/scheduling_logic.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/events/outbox.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/scheduling/agenda_publication.h"
#include "services/scheduling/body_access.h"
#include "services/scheduling/calendar_store.h"
#include "services/scheduling/meeting_deadlines.h"
#include "services/scheduling/meeting_pattern.h"
#include "services/scheduling/people_store.h"
#include "services/scheduling/scheduling_store.h"
#include "services/scheduling/work_programme_logic.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kTenantPattern[] = "tenants/{tenant}";
constexpr char kBodyPattern[] = "tenants/{tenant}/bodies/{body}";
constexpr char kMeetingPattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}";
constexpr char kDocumentPattern[] = "tenants/{tenant}/documents/{document}";
constexpr char kPersonPattern[] = "tenants/{tenant}/people/{person}";

// R-SG-03: a sub-group has at least three members.
constexpr int kMinSubGroupMembers = 3;

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

absl::Status MaxText(absl::string_view field, const std::string& value, size_t max) {
  if (value.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

// Between 0001-01-01 and 9999-12-31 with nanos in range (google/protobuf/timestamp.proto).
bool IsValidTimestamp(const google::protobuf::Timestamp& ts) {
  return ts.seconds() >= TimeUtil::kTimestampMinSeconds &&
         ts.seconds() <= TimeUtil::kTimestampMaxSeconds && ts.nanos() >= 0 &&
         ts.nanos() <= 999999999;
}

// The civil date of `ts` in Europe/London.
std::string LocalDate(const google::protobuf::Timestamp& ts) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(ts.seconds()), time::London());
}

bool ParseDay(const std::string& text, absl::CivilDay* day) {
  return text.size() == 10 && absl::ParseCivilTime(text, day) &&
         absl::FormatCivilTime(*day) == text;
}

std::string Today(const time::Clock& clock) {
  return absl::FormatTime("%Y-%m-%d", clock.Now(), time::London());
}

// R-MTG-11: the minutes record when the meeting ended ("The meeting ended at 16:21 hours"). The
// end is after the start, on the same day in Europe/London, and not in the future; sets the
// printed "HH:MM" too.
absl::Status SetActualEnd(absl::string_view field, const google::protobuf::Timestamp& end,
                          absl::Time now, v1::Meeting& meeting) {
  if (!IsValidTimestamp(end)) {
    return status::InvalidArgument(field, "is not a valid timestamp");
  }
  if (end <= meeting.start_time()) {
    return status::InvalidArgument(field, "must be after the meeting's start_time");
  }
  if (LocalDate(end) != LocalDate(meeting.start_time())) {
    return status::InvalidArgument(
        field, absl::StrCat("must be on the day of the meeting (", LocalDate(meeting.start_time()),
                            ", Europe/London)"));
  }
  if (absl::FromUnixSeconds(end.seconds()) > now) {
    return status::InvalidArgument(field, "must not be in the future");
  }
  *meeting.mutable_actual_end_time() = end;
  meeting.set_actual_end_local_time(
      absl::FormatTime("%H:%M", absl::FromUnixSeconds(end.seconds()), time::London()));
  return absl::OkStatus();
}

// The advisory findings of meeting_pattern.h (R-MTG-05, R-MTG-06), replacing the stored ones.
void SetWarnings(const v1::Body& body, v1::Meeting& meeting) {
  meeting.clear_warnings();
  for (std::string& warning : MeetingWarnings(body, meeting)) {
    meeting.add_warnings(std::move(warning));
  }
}

// A rule given without its unit would silently fall back to the default: refuse it instead.
absl::Status RequireUnitWhenSet(const v1::DeadlineRule& rule, absl::string_view field) {
  if (rule.unit() == v1::DAY_UNIT_UNSPECIFIED &&
      (rule.days() != 0 || !rule.cutoff_time().empty())) {
    return status::InvalidArgument(absl::StrCat(field, ".unit"),
                                   "is required when the rule is given");
  }
  return absl::OkStatus();
}

// Validates a body's rules after defaults were filled in (domain.md §9).
absl::Status ValidateRules(const v1::BodyRules& rules) {
  MOOT_RETURN_IF_ERROR(ValidateDeadlineRule(rules.public_question_deadline(),
                                            "body.rules.public_question_deadline"));
  MOOT_RETURN_IF_ERROR(
      ValidateDeadlineRule(rules.agenda_publication(), "body.rules.agenda_publication"));
  // R-MTG-10, §9 item 4: a head count; 0 = none set.
  if (rules.quorum() < 0 || rules.quorum() > 1000) {
    return status::InvalidArgument("body.rules.quorum", "must be 0..1000 (0 = no quorum set)");
  }
  if (!v1::MinuteNumbering_IsValid(rules.minute_numbering())) {
    return status::InvalidArgument("body.rules.minute_numbering", "is not a known scheme");
  }
  std::set<int> seen;
  for (int kind : rules.standing_agenda()) {
    if (kind == v1::AGENDA_ITEM_KIND_UNSPECIFIED || !v1::AgendaItemKind_IsValid(kind)) {
      return status::InvalidArgument("body.rules.standing_agenda",
                                     absl::StrCat("holds an unknown item kind (", kind, ")"));
    }
    if (!seen.insert(kind).second) {
      return status::InvalidArgument(
          "body.rules.standing_agenda",
          absl::StrCat("lists ", v1::AgendaItemKind_Name(static_cast<v1::AgendaItemKind>(kind)),
                       " twice"));
    }
  }
  if (rules.standing_agenda_size() > 50) {
    return status::InvalidArgument("body.rules.standing_agenda", "must hold at most 50 kinds");
  }
  MOOT_RETURN_IF_ERROR(MaxText("body.rules.default_venue", rules.default_venue(), 500));
  MOOT_RETURN_IF_ERROR(
      MaxText("body.rules.default_webcast_provider", rules.default_webcast_provider(), 200));
  // §9 item 13: the petition response deadline (R-PQ-06).
  if (rules.petition_response_days() < 0 || rules.petition_response_days() > 365) {
    return status::InvalidArgument("body.rules.petition_response_days",
                                   "must be 0..365 (0 = no deadline)");
  }
  if (rules.has_meeting_pattern()) {
    // R-MTG-05: the regular meeting pattern.
    MOOT_RETURN_IF_ERROR(
        ValidateMeetingPattern(rules.meeting_pattern(), "body.rules.meeting_pattern"));
  }
  return MaxText("body.rules.default_webcast_url", rules.default_webcast_url(), 2000);
}

// The plain fields every body has.
absl::Status ValidateBodyFields(const v1::Body& body) {
  MOOT_RETURN_IF_ERROR(RequireText("body.display_name", body.display_name(), 200));
  MOOT_RETURN_IF_ERROR(MaxText("body.description", body.description(), 4000));
  MOOT_RETURN_IF_ERROR(MaxText("body.host_authority", body.host_authority(), 200));
  MOOT_RETURN_IF_ERROR(MaxText("body.website", body.website(), 500));
  return MaxText("body.contact", body.contact(), 500);
}

// R-SG-02 (ENFORCE): a sub-group's remit is defined up front; only a sub-group has these.
// Lookups of the parent and reports-to bodies happen in the caller's transaction.
absl::Status ValidateSubGroupFields(sql::Connection& tx, const std::string& tenant,
                                    const std::string& self_id, const v1::Body& body) {
  if (body.kind() != v1::BODY_KIND_SUB_GROUP) {
    for (const auto& [field, value] :
         {std::pair<const char*, const std::string*>{"body.parent_body", &body.parent_body()},
          {"body.terms_of_reference", &body.terms_of_reference()},
          {"body.end_date", &body.end_date()},
          {"body.reports_to", &body.reports_to()},
          {"body.meeting_window_start", &body.meeting_window_start()},
          {"body.meeting_window_end", &body.meeting_window_end()},
          {"body.cost_centre", &body.cost_centre()}}) {
      if (!value->empty()) {
        return status::InvalidArgument(field, "is only allowed for a SUB_GROUP");
      }
    }
    if (!body.report_meetings().empty() || !body.role_clauses().empty()) {
      return status::InvalidArgument(
          body.report_meetings().empty() ? "body.role_clauses" : "body.report_meetings",
          "is only allowed for a SUB_GROUP");
    }
    return absl::OkStatus();
  }
  MOOT_ASSIGN_OR_RETURN(
      auto parent, api::ResourceName::Parse(kBodyPattern, body.parent_body(), "body.parent_body"));
  if (parent.tenant() != tenant) {
    return status::InvalidArgument("body.parent_body", "must be a body of the same tenant");
  }
  if (parent.Get("body") == self_id) {
    return status::InvalidArgument("body.parent_body", "cannot be the sub-group itself");
  }
  if (body.terms_of_reference().empty()) {
    return status::InvalidArgument("body.terms_of_reference",
                                   "is required for a sub-group (R-SG-02)");
  }
  MOOT_ASSIGN_OR_RETURN(auto tor,
                        api::ResourceName::Parse(kDocumentPattern, body.terms_of_reference(),
                                                 "body.terms_of_reference"));
  if (tor.tenant() != tenant) {
    return status::InvalidArgument("body.terms_of_reference",
                                   "must be a document of the same tenant");
  }
  absl::CivilDay end;
  if (body.end_date().empty()) {
    return status::InvalidArgument("body.end_date", "is required for a sub-group (R-SG-02)");
  }
  if (!ParseDay(body.end_date(), &end)) {
    return status::InvalidArgument("body.end_date", "must be a date YYYY-MM-DD");
  }
  if (body.reports_to().empty()) {
    return status::InvalidArgument("body.reports_to", "is required for a sub-group (R-SG-02)");
  }
  MOOT_ASSIGN_OR_RETURN(auto reports_to, api::ResourceName::Parse(kBodyPattern, body.reports_to(),
                                                                  "body.reports_to"));
  if (reports_to.tenant() != tenant || reports_to.Get("body") == self_id) {
    return status::InvalidArgument("body.reports_to", "must be another body of the same tenant");
  }
  // R-SG-05: the planned meeting window and the parent's meetings it reports to.
  if (body.meeting_window_start().empty() != body.meeting_window_end().empty()) {
    return status::InvalidArgument(body.meeting_window_start().empty() ? "body.meeting_window_start"
                                                                       : "body.meeting_window_end",
                                   "is given with the other end of the window (R-SG-05)");
  }
  if (!body.meeting_window_start().empty()) {
    absl::CivilDay from;
    absl::CivilDay to;
    if (!ParseDay(body.meeting_window_start(), &from)) {
      return status::InvalidArgument("body.meeting_window_start", "must be a date YYYY-MM-DD");
    }
    if (!ParseDay(body.meeting_window_end(), &to)) {
      return status::InvalidArgument("body.meeting_window_end", "must be a date YYYY-MM-DD");
    }
    if (to <= from) {
      return status::InvalidArgument("body.meeting_window_end",
                                     "must be after body.meeting_window_start (R-SG-05)");
    }
    if (to > end) {
      return status::InvalidArgument("body.meeting_window_end",
                                     "must not be after the sub-group's end_date (R-SG-05)");
    }
  }
  if (body.report_meetings_size() > 12) {
    return status::InvalidArgument("body.report_meetings", "must hold at most 12 meetings");
  }
  // R-SG-06: the cost centre (the grant) that pays for it.
  MOOT_RETURN_IF_ERROR(MaxText("body.cost_centre", body.cost_centre(), 200));
  // R-SG-07: the role clauses of the terms of reference.
  if (body.role_clauses_size() > 30) {
    return status::InvalidArgument("body.role_clauses", "must hold at most 30 clauses");
  }
  for (const std::string& clause : body.role_clauses()) {
    if (clause.empty() || clause.size() > 2000) {
      return status::InvalidArgument("body.role_clauses", "each clause must be 1..2000 characters");
    }
  }
  MOOT_ASSIGN_OR_RETURN(
      v1::Body parent_body,
      SchedulingStore::GetBody(tx, tenant, parent.Get("body"), body.parent_body()));
  // A sub-group hangs off a panel, board or committee, never off another sub-group.
  if (parent_body.kind() == v1::BODY_KIND_SUB_GROUP) {
    return status::InvalidArgument("body.parent_body",
                                   "must be a panel, board or committee, not a sub-group");
  }
  for (const std::string& meeting : body.report_meetings()) {
    MOOT_ASSIGN_OR_RETURN(
        auto m, api::ResourceName::Parse(kMeetingPattern, meeting, "body.report_meetings"));
    if (m.tenant() != tenant || m.Get("body") != parent.Get("body")) {
      return status::InvalidArgument("body.report_meetings",
                                     absl::StrCat(meeting, " is not a meeting of the parent body ",
                                                  body.parent_body(), " (R-SG-05)"));
    }
    MOOT_RETURN_IF_ERROR(
        SchedulingStore::GetMeeting(tx, tenant, m.Get("body"), m.Get("meeting"), meeting).status());
  }
  return SchedulingStore::GetBody(tx, tenant, reports_to.Get("body"), body.reports_to()).status();
}

// Fills the rules' defaults by kind and validates them.
absl::StatusOr<v1::BodyRules> EffectiveRules(v1::BodyKind kind, const v1::BodyRules& given) {
  MOOT_RETURN_IF_ERROR(
      RequireUnitWhenSet(given.public_question_deadline(), "body.rules.public_question_deadline"));
  MOOT_RETURN_IF_ERROR(
      RequireUnitWhenSet(given.agenda_publication(), "body.rules.agenda_publication"));
  v1::BodyRules rules = WithDefaults(kind, given);
  MOOT_RETURN_IF_ERROR(ValidateRules(rules));
  return rules;
}

// R-SG-03 (ENFORCE) and R-SG-03/04 (WARN): the sub-group's members on `date` against its parent.
absl::StatusOr<v1::SubGroupCheck> CheckComposition(sql::Connection& conn, const std::string& tenant,
                                                   const std::string& body_id, const v1::Body& body,
                                                   const std::string& date) {
  v1::SubGroupCheck check;
  check.set_body(body.name());
  check.set_date(date);
  MOOT_ASSIGN_OR_RETURN(auto memberships, PeopleStore::MembersAt(conn, tenant, body_id, date));
  std::set<std::string> members;
  for (const auto& m : memberships) {
    members.insert(m.person());
  }
  if (static_cast<int>(members.size()) < kMinSubGroupMembers) {
    return status::FailedPrecondition(
        "SUBGROUP_TOO_SMALL", body.name(),
        absl::StrCat("a sub-group needs at least ", kMinSubGroupMembers, " members on ", date,
                     " (R-SG-03); it has ", members.size()));
  }
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, body.parent_body(), "parent_body"));
  MOOT_ASSIGN_OR_RETURN(auto parent_memberships,
                        PeopleStore::MembersAt(conn, tenant, parent.Get("body"), date));
  std::set<std::string> parent_members;
  for (const auto& m : parent_memberships) {
    parent_members.insert(m.person());
  }
  bool councillor = false;
  bool independent = false;
  std::set<std::string> parties;
  std::set<std::string> authorities;
  for (const std::string& person_name : members) {
    if (parent_members.count(person_name) == 0) {
      return status::FailedPrecondition(
          "SUBGROUP_MEMBER_NOT_IN_PARENT", person_name,
          absl::StrCat(person_name, " is not a member of ", body.parent_body(), " on ", date,
                       " (R-SG-03: members are drawn from the parent body)"));
    }
    check.add_members(person_name);
    auto name = api::ResourceName::Parse(kPersonPattern, person_name, "person");
    if (!name.ok()) {
      continue;
    }
    MOOT_ASSIGN_OR_RETURN(v1::Person person,
                          PeopleStore::GetPerson(conn, tenant, name->Get("person"), person_name));
    councillor |= person.member_type() == v1::MEMBER_TYPE_COUNCILLOR;
    independent |= person.member_type() == v1::MEMBER_TYPE_INDEPENDENT;
    if (!person.party().empty()) {
      parties.insert(person.party());
    }
    if (!person.appointing_authority().empty()) {
      authorities.insert(person.appointing_authority());
    }
  }
  // R-SG-03 (WARN): both councillor and independent members, cross-party.
  if (!councillor) {
    check.add_warnings("SUBGROUP_NO_COUNCILLOR: no councillor member (R-SG-03)");
  }
  if (!independent) {
    check.add_warnings("SUBGROUP_NO_INDEPENDENT: no independent member (R-SG-03)");
  }
  if (parties.size() == 1) {
    check.add_warnings(absl::StrCat("SUBGROUP_SINGLE_PARTY: every member with a party is ",
                                    *parties.begin(), " (R-SG-03: cross-party)"));
  }
  // R-SG-04 (WARN): more than one district.
  if (authorities.size() == 1) {
    check.add_warnings(absl::StrCat("SUBGROUP_SINGLE_AUTHORITY: every member was appointed by ",
                                    *authorities.begin(), " (R-SG-04)"));
  }
  return check;
}

// The date a sub-group's composition is judged on when none is given: today, or its end date
// once its remit is over.
std::string CompositionDate(const v1::Body& body, const time::Clock& clock) {
  std::string date = Today(clock);
  if (!body.end_date().empty() && body.end_date() < date) {
    date = body.end_date();
  }
  return date;
}

// The body's warnings on read: a sub-group's composition findings, ENFORCE failures included
// (reading never fails because of them).
absl::Status FillWarnings(sql::Connection& conn, const std::string& tenant,
                          const std::string& body_id, const time::Clock& clock, v1::Body& body) {
  body.clear_warnings();
  if (body.kind() != v1::BODY_KIND_SUB_GROUP || body.parent_body().empty()) {
    return absl::OkStatus();
  }
  auto check = CheckComposition(conn, tenant, body_id, body, CompositionDate(body, clock));
  if (!check.ok()) {
    if (check.status().code() != absl::StatusCode::kFailedPrecondition) {
      return check.status();
    }
    // The message reads "REASON: why", like the advisory warnings.
    body.add_warnings(std::string(check.status().message()));
    return absl::OkStatus();
  }
  for (const std::string& w : check->warnings()) {
    body.add_warnings(w);
  }
  return absl::OkStatus();
}

// The status a TransitionMeeting may move to from `from` (scheduling.proto, MeetingStatus).
bool TransitionAllowed(v1::MeetingStatus from, v1::MeetingStatus to, v1::MeetingKind kind) {
  switch (from) {
    case v1::MEETING_STATUS_DRAFT:
      if (to == v1::MEETING_STATUS_SCHEDULED) {
        return kind != v1::MEETING_KIND_PROVISIONAL;
      }
      if (to == v1::MEETING_STATUS_PROVISIONAL) {
        return kind == v1::MEETING_KIND_PROVISIONAL;
      }
      return to == v1::MEETING_STATUS_CANCELLED;
    case v1::MEETING_STATUS_SCHEDULED:
    case v1::MEETING_STATUS_AGENDA_PUBLISHED:
      return to == v1::MEETING_STATUS_HELD || to == v1::MEETING_STATUS_CANCELLED ||
             to == v1::MEETING_STATUS_POSTPONED;
    case v1::MEETING_STATUS_PROVISIONAL:
      // R-MTG-07: confirmed (a veto) or cancelled (no veto).
      return to == v1::MEETING_STATUS_SCHEDULED || to == v1::MEETING_STATUS_CANCELLED;
    case v1::MEETING_STATUS_POSTPONED:
      return to == v1::MEETING_STATUS_CANCELLED;
    default:
      return false;
  }
}

// The event type of a transition.
std::string TransitionEvent(v1::MeetingStatus from, v1::MeetingStatus to) {
  switch (to) {
    case v1::MEETING_STATUS_SCHEDULED:
      return from == v1::MEETING_STATUS_PROVISIONAL ? "meeting.confirmed" : "meeting.scheduled";
    case v1::MEETING_STATUS_PROVISIONAL:
      return "meeting.scheduled";
    case v1::MEETING_STATUS_CANCELLED:
      return "meeting.cancelled";
    case v1::MEETING_STATUS_POSTPONED:
      return "meeting.postponed";
    case v1::MEETING_STATUS_HELD:
      return "meeting.held";
    default:
      return "meeting.updated";
  }
}

std::string StatusName(v1::MeetingStatus s) {
  std::string name = v1::MeetingStatus_Name(s);
  return name.empty() ? absl::StrCat(static_cast<int>(s)) : name;
}

// R-SG-01: a sub-group cannot exercise the Panel's Special Functions (precept veto meetings,
// confirmation hearings).
absl::Status CheckSpecialFunctions(const v1::Body& body, v1::MeetingKind kind,
                                   const std::string& subject) {
  if (body.kind() == v1::BODY_KIND_SUB_GROUP &&
      (kind == v1::MEETING_KIND_PROVISIONAL || kind == v1::MEETING_KIND_CONFIRMATION_HEARING)) {
    return status::FailedPrecondition(
        "SUBGROUP_SPECIAL_FUNCTION", subject,
        absl::StrCat("a sub-group cannot hold a ", v1::MeetingKind_Name(kind),
                     " meeting: Special Functions stay with the full Panel (R-SG-01)"));
  }
  return absl::OkStatus();
}

// Meetings stored before their deadlines were kept get them on read (the body's rules and the
// tenant's calendar); a meeting outside the calendar's years keeps none.
absl::Status FillMissingDeadlines(sql::Connection& conn, const std::string& tenant,
                                  const std::string& body_id, std::vector<v1::Meeting*> meetings) {
  meetings.erase(
      std::remove_if(meetings.begin(), meetings.end(),
                     [](const v1::Meeting* m) { return !m->publication_deadline_date().empty(); }),
      meetings.end());
  if (meetings.empty()) {
    return absl::OkStatus();
  }
  MOOT_ASSIGN_OR_RETURN(v1::Body body,
                        SchedulingStore::GetBody(conn, tenant, body_id,
                                                 api::FormatName(kBodyPattern, {tenant, body_id})));
  MOOT_ASSIGN_OR_RETURN(calendar::HolidayCalendar cal, CalendarStore::TenantCalendar(conn, tenant));
  for (v1::Meeting* m : meetings) {
    FillMeetingDeadlines(cal, body, *m).IgnoreError();
  }
  return absl::OkStatus();
}

}  // namespace

SchedulingLogic::SchedulingLogic(sql::Database& db, const events::Outbox& outbox,
                                 const time::Clock& clock, ids::IdGenerator& ids,
                                 const api::PageTokens& page_tokens)
    : db_(db), outbox_(outbox), clock_(clock), ids_(ids), page_tokens_(page_tokens) {}

events::v1::Event SchedulingLogic::MakeEvent(absl::string_view type, const std::string& tenant,
                                             const std::string& subject,
                                             const google::protobuf::Message& payload,
                                             bool is_public) {
  return service::NewEvent(ids_, clock_, "scheduling", type, tenant, subject, payload, is_public);
}

absl::Status SchedulingLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling", SchedulingStore::Migrations()));
  // PublishAgenda stores agenda versions (agenda_publication.cc).
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_agenda", AgendaStore::Migrations()));
  // Read here too: closures (meeting deadlines) and memberships (sub-group checks).
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_calendar", CalendarStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_people", PeopleStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::Outbox::Migrate(db_);
}

absl::StatusOr<v1::Body> SchedulingLogic::CreateBody(const auth::Principal& principal,
                                                     const v1::CreateBodyRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kTenantAdmin}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_RETURN_IF_ERROR(api::ValidateId("body_id", request.body_id()));
  const v1::Body& in = request.body();
  MOOT_RETURN_IF_ERROR(RequireText("body.display_name", in.display_name(), 200));
  if (in.kind() == v1::BODY_KIND_UNSPECIFIED || !v1::BodyKind_IsValid(in.kind())) {
    return status::InvalidArgument("body.kind", "is required (PANEL, BOARD, SUB_GROUP, COMMITTEE)");
  }
  MOOT_RETURN_IF_ERROR(ValidateBodyFields(in));
  if (in.kind() != v1::BODY_KIND_SUB_GROUP && !in.parent_body().empty()) {
    return status::InvalidArgument("body.parent_body", "is only allowed for a SUB_GROUP");
  }
  if (in.kind() == v1::BODY_KIND_SUB_GROUP && in.parent_body().empty()) {
    return status::InvalidArgument("body.parent_body", "is required for a sub-group (R-SG-01)");
  }
  // Defaults by kind (domain.md §9), returned with the body: all of them when no rules are
  // given, otherwise the unset parts (and the standing agenda when none is listed).
  MOOT_ASSIGN_OR_RETURN(
      v1::BodyRules rules,
      EffectiveRules(in.kind(), in.has_rules() ? in.rules() : DefaultRules(in.kind())));
  if (rules.standing_agenda().empty()) {
    *rules.mutable_standing_agenda() = DefaultRules(in.kind()).standing_agenda();
  }

  v1::Body body = in;
  body.set_name(api::FormatName(kBodyPattern, {parent.tenant(), request.body_id()}));
  *body.mutable_rules() = std::move(rules);
  body.clear_warnings();
  const auto now = ToProto(clock_.Now());
  *body.mutable_create_time() = now;
  *body.mutable_update_time() = now;
  body.set_etag("1");

  v1::Body result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "CreateBody",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(ValidateSubGroupFields(tx, parent.tenant(), request.body_id(), body));
    MOOT_RETURN_IF_ERROR(SchedulingStore::InsertBody(tx, parent.tenant(), request.body_id(), body));
    result = body;
    return api::RequestLog::Record(tx, parent.tenant(), "CreateBody", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  // A new sub-group says what it still lacks (R-SG-03: members).
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    return FillWarnings(conn, parent.tenant(), request.body_id(), clock_, result);
  }));
  return result;
}

absl::StatusOr<v1::Body> SchedulingLogic::GetBody(const auth::Principal& principal,
                                                  const v1::GetBodyRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kBodyPattern, request.name(), "name"));
  v1::Body body;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        body, SchedulingStore::GetBody(conn, name.tenant(), name.Get("body"), request.name()));
    return FillWarnings(conn, name.tenant(), name.Get("body"), clock_, body);
  }));
  return body;
}

absl::StatusOr<v1::ListBodiesResponse> SchedulingLogic::ListBodies(
    const auth::Principal& principal, const v1::ListBodiesRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("ListBodies|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListBodiesResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto page,
                          SchedulingStore::ListBodies(conn, parent.tenant(), after, page_size));
    for (auto& body : page.items) {
      const std::string id = body.name().substr(body.name().rfind('/') + 1);
      MOOT_RETURN_IF_ERROR(FillWarnings(conn, parent.tenant(), id, clock_, body));
      *response.add_bodies() = std::move(body);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Body> SchedulingLogic::UpdateBody(const auth::Principal& principal,
                                                     const v1::UpdateBodyRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.body().name(),
                                         auth::TenantScope::kOwnTenant, "body.name"));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kTenantAdmin}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kBodyPattern, request.body().name(), "body.name"));
  static const std::set<std::string> kMutable = {
      "display_name",
      "description",
      "rules",
      "rules.public_question_deadline",
      "rules.one_question_per_person",
      "rules.agenda_publication",
      "rules.quorum",
      "rules.minute_numbering",
      "rules.standing_agenda",
      "rules.default_venue",
      "rules.default_webcast_provider",
      "rules.default_webcast_url",
      "rules.public_may_speak",
      "rules.meeting_pattern",
      "rules.public_meetings_webcast",
      "rules.petition_response_days",
      "terms_of_reference",
      "end_date",
      "reports_to",
      "meeting_window_start",
      "meeting_window_end",
      "report_meetings",
      "cost_centre",
      "role_clauses",
      "host_authority",
      "website",
      "contact",
  };
  if (request.update_mask().paths_size() == 0) {
    return status::InvalidArgument("update_mask", "is required (the fields to change)");
  }
  bool rules_changed = false;
  for (const std::string& path : request.update_mask().paths()) {
    if (kMutable.count(path) == 0) {
      return status::InvalidArgument("update_mask",
                                     absl::StrCat("cannot change \"", path,
                                                  "\" (kind and parent_body are "
                                                  "fixed; output-only fields are computed)"));
    }
    rules_changed |= absl::StartsWith(path, "rules");
  }
  const std::string body_id = name.Get("body");
  v1::Body result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, name.tenant(), "UpdateBody",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto found, SchedulingStore::GetBodyVersion(tx, name.tenant(), body_id,
                                                                      request.body().name()));
    v1::Body body = std::move(found.first);
    if (!request.body().etag().empty() && request.body().etag() != body.etag()) {
      return status::FailedPrecondition("ETAG_MISMATCH", body.name(),
                                        absl::StrCat("the body has etag ", body.etag(), ", not ",
                                                     request.body().etag(), "; read it again"));
    }
    google::protobuf::util::FieldMaskUtil::MergeOptions options;
    options.set_replace_message_fields(true);
    options.set_replace_repeated_fields(true);
    google::protobuf::util::FieldMaskUtil::MergeMessageTo(request.body(), request.update_mask(),
                                                          options, &body);
    MOOT_RETURN_IF_ERROR(ValidateBodyFields(body));
    MOOT_ASSIGN_OR_RETURN(v1::BodyRules rules, EffectiveRules(body.kind(), body.rules()));
    *body.mutable_rules() = std::move(rules);
    MOOT_RETURN_IF_ERROR(ValidateSubGroupFields(tx, name.tenant(), body_id, body));
    body.clear_warnings();
    *body.mutable_update_time() = ToProto(clock_.Now());
    body.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(
        SchedulingStore::UpdateBody(tx, name.tenant(), body_id, body, found.second));
    if (rules_changed) {
      // The deadlines of open meetings follow the body's rules (R-PQ-01/02, R-MTG-09).
      MOOT_ASSIGN_OR_RETURN(calendar::HolidayCalendar cal,
                            CalendarStore::TenantCalendar(tx, name.tenant()));
      MOOT_RETURN_IF_ERROR(RefreshDeadlines(tx, name.tenant(), body, cal));
    }
    v1::BodyUpdated payload;
    *payload.mutable_body() = body;
    for (const std::string& path : request.update_mask().paths()) {
      payload.add_changed_fields(path);
    }
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, MakeEvent("body.updated", name.tenant(), body.name(), payload, /*is_public=*/true)));
    result = body;
    return api::RequestLog::Record(tx, name.tenant(), "UpdateBody", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    return FillWarnings(conn, name.tenant(), body_id, clock_, result);
  }));
  return result;
}

absl::StatusOr<v1::SubGroupCheck> SchedulingLogic::CheckSubGroup(
    const auth::Principal& principal, const v1::CheckSubGroupRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kBodyPattern, request.name(), "name"));
  absl::CivilDay day;
  if (!request.date().empty() && !ParseDay(request.date(), &day)) {
    return status::InvalidArgument("date", "must be a date YYYY-MM-DD");
  }
  v1::SubGroupCheck check;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        v1::Body body,
        SchedulingStore::GetBody(conn, name.tenant(), name.Get("body"), request.name()));
    if (body.kind() != v1::BODY_KIND_SUB_GROUP) {
      return status::FailedPrecondition("NOT_A_SUB_GROUP", request.name(),
                                        "only a sub-group's membership is checked (R-SG-03)");
    }
    const std::string date =
        request.date().empty() ? CompositionDate(body, clock_) : request.date();
    MOOT_ASSIGN_OR_RETURN(check,
                          CheckComposition(conn, name.tenant(), name.Get("body"), body, date));
    return absl::OkStatus();
  }));
  return check;
}

absl::StatusOr<v1::Meeting> SchedulingLogic::CreateMeeting(
    const auth::Principal& principal, const v1::CreateMeetingRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  MOOT_RETURN_IF_ERROR(api::ValidateId("meeting_id", request.meeting_id()));
  const v1::Meeting& in = request.meeting();
  MOOT_RETURN_IF_ERROR(RequireText("meeting.title", in.title(), 200));
  if (!in.has_start_time()) {
    return status::InvalidArgument("meeting.start_time", "is required");
  }
  if (!IsValidTimestamp(in.start_time())) {
    return status::InvalidArgument("meeting.start_time", "is not a valid timestamp");
  }
  if (in.has_end_time() && !IsValidTimestamp(in.end_time())) {
    return status::InvalidArgument("meeting.end_time", "is not a valid timestamp");
  }
  if (in.has_end_time() && in.end_time() <= in.start_time()) {
    return status::InvalidArgument("meeting.end_time", "must be after meeting.start_time");
  }
  if (!v1::MeetingKind_IsValid(in.kind())) {
    return status::InvalidArgument("meeting.kind", "is not a known meeting kind");
  }
  if (in.venue().size() > 500 || in.webcast_url().size() > 2000) {
    return status::InvalidArgument(
        in.venue().size() > 500 ? "meeting.venue" : "meeting.webcast_url", "is too long");
  }
  MOOT_RETURN_IF_ERROR(MaxText("meeting.webcast_provider", in.webcast_provider(), 200));

  v1::Meeting meeting = in;
  meeting.set_name(api::FormatName(kMeetingPattern,
                                   {parent.tenant(), parent.Get("body"), request.meeting_id()}));
  if (meeting.kind() == v1::MEETING_KIND_UNSPECIFIED) {
    meeting.set_kind(v1::MEETING_KIND_ORDINARY);
  }
  // R-MTG-07: a provisional meeting starts PROVISIONAL. A DRAFT may be asked for explicitly.
  const v1::MeetingStatus initial = meeting.kind() == v1::MEETING_KIND_PROVISIONAL
                                        ? v1::MEETING_STATUS_PROVISIONAL
                                        : v1::MEETING_STATUS_SCHEDULED;
  if (in.status() == v1::MEETING_STATUS_DRAFT) {
    meeting.set_status(v1::MEETING_STATUS_DRAFT);
  } else if (in.status() == v1::MEETING_STATUS_UNSPECIFIED || in.status() == initial) {
    meeting.set_status(initial);
  } else {
    return status::InvalidArgument("meeting.status",
                                   absl::StrCat("a new meeting is DRAFT or ", StatusName(initial),
                                                " (leave it unset for ", StatusName(initial), ")"));
  }
  meeting.set_local_date(LocalDate(meeting.start_time()));
  meeting.set_agenda_version(0);
  meeting.clear_agenda_publish_time();
  meeting.set_sequence(0);
  meeting.clear_status_reason();
  const auto now = ToProto(clock_.Now());
  *meeting.mutable_create_time() = now;
  *meeting.mutable_update_time() = now;
  meeting.set_etag("1");

  v1::Meeting result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "CreateMeeting",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(
        v1::Body body,
        SchedulingStore::GetBody(tx, parent.tenant(), parent.Get("body"), request.parent()));
    MOOT_RETURN_IF_ERROR(CheckSpecialFunctions(body, meeting.kind(), meeting.name()));
    if (meeting.status() != v1::MEETING_STATUS_DRAFT) {
      MOOT_RETURN_IF_ERROR(CheckSubGroupMeeting(tx, parent.tenant(), parent.Get("body"), body,
                                                meeting.local_date()));
    }
    // R-MTG-02: venue and webcast default from the body's rules; each meeting may override.
    const v1::BodyRules& rules = body.rules();
    if (meeting.venue().empty()) {
      meeting.set_venue(rules.default_venue());
    }
    if (meeting.webcast_provider().empty()) {
      meeting.set_webcast_provider(rules.default_webcast_provider());
    }
    if (meeting.webcast_url().empty()) {
      meeting.set_webcast_url(rules.default_webcast_url());
    }
    // R-MTG-09 and R-PQ-01/02: the deadlines from the body's rules and the tenant's calendar.
    MOOT_ASSIGN_OR_RETURN(calendar::HolidayCalendar cal,
                          CalendarStore::TenantCalendar(tx, parent.tenant()));
    MOOT_RETURN_IF_ERROR(FillMeetingDeadlines(cal, body, meeting));
    SetWarnings(body, meeting);
    MOOT_RETURN_IF_ERROR(SchedulingStore::InsertMeeting(tx, parent.tenant(), parent.Get("body"),
                                                        request.meeting_id(), meeting));
    v1::MeetingScheduled payload;
    *payload.mutable_meeting() = meeting;
    const bool draft = meeting.status() == v1::MEETING_STATUS_DRAFT;
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, MakeEvent(draft ? "meeting.drafted" : "meeting.scheduled", parent.tenant(),
                      meeting.name(), payload, /*is_public=*/!draft)));
    result = meeting;
    return api::RequestLog::Record(tx, parent.tenant(), "CreateMeeting", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Meeting> SchedulingLogic::GetMeeting(const auth::Principal& principal,
                                                        const v1::GetMeetingRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kMeetingPattern, request.name(), "name"));
  v1::Meeting meeting;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto found,
                          SchedulingStore::GetMeeting(conn, name.tenant(), name.Get("body"),
                                                      name.Get("meeting"), request.name()));
    meeting = std::move(found.first);
    // A draft is invisible (not merely forbidden) to those who may not see the body's drafts:
    // officers, tenant admins and the body's own members may (body_access.h).
    if (meeting.status() == v1::MEETING_STATUS_DRAFT) {
      MOOT_ASSIGN_OR_RETURN(bool drafts, MaySeeDrafts(conn, principal, name.tenant(),
                                                      name.Get("body"), LondonToday(clock_.Now())));
      if (!drafts) {
        return status::NotFound(request.name());
      }
    }
    return FillMissingDeadlines(conn, name.tenant(), name.Get("body"), {&meeting});
  }));
  return meeting;
}

absl::StatusOr<v1::ListMeetingsResponse> SchedulingLogic::ListMeetings(
    const auth::Principal& principal, const v1::ListMeetingsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  v1::ListMeetingsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    // Drafts only for officers, tenant admins and the body's own members (body_access.h).
    MOOT_ASSIGN_OR_RETURN(bool drafts, MaySeeDrafts(conn, principal, parent.tenant(),
                                                    parent.Get("body"), LondonToday(clock_.Now())));
    const std::string binding = absl::StrCat("ListMeetings|", request.parent(), "|", drafts);
    MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
    MOOT_ASSIGN_OR_RETURN(
        auto page, SchedulingStore::ListMeetings(conn, parent.tenant(), parent.Get("body"), after,
                                                 page_size, drafts));
    std::vector<v1::Meeting*> read;
    for (auto& meeting : page.items) {
      read.push_back(&meeting);
    }
    MOOT_RETURN_IF_ERROR(FillMissingDeadlines(conn, parent.tenant(), parent.Get("body"), read));
    for (auto& meeting : page.items) {
      *response.add_meetings() = std::move(meeting);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::Status SchedulingLogic::CheckSubGroupMeeting(sql::Connection& tx, const std::string& tenant,
                                                   const std::string& body_id, const v1::Body& body,
                                                   const std::string& local_date) {
  if (body.kind() != v1::BODY_KIND_SUB_GROUP) {
    return absl::OkStatus();
  }
  // R-SG-02: the sub-group works within its timeframe.
  if (!body.end_date().empty() && local_date > body.end_date()) {
    return status::FailedPrecondition(
        "SUBGROUP_REMIT_ENDED", body.name(),
        absl::StrCat("the sub-group's remit ends on ", body.end_date(), " (R-SG-02)"));
  }
  // R-SG-03 (ENFORCE): at least three members, all members of the parent on the day.
  return CheckComposition(tx, tenant, body_id, body, local_date).status();
}

absl::StatusOr<v1::Meeting> SchedulingLogic::StoreChange(
    sql::Connection& tx, const std::string& tenant, const std::string& body_id,
    const std::string& meeting_id, v1::Meeting meeting, int64_t version, absl::string_view type,
    v1::MeetingStatus previous_status, const google::protobuf::Timestamp* previous_start,
    const std::string& reason) {
  *meeting.mutable_update_time() = ToProto(clock_.Now());
  meeting.set_etag(absl::StrCat(version + 1));
  // RFC 5545 SEQUENCE: every change a subscriber's calendar should pick up.
  meeting.set_sequence(meeting.sequence() + 1);
  MOOT_RETURN_IF_ERROR(
      SchedulingStore::UpdateMeeting(tx, tenant, body_id, meeting_id, meeting, version));
  v1::MeetingChanged payload;
  *payload.mutable_meeting() = meeting;
  payload.set_previous_status(previous_status);
  if (previous_start != nullptr) {
    *payload.mutable_previous_start_time() = *previous_start;
  }
  payload.set_reason(reason);
  // Nothing about a draft reaches the public stream: not its edits, not its cancellation. A
  // draft that is scheduled is announced.
  const bool is_public = meeting.status() != v1::MEETING_STATUS_DRAFT &&
                         !(previous_status == v1::MEETING_STATUS_DRAFT &&
                           meeting.status() == v1::MEETING_STATUS_CANCELLED);
  MOOT_RETURN_IF_ERROR(
      outbox_.Append(tx, MakeEvent(type, tenant, meeting.name(), payload, is_public)));
  return meeting;
}

absl::StatusOr<v1::Meeting> SchedulingLogic::UpdateMeeting(
    const auth::Principal& principal, const v1::UpdateMeetingRequest& request) {
  const v1::Meeting& in = request.meeting();
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, in.name(), auth::TenantScope::kOwnTenant, "meeting.name"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kMeetingPattern, in.name(), "meeting.name"));
  static const std::set<std::string> kMutable = {
      "title", "venue", "webcast_url", "webcast_provider", "end_time", "kind", "actual_end_time"};
  if (request.update_mask().paths_size() == 0) {
    return status::InvalidArgument("update_mask", "is required (the fields to change)");
  }
  for (const std::string& path : request.update_mask().paths()) {
    if (kMutable.count(path) == 0) {
      return status::InvalidArgument(
          "update_mask",
          absl::StrCat("cannot change \"", path,
                       "\" (the date changes with RescheduleMeeting, the status with "
                       "TransitionMeeting)"));
    }
  }
  v1::Meeting result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, name.tenant(), "UpdateMeeting",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto found,
                          SchedulingStore::GetMeeting(tx, name.tenant(), name.Get("body"),
                                                      name.Get("meeting"), in.name()));
    v1::Meeting meeting = std::move(found.first);
    if (!in.etag().empty() && in.etag() != meeting.etag()) {
      return status::FailedPrecondition("ETAG_MISMATCH", meeting.name(),
                                        absl::StrCat("the meeting has etag ", meeting.etag(),
                                                     ", not ", in.etag(), "; read it again"));
    }
    if (meeting.status() == v1::MEETING_STATUS_CANCELLED) {
      return status::FailedPrecondition("MEETING_CANCELLED", meeting.name(),
                                        "a cancelled meeting does not change");
    }
    const v1::MeetingKind old_kind = meeting.kind();
    google::protobuf::util::FieldMaskUtil::MergeOptions options;
    options.set_replace_message_fields(true);
    google::protobuf::util::FieldMaskUtil::MergeMessageTo(in, request.update_mask(), options,
                                                          &meeting);
    MOOT_RETURN_IF_ERROR(RequireText("meeting.title", meeting.title(), 200));
    MOOT_RETURN_IF_ERROR(MaxText("meeting.venue", meeting.venue(), 500));
    MOOT_RETURN_IF_ERROR(MaxText("meeting.webcast_url", meeting.webcast_url(), 2000));
    MOOT_RETURN_IF_ERROR(MaxText("meeting.webcast_provider", meeting.webcast_provider(), 200));
    if (meeting.has_end_time() &&
        (!IsValidTimestamp(meeting.end_time()) || meeting.end_time() <= meeting.start_time())) {
      return status::InvalidArgument("meeting.end_time", "must be after meeting.start_time");
    }
    if (meeting.kind() == v1::MEETING_KIND_UNSPECIFIED ||
        !v1::MeetingKind_IsValid(meeting.kind())) {
      return status::InvalidArgument("meeting.kind", "is not a known meeting kind");
    }
    const auto& paths = request.update_mask().paths();
    if (std::find(paths.begin(), paths.end(), "actual_end_time") != paths.end()) {
      // R-MTG-11: the end time is a fact of a meeting that took place.
      if (meeting.status() != v1::MEETING_STATUS_HELD) {
        return status::FailedPrecondition(
            "MEETING_NOT_HELD", meeting.name(),
            "the actual end time is recorded once the meeting is marked HELD");
      }
      if (!in.has_actual_end_time()) {
        return status::InvalidArgument("meeting.actual_end_time", "is required");
      }
      MOOT_RETURN_IF_ERROR(
          SetActualEnd("meeting.actual_end_time", in.actual_end_time(), clock_.Now(), meeting));
    }
    if (meeting.kind() != old_kind && (meeting.kind() == v1::MEETING_KIND_PROVISIONAL ||
                                       old_kind == v1::MEETING_KIND_PROVISIONAL)) {
      return status::InvalidArgument(
          "meeting.kind",
          "a meeting does not become or stop being PROVISIONAL (R-MTG-07: it is "
          "confirmed or cancelled with TransitionMeeting)");
    }
    MOOT_ASSIGN_OR_RETURN(
        v1::Body body,
        SchedulingStore::GetBody(tx, name.tenant(), name.Get("body"),
                                 api::FormatName(kBodyPattern, {name.tenant(), name.Get("body")})));
    MOOT_RETURN_IF_ERROR(CheckSpecialFunctions(body, meeting.kind(), meeting.name()));
    SetWarnings(body, meeting);
    const v1::MeetingStatus current = meeting.status();
    MOOT_ASSIGN_OR_RETURN(result, StoreChange(tx, name.tenant(), name.Get("body"),
                                              name.Get("meeting"), std::move(meeting), found.second,
                                              "meeting.updated", current, nullptr, ""));
    return api::RequestLog::Record(tx, name.tenant(), "UpdateMeeting", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Meeting> SchedulingLogic::RescheduleMeeting(
    const auth::Principal& principal, const v1::RescheduleMeetingRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kMeetingPattern, request.name(), "name"));
  if (!request.has_start_time()) {
    return status::InvalidArgument("start_time", "is required");
  }
  if (!IsValidTimestamp(request.start_time())) {
    return status::InvalidArgument("start_time", "is not a valid timestamp");
  }
  if (request.has_end_time() &&
      (!IsValidTimestamp(request.end_time()) || request.end_time() <= request.start_time())) {
    return status::InvalidArgument("end_time", "must be after start_time");
  }
  MOOT_RETURN_IF_ERROR(RequireText("reason", request.reason(), 1000));
  v1::Meeting result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, name.tenant(), "RescheduleMeeting",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto found,
                          SchedulingStore::GetMeeting(tx, name.tenant(), name.Get("body"),
                                                      name.Get("meeting"), request.name()));
    v1::Meeting meeting = std::move(found.first);
    const v1::MeetingStatus previous = meeting.status();
    if (previous == v1::MEETING_STATUS_HELD || previous == v1::MEETING_STATUS_CANCELLED) {
      return status::FailedPrecondition(
          "MEETING_TRANSITION_NOT_ALLOWED", meeting.name(),
          absl::StrCat("a ", StatusName(previous), " meeting cannot be rescheduled"));
    }
    const google::protobuf::Timestamp previous_start = meeting.start_time();
    if (request.has_end_time()) {
      *meeting.mutable_end_time() = request.end_time();
    } else if (meeting.has_end_time()) {
      // Keeps the meeting's length.
      *meeting.mutable_end_time() = TimeUtil::MicrosecondsToTimestamp(
          TimeUtil::TimestampToMicroseconds(request.start_time()) +
          (TimeUtil::TimestampToMicroseconds(meeting.end_time()) -
           TimeUtil::TimestampToMicroseconds(meeting.start_time())));
    }
    *meeting.mutable_start_time() = request.start_time();
    meeting.set_local_date(LocalDate(meeting.start_time()));
    if (previous == v1::MEETING_STATUS_POSTPONED) {
      meeting.set_status(v1::MEETING_STATUS_SCHEDULED);
    }
    meeting.set_status_reason(request.reason());
    MOOT_ASSIGN_OR_RETURN(
        v1::Body body,
        SchedulingStore::GetBody(tx, name.tenant(), name.Get("body"),
                                 api::FormatName(kBodyPattern, {name.tenant(), name.Get("body")})));
    if (meeting.status() != v1::MEETING_STATUS_DRAFT) {
      MOOT_RETURN_IF_ERROR(
          CheckSubGroupMeeting(tx, name.tenant(), name.Get("body"), body, meeting.local_date()));
    }
    MOOT_ASSIGN_OR_RETURN(calendar::HolidayCalendar cal,
                          CalendarStore::TenantCalendar(tx, name.tenant()));
    MOOT_RETURN_IF_ERROR(FillMeetingDeadlines(cal, body, meeting));
    SetWarnings(body, meeting);
    MOOT_ASSIGN_OR_RETURN(
        result, StoreChange(tx, name.tenant(), name.Get("body"), name.Get("meeting"),
                            std::move(meeting), found.second, "meeting.rescheduled", previous,
                            &previous_start, request.reason()));
    return api::RequestLog::Record(tx, name.tenant(), "RescheduleMeeting", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Meeting> SchedulingLogic::TransitionMeeting(
    const auth::Principal& principal, const v1::TransitionMeetingRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kMeetingPattern, request.name(), "name"));
  switch (request.status()) {
    case v1::MEETING_STATUS_SCHEDULED:
    case v1::MEETING_STATUS_PROVISIONAL:
    case v1::MEETING_STATUS_CANCELLED:
    case v1::MEETING_STATUS_POSTPONED:
    case v1::MEETING_STATUS_HELD:
      break;
    default:
      return status::InvalidArgument(
          "status",
          "must be SCHEDULED, PROVISIONAL, CANCELLED, POSTPONED or HELD (agendas are "
          "published with PublishAgenda)");
  }
  MOOT_RETURN_IF_ERROR(MaxText("reason", request.reason(), 1000));
  if (request.has_actual_end_time() && request.status() != v1::MEETING_STATUS_HELD) {
    return status::InvalidArgument("actual_end_time",
                                   "is recorded only when marking a meeting HELD (R-MTG-11)");
  }
  v1::Meeting result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, name.tenant(), "TransitionMeeting",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(
        result,
        ApplyTransition(tx, name.tenant(), name.Get("body"), name.Get("meeting"), request.status(),
                        request.reason(),
                        request.has_actual_end_time() ? &request.actual_end_time() : nullptr));
    return api::RequestLog::Record(tx, name.tenant(), "TransitionMeeting", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Meeting> SchedulingLogic::ApplyTransition(
    sql::Connection& tx, const std::string& tenant, const std::string& body_id,
    const std::string& meeting_id, v1::MeetingStatus target, const std::string& reason,
    const google::protobuf::Timestamp* actual_end) {
  const std::string meeting_name = api::FormatName(kMeetingPattern, {tenant, body_id, meeting_id});
  MOOT_ASSIGN_OR_RETURN(auto found,
                        SchedulingStore::GetMeeting(tx, tenant, body_id, meeting_id, meeting_name));
  v1::Meeting meeting = std::move(found.first);
  const v1::MeetingStatus previous = meeting.status();
  if (!TransitionAllowed(previous, target, meeting.kind())) {
    return status::FailedPrecondition(
        "MEETING_TRANSITION_NOT_ALLOWED", meeting_name,
        absl::StrCat("a ", StatusName(previous), " ", v1::MeetingKind_Name(meeting.kind()),
                     " meeting cannot become ", StatusName(target)));
  }
  const bool confirming =
      previous == v1::MEETING_STATUS_PROVISIONAL && target == v1::MEETING_STATUS_SCHEDULED;
  if (reason.empty() && (target == v1::MEETING_STATUS_CANCELLED ||
                         target == v1::MEETING_STATUS_POSTPONED || confirming)) {
    return status::InvalidArgument(
        "reason", absl::StrCat("is required to make a meeting ", StatusName(target)));
  }
  if (target == v1::MEETING_STATUS_HELD &&
      clock_.Now() < absl::FromUnixSeconds(meeting.start_time().seconds())) {
    return status::FailedPrecondition("MEETING_NOT_STARTED", meeting_name,
                                      "a meeting is marked held once it has started");
  }
  MOOT_ASSIGN_OR_RETURN(v1::Body body,
                        SchedulingStore::GetBody(tx, tenant, body_id,
                                                 api::FormatName(kBodyPattern, {tenant, body_id})));
  if (previous == v1::MEETING_STATUS_DRAFT && target != v1::MEETING_STATUS_CANCELLED) {
    MOOT_RETURN_IF_ERROR(CheckSubGroupMeeting(tx, tenant, body_id, body, meeting.local_date()));
  }
  if (actual_end != nullptr) {
    // R-MTG-11: carried on the meeting and so in the `meeting.held` event.
    MOOT_RETURN_IF_ERROR(SetActualEnd("actual_end_time", *actual_end, clock_.Now(), meeting));
  }
  meeting.set_status(target);
  meeting.set_status_reason(reason);
  SetWarnings(body, meeting);
  return StoreChange(tx, tenant, body_id, meeting_id, std::move(meeting), found.second,
                     TransitionEvent(previous, target), previous, nullptr, reason);
}

absl::Status SchedulingLogic::RefreshDeadlines(sql::Connection& tx, const std::string& tenant,
                                               const v1::Body& body,
                                               const calendar::HolidayCalendar& calendar) {
  const std::string body_id = body.name().substr(body.name().rfind('/') + 1);
  MOOT_ASSIGN_OR_RETURN(
      auto meetings,
      SchedulingStore::MeetingsOfBody(
          tx, tenant, body_id,
          {v1::MEETING_STATUS_DRAFT, v1::MEETING_STATUS_SCHEDULED, v1::MEETING_STATUS_PROVISIONAL,
           v1::MEETING_STATUS_AGENDA_PUBLISHED, v1::MEETING_STATUS_POSTPONED}));
  for (auto& [meeting, version] : meetings) {
    v1::Meeting updated = meeting;
    if (!FillMeetingDeadlines(calendar, body, updated).ok()) {
      continue;  // Outside the calendar's years: the stored deadlines stay.
    }
    // The body's pattern and webcast flag may have changed too (R-MTG-05/06).
    SetWarnings(body, updated);
    if (std::equal(updated.warnings().begin(), updated.warnings().end(), meeting.warnings().begin(),
                   meeting.warnings().end()) &&
        updated.publication_deadline_date() == meeting.publication_deadline_date() &&
        updated.question_deadline_date() == meeting.question_deadline_date() &&
        updated.publication_deadline().seconds() == meeting.publication_deadline().seconds() &&
        updated.question_deadline().seconds() == meeting.question_deadline().seconds()) {
      continue;
    }
    updated.set_etag(absl::StrCat(version + 1));
    const std::string meeting_id = meeting.name().substr(meeting.name().rfind('/') + 1);
    MOOT_RETURN_IF_ERROR(
        SchedulingStore::UpdateMeeting(tx, tenant, body_id, meeting_id, updated, version));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Meeting> SchedulingLogic::PublishAgenda(
    const auth::Principal& principal, const v1::PublishAgendaRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kMeetingPattern, request.name(), "name"));
  const AgendaKey key{name.tenant(), name.Get("body"), name.Get("meeting")};
  const std::string body_name = api::FormatName(kBodyPattern, {name.tenant(), name.Get("body")});
  v1::Meeting result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, name.tenant(), "PublishAgenda",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto found,
                          SchedulingStore::GetMeeting(tx, name.tenant(), name.Get("body"),
                                                      name.Get("meeting"), request.name()));
    v1::Meeting meeting = std::move(found.first);
    if (meeting.status() == v1::MEETING_STATUS_CANCELLED) {
      return status::FailedPrecondition("MEETING_CANCELLED", request.name(),
                                        "the meeting is cancelled; its agenda cannot be published");
    }
    MOOT_ASSIGN_OR_RETURN(v1::Body body,
                          SchedulingStore::GetBody(tx, name.tenant(), name.Get("body"), body_name));
    // R-MTG-09 / R-MTG-08: the deadline, late items and the immutable version
    // (agenda_publication.cc).
    // The tenant's closure days count as non-working days (CalendarService).
    MOOT_ASSIGN_OR_RETURN(calendar::HolidayCalendar cal,
                          CalendarStore::TenantCalendar(tx, name.tenant()));
    MOOT_ASSIGN_OR_RETURN(
        v1::AgendaVersion version,
        PublishAgendaVersion(tx, key, meeting, body, cal, clock_.Now(), principal.subject));
    const auto now = ToProto(clock_.Now());
    meeting.set_agenda_version(version.version());
    *meeting.mutable_agenda_publish_time() = now;
    *meeting.mutable_update_time() = now;
    if (meeting.status() == v1::MEETING_STATUS_SCHEDULED ||
        meeting.status() == v1::MEETING_STATUS_DRAFT) {
      meeting.set_status(v1::MEETING_STATUS_AGENDA_PUBLISHED);
    }
    meeting.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(SchedulingStore::UpdateMeeting(
        tx, name.tenant(), name.Get("body"), name.Get("meeting"), meeting, found.second));
    const v1::AgendaPublished payload = PublishedPayload(meeting, body_name, version);
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx,
        MakeEvent("agenda.published", name.tenant(), meeting.name(), payload, /*is_public=*/true)));
    if (version.supplement()) {
      MOOT_RETURN_IF_ERROR(outbox_.Append(
          tx, MakeEvent("agenda.supplement_published", name.tenant(), meeting.name(), payload,
                        /*is_public=*/true)));
    }
    result = meeting;
    return api::RequestLog::Record(tx, name.tenant(), "PublishAgenda", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::ProposeMeetingsResponse> SchedulingLogic::ProposeMeetings(
    const auth::Principal& principal, const v1::ProposeMeetingsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int first_year,
                        ParseMunicipalYear(request.municipal_year(), "municipal_year"));
  // A municipal year runs from the annual meetings in May to the end of April.
  const absl::CivilDay from(first_year, 5, 1);
  const absl::CivilDay to(first_year + 1, 4, 30);
  const std::string tenant = parent.tenant();
  const std::string body_id = parent.Get("body");
  v1::ProposeMeetingsResponse response;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    if (request.create()) {
      MOOT_ASSIGN_OR_RETURN(bool replayed,
                            api::RequestLog::Replay(tx, tenant, "ProposeMeetings",
                                                    request.request_id(), request, &response));
      if (replayed) {
        return absl::OkStatus();
      }
    }
    MOOT_ASSIGN_OR_RETURN(v1::Body body,
                          SchedulingStore::GetBody(tx, tenant, body_id, request.parent()));
    if (!body.rules().has_meeting_pattern()) {
      return status::FailedPrecondition("NO_MEETING_PATTERN", body.name(),
                                        "the body has no rules.meeting_pattern (R-MTG-05)");
    }
    const v1::MeetingPattern& pattern = body.rules().meeting_pattern();
    MOOT_ASSIGN_OR_RETURN(calendar::HolidayCalendar cal, CalendarStore::TenantCalendar(tx, tenant));
    MOOT_ASSIGN_OR_RETURN(auto existing, SchedulingStore::MeetingsOfBody(tx, tenant, body_id));
    // The days the body already meets, and the ids taken (a cancelled meeting keeps its id).
    std::set<std::string> met;
    for (const auto& [meeting, version] : existing) {
      met.insert(meeting.name().substr(meeting.name().rfind('/') + 1));
      if (meeting.status() != v1::MEETING_STATUS_CANCELLED) {
        met.insert(meeting.local_date());
      }
    }
    int hour = 0;
    int minute = 0;
    (void)absl::SimpleAtoi(pattern.start_time().substr(0, 2), &hour);
    (void)absl::SimpleAtoi(pattern.start_time().substr(3, 2), &minute);
    const auto now = ToProto(clock_.Now());
    for (const absl::CivilDay day : PatternDays(pattern, from, to)) {
      const std::string date = absl::FormatCivilTime(day);
      // R-MTG-05: a pattern day that is a bank holiday or a closure day is left out and
      // reported, for the officer to place that month's meeting by hand.
      const char* skip = cal.IsBankHoliday(day) ? "BANK_HOLIDAY"
                         : cal.IsClosure(day)   ? "CLOSURE_DAY"
                         : met.count(date) > 0  ? "MEETING_EXISTS"
                                                : nullptr;
      if (skip != nullptr) {
        v1::SkippedDate* skipped = response.add_skipped();
        skipped->set_date(date);
        skipped->set_reason(skip);
        continue;
      }
      v1::Meeting meeting;
      meeting.set_name(api::FormatName(kMeetingPattern, {tenant, body_id, date}));
      meeting.set_title(pattern.title().empty() ? body.display_name() : pattern.title());
      meeting.set_kind(v1::MEETING_KIND_ORDINARY);
      meeting.set_status(v1::MEETING_STATUS_DRAFT);
      const absl::Time start = absl::FromCivil(
          absl::CivilSecond(day.year(), day.month(), day.day(), hour, minute, 0), time::London());
      *meeting.mutable_start_time() = ToProto(start);
      if (pattern.duration_minutes() > 0) {
        *meeting.mutable_end_time() = ToProto(start + absl::Minutes(pattern.duration_minutes()));
      }
      meeting.set_local_date(date);
      meeting.set_venue(pattern.venue().empty() ? body.rules().default_venue() : pattern.venue());
      meeting.set_webcast_provider(body.rules().default_webcast_provider());
      meeting.set_webcast_url(body.rules().default_webcast_url());
      MOOT_RETURN_IF_ERROR(FillMeetingDeadlines(cal, body, meeting));
      SetWarnings(body, meeting);
      if (request.create()) {
        *meeting.mutable_create_time() = now;
        *meeting.mutable_update_time() = now;
        meeting.set_etag("1");
        MOOT_RETURN_IF_ERROR(SchedulingStore::InsertMeeting(tx, tenant, body_id, date, meeting));
        v1::MeetingScheduled payload;
        *payload.mutable_meeting() = meeting;
        MOOT_RETURN_IF_ERROR(
            outbox_.Append(tx, MakeEvent("meeting.drafted", tenant, meeting.name(), payload,
                                         /*is_public=*/false)));
      }
      *response.add_meetings() = std::move(meeting);
    }
    response.set_created(request.create());
    if (!request.create()) {
      return absl::OkStatus();
    }
    return api::RequestLog::Record(tx, tenant, "ProposeMeetings", request.request_id(), request,
                                   response, absl::ToUnixMicros(clock_.Now()));
  }));
  return response;
}

}  // namespace moot::scheduling
