#include "services/scheduling/people_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/resource_name.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "moot/events/v1/event.pb.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;

auth::Principal Officer(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}
auth::Principal Admin(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:admin", .roles = {auth::Role::kTenantAdmin}};
}
auth::Principal Member(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:member", .roles = {auth::Role::kMember}};
}

std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}

class PeopleLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    scheduling_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    logic_ = std::make_unique<PeopleLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(scheduling_->Migrate().ok());
    ASSERT_TRUE(logic_->Migrate().ok());
    // Migrating again is harmless (both logics share the request log and outbox).
    ASSERT_TRUE(logic_->Migrate().ok());
    v1::CreateBodyRequest body;
    body.set_parent("tenants/wm");
    body.set_body_id("pcp");
    body.mutable_body()->set_display_name("West Midlands Police and Crime Panel");
    body.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
    ASSERT_TRUE(scheduling_->CreateBody(Officer(), body).ok());
  }

  v1::CreatePersonRequest PersonRequest(const std::string& id, const std::string& display) {
    v1::CreatePersonRequest request;
    request.set_parent("tenants/wm");
    request.set_person_id(id);
    request.mutable_person()->set_display_name(display);
    request.mutable_person()->set_honorific("Cllr");
    request.mutable_person()->set_member_type(v1::MEMBER_TYPE_COUNCILLOR);
    request.mutable_person()->set_appointing_authority("Birmingham City Council");
    return request;
  }

  void CreatePerson(const std::string& id) {
    auto person = logic_->CreatePerson(Officer(), PersonRequest(id, absl::StrCat("Cllr ", id)));
    ASSERT_TRUE(person.ok()) << person.status();
  }

  v1::CreateMembershipRequest MembershipRequest(const std::string& person, const std::string& start,
                                                const std::string& end = "") {
    v1::CreateMembershipRequest request;
    request.set_parent("tenants/wm/bodies/pcp");
    request.mutable_membership()->set_person(absl::StrCat("tenants/wm/people/", person));
    request.mutable_membership()->set_voting(true);
    request.mutable_membership()->set_start_date(start);
    request.mutable_membership()->set_end_date(end);
    return request;
  }

  std::vector<std::string> MembersAt(const std::string& date) {
    v1::ListMembersAtRequest request;
    request.set_parent("tenants/wm/bodies/pcp");
    request.set_date(date);
    auto response = logic_->ListMembersAt(auth::Principal::Anonymous(), request);
    EXPECT_TRUE(response.ok()) << response.status();
    std::vector<std::string> people;
    if (response.ok()) {
      for (const auto& m : response->memberships()) {
        people.push_back(m.person().substr(m.person().rfind('/') + 1));
      }
    }
    return people;
  }

  std::vector<std::string> OutboxTypes() {
    std::vector<std::string> types;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT type FROM outbox ORDER BY seq");
                     if (!r.ok()) {
                       return r.status();
                     }
                     for (const auto& row : r->rows) {
                       types.push_back(row.String(0));
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return types;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};
  ids::SequentialIdGenerator ids_{"id"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<SchedulingLogic> scheduling_;
  std::unique_ptr<PeopleLogic> logic_;
};

TEST(CivilDateTest, OnlyRealDatesInIsoForm) {
  EXPECT_TRUE(IsCivilDate("2023-05-22"));
  EXPECT_TRUE(IsCivilDate("2024-02-29"));
  EXPECT_FALSE(IsCivilDate("2023-02-29"));
  EXPECT_FALSE(IsCivilDate("2023-13-01"));
  EXPECT_FALSE(IsCivilDate("2023-5-22"));
  EXPECT_FALSE(IsCivilDate("22/05/2023"));
  EXPECT_FALSE(IsCivilDate("2023-05-22T00:00"));
  EXPECT_FALSE(IsCivilDate(""));
}

TEST_F(PeopleLogicTest, OfficerCreatesPersonAnyoneReadsIt) {
  auto person = logic_->CreatePerson(Officer(), PersonRequest("raqeeb-aziz", "Cllr Raqeeb Aziz"));
  ASSERT_TRUE(person.ok()) << person.status();
  EXPECT_EQ(person->name(), "tenants/wm/people/raqeeb-aziz");
  EXPECT_EQ(person->etag(), "1");
  EXPECT_EQ(TimeUtil::TimestampToSeconds(person->create_time()), 1699000000);
  EXPECT_TRUE(person->party().empty());
  EXPECT_THAT(OutboxTypes(), ElementsAre("person.created"));

  v1::GetPersonRequest get;
  get.set_name("tenants/wm/people/raqeeb-aziz");
  auto read = logic_->GetPerson(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->appointing_authority(), "Birmingham City Council");
  get.set_name("tenants/wm/people/nobody");
  EXPECT_EQ(logic_->GetPerson(Member(), get).status().code(), absl::StatusCode::kNotFound);

  // TENANT_ADMIN may also create.
  EXPECT_TRUE(logic_->CreatePerson(Admin(), PersonRequest("adele-brown", "Adele Brown")).ok());
}

// A person may be linked to the account (JWT `sub`) its member signs in with; the link is unique in
// the tenant and only officers and tenant admins see it (body_access.h uses it).
TEST_F(PeopleLogicTest, UserSubjectIsUniqueInTheTenantAndShownOnlyToOfficersAndAdmins) {
  auto request = PersonRequest("raqeeb-aziz", "Cllr Raqeeb Aziz");
  request.mutable_person()->set_user_subject("user:raqeeb");
  auto person = logic_->CreatePerson(Officer(), request);
  ASSERT_TRUE(person.ok()) << person.status();
  EXPECT_EQ(person->user_subject(), "user:raqeeb");
  // A 255-character subject is the longest allowed.
  auto longest = PersonRequest("longest", "Longest");
  longest.mutable_person()->set_user_subject(std::string(255, 'x'));
  EXPECT_TRUE(logic_->CreatePerson(Officer(), longest).ok());

  auto taken = PersonRequest("adele-brown", "Adele Brown");
  taken.mutable_person()->set_user_subject("user:raqeeb");
  auto refused = logic_->CreatePerson(Officer(), taken);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(refused.status()), "USER_SUBJECT_TAKEN");
  // Unlinked people do not collide with each other.
  EXPECT_TRUE(logic_->CreatePerson(Officer(), PersonRequest("adele-brown", "Adele Brown")).ok());
  EXPECT_TRUE(logic_->CreatePerson(Officer(), PersonRequest("ben-carr", "Ben Carr")).ok());
  // Another tenant has its own accounts.
  auto elsewhere = PersonRequest("raqeeb-aziz", "Cllr Raqeeb Aziz");
  elsewhere.set_parent("tenants/ny");
  elsewhere.mutable_person()->set_user_subject("user:raqeeb");
  EXPECT_TRUE(logic_->CreatePerson(Officer("ny"), elsewhere).ok());

  struct Case {
    std::string label;
    auth::Principal principal;
    bool sees_subject;
  };
  for (const Case& c : std::vector<Case>{{"Officer", Officer(), true},
                                         {"Admin", Admin(), true},
                                         {"Member", Member(), false},
                                         {"OtherTenantOfficer", Officer("ny"), false},
                                         {"Anonymous", auth::Principal::Anonymous(), false}}) {
    v1::GetPersonRequest get;
    get.set_name("tenants/wm/people/raqeeb-aziz");
    auto read = logic_->GetPerson(c.principal, get);
    if (c.label == "OtherTenantOfficer") {
      // Signed-in callers of another tenant are refused before any lookup.
      EXPECT_FALSE(read.ok()) << c.label;
      continue;
    }
    ASSERT_TRUE(read.ok()) << c.label << ": " << read.status();
    EXPECT_EQ(read->user_subject(), c.sees_subject ? "user:raqeeb" : "") << c.label;
    v1::ListPeopleRequest list;
    list.set_parent("tenants/wm");
    auto listed = logic_->ListPeople(c.principal, list);
    ASSERT_TRUE(listed.ok()) << c.label << ": " << listed.status();
    bool found = false;
    for (const auto& p : listed->people()) {
      if (p.name() == "tenants/wm/people/raqeeb-aziz") {
        found = true;
        EXPECT_EQ(p.user_subject(), c.sees_subject ? "user:raqeeb" : "") << c.label;
      }
    }
    EXPECT_TRUE(found) << c.label;
  }

  // The public person.created event does not carry the link.
  EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                   auto r = c.Execute("SELECT payload FROM outbox ORDER BY seq");
                   if (!r.ok()) {
                     return r.status();
                   }
                   for (const auto& row : r->rows) {
                     auto bytes = row.GetBytes(0);
                     EXPECT_TRUE(bytes.ok());
                     EXPECT_EQ(bytes->find("user:raqeeb"), std::string::npos);
                   }
                   EXPECT_FALSE(r->rows.empty());
                   return absl::OkStatus();
                 })
                  .ok());
}

