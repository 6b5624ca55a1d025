#include "services/scheduling/attendance_logic.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "moot/scheduling/v1/scheduling.pb.h"
#include "services/scheduling/agenda_logic.h"
#include "services/scheduling/agenda_store.h"
#include "services/scheduling/attendance_store.h"
#include "services/scheduling/body_access.h"
#include "services/scheduling/people_store.h"
#include "services/scheduling/scheduling_store.h"
#include "services/scheduling/voter_eligibility.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kBodyPattern[] = "tenants/{tenant}/bodies/{body}";
constexpr char kMeetingPattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}";
constexpr char kPersonPattern[] = "tenants/{tenant}/people/{person}";
constexpr char kItemPattern[] =
    "tenants/{tenant}/bodies/{body}/meetings/{meeting}/agendaItems/{item}";
constexpr char kAttendancePattern[] =
    "tenants/{tenant}/bodies/{body}/meetings/{meeting}/attendance/{person}";
constexpr char kDeclarationPattern[] =
    "tenants/{tenant}/bodies/{body}/meetings/{meeting}/declarations/{declaration}";

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(ts));
}

absl::Status LimitText(absl::string_view field, const std::string& value, size_t max) {
  if (value.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

bool IsOfficer(const auth::Principal& p, const std::string& tenant) {
  return p.tenant == tenant && p.HasRole(auth::Role::kOfficer);
}

// The meeting's civil date and local start "HH:MM" in Europe/London.
std::string MeetingDate(const v1::Meeting& meeting) {
  if (!meeting.local_date().empty()) {
    return meeting.local_date();
  }
  return absl::FormatTime("%Y-%m-%d", FromProto(meeting.start_time()), time::London());
}
std::string MeetingStart(const v1::Meeting& meeting) {
  return absl::FormatTime("%H:%M", FromProto(meeting.start_time()), time::London());
}

// Held for the public: marked HELD, or a confirmed meeting whose start has passed.
bool IsHeld(const v1::Meeting& meeting, absl::Time now) {
  switch (meeting.status()) {
    case v1::MEETING_STATUS_HELD:
      return true;
    case v1::MEETING_STATUS_SCHEDULED:
    case v1::MEETING_STATUS_AGENDA_PUBLISHED:
      return FromProto(meeting.start_time()) <= now;
    default:
      return false;
  }
}

// The attendance row as the public (and events) see it: no apologies reason.
v1::Attendance PublicView(v1::Attendance row) {
  row.clear_reason();
  return row;
}

// The declaration as non-officers see it: the nature of a sensitive interest withheld (§3.3).
v1::Declaration WithheldView(v1::Declaration d) {
  if (d.kind() == v1::INTEREST_KIND_SENSITIVE) {
    d.clear_nature();
    d.set_nature_withheld(true);
  }
  return d;
}

MeetingKey KeyOf(const api::ResourceName& meeting) {
  return {meeting.tenant(), meeting.Get("body"), meeting.Get("meeting")};
}

// The person's memberships of the body in force on `date`.
absl::StatusOr<std::vector<v1::Membership>> InForce(sql::Connection& conn, const MeetingKey& key,
                                                    const std::string& person_id,
                                                    const std::string& date) {
  MOOT_ASSIGN_OR_RETURN(auto all,
                        PeopleStore::PersonMemberships(conn, key.tenant, key.body_id, person_id));
  std::vector<v1::Membership> out;
  for (auto& m : all) {
    if (m.start_date() <= date && (m.end_date().empty() || date <= m.end_date())) {
      out.push_back(std::move(m));
    }
  }
  return out;
}

bool HasSeat(const std::vector<v1::Membership>& in_force) {
  for (const auto& m : in_force) {
    if (m.role() != v1::MEMBERSHIP_ROLE_SUBSTITUTE) {
      return true;
    }
  }
  return false;
}

bool HasSubstituteMembership(const std::vector<v1::Membership>& in_force) {
  for (const auto& m : in_force) {
    if (m.role() == v1::MEMBERSHIP_ROLE_SUBSTITUTE) {
      return true;
    }
  }
  return false;
}

// Shape checks that need no lookup.
absl::Status ValidateAttendance(const v1::Attendance& in, const std::string& tenant) {
  MOOT_ASSIGN_OR_RETURN(auto person,
                        api::ResourceName::Parse(kPersonPattern, in.person(), "attendance.person"));
  if (person.tenant() != tenant) {
    return status::InvalidArgument("attendance.person", "must be a person of the same tenant");
  }
  const v1::AttendanceKind kind = in.kind();
  if (kind == v1::ATTENDANCE_KIND_UNSPECIFIED || !v1::AttendanceKind_IsValid(kind)) {
    return status::InvalidArgument(
        "attendance.kind", "is required (PRESENT, APOLOGIES, SUBSTITUTE, ALSO_PRESENT, ABSENT)");
  }
  MOOT_RETURN_IF_ERROR(LimitText("attendance.reason", in.reason(), 500));
  if (!in.reason().empty() && kind != v1::ATTENDANCE_KIND_APOLOGIES) {
    return status::InvalidArgument("attendance.reason", "is only allowed for APOLOGIES");
  }
  if (kind == v1::ATTENDANCE_KIND_SUBSTITUTE) {
    MOOT_ASSIGN_OR_RETURN(auto member, api::ResourceName::Parse(kPersonPattern, in.on_behalf_of(),
                                                                "attendance.on_behalf_of"));
    if (member.tenant() != tenant) {
      return status::InvalidArgument("attendance.on_behalf_of",
                                     "must be a person of the same tenant");
    }
    if (in.on_behalf_of() == in.person()) {
      return status::InvalidArgument("attendance.on_behalf_of",
                                     "a substitute cannot stand in for themselves");
    }
  } else if (!in.on_behalf_of().empty()) {
    return status::InvalidArgument("attendance.on_behalf_of", "is only allowed for SUBSTITUTE");
  }
  if (kind == v1::ATTENDANCE_KIND_ALSO_PRESENT) {
    if (in.capacity().empty()) {
      return status::InvalidArgument("attendance.capacity",
                                     "is required for ALSO_PRESENT, e.g. \"Police and Crime "
                                     "Commissioner\"");
    }
    MOOT_RETURN_IF_ERROR(LimitText("attendance.capacity", in.capacity(), 200));
  } else if (!in.capacity().empty()) {
    return status::InvalidArgument("attendance.capacity", "is only allowed for ALSO_PRESENT");
  }
  const bool attends = kind == v1::ATTENDANCE_KIND_PRESENT ||
                       kind == v1::ATTENDANCE_KIND_SUBSTITUTE ||
                       kind == v1::ATTENDANCE_KIND_ALSO_PRESENT;
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"attendance.arrived_at", &in.arrived_at()},
        std::pair<const char*, const std::string*>{"attendance.left_at", &in.left_at()}}) {
    if (value->empty()) {
      continue;
    }
    if (!attends) {
      return status::InvalidArgument(field, "is only allowed for someone who attended");
    }
    if (!IsClockTime(*value)) {
      return status::InvalidArgument(field, "must be a time HH:MM on the meeting day");
    }
  }
  if (!in.arrived_at().empty() && !in.left_at().empty() && in.left_at() <= in.arrived_at()) {
    return status::InvalidArgument("attendance.left_at", "must be after attendance.arrived_at");
  }
  return absl::OkStatus();
}

