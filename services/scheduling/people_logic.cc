#include "services/scheduling/people_logic.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/scheduling/people_store.h"
#include "services/scheduling/scheduling_store.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kTenantPattern[] = "tenants/{tenant}";
constexpr char kPersonPattern[] = "tenants/{tenant}/people/{person}";
constexpr char kBodyPattern[] = "tenants/{tenant}/bodies/{body}";
constexpr char kMembershipPattern[] = "tenants/{tenant}/bodies/{body}/memberships/{membership}";

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

absl::Status LimitText(absl::string_view field, const std::string& value, size_t max) {
  if (value.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

// The last day of a membership for comparisons: an open end sorts after every date.
const std::string& EndOrMax(const std::string& end_date) {
  static const std::string kMax = "9999-99-99";
  return end_date.empty() ? kMax : end_date;
}

// A JWT `sub` (libs/auth Principal::subject): 1..255 printable ASCII characters, no spaces.
absl::Status ValidateUserSubject(absl::string_view field, const std::string& subject) {
  if (subject.size() > 255) {
    return status::InvalidArgument(field, "must be at most 255 characters");
  }
  for (char c : subject) {
    if (c <= ' ' || c > '~') {
      return status::InvalidArgument(field, "must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

// The link to an account is for officers and tenant admins of the tenant; everyone else (the
// public, members, events) sees the person without it.
bool MaySeeSubject(const auth::Principal& p, const std::string& tenant) {
  return p.tenant == tenant &&
         (p.HasRole(auth::Role::kOfficer) || p.HasRole(auth::Role::kTenantAdmin));
}

// FAILED_PRECONDITION USER_SUBJECT_TAKEN when a person of the tenant other than `except_person`
// is already linked to `subject` (a subject is one person's account; unset links are free).
absl::Status CheckSubjectFree(sql::Connection& tx, const std::string& tenant,
                              const std::string& subject, absl::string_view field,
                              const std::string& except_person = "") {
  MOOT_ASSIGN_OR_RETURN(auto holder, PeopleStore::PersonIdBySubject(tx, tenant, subject));
  if (holder.has_value() && *holder != except_person) {
    return status::FailedPrecondition(
        "USER_SUBJECT_TAKEN", field,
        absl::StrCat("another person of the tenant is already linked to this subject"));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsCivilDate(absl::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') {
    return false;
  }
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(date[i]))) {
      return false;
    }
  }
  absl::CivilDay day;
  // ParseCivilTime normalises out-of-range days (2023-02-30 -> 2023-03-02); a real date
  // formats back to itself.
  return absl::ParseCivilTime(date, &day) && absl::FormatCivilTime(day) == date;
}

PeopleLogic::PeopleLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                         ids::IdGenerator& ids, const api::PageTokens& page_tokens)
    : db_(db), outbox_(outbox), clock_(clock), ids_(ids), page_tokens_(page_tokens) {}

absl::Status PeopleLogic::Migrate() {
  MOOT_RETURN_IF_ERROR(db_.Migrate("scheduling_people", PeopleStore::Migrations()));
  MOOT_RETURN_IF_ERROR(db_.Migrate("request_log", api::RequestLog::Migrations()));
  return events::Outbox::Migrate(db_);
}

absl::StatusOr<v1::Person> PeopleLogic::CreatePerson(const auth::Principal& principal,
                                                     const v1::CreatePersonRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kTenantAdmin}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_RETURN_IF_ERROR(api::ValidateId("person_id", request.person_id()));
  const v1::Person& in = request.person();
  MOOT_RETURN_IF_ERROR(RequireText("person.display_name", in.display_name(), 200));
  MOOT_RETURN_IF_ERROR(LimitText("person.honorific", in.honorific(), 50));
  MOOT_RETURN_IF_ERROR(LimitText("person.appointing_authority", in.appointing_authority(), 200));
  MOOT_RETURN_IF_ERROR(LimitText("person.party", in.party(), 100));
  if (in.member_type() == v1::MEMBER_TYPE_UNSPECIFIED ||
      !v1::MemberType_IsValid(in.member_type())) {
    return status::InvalidArgument("person.member_type",
                                   "is required (COUNCILLOR, INDEPENDENT, CO_OPTED, OFFICER)");
  }
  MOOT_RETURN_IF_ERROR(ValidateUserSubject("person.user_subject", in.user_subject()));

  v1::Person person = in;
  person.set_name(api::FormatName(kPersonPattern, {parent.tenant(), request.person_id()}));
  *person.mutable_create_time() = ToProto(clock_.Now());
  person.set_etag("1");

  v1::Person result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "CreatePerson",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(
        CheckSubjectFree(tx, parent.tenant(), person.user_subject(), "person.user_subject"));
    MOOT_RETURN_IF_ERROR(
        PeopleStore::InsertPerson(tx, parent.tenant(), request.person_id(), person));
    v1::PersonCreated payload;
    *payload.mutable_person() = person;
    payload.mutable_person()->clear_user_subject();  // The event is public.
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "person.created", parent.tenant(),
                              person.name(), payload, /*is_public=*/true)));
    result = person;
    return api::RequestLog::Record(tx, parent.tenant(), "CreatePerson", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Person> PeopleLogic::GetPerson(const auth::Principal& principal,
                                                  const v1::GetPersonRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kPublicRead, "name"));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kPersonPattern, request.name(), "name"));
  v1::Person person;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        person, PeopleStore::GetPerson(conn, name.tenant(), name.Get("person"), request.name()));
    return absl::OkStatus();
  }));
  if (!MaySeeSubject(principal, name.tenant())) {
    person.clear_user_subject();
  }
  return person;
}