TEST_F(PeopleLogicTest, SetPersonUserSubjectLinksAndUnlinksWithEtagAndPrivateEvent) {
  CreatePerson("raqeeb-aziz");
  CreatePerson("adele-brown");
  const size_t events_before = OutboxTypes().size();
  v1::SetPersonUserSubjectRequest link;
  link.set_name("tenants/wm/people/raqeeb-aziz");
  link.set_user_subject("user:raqeeb");
  link.set_etag("1");
  link.set_request_id("link-1");
  auto linked = logic_->SetPersonUserSubject(Officer(), link);
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(linked->user_subject(), "user:raqeeb");
  EXPECT_EQ(linked->etag(), "2");
  EXPECT_EQ(linked->display_name(), "Cllr raqeeb-aziz");
  // A retry with the same request_id returns the same person and emits nothing more.
  auto again = logic_->SetPersonUserSubject(Officer(), link);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->etag(), "2");
  std::vector<std::string> types = OutboxTypes();
  ASSERT_EQ(types.size(), events_before + 1);
  EXPECT_EQ(types.back(), "person.user_subject_set");
  EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                   auto r = c.Execute("SELECT payload FROM outbox ORDER BY seq DESC LIMIT 1");
                   if (!r.ok()) {
                     return r.status();
                   }
                   events::v1::Event event;
                   auto bytes = r->rows.at(0).GetBytes(0);
                   EXPECT_TRUE(bytes.ok() && event.ParseFromString(*bytes));
                   EXPECT_FALSE(event.public_());  // The subject stays private.
                   return absl::OkStatus();
                 })
                  .ok());

  v1::GetPersonRequest get;
  get.set_name("tenants/wm/people/raqeeb-aziz");
  EXPECT_EQ(logic_->GetPerson(Officer(), get)->user_subject(), "user:raqeeb");

  // A stale etag, a taken subject, a malformed subject.
  link.clear_request_id();
  auto stale = logic_->SetPersonUserSubject(Officer(), link);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(stale.status()), "ETAG_MISMATCH");
  v1::SetPersonUserSubjectRequest steal;
  steal.set_name("tenants/wm/people/adele-brown");
  steal.set_user_subject("user:raqeeb");
  EXPECT_EQ(Reason(logic_->SetPersonUserSubject(Admin(), steal).status()), "USER_SUBJECT_TAKEN");
  steal.set_user_subject("user raqeeb");
  EXPECT_EQ(Field(logic_->SetPersonUserSubject(Admin(), steal).status()), "user_subject");
  steal.set_name("tenants/wm/bodies/pcp");
  EXPECT_EQ(Field(logic_->SetPersonUserSubject(Admin(), steal).status()), "name");
  steal.set_name("tenants/wm/people/nobody");
  steal.set_user_subject("user:nobody");
  EXPECT_EQ(logic_->SetPersonUserSubject(Admin(), steal).status().code(),
            absl::StatusCode::kNotFound);
  // Setting the person's own subject again is no conflict.
  link.set_etag("2");
  auto same = logic_->SetPersonUserSubject(Officer(), link);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->etag(), "3");

  // Unlinking frees the subject for another person.
  v1::SetPersonUserSubjectRequest unlink;
  unlink.set_name("tenants/wm/people/raqeeb-aziz");
  auto unlinked = logic_->SetPersonUserSubject(Officer(), unlink);
  ASSERT_TRUE(unlinked.ok()) << unlinked.status();
  EXPECT_EQ(unlinked->user_subject(), "");
  steal.set_name("tenants/wm/people/adele-brown");
  steal.set_user_subject("user:raqeeb");
  auto moved = logic_->SetPersonUserSubject(Admin(), steal);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->user_subject(), "user:raqeeb");
}