absl::Status ValidateDeclaration(const v1::Declaration& in, const api::ResourceName& meeting) {
  MOOT_ASSIGN_OR_RETURN(
      auto person, api::ResourceName::Parse(kPersonPattern, in.person(), "declaration.person"));
  if (person.tenant() != meeting.tenant()) {
    return status::InvalidArgument("declaration.person", "must be a person of the same tenant");
  }
  MOOT_ASSIGN_OR_RETURN(auto item, api::ResourceName::Parse(kItemPattern, in.agenda_item(),
                                                            "declaration.agenda_item"));
  if (item.tenant() != meeting.tenant() || item.Get("body") != meeting.Get("body") ||
      item.Get("meeting") != meeting.Get("meeting")) {
    return status::InvalidArgument("declaration.agenda_item",
                                   "must be an agenda item of the meeting");
  }
  if (in.kind() == v1::INTEREST_KIND_UNSPECIFIED || !v1::InterestKind_IsValid(in.kind())) {
    return status::InvalidArgument("declaration.kind",
                                   "is required (DISCLOSABLE_PECUNIARY, OTHER_REGISTERABLE, "
                                   "SENSITIVE, NON_REGISTERABLE)");
  }
  // §3.3: for a sensitive interest the member need only say that they have one.
  if (in.nature().empty() && in.kind() != v1::INTEREST_KIND_SENSITIVE) {
    return status::InvalidArgument("declaration.nature", "is required (except for SENSITIVE)");
  }
  MOOT_RETURN_IF_ERROR(LimitText("declaration.nature", in.nature(), 1000));
  if (in.dispensation()) {
    if (in.dispensation_detail().empty()) {
      return status::InvalidArgument("declaration.dispensation_detail",
                                     "is required when a dispensation was granted (who, when)");
    }
    MOOT_RETURN_IF_ERROR(
        LimitText("declaration.dispensation_detail", in.dispensation_detail(), 500));
  } else if (!in.dispensation_detail().empty()) {
    return status::InvalidArgument("declaration.dispensation_detail",
                                   "is only allowed when dispensation is true");
  }
  return absl::OkStatus();
}