absl::StatusOr<v1::Person> PeopleLogic::SetPersonUserSubject(
    const auth::Principal& principal, const v1::SetPersonUserSubjectRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kTenantAdmin}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kPersonPattern, request.name(), "name"));
  MOOT_RETURN_IF_ERROR(ValidateUserSubject("user_subject", request.user_subject()));
  const std::string& person_id = name.Get("person");
  v1::Person result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, name.tenant(), "SetPersonUserSubject",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(
        auto found, PeopleStore::GetPersonVersioned(tx, name.tenant(), person_id, request.name()));
    v1::Person person = std::move(found.first);
    if (!request.etag().empty() && request.etag() != person.etag()) {
      // FAILED_PRECONDITION rather than ABORTED: re-reading cannot make a stale etag current.
      return status::FailedPrecondition(
          "ETAG_MISMATCH", request.name(),
          absl::StrCat("etag: the person has changed since it was read (etag ", person.etag(),
                       ")"));
    }
    MOOT_RETURN_IF_ERROR(
        CheckSubjectFree(tx, name.tenant(), request.user_subject(), "user_subject", person_id));
    v1::PersonUserSubjectSet payload;
    payload.set_person(person.name());
    payload.set_user_subject(request.user_subject());
    payload.set_previous_user_subject(person.user_subject());
    person.set_user_subject(request.user_subject());
    person.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(
        PeopleStore::UpdatePerson(tx, name.tenant(), person_id, person, found.second));
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "person.user_subject_set", name.tenant(),
                              person.name(), payload, /*is_public=*/false)));
    result = person;
    return api::RequestLog::Record(tx, name.tenant(), "SetPersonUserSubject", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::ListPeopleResponse> PeopleLogic::ListPeople(
    const auth::Principal& principal, const v1::ListPeopleRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("ListPeople|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListPeopleResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto page,
                          PeopleStore::ListPeople(conn, parent.tenant(), after, page_size));
    const bool subjects = MaySeeSubject(principal, parent.tenant());
    for (auto& person : page.items) {
      if (!subjects) {
        person.clear_user_subject();
      }
      *response.add_people() = std::move(person);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Membership> PeopleLogic::CreateMembership(
    const auth::Principal& principal, const v1::CreateMembershipRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kTenantAdmin}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  if (!request.membership_id().empty()) {
    MOOT_RETURN_IF_ERROR(api::ValidateId("membership_id", request.membership_id()));
  }
  const v1::Membership& in = request.membership();
  MOOT_ASSIGN_OR_RETURN(auto person_name,
                        api::ResourceName::Parse(kPersonPattern, in.person(), "membership.person"));
  if (person_name.tenant() != parent.tenant()) {
    return status::InvalidArgument("membership.person", "must be a person of the same tenant");
  }
  if (!v1::MembershipRole_IsValid(in.role())) {
    return status::InvalidArgument("membership.role", "is not a known membership role");
  }
  if (in.start_date().empty()) {
    return status::InvalidArgument("membership.start_date", "is required (YYYY-MM-DD)");
  }
  if (!IsCivilDate(in.start_date())) {
    return status::InvalidArgument("membership.start_date", "must be a date YYYY-MM-DD");
  }
  if (!in.end_date().empty()) {
    if (!IsCivilDate(in.end_date())) {
      return status::InvalidArgument("membership.end_date", "must be a date YYYY-MM-DD");
    }
    if (in.end_date() < in.start_date()) {
      return status::InvalidArgument("membership.end_date",
                                     "must be on or after membership.start_date");
    }
  }

  v1::Membership result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "CreateMembership",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    const std::string& body_id = parent.Get("body");
    MOOT_RETURN_IF_ERROR(
        SchedulingStore::GetBody(tx, parent.tenant(), body_id, request.parent()).status());
    MOOT_RETURN_IF_ERROR(
        PeopleStore::GetPerson(tx, parent.tenant(), person_name.Get("person"), in.person())
            .status());
    const std::string membership_id = request.membership_id().empty()
                                          ? absl::AsciiStrToLower(ids_.NewId())
                                          : request.membership_id();
    v1::Membership membership = in;
    membership.set_name(
        api::FormatName(kMembershipPattern, {parent.tenant(), body_id, membership_id}));
    if (membership.role() == v1::MEMBERSHIP_ROLE_UNSPECIFIED) {
      membership.set_role(v1::MEMBERSHIP_ROLE_MEMBER);
    }
    *membership.mutable_create_time() = ToProto(clock_.Now());
    membership.set_etag("1");
    // Inserted first so that a taken id is ALREADY_EXISTS (a re-run seed), then checked against
    // the person's other memberships; an overlap rolls the insert back.
    MOOT_RETURN_IF_ERROR(PeopleStore::InsertMembership(tx, parent.tenant(), body_id, membership_id,
                                                       person_name.Get("person"), membership));
    MOOT_ASSIGN_OR_RETURN(
        auto existing,
        PeopleStore::PersonMemberships(tx, parent.tenant(), body_id, person_name.Get("person")));
    for (const v1::Membership& other : existing) {
      if (other.name() == membership.name()) {
        continue;
      }
      if (in.start_date() <= EndOrMax(other.end_date()) &&
          other.start_date() <= EndOrMax(in.end_date())) {
        // The start is the culprit when it falls inside the other membership; otherwise the
        // period runs into it, so the end is.
        const bool start_inside = other.start_date() <= in.start_date();
        return status::InvalidArgument(
            start_inside ? "membership.start_date" : "membership.end_date",
            absl::StrCat(
                "the period overlaps membership ", other.name(), " (from ", other.start_date(),
                other.end_date().empty() ? "" : absl::StrCat(" to ", other.end_date()), ")"),
            "MEMBERSHIP_OVERLAP");
      }
    }
    v1::MembershipCreated payload;
    payload.set_body(request.parent());
    *payload.mutable_membership() = membership;
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "membership.created", parent.tenant(),
                              membership.name(), payload, /*is_public=*/true)));
    result = membership;
    return api::RequestLog::Record(tx, parent.tenant(), "CreateMembership", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Membership> PeopleLogic::EndMembership(const auth::Principal& principal,
                                                          const v1::EndMembershipRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kTenantAdmin}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kMembershipPattern, request.name(), "name"));
  if (!IsCivilDate(request.end_date())) {
    return status::InvalidArgument("end_date", "is required, a date YYYY-MM-DD");
  }
  const std::string& body_id = name.Get("body");
  const std::string& membership_id = name.Get("membership");
  v1::Membership result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, name.tenant(), "EndMembership",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(auto found, PeopleStore::GetMembership(tx, name.tenant(), body_id,
                                                                 membership_id, request.name()));
    v1::Membership membership = std::move(found.first);
    if (!request.etag().empty() && request.etag() != membership.etag()) {
      // FAILED_PRECONDITION rather than ABORTED: the transaction retries ABORTED, and re-reading
      // cannot make a stale etag current.
      return status::FailedPrecondition(
          "ETAG_MISMATCH", request.name(),
          absl::StrCat("etag: the membership has changed since it was read (etag ",
                       membership.etag(), ")"));
    }
    // History is kept, never overwritten: an ended membership stays as it ended.
    if (!membership.end_date().empty()) {
      return status::FailedPrecondition(
          "MEMBERSHIP_ALREADY_ENDED", request.name(),
          absl::StrCat("the membership already ended on ", membership.end_date(),
                       "; a new period is a new membership"));
    }
    if (request.end_date() < membership.start_date()) {
      return status::InvalidArgument(
          "end_date", absl::StrCat("must be on or after the membership's start_date ",
                                   membership.start_date()));
    }
    membership.set_end_date(request.end_date());
    membership.set_etag(absl::StrCat(found.second + 1));
    MOOT_RETURN_IF_ERROR(PeopleStore::UpdateMembership(tx, name.tenant(), body_id, membership_id,
                                                       membership, found.second));
    v1::MembershipEnded payload;
    payload.set_body(api::FormatName(kBodyPattern, {name.tenant(), body_id}));
    *payload.mutable_membership() = membership;
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "scheduling", "membership.ended", name.tenant(),
                              membership.name(), payload, /*is_public=*/true)));
    result = membership;
    return api::RequestLog::Record(tx, name.tenant(), "EndMembership", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::ListMembershipsResponse> PeopleLogic::ListMemberships(
    const auth::Principal& principal, const v1::ListMembershipsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("ListMemberships|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListMembershipsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        auto page,
        PeopleStore::ListMemberships(conn, parent.tenant(), parent.Get("body"), after, page_size));
    for (auto& membership : page.items) {
      *response.add_memberships() = std::move(membership);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListMembersAtResponse> PeopleLogic::ListMembersAt(
    const auth::Principal& principal, const v1::ListMembersAtRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kPublicRead, "parent"));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kBodyPattern, request.parent(), "parent"));
  if (!IsCivilDate(request.date())) {
    return status::InvalidArgument("date", "is required, a date YYYY-MM-DD");
  }
  v1::ListMembersAtResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_RETURN_IF_ERROR(
        SchedulingStore::GetBody(conn, parent.tenant(), parent.Get("body"), request.parent())
            .status());
    MOOT_ASSIGN_OR_RETURN(auto members, PeopleStore::MembersAt(conn, parent.tenant(),
                                                               parent.Get("body"), request.date()));
    for (auto& membership : members) {
      *response.add_memberships() = std::move(membership);
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace moot::scheduling