TEST_F(PeopleLogicTest, SetPersonUserSubjectChecksTenantAndRoleFirst) {
  CreatePerson("raqeeb-aziz");
  v1::SetPersonUserSubjectRequest link;
  link.set_name("tenants/wm/people/raqeeb-aziz");
  link.set_user_subject("user:raqeeb");
  auto other = logic_->SetPersonUserSubject(Officer("other"), link);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(other.status()), "TENANT_MISMATCH");
  auto member = logic_->SetPersonUserSubject(Member(), link);
  EXPECT_EQ(member.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(member.status()), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(logic_->SetPersonUserSubject(auth::Principal::Anonymous(), link).status().code(),
            absl::StatusCode::kUnauthenticated);
  // Nothing was linked.
  v1::GetPersonRequest get;
  get.set_name("tenants/wm/people/raqeeb-aziz");
  EXPECT_EQ(logic_->GetPerson(Officer(), get)->user_subject(), "");
}

TEST_F(PeopleLogicTest, PersonValidationNamesTheField) {
  struct Case {
    std::function<void(v1::CreatePersonRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.set_person_id("Raqeeb_Aziz"); }, "person_id"},
      {[](auto& r) { r.set_person_id(""); }, "person_id"},
      {[](auto& r) { r.mutable_person()->clear_display_name(); }, "person.display_name"},
      {[](auto& r) { r.mutable_person()->set_display_name(std::string(201, 'x')); },
       "person.display_name"},
      {[](auto& r) { r.mutable_person()->set_member_type(v1::MEMBER_TYPE_UNSPECIFIED); },
       "person.member_type"},
      {[](auto& r) { r.mutable_person()->set_member_type(static_cast<v1::MemberType>(99)); },
       "person.member_type"},
      {[](auto& r) { r.mutable_person()->set_honorific(std::string(51, 'x')); },
       "person.honorific"},
      {[](auto& r) { r.mutable_person()->set_party(std::string(101, 'x')); }, "person.party"},
      {[](auto& r) { r.mutable_person()->set_appointing_authority(std::string(201, 'x')); },
       "person.appointing_authority"},
      {[](auto& r) { r.set_parent("tenants/wm/bodies/pcp"); }, "parent"},
      {[](auto& r) { r.mutable_person()->set_user_subject("user:raqeeb aziz"); },
       "person.user_subject"},
      {[](auto& r) { r.mutable_person()->set_user_subject("user:\traqeeb"); },
       "person.user_subject"},
      {[](auto& r) { r.mutable_person()->set_user_subject("user:r\xc3\xa9"); },
       "person.user_subject"},
      {[](auto& r) { r.mutable_person()->set_user_subject(std::string(256, 'x')); },
       "person.user_subject"},
  };
  for (const auto& c : cases) {
    auto request = PersonRequest("raqeeb-aziz", "Cllr Raqeeb Aziz");
    c.mutate(request);
    auto result = logic_->CreatePerson(Officer(), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
  EXPECT_TRUE(OutboxTypes().empty());
}

TEST_F(PeopleLogicTest, AccessIsCheckedBeforeAnyLookup) {
  CreatePerson("raqeeb-aziz");
  auto by_member = logic_->CreatePerson(Member(), PersonRequest("x", "X"));
  EXPECT_EQ(by_member.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(by_member.status()), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(
      logic_->CreatePerson(auth::Principal::Anonymous(), PersonRequest("x", "X")).status().code(),
      absl::StatusCode::kUnauthenticated);
  auto other_tenant = logic_->CreatePerson(Officer("other"), PersonRequest("x", "X"));
  EXPECT_EQ(Reason(other_tenant.status()), "TENANT_MISMATCH");

  v1::GetPersonRequest get;
  get.set_name("tenants/wm/people/raqeeb-aziz");
  EXPECT_EQ(Reason(logic_->GetPerson(Officer("other"), get).status()), "TENANT_MISMATCH");
  v1::ListMembersAtRequest at;
  at.set_parent("tenants/wm/bodies/pcp");
  at.set_date("2023-06-01");
  EXPECT_EQ(Reason(logic_->ListMembersAt(Member("other"), at).status()), "TENANT_MISMATCH");

  v1::ListPeopleRequest people;
  people.set_parent("tenants/wm");
  EXPECT_EQ(Reason(logic_->ListPeople(Member("other"), people).status()), "TENANT_MISMATCH");
  v1::ListMembershipsRequest memberships;
  memberships.set_parent("tenants/wm/bodies/pcp");
  EXPECT_EQ(Reason(logic_->ListMemberships(Officer("other"), memberships).status()),
            "TENANT_MISMATCH");

  auto membership = MembershipRequest("raqeeb-aziz", "2023-05-22");
  EXPECT_EQ(Reason(logic_->CreateMembership(Member(), membership).status()), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Reason(logic_->CreateMembership(Officer("other"), membership).status()),
            "TENANT_MISMATCH");
  EXPECT_EQ(logic_->CreateMembership(auth::Principal::Anonymous(), membership).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(PeopleLogicTest, CreatePersonRetryIsIdempotentAndDuplicateIsAlreadyExists) {
  auto request = PersonRequest("raqeeb-aziz", "Cllr Raqeeb Aziz");
  request.set_request_id("seed-person-1");
  auto first = logic_->CreatePerson(Officer(), request);
  ASSERT_TRUE(first.ok());
  clock_.Advance(absl::Minutes(1));
  auto retry = logic_->CreatePerson(Officer(), request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
  EXPECT_THAT(OutboxTypes(), ElementsAre("person.created"));
  request.mutable_person()->set_party("Labour");
  EXPECT_EQ(Reason(logic_->CreatePerson(Officer(), request).status()), "REQUEST_ID_REUSED");
  request.clear_request_id();
  EXPECT_EQ(logic_->CreatePerson(Officer(), request).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(PeopleLogicTest, ListPeoplePagesInIdOrderForAnonymousCallers) {
  for (const char* id :
       {"sam-forsyth", "adele-brown", "raqeeb-aziz", "ed-lawrence", "gareth-moore"}) {
    CreatePerson(id);
  }
  std::vector<std::string> ids;
  v1::ListPeopleRequest list;
  list.set_parent("tenants/wm");
  list.set_page_size(2);
  int pages = 0;
  do {
    auto page = logic_->ListPeople(auth::Principal::Anonymous(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& p : page->people()) {
      ids.push_back(p.name().substr(p.name().rfind('/') + 1));
    }
    list.set_page_token(page->next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(
      ids, ElementsAre("adele-brown", "ed-lawrence", "gareth-moore", "raqeeb-aziz", "sam-forsyth"));
  list.set_page_size(5000);
  EXPECT_EQ(Field(logic_->ListPeople(Officer(), list).status()), "page_size");
  list.set_page_size(0);
  list.set_page_token("garbage");
  EXPECT_EQ(Field(logic_->ListPeople(Officer(), list).status()), "page_token");
}

TEST_F(PeopleLogicTest, MembershipIsCreatedWithDefaultsAndEvent) {
  CreatePerson("jasbir-jaspal");
  auto request = MembershipRequest("jasbir-jaspal", "2023-05-22");
  request.mutable_membership()->set_role(v1::MEMBERSHIP_ROLE_CHAIR);
  request.set_membership_id("jasbir-jaspal-2023");
  auto chair = logic_->CreateMembership(Officer(), request);
  ASSERT_TRUE(chair.ok()) << chair.status();
  EXPECT_EQ(chair->name(), "tenants/wm/bodies/pcp/memberships/jasbir-jaspal-2023");
  EXPECT_EQ(chair->role(), v1::MEMBERSHIP_ROLE_CHAIR);
  EXPECT_TRUE(chair->voting());

  // Without an id one is generated; without a role the member is an ordinary MEMBER.
  CreatePerson("raqeeb-aziz");
  auto member = logic_->CreateMembership(Admin(), MembershipRequest("raqeeb-aziz", "2023-05-22"));
  ASSERT_TRUE(member.ok()) << member.status();
  EXPECT_EQ(member->role(), v1::MEMBERSHIP_ROLE_MEMBER);
  const std::string id = member->name().substr(member->name().rfind('/') + 1);
  EXPECT_TRUE(api::IsValidId(id)) << id;
  EXPECT_THAT(OutboxTypes(), ElementsAre("person.created", "membership.created", "person.created",
                                         "membership.created"));
}

TEST_F(PeopleLogicTest, MembershipValidationNamesTheField) {
  CreatePerson("raqeeb-aziz");
  struct Case {
    std::function<void(v1::CreateMembershipRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.mutable_membership()->clear_person(); }, "membership.person"},
      {[](auto& r) { r.mutable_membership()->set_person("tenants/other/people/raqeeb-aziz"); },
       "membership.person"},
      {[](auto& r) { r.mutable_membership()->set_person("tenants/wm/bodies/pcp"); },
       "membership.person"},
      {[](auto& r) { r.mutable_membership()->clear_start_date(); }, "membership.start_date"},
      {[](auto& r) { r.mutable_membership()->set_start_date("2023-02-30"); },
       "membership.start_date"},
      {[](auto& r) { r.mutable_membership()->set_end_date("someday"); }, "membership.end_date"},
      {[](auto& r) { r.mutable_membership()->set_end_date("2023-05-21"); }, "membership.end_date"},
      {[](auto& r) { r.mutable_membership()->set_role(static_cast<v1::MembershipRole>(42)); },
       "membership.role"},
      {[](auto& r) { r.set_membership_id("Bad_Id"); }, "membership_id"},
      {[](auto& r) { r.set_parent("tenants/wm"); }, "parent"},
  };
  for (const auto& c : cases) {
    auto request = MembershipRequest("raqeeb-aziz", "2023-05-22");
    c.mutate(request);
    auto result = logic_->CreateMembership(Officer(), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
  // A one-day membership (end == start) is allowed.
  EXPECT_TRUE(logic_
                  ->CreateMembership(Officer(),
                                     MembershipRequest("raqeeb-aziz", "2023-05-22", "2023-05-22"))
                  .ok());
}

TEST_F(PeopleLogicTest, MembershipNeedsExistingBodyAndPerson) {
  CreatePerson("raqeeb-aziz");
  auto no_person = logic_->CreateMembership(Officer(), MembershipRequest("nobody", "2023-05-22"));
  EXPECT_EQ(no_person.status().code(), absl::StatusCode::kNotFound);
  auto no_body = MembershipRequest("raqeeb-aziz", "2023-05-22");
  no_body.set_parent("tenants/wm/bodies/nope");
  EXPECT_EQ(logic_->CreateMembership(Officer(), no_body).status().code(),
            absl::StatusCode::kNotFound);
  v1::ListMembersAtRequest at;
  at.set_parent("tenants/wm/bodies/nope");
  at.set_date("2023-06-01");
  EXPECT_EQ(logic_->ListMembersAt(Officer(), at).status().code(), absl::StatusCode::kNotFound);
  at.set_parent("tenants/wm/bodies/pcp");
  at.set_date("June 2023");
  EXPECT_EQ(Field(logic_->ListMembersAt(Officer(), at).status()), "date");
  EXPECT_THAT(OutboxTypes(), ElementsAre("person.created"));
}

TEST_F(PeopleLogicTest, MembershipsOfOnePersonMayNotOverlap) {
  CreatePerson("kristina-murphy");
  CreatePerson("jasbir-jaspal");
  ASSERT_TRUE(logic_
                  ->CreateMembership(
                      Officer(), MembershipRequest("kristina-murphy", "2022-05-23", "2023-05-21"))
                  .ok());
  // Starting on the day the previous one ended overlaps by a day.
  auto same_day =
      logic_->CreateMembership(Officer(), MembershipRequest("kristina-murphy", "2023-05-21"));
  EXPECT_EQ(same_day.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Field(same_day.status()), "membership.start_date");
  EXPECT_EQ(Reason(same_day.status()), "MEMBERSHIP_OVERLAP");
  EXPECT_NE(
      same_day.status().message().find("overlaps membership tenants/wm/bodies/pcp/memberships/"),
      std::string::npos)
      << same_day.status();
  // A period enclosing the old one overlaps too: its end runs into it.
  auto enclosing = logic_->CreateMembership(
      Officer(), MembershipRequest("kristina-murphy", "2020-01-01", "2024-01-01"));
  EXPECT_EQ(Reason(enclosing.status()), "MEMBERSHIP_OVERLAP");
  EXPECT_EQ(Field(enclosing.status()), "membership.end_date");
  // The next day is fine: a change of office is a new membership, the history stays.
  auto vice = MembershipRequest("kristina-murphy", "2023-05-22");
  vice.mutable_membership()->set_role(v1::MEMBERSHIP_ROLE_VICE_CHAIR);
  ASSERT_TRUE(logic_->CreateMembership(Officer(), vice).ok());
  // Open-ended membership blocks any later start.
  EXPECT_EQ(
      Reason(logic_->CreateMembership(Officer(), MembershipRequest("kristina-murphy", "2030-01-01"))
                 .status()),
      "MEMBERSHIP_OVERLAP");
  // A taken id is ALREADY_EXISTS even when the period would also overlap.
  auto taken = MembershipRequest("kristina-murphy", "2023-05-22");
  taken.set_membership_id("murphy-vice");
  ASSERT_TRUE(logic_
                  ->CreateMembership(Officer(),
                                     MembershipRequest("jasbir-jaspal", "2000-01-01", "2000-12-31"))
                  .ok());
  auto jaspal = MembershipRequest("jasbir-jaspal", "2001-01-01", "2001-12-31");
  jaspal.set_membership_id("murphy-vice");
  ASSERT_TRUE(logic_->CreateMembership(Officer(), jaspal).ok());
  EXPECT_EQ(logic_->CreateMembership(Officer(), taken).status().code(),
            absl::StatusCode::kAlreadyExists);
  // Another person's membership over the same period is no overlap.
  EXPECT_TRUE(
      logic_->CreateMembership(Officer(), MembershipRequest("jasbir-jaspal", "2023-05-22")).ok());

  v1::ListMembershipsRequest list;
  list.set_parent("tenants/wm/bodies/pcp");
  auto all = logic_->ListMemberships(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->memberships_size(), 5);
}

TEST_F(PeopleLogicTest, MembersAtCountsStartAndEndDaysInclusive) {
  for (const char* id : {"adele-brown", "derek-francis", "raqeeb-aziz"}) {
    CreatePerson(id);
  }
  ASSERT_TRUE(logic_
                  ->CreateMembership(Officer(),
                                     MembershipRequest("raqeeb-aziz", "2023-05-22", "2024-05-19"))
                  .ok());
  ASSERT_TRUE(
      logic_->CreateMembership(Officer(), MembershipRequest("adele-brown", "2023-05-22")).ok());
  ASSERT_TRUE(
      logic_->CreateMembership(Officer(), MembershipRequest("derek-francis", "2023-09-01")).ok());

  EXPECT_THAT(MembersAt("2023-05-21"), ElementsAre());
  EXPECT_THAT(MembersAt("2023-05-22"), ElementsAre("adele-brown", "raqeeb-aziz"));
  EXPECT_THAT(MembersAt("2023-08-31"), ElementsAre("adele-brown", "raqeeb-aziz"));
  EXPECT_THAT(MembersAt("2023-09-01"), ElementsAre("adele-brown", "derek-francis", "raqeeb-aziz"));
  EXPECT_THAT(MembersAt("2024-05-19"), ElementsAre("adele-brown", "derek-francis", "raqeeb-aziz"));
  EXPECT_THAT(MembersAt("2024-05-20"), ElementsAre("adele-brown", "derek-francis"));
}

TEST_F(PeopleLogicTest, ListMembershipsPagesAndBindsTokensToTheBody) {
  for (int i = 0; i < 5; ++i) {
    const std::string id = absl::StrCat("person-", i);
    CreatePerson(id);
    auto request = MembershipRequest(id, "2023-05-22");
    request.set_membership_id(absl::StrCat("m-", 4 - i));
    ASSERT_TRUE(logic_->CreateMembership(Officer(), request).ok());
  }
  std::vector<std::string> ids;
  v1::ListMembershipsRequest list;
  list.set_parent("tenants/wm/bodies/pcp");
  list.set_page_size(2);
  int pages = 0;
  std::string second_token;
  do {
    auto page = logic_->ListMemberships(Member(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& m : page->memberships()) {
      ids.push_back(m.name().substr(m.name().rfind('/') + 1));
    }
    list.set_page_token(page->next_page_token());
    if (pages == 0) {
      second_token = page->next_page_token();
    }
    ++pages;
  } while (!list.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(ids, ElementsAre("m-0", "m-1", "m-2", "m-3", "m-4"));

  v1::ListMembershipsRequest other;
  other.set_parent("tenants/wm/bodies/spcb");
  other.set_page_token(second_token);
  EXPECT_EQ(Field(logic_->ListMemberships(Officer(), other).status()), "page_token");
}

TEST_F(PeopleLogicTest, CreateMembershipRetryIsIdempotent) {
  CreatePerson("raqeeb-aziz");
  auto request = MembershipRequest("raqeeb-aziz", "2023-05-22");
  request.set_request_id("seed-ms-1");
  auto first = logic_->CreateMembership(Officer(), request);
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = logic_->CreateMembership(Officer(), request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), first->name());
  EXPECT_THAT(OutboxTypes(), ElementsAre("person.created", "membership.created"));
}

// Ending a membership keeps the record (history is never overwritten): once ended, it stays
// ended; a new period is a new membership.
TEST_F(PeopleLogicTest, EndMembershipKeepsHistory) {
  CreatePerson("derek-francis");
  auto request = MembershipRequest("derek-francis", "2023-05-22");
  request.set_membership_id("derek-francis-2023");
  auto created = logic_->CreateMembership(Officer(), request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->etag(), "1");
  const std::string name = "tenants/wm/bodies/pcp/memberships/derek-francis-2023";

  struct Case {
    std::string end_date;
    std::string etag;
    absl::StatusCode code;
    std::string field_or_reason;
  };
  const std::vector<Case> refused = {
      {"", "", absl::StatusCode::kInvalidArgument, "end_date"},
      {"2024-02-30", "", absl::StatusCode::kInvalidArgument, "end_date"},
      {"2023-05-21", "", absl::StatusCode::kInvalidArgument, "end_date"},
      {"2024-05-19", "7", absl::StatusCode::kFailedPrecondition, "ETAG_MISMATCH"},
  };
  for (const auto& c : refused) {
    v1::EndMembershipRequest end;
    end.set_name(name);
    end.set_end_date(c.end_date);
    end.set_etag(c.etag);
    auto result = logic_->EndMembership(Officer(), end);
    EXPECT_EQ(result.status().code(), c.code) << c.end_date;
    EXPECT_EQ(c.code == absl::StatusCode::kInvalidArgument ? Field(result.status())
                                                           : Reason(result.status()),
              c.field_or_reason);
  }

  v1::EndMembershipRequest end;
  end.set_name(name);
  end.set_end_date("2024-05-19");
  end.set_etag("1");
  end.set_request_id("end-1");
  auto ended = logic_->EndMembership(Officer(), end);
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->end_date(), "2024-05-19");
  EXPECT_EQ(ended->start_date(), "2023-05-22");
  EXPECT_EQ(ended->etag(), "2");
  auto retry = logic_->EndMembership(Officer(), end);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->SerializeAsString(), ended->SerializeAsString());

  // Never overwritten: a second end (earlier or later) is refused.
  end.clear_request_id();
  end.clear_etag();
  end.set_end_date("2024-01-01");
  auto again = logic_->EndMembership(Officer(), end);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(again.status()), "MEMBERSHIP_ALREADY_ENDED");

  // The end day is inclusive; the next day a new membership may start.
  EXPECT_THAT(MembersAt("2024-05-19"), ElementsAre("derek-francis"));
  EXPECT_THAT(MembersAt("2024-05-20"), ElementsAre());
  ASSERT_TRUE(
      logic_->CreateMembership(Officer(), MembershipRequest("derek-francis", "2024-05-20")).ok());
  EXPECT_THAT(MembersAt("2024-05-20"), ElementsAre("derek-francis"));
  v1::ListMembershipsRequest list;
  list.set_parent("tenants/wm/bodies/pcp");
  EXPECT_EQ(logic_->ListMemberships(Member(), list)->memberships_size(), 2);
  EXPECT_THAT(OutboxTypes(), ElementsAre("person.created", "membership.created", "membership.ended",
                                         "membership.created"));

  // Missing membership, other tenant, wrong role.
  end.set_name("tenants/wm/bodies/pcp/memberships/nobody");
  EXPECT_EQ(logic_->EndMembership(Officer(), end).status().code(), absl::StatusCode::kNotFound);
  end.set_name(name);
  EXPECT_EQ(Reason(logic_->EndMembership(Officer("other"), end).status()), "TENANT_MISMATCH");
  EXPECT_EQ(Reason(logic_->EndMembership(Member(), end).status()), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(logic_->EndMembership(auth::Principal::Anonymous(), end).status().code(),
            absl::StatusCode::kUnauthenticated);
  end.set_name("tenants/wm/people/derek-francis");
  EXPECT_EQ(Field(logic_->EndMembership(Officer(), end).status()), "name");
}

}  // namespace
}  // namespace moot::scheduling