// The item number of a parsed agenda item name; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<int32_t> ItemNumber(const api::ResourceName& item, absl::string_view field) {
  int32_t number = 0;
  if (!absl::SimpleAtoi(item.Get("item"), &number) || number < 1 ||
      absl::StrCat(number) != item.Get("item")) {
    return status::InvalidArgument(field, "the item segment must be the item number, e.g. \"1\"");
  }
  return number;
}

// The meeting, NOT_FOUND also when the caller may not see a draft. `insider` is set for those who
// may see the body's drafts (officers, tenant admins and the body's own members, body_access.h):
// they also see attendance before a meeting is held, and apologies reasons.
absl::StatusOr<v1::Meeting> VisibleMeeting(sql::Connection& conn, const auth::Principal& p,
                                           const MeetingKey& key, const std::string& name,
                                           absl::Time now, bool* insider) {
  MOOT_ASSIGN_OR_RETURN(
      auto found, SchedulingStore::GetMeeting(conn, key.tenant, key.body_id, key.meeting_id, name));
  MOOT_ASSIGN_OR_RETURN(*insider, MaySeeDrafts(conn, p, key.tenant, key.body_id, LondonToday(now)));
  if (found.first.status() == v1::MEETING_STATUS_DRAFT && !*insider) {
    return status::NotFound(name);
  }
  return std::move(found.first);
}

}  // namespace

AttendanceLogic::AttendanceLogic(sql::Database& db, const events::Outbox& outbox,
                                 const time::Clock& clock, ids::IdGenerator& ids,
                                 const api::PageTokens& page_tokens)
    : db_(db), outbox_(outbox), clock_(clock), ids_(ids), page_tokens_(page_tokens) {}

absl::Status AttendanceLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_attendance", AttendanceStore::Migrations()));
  // Who sees drafts and attendance before a meeting: people and memberships (body_access.h).
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_people", PeopleStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::Outbox::Migrate(db_);
}

absl::StatusOr<v1::Attendance> AttendanceLogic::RecordAttendance(
    const auth::Principal& principal, const v1::RecordAttendanceRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, request.parent(), "parent"));
  const v1::Attendance& in = request.attendance();
  MOOT_RETURN_IF_ERROR(ValidateAttendance(in, parent.tenant()));
  const MeetingKey key = KeyOf(parent);
  const std::string person_id =
      api::ResourceName::Parse(kPersonPattern, in.person(), "attendance.person")->Get("person");

  v1::Attendance result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "RecordAttendance",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(
        auto found,
        SchedulingStore::GetMeeting(tx, key.tenant, key.body_id, key.meeting_id, request.parent()));
    const v1::Meeting& meeting = found.first;
    if (meeting.status() == v1::MEETING_STATUS_CANCELLED) {
      return status::FailedPrecondition("MEETING_CANCELLED", request.parent(),
                                        "the meeting is cancelled; no attendance can be recorded");
    }
    const std::string date = MeetingDate(meeting);
    const std::string start = MeetingStart(meeting);
    if (!in.arrived_at().empty() && in.arrived_at() <= start) {
      return status::InvalidArgument(
          "attendance.arrived_at",
          absl::StrCat("a late arrival must be after the meeting's start (", start, ")"));
    }
    if (!in.left_at().empty() && in.left_at() <= start) {
      return status::InvalidArgument(
          "attendance.left_at",
          absl::StrCat("an early departure must be after the meeting's start (", start, ")"));
    }
    MOOT_RETURN_IF_ERROR(PeopleStore::GetPerson(tx, key.tenant, person_id, in.person()).status());
    MOOT_ASSIGN_OR_RETURN(auto rows, AttendanceStore::AllAttendance(tx, key));
    MOOT_ASSIGN_OR_RETURN(auto memberships, InForce(tx, key, person_id, date));
    switch (in.kind()) {
      case v1::ATTENDANCE_KIND_PRESENT:
      case v1::ATTENDANCE_KIND_APOLOGIES:
      case v1::ATTENDANCE_KIND_ABSENT:
        if (!HasSeat(memberships)) {
          return status::FailedPrecondition(
              "NOT_A_MEMBER", in.person(),
              absl::StrCat(in.person(), " is not a member of the body on ", date,
                           HasSubstituteMembership(memberships)
                               ? " (only a substitute: record them as SUBSTITUTE)"
                               : ""));
        }
        if (in.kind() == v1::ATTENDANCE_KIND_PRESENT) {
          for (const auto& row : rows) {
            if (row.kind() == v1::ATTENDANCE_KIND_SUBSTITUTE && row.on_behalf_of() == in.person()) {
              return status::FailedPrecondition(
                  "MEMBER_SUBSTITUTED", in.person(),
                  absl::StrCat(row.person(), " attends as substitute for ", in.person()));
            }
          }
        }
        break;
      case v1::ATTENDANCE_KIND_SUBSTITUTE: {
        if (!HasSubstituteMembership(memberships)) {
          return status::FailedPrecondition(
              "NOT_A_SUBSTITUTE", in.person(),
              absl::StrCat(in.person(), " holds no substitute membership of the body on ", date));
        }
        const std::string member_id =
            api::ResourceName::Parse(kPersonPattern, in.on_behalf_of(), "attendance.on_behalf_of")
                ->Get("person");
        MOOT_ASSIGN_OR_RETURN(auto member_ships, InForce(tx, key, member_id, date));
        if (!HasSeat(member_ships)) {
          return status::FailedPrecondition(
              "NOT_A_MEMBER", in.on_behalf_of(),
              absl::StrCat(in.on_behalf_of(), " is not a member of the body on ", date));
        }
        for (const auto& row : rows) {
          if (row.person() == in.on_behalf_of() && row.kind() == v1::ATTENDANCE_KIND_PRESENT) {
            return status::FailedPrecondition(
                "MEMBER_PRESENT", in.on_behalf_of(),
                absl::StrCat(in.on_behalf_of(), " is recorded present; no substitute is needed"));
          }
          if (row.kind() == v1::ATTENDANCE_KIND_SUBSTITUTE &&
              row.on_behalf_of() == in.on_behalf_of() && row.person() != in.person()) {
            return status::FailedPrecondition(
                "ALREADY_SUBSTITUTED", in.on_behalf_of(),
                absl::StrCat(row.person(), " already substitutes for ", in.on_behalf_of()));
          }
        }
        break;
      }
      default:
        break;
    }

    MOOT_ASSIGN_OR_RETURN(auto existing, AttendanceStore::GetAttendance(tx, key, person_id));
    const std::string current_etag = existing ? absl::StrCat(existing->second) : "";
    if (!in.etag().empty() && in.etag() != current_etag) {
      // FAILED_PRECONDITION rather than ABORTED: the transaction retries ABORTED, and re-reading
      // cannot make a stale etag current.
      return status::FailedPrecondition(
          "ETAG_MISMATCH", in.person(),
          absl::StrCat("attendance.etag: the row has changed since it was read (etag ",
                       current_etag.empty() ? "none" : current_etag, ")"));
    }
    const int64_t expected = existing ? existing->second : 0;
    v1::Attendance row = in;
    row.set_name(
        api::FormatName(kAttendancePattern, {key.tenant, key.body_id, key.meeting_id, person_id}));
    *row.mutable_update_time() = ToProto(clock_.Now());
    row.set_etag(absl::StrCat(expected + 1));
    MOOT_RETURN_IF_ERROR(
        AttendanceStore::PutAttendance(tx, key, person_id, row, expected, expected + 1));
    v1::AttendanceRecorded payload;
    payload.set_meeting(request.parent());
    *payload.mutable_attendance() = PublicView(row);
    payload.set_previous_kind(existing ? existing->first.kind() : v1::ATTENDANCE_KIND_UNSPECIFIED);
    MOOT_RETURN_IF_ERROR(
        outbox_.Append(tx, service::NewEvent(ids_, clock_, "scheduling", "attendance.recorded",
                                             key.tenant, row.name(), payload,
                                             /*is_public=*/IsHeld(meeting, clock_.Now()))));
    result = row;
    return api::RequestLog::Record(tx, key.tenant, "RecordAttendance", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::ListAttendanceResponse> AttendanceLogic::ListAttendance(
    const auth::Principal& principal, const v1::ListAttendanceRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("ListAttendance|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  const MeetingKey key = KeyOf(parent);
  v1::ListAttendanceResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    bool insider = false;
    MOOT_ASSIGN_OR_RETURN(
        v1::Meeting meeting,
        VisibleMeeting(conn, principal, key, request.parent(), clock_.Now(), &insider));
    if (!insider && !IsHeld(meeting, clock_.Now())) {
      return status::FailedPrecondition("MEETING_NOT_HELD", request.parent(),
                                        "attendance is public once the meeting has been held");
    }
    MOOT_ASSIGN_OR_RETURN(auto page, AttendanceStore::ListAttendance(conn, key, after, page_size));
    for (auto& row : page.items) {
      *response.add_attendance() = insider ? std::move(row) : PublicView(std::move(row));
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    // The quorum check over every row, not just this page (R-MTG-10, §9 item 4).
    MOOT_ASSIGN_OR_RETURN(
        v1::Body body,
        SchedulingStore::GetBody(conn, key.tenant, key.body_id,
                                 api::FormatName(kBodyPattern, {key.tenant, key.body_id})));
    EligibilityInput input;
    MOOT_ASSIGN_OR_RETURN(input.memberships, PeopleStore::MembersAt(conn, key.tenant, key.body_id,
                                                                    MeetingDate(meeting)));
    MOOT_ASSIGN_OR_RETURN(input.attendance, AttendanceStore::AllAttendance(conn, key));
    input.quorum = body.rules().quorum();
    const v1::ListEligibleVotersResponse counted = ComputeEligibility(input);
    response.set_present_count(counted.present_count());
    response.set_quorum(counted.quorum());
    response.set_quorate(counted.quorate());
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Declaration> AttendanceLogic::CreateDeclaration(
    const auth::Principal& principal, const v1::CreateDeclarationRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, request.parent(), "parent"));
  const v1::Declaration& in = request.declaration();
  MOOT_RETURN_IF_ERROR(ValidateDeclaration(in, parent));
  auto item = *api::ResourceName::Parse(kItemPattern, in.agenda_item(), "declaration.agenda_item");
  MOOT_ASSIGN_OR_RETURN(int32_t number, ItemNumber(item, "declaration.agenda_item"));
  const std::string person_id =
      api::ResourceName::Parse(kPersonPattern, in.person(), "declaration.person")->Get("person");
  const MeetingKey key = KeyOf(parent);

  v1::Declaration result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, key.tenant, "CreateDeclaration",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(
        auto found,
        SchedulingStore::GetMeeting(tx, key.tenant, key.body_id, key.meeting_id, request.parent()));
    if (found.first.status() == v1::MEETING_STATUS_CANCELLED) {
      return status::FailedPrecondition("MEETING_CANCELLED", request.parent(),
                                        "the meeting is cancelled; nothing can be declared");
    }
    MOOT_RETURN_IF_ERROR(
        AgendaStore::GetItem(tx, key.tenant, key.body_id, key.meeting_id, number, in.agenda_item())
            .status());
    MOOT_RETURN_IF_ERROR(PeopleStore::GetPerson(tx, key.tenant, person_id, in.person()).status());
    const std::string date = MeetingDate(found.first);
    MOOT_ASSIGN_OR_RETURN(auto memberships, InForce(tx, key, person_id, date));
    if (memberships.empty()) {
      return status::FailedPrecondition(
          "NOT_A_MEMBER", in.person(),
          absl::StrCat(in.person(), " is not a member of the body on ", date));
    }
    const std::string id = absl::AsciiStrToLower(ids_.NewId());
    v1::Declaration declaration = in;
    declaration.set_name(
        api::FormatName(kDeclarationPattern, {key.tenant, key.body_id, key.meeting_id, id}));
    *declaration.mutable_create_time() = ToProto(clock_.Now());
    declaration.clear_nature_withheld();
    MOOT_RETURN_IF_ERROR(
        AttendanceStore::InsertDeclaration(tx, key, id, number, person_id, declaration));
    v1::DeclarationRecorded payload;
    payload.set_meeting(request.parent());
    *payload.mutable_declaration() = WithheldView(declaration);
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "declaration.recorded", key.tenant,
                              declaration.name(), payload,
                              /*is_public=*/declaration.kind() != v1::INTEREST_KIND_SENSITIVE &&
                                  IsHeld(found.first, clock_.Now()))));
    result = declaration;
    return api::RequestLog::Record(tx, key.tenant, "CreateDeclaration", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::ListDeclarationsResponse> AttendanceLogic::ListDeclarations(
    const auth::Principal& principal, const v1::ListDeclarationsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kMeetingPattern, request.parent(), "parent"));
  int32_t number = 0;
  if (!request.agenda_item().empty()) {
    MOOT_ASSIGN_OR_RETURN(
        auto item, api::ResourceName::Parse(kItemPattern, request.agenda_item(), "agenda_item"));
    if (item.tenant() != parent.tenant() || item.Get("body") != parent.Get("body") ||
        item.Get("meeting") != parent.Get("meeting")) {
      return status::InvalidArgument("agenda_item", "must be an agenda item of the meeting");
    }
    MOOT_ASSIGN_OR_RETURN(number, ItemNumber(item, "agenda_item"));
  }
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding =
      absl::StrCat("ListDeclarations|", request.parent(), "|", request.agenda_item());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  const MeetingKey key = KeyOf(parent);
  const bool officer = IsOfficer(principal, key.tenant);
  v1::ListDeclarationsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    bool insider = false;
    MOOT_ASSIGN_OR_RETURN(
        v1::Meeting meeting,
        VisibleMeeting(conn, principal, key, request.parent(), clock_.Now(), &insider));
    if (!insider && !IsHeld(meeting, clock_.Now())) {
      return status::FailedPrecondition(
          "MEETING_NOT_HELD", request.parent(),
          "declarations of interest are public once the meeting has been held");
    }
    MOOT_ASSIGN_OR_RETURN(auto page,
                          AttendanceStore::ListDeclarations(conn, key, number, after, page_size));
    for (auto& d : page.items) {
      *response.add_declarations() = officer ? std::move(d) : WithheldView(std::move(d));
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListEligibleVotersResponse> AttendanceLogic::ListEligibleVoters(
    const auth::Principal& principal, const v1::ListEligibleVotersRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.agenda_item(),
                                         auth::TenantScope::kOwnTenant, "agenda_item"));
  // A service principal of the tenant (the decisions register) may ask whatever its roles.
  if (!absl::StartsWith(principal.subject, "service:")) {
    MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kMember}));
  }
  MOOT_ASSIGN_OR_RETURN(
      auto item, api::ResourceName::Parse(kItemPattern, request.agenda_item(), "agenda_item"));
  MOOT_ASSIGN_OR_RETURN(int32_t number, ItemNumber(item, "agenda_item"));
  if (request.has_vote_time() &&
      (request.vote_time().seconds() < TimeUtil::kTimestampMinSeconds ||
       request.vote_time().seconds() > TimeUtil::kTimestampMaxSeconds ||
       request.vote_time().nanos() < 0 || request.vote_time().nanos() > 999999999)) {
    return status::InvalidArgument("vote_time", "is not a valid timestamp");
  }
  const MeetingKey key{item.tenant(), item.Get("body"), item.Get("meeting")};
  const std::string meeting_name =
      api::FormatName(kMeetingPattern, {key.tenant, key.body_id, key.meeting_id});
  v1::ListEligibleVotersResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto found, SchedulingStore::GetMeeting(conn, key.tenant, key.body_id,
                                                                  key.meeting_id, meeting_name));
    const v1::Meeting& meeting = found.first;
    MOOT_RETURN_IF_ERROR(AgendaStore::GetItem(conn, key.tenant, key.body_id, key.meeting_id, number,
                                              request.agenda_item())
                             .status());
    const absl::Time vote =
        FromProto(request.has_vote_time() ? request.vote_time() : meeting.start_time());
    const std::string date = absl::FormatTime("%Y-%m-%d", vote, time::London());
    if (date != MeetingDate(meeting)) {
      return status::InvalidArgument(
          "vote_time", absl::StrCat("must be on the meeting's day, ", MeetingDate(meeting),
                                    " (Europe/London); got ", date));
    }
    MOOT_ASSIGN_OR_RETURN(
        v1::Body body,
        SchedulingStore::GetBody(conn, key.tenant, key.body_id,
                                 api::FormatName(kBodyPattern, {key.tenant, key.body_id})));
    EligibilityInput input;
    MOOT_ASSIGN_OR_RETURN(input.memberships,
                          PeopleStore::MembersAt(conn, key.tenant, key.body_id, date));
    MOOT_ASSIGN_OR_RETURN(input.attendance, AttendanceStore::AllAttendance(conn, key));
    MOOT_ASSIGN_OR_RETURN(input.declarations, AttendanceStore::ItemDeclarations(conn, key, number));
    input.vote_time = absl::FormatTime("%H:%M", vote, time::London());
    input.quorum = body.rules().quorum();
    response = ComputeEligibility(input);
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace moot::scheduling
