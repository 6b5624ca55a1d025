// Bodies: rules with defaults by kind (domain.md §9), UpdateBody, and the sub-group rules
// R-SG-01..04.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tuple>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "moot/events/v1/event.pb.h"
#include "services/scheduling/people_store.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

auth::Principal Officer(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}
auth::Principal Member(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:member", .roles = {auth::Role::kMember}};
}

std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}
std::vector<std::string> Codes(const google::protobuf::RepeatedPtrField<std::string>& warnings) {
  std::vector<std::string> codes;
  for (const std::string& w : warnings) {
    codes.push_back(w.substr(0, w.find(':')));
  }
  return codes;
}

// 2023-11-13 14:00 Europe/London.
constexpr int64_t kNov13 = 1699884000;

class BodyRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(logic_->Migrate().ok());
  }

  absl::StatusOr<v1::Body> Create(const std::string& id, v1::BodyKind kind,
                                  const std::function<void(v1::Body&)>& mutate = nullptr) {
    v1::CreateBodyRequest request;
    request.set_parent("tenants/wm");
    request.set_body_id(id);
    request.mutable_body()->set_display_name(absl::StrCat("Body ", id));
    request.mutable_body()->set_kind(kind);
    if (mutate) {
      mutate(*request.mutable_body());
    }
    return logic_->CreateBody(Officer(), request);
  }

  static void SubGroupFields(v1::Body& b) {
    b.set_parent_body("tenants/wm/bodies/pcp");
    b.set_terms_of_reference("tenants/wm/documents/budget-sub-group-tor");
    b.set_end_date("2024-03-31");
    b.set_reports_to("tenants/wm/bodies/pcp");
  }

  // A person and their membership of `body` from `start` (open-ended).
  void AddMember(const std::string& person_id, v1::MemberType type, const std::string& authority,
                 const std::string& party, const std::vector<std::string>& bodies,
                 const std::string& start = "2023-06-01") {
    ASSERT_TRUE(db_->Transact([&](sql::Connection& tx) -> absl::Status {
                     v1::Person person;
                     person.set_name(absl::StrCat("tenants/wm/people/", person_id));
                     person.set_display_name(person_id);
                     person.set_member_type(type);
                     person.set_appointing_authority(authority);
                     person.set_party(party);
                     auto inserted = PeopleStore::InsertPerson(tx, "wm", person_id, person);
                     if (!inserted.ok() && inserted.code() != absl::StatusCode::kAlreadyExists) {
                       return inserted;
                     }
                     for (const std::string& body : bodies) {
                       v1::Membership m;
                       m.set_name(
                           absl::StrCat("tenants/wm/bodies/", body, "/memberships/", person_id));
                       m.set_person(person.name());
                       m.set_role(v1::MEMBERSHIP_ROLE_MEMBER);
                       m.set_voting(true);
                       m.set_start_date(start);
                       absl::Status s =
                           PeopleStore::InsertMembership(tx, "wm", body, person_id, person_id, m);
                       if (!s.ok()) {
                         return s;
                       }
                     }
                     return absl::OkStatus();
                   })
                    .ok());
  }

  std::vector<events::v1::Event> Outbox() {
    std::vector<events::v1::Event> events;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT payload FROM outbox ORDER BY seq");
                     if (!r.ok()) {
                       return r.status();
                     }
                     for (const auto& row : r->rows) {
                       events::v1::Event e;
                       e.ParseFromString(row.String(0));
                       events.push_back(e);
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return events;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};  // 2023-11-03.
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<SchedulingLogic> logic_;
};

// domain.md §9 items 1, 2 and 6: the defaults by kind are filled in and returned.
TEST_F(BodyRulesTest, RulesDefaultByKind) {
  struct Case {
    v1::BodyKind kind;
    int question_days;
    v1::DayUnit question_unit;
    bool one_question;
    v1::MinuteNumbering numbering;
    int standing_items;
  };
  const std::vector<Case> cases = {
      {v1::BODY_KIND_PANEL, 4, v1::DAY_UNIT_CALENDAR, false, v1::MINUTE_NUMBERING_RUNNING_INT, 9},
      {v1::BODY_KIND_BOARD, 7, v1::DAY_UNIT_WORKING, true, v1::MINUTE_NUMBERING_SEQ_PER_YEAR, 4},
      {v1::BODY_KIND_COMMITTEE, 4, v1::DAY_UNIT_CALENDAR, false, v1::MINUTE_NUMBERING_RUNNING_INT,
       0},
  };
  int n = 0;
  for (const Case& c : cases) {
    auto body = Create(absl::StrCat("b", n++), c.kind);
    ASSERT_TRUE(body.ok()) << body.status();
    const v1::BodyRules& r = body->rules();
    EXPECT_EQ(r.public_question_deadline().days(), c.question_days);
    EXPECT_EQ(r.public_question_deadline().unit(), c.question_unit);
    EXPECT_EQ(r.public_question_deadline().cutoff_time(), "23:59");
    EXPECT_EQ(r.one_question_per_person(), c.one_question);
    EXPECT_EQ(r.agenda_publication().days(), 5);  // R-MTG-09.
    EXPECT_EQ(r.agenda_publication().unit(), v1::DAY_UNIT_CLEAR);
    EXPECT_EQ(r.minute_numbering(), c.numbering);
    EXPECT_EQ(r.standing_agenda_size(), c.standing_items);
  }
  // Given rules are kept whole.
  auto custom = Create("custom", v1::BODY_KIND_PANEL, [](v1::Body& b) {
    b.mutable_rules()->mutable_public_question_deadline()->set_days(3);
    b.mutable_rules()->mutable_public_question_deadline()->set_unit(v1::DAY_UNIT_CLEAR);
    b.mutable_rules()->mutable_public_question_deadline()->set_cutoff_time("12:00");
    b.mutable_rules()->set_quorum(5);
  });
  ASSERT_TRUE(custom.ok()) << custom.status();
  EXPECT_EQ(custom->rules().public_question_deadline().unit(), v1::DAY_UNIT_CLEAR);
  EXPECT_EQ(custom->rules().public_question_deadline().cutoff_time(), "12:00");
  EXPECT_EQ(custom->rules().quorum(), 5);
}

TEST_F(BodyRulesTest, BadRulesAndFieldsNameTheField) {
  struct Case {
    std::function<void(v1::Body&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& b) { b.mutable_rules()->mutable_public_question_deadline()->set_days(7); },
       "body.rules.public_question_deadline.unit"},
      {[](auto& b) {
         b.mutable_rules()->mutable_public_question_deadline()->set_days(-1);
         b.mutable_rules()->mutable_public_question_deadline()->set_unit(v1::DAY_UNIT_WORKING);
       },
       "body.rules.public_question_deadline.days"},
      {[](auto& b) {
         b.mutable_rules()->mutable_agenda_publication()->set_days(5);
         b.mutable_rules()->mutable_agenda_publication()->set_unit(v1::DAY_UNIT_CLEAR);
         b.mutable_rules()->mutable_agenda_publication()->set_cutoff_time("5pm");
       },
       "body.rules.agenda_publication.cutoff_time"},
      {[](auto& b) { b.mutable_rules()->set_quorum(-1); }, "body.rules.quorum"},
      {[](auto& b) {
         b.mutable_rules()->add_standing_agenda(static_cast<v1::AgendaItemKind>(999));
       },
       "body.rules.standing_agenda"},
      {[](auto& b) {
         b.mutable_rules()->add_standing_agenda(v1::AGENDA_ITEM_KIND_APOLOGIES);
         b.mutable_rules()->add_standing_agenda(v1::AGENDA_ITEM_KIND_APOLOGIES);
       },
       "body.rules.standing_agenda"},
      {[](auto& b) { b.mutable_rules()->set_default_venue(std::string(501, 'v')); },
       "body.rules.default_venue"},
      {[](auto& b) { b.set_host_authority(std::string(201, 'h')); }, "body.host_authority"},
      {[](auto& b) { b.set_website(std::string(501, 'w')); }, "body.website"},
      {[](auto& b) { b.set_contact(std::string(501, 'c')); }, "body.contact"},
      {[](auto& b) { b.set_terms_of_reference("tenants/wm/documents/tor"); },
       "body.terms_of_reference"},
      {[](auto& b) { b.set_end_date("2024-03-31"); }, "body.end_date"},
  };
  for (const Case& c : cases) {
    auto result = Create("board", v1::BODY_KIND_BOARD, c.mutate);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field) << result.status();
  }
}

// R-SG-01 and R-SG-02 (ENFORCE): parent, terms of reference, end date and reports-to.
TEST_F(BodyRulesTest, SubGroupNeedsItsRemitDefinedUpFront) {
  ASSERT_TRUE(Create("pcp", v1::BODY_KIND_PANEL).ok());
  struct Case {
    std::function<void(v1::Body&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& b) { b.clear_parent_body(); }, "body.parent_body"},
      {[](auto& b) { b.set_parent_body("tenants/other/bodies/pcp"); }, "body.parent_body"},
      {[](auto& b) { b.clear_terms_of_reference(); }, "body.terms_of_reference"},
      {[](auto& b) { b.set_terms_of_reference("tor.docx"); }, "body.terms_of_reference"},
      {[](auto& b) { b.clear_end_date(); }, "body.end_date"},
      {[](auto& b) { b.set_end_date("31/03/2024"); }, "body.end_date"},
      {[](auto& b) { b.clear_reports_to(); }, "body.reports_to"},
      {[](auto& b) { b.set_reports_to("tenants/wm/bodies/budget"); }, "body.reports_to"},
  };
  for (const Case& c : cases) {
    auto result = Create("budget", v1::BODY_KIND_SUB_GROUP, [&](v1::Body& b) {
      SubGroupFields(b);
      c.mutate(b);
    });
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field) << result.status();
  }
  auto missing_parent = Create("budget", v1::BODY_KIND_SUB_GROUP, [](v1::Body& b) {
    SubGroupFields(b);
    b.set_parent_body("tenants/wm/bodies/nope");
  });
  EXPECT_EQ(missing_parent.status().code(), absl::StatusCode::kNotFound);

  auto sub = Create("budget", v1::BODY_KIND_SUB_GROUP, SubGroupFields);
  ASSERT_TRUE(sub.ok()) << sub.status();
  EXPECT_EQ(sub->reports_to(), "tenants/wm/bodies/pcp");
  // No members yet (R-SG-03).
  EXPECT_THAT(Codes(sub->warnings()), ElementsAre("SUBGROUP_TOO_SMALL"));
  // A sub-group of a sub-group is refused.
  auto nested = Create("nested", v1::BODY_KIND_SUB_GROUP, [](v1::Body& b) {
    SubGroupFields(b);
    b.set_parent_body("tenants/wm/bodies/budget");
  });
  EXPECT_EQ(Field(nested.status()), "body.parent_body");
}

// R-SG-03 (ENFORCE count and parent membership; WARN composition) and R-SG-04 (WARN district).
TEST_F(BodyRulesTest, SubGroupCompositionIsCheckedOnADate) {
  ASSERT_TRUE(Create("pcp", v1::BODY_KIND_PANEL).ok());
  ASSERT_TRUE(Create("budget", v1::BODY_KIND_SUB_GROUP, SubGroupFields).ok());
  ASSERT_TRUE(Create("solihull", v1::BODY_KIND_SUB_GROUP, SubGroupFields).ok());
  ASSERT_TRUE(Create("tiny", v1::BODY_KIND_SUB_GROUP, SubGroupFields).ok());
  ASSERT_TRUE(Create("outsider", v1::BODY_KIND_SUB_GROUP, SubGroupFields).ok());
  const auto C = v1::MEMBER_TYPE_COUNCILLOR;
  const auto I = v1::MEMBER_TYPE_INDEPENDENT;
  AddMember("hussain", C, "Birmingham City Council", "Labour", {"pcp", "budget"});
  AddMember("feeney", C, "Solihull Metropolitan Borough Council", "Conservative",
            {"pcp", "budget", "tiny"});
  AddMember("jaspal", C, "City of Wolverhampton Council", "Labour", {"pcp", "budget"});
  AddMember("murphy", I, "", "", {"pcp", "budget", "tiny", "outsider"});
  AddMember("delaney", C, "Solihull Metropolitan Borough Council", "", {"pcp", "solihull"});
  AddMember("solihull-2", C, "Solihull Metropolitan Borough Council", "", {"pcp", "solihull"});
  AddMember("solihull-3", C, "Solihull Metropolitan Borough Council", "", {"solihull"},
            "2023-06-01");
  ASSERT_TRUE(db_->Transact([&](sql::Connection& tx) -> absl::Status {
                   v1::Membership m;
                   m.set_person("tenants/wm/people/solihull-3");
                   m.set_start_date("2023-06-01");
                   return PeopleStore::InsertMembership(tx, "wm", "pcp", "s3", "solihull-3", m);
                 })
                  .ok());
  AddMember("stranger", C, "Dudley Council", "", {"outsider"});
  AddMember("brown", I, "", "", {"pcp", "outsider"});

  struct Case {
    std::string body;
    std::string date;
    std::string reason;  // Empty: OK.
    std::vector<std::string> warnings;
  };
  const std::vector<Case> cases = {
      {"budget", "2023-11-13", "", {}},
      {"budget", "2023-05-01", "SUBGROUP_TOO_SMALL", {}},  // Before anyone joined.
      {"tiny", "2023-11-13", "SUBGROUP_TOO_SMALL", {}},
      {"outsider", "2023-11-13", "SUBGROUP_MEMBER_NOT_IN_PARENT", {}},
      {"solihull", "2023-11-13", "", {"SUBGROUP_NO_INDEPENDENT", "SUBGROUP_SINGLE_AUTHORITY"}},
  };
  for (const Case& c : cases) {
    v1::CheckSubGroupRequest request;
    request.set_name(absl::StrCat("tenants/wm/bodies/", c.body));
    request.set_date(c.date);
    auto check = logic_->CheckSubGroup(auth::Principal::Anonymous(), request);
    if (c.reason.empty()) {
      ASSERT_TRUE(check.ok()) << c.body << ": " << check.status();
      EXPECT_THAT(Codes(check->warnings()), ::testing::ElementsAreArray(c.warnings)) << c.body;
      EXPECT_GE(check->members_size(), 3);
    } else {
      EXPECT_EQ(check.status().code(), absl::StatusCode::kFailedPrecondition) << c.body;
      EXPECT_EQ(Reason(check.status()), c.reason) << c.body;
    }
  }

  // GetBody reports the findings as warnings (today is 2023-11-03).
  v1::GetBodyRequest get;
  get.set_name("tenants/wm/bodies/solihull");
  auto body = logic_->GetBody(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_THAT(Codes(body->warnings()),
              ElementsAre("SUBGROUP_NO_INDEPENDENT", "SUBGROUP_SINGLE_AUTHORITY"));
  get.set_name("tenants/wm/bodies/tiny");
  body = logic_->GetBody(Officer(), get);
  ASSERT_TRUE(body.ok());
  EXPECT_THAT(Codes(body->warnings()), ElementsAre("SUBGROUP_TOO_SMALL"));
  EXPECT_THAT(body->warnings(0), HasSubstr("SUBGROUP_TOO_SMALL: a sub-group needs at least 3"));
  get.set_name("tenants/wm/bodies/pcp");
  body = logic_->GetBody(Officer(), get);
  ASSERT_TRUE(body.ok());
  EXPECT_THAT(body->warnings(), IsEmpty());

  // A single party among those whose party is known.
  ASSERT_TRUE(Create("labour", v1::BODY_KIND_SUB_GROUP, SubGroupFields).ok());
  AddMember("l1", C, "Birmingham City Council", "Labour", {"pcp", "labour"});
  AddMember("l2", C, "Coventry City Council", "Labour", {"pcp", "labour"});
  AddMember("l3", I, "", "", {"pcp", "labour"});
  v1::CheckSubGroupRequest labour;
  labour.set_name("tenants/wm/bodies/labour");
  labour.set_date("2023-11-13");
  auto check = logic_->CheckSubGroup(Member(), labour);
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_THAT(Codes(check->warnings()), ElementsAre("SUBGROUP_SINGLE_PARTY"));

  // Access and bad input.
  EXPECT_EQ(Reason(logic_->CheckSubGroup(Officer("other"), labour).status()), "TENANT_MISMATCH");
  labour.set_date("2023-02-30");
  EXPECT_EQ(Field(logic_->CheckSubGroup(Officer(), labour).status()), "date");
  v1::CheckSubGroupRequest panel;
  panel.set_name("tenants/wm/bodies/pcp");
  EXPECT_EQ(Reason(logic_->CheckSubGroup(Officer(), panel).status()), "NOT_A_SUB_GROUP");
}

// R-SG-01: Special Functions stay with the Panel; R-SG-03 is enforced when a sub-group meets.
TEST_F(BodyRulesTest, SubGroupMeetingsFollowTheSubGroupRules) {
  ASSERT_TRUE(Create("pcp", v1::BODY_KIND_PANEL).ok());
  ASSERT_TRUE(Create("budget", v1::BODY_KIND_SUB_GROUP, SubGroupFields).ok());
  auto meeting = [&](const std::string& id, v1::MeetingKind kind, int64_t start,
                     v1::MeetingStatus status = v1::MEETING_STATUS_UNSPECIFIED) {
    v1::CreateMeetingRequest request;
    request.set_parent("tenants/wm/bodies/budget");
    request.set_meeting_id(id);
    request.mutable_meeting()->set_title("Budget Sub-Group");
    request.mutable_meeting()->set_kind(kind);
    request.mutable_meeting()->set_status(status);
    *request.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(start);
    return logic_->CreateMeeting(Officer(), request);
  };
  for (v1::MeetingKind kind :
       {v1::MEETING_KIND_PROVISIONAL, v1::MEETING_KIND_CONFIRMATION_HEARING}) {
    auto refused = meeting("special", kind, kNov13);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(Reason(refused.status()), "SUBGROUP_SPECIAL_FUNCTION");
  }
  // No members yet: a scheduled meeting is refused, a draft is not.
  EXPECT_EQ(Reason(meeting("m1", v1::MEETING_KIND_ORDINARY, kNov13).status()),
            "SUBGROUP_TOO_SMALL");
  ASSERT_TRUE(meeting("m1", v1::MEETING_KIND_ORDINARY, kNov13, v1::MEETING_STATUS_DRAFT).ok());
  v1::TransitionMeetingRequest schedule;
  schedule.set_name("tenants/wm/bodies/budget/meetings/m1");
  schedule.set_status(v1::MEETING_STATUS_SCHEDULED);
  EXPECT_EQ(Reason(logic_->TransitionMeeting(Officer(), schedule).status()), "SUBGROUP_TOO_SMALL");
  for (const char* p : {"hussain", "feeney", "jaspal", "murphy"}) {
    AddMember(p, v1::MEMBER_TYPE_COUNCILLOR, "Birmingham City Council", "", {"pcp", "budget"});
  }
  EXPECT_TRUE(logic_->TransitionMeeting(Officer(), schedule).ok());
  // R-SG-02: not after the end of its remit (2024-03-31).
  EXPECT_EQ(Reason(meeting("late", v1::MEETING_KIND_ORDINARY, 1712066400).status()),
            "SUBGROUP_REMIT_ENDED");
  // The kind cannot be changed to a Special Function either.
  v1::UpdateMeetingRequest update;
  update.mutable_meeting()->set_name("tenants/wm/bodies/budget/meetings/m1");
  update.mutable_meeting()->set_kind(v1::MEETING_KIND_CONFIRMATION_HEARING);
  update.mutable_update_mask()->add_paths("kind");
  EXPECT_EQ(Reason(logic_->UpdateMeeting(Officer(), update).status()), "SUBGROUP_SPECIAL_FUNCTION");
}

TEST_F(BodyRulesTest, UpdateBodyWithMaskAndEtag) {
  auto created = Create("pcp", v1::BODY_KIND_PANEL);
  ASSERT_TRUE(created.ok());
  v1::CreateMeetingRequest meeting;
  meeting.set_parent("tenants/wm/bodies/pcp");
  meeting.set_meeting_id("2023-11-13");
  meeting.mutable_meeting()->set_title("Police and Crime Panel");
  *meeting.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(kNov13);
  auto m = logic_->CreateMeeting(Officer(), meeting);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->question_deadline_date(), "2023-11-09");     // R-PQ-01.
  EXPECT_EQ(m->publication_deadline_date(), "2023-11-03");  // R-MTG-09.

  v1::UpdateBodyRequest update;
  update.mutable_body()->set_name("tenants/wm/bodies/pcp");
  update.mutable_body()->set_etag(created->etag());
  update.mutable_body()->set_website("www.westmidlandspcp.org.uk");
  update.mutable_body()->set_display_name("ignored: not in the mask");
  update.mutable_body()->mutable_rules()->set_quorum(6);
  auto* rule = update.mutable_body()->mutable_rules()->mutable_public_question_deadline();
  rule->set_days(7);
  rule->set_unit(v1::DAY_UNIT_WORKING);
  update.mutable_update_mask()->add_paths("website");
  update.mutable_update_mask()->add_paths("rules.quorum");
  update.mutable_update_mask()->add_paths("rules.public_question_deadline");
  clock_.Advance(absl::Minutes(5));
  auto updated = logic_->UpdateBody(Officer(), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->website(), "www.westmidlandspcp.org.uk");
  EXPECT_EQ(updated->display_name(), "Body pcp");
  EXPECT_EQ(updated->rules().quorum(), 6);
  EXPECT_EQ(updated->rules().public_question_deadline().cutoff_time(), "23:59");
  EXPECT_EQ(updated->rules().agenda_publication().days(), 5);  // Untouched.
  EXPECT_EQ(updated->etag(), "2");
  EXPECT_GT(updated->update_time().seconds(), created->update_time().seconds());

  // The meeting's question deadline follows the new rule (seven working days).
  v1::GetMeetingRequest get;
  get.set_name("tenants/wm/bodies/pcp/meetings/2023-11-13");
  auto read = logic_->GetMeeting(Officer(), get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->question_deadline_date(), "2023-11-02");

  // The old etag is stale now.
  auto stale = logic_->UpdateBody(Officer(), update);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(stale.status()), "ETAG_MISMATCH");

  struct Case {
    std::string path;
  };
  for (const char* path : {"kind", "parent_body", "name", "etag", "warnings", "bogus"}) {
    v1::UpdateBodyRequest bad;
    bad.mutable_body()->set_name("tenants/wm/bodies/pcp");
    bad.mutable_update_mask()->add_paths(path);
    EXPECT_EQ(Field(logic_->UpdateBody(Officer(), bad).status()), "update_mask") << path;
  }
  v1::UpdateBodyRequest no_mask;
  no_mask.mutable_body()->set_name("tenants/wm/bodies/pcp");
  EXPECT_EQ(Field(logic_->UpdateBody(Officer(), no_mask).status()), "update_mask");
  v1::UpdateBodyRequest bad_rule;
  bad_rule.mutable_body()->set_name("tenants/wm/bodies/pcp");
  bad_rule.mutable_body()->mutable_rules()->set_quorum(-2);
  bad_rule.mutable_update_mask()->add_paths("rules.quorum");
  EXPECT_EQ(Field(logic_->UpdateBody(Officer(), bad_rule).status()), "body.rules.quorum");

  // Access: wrong role, wrong tenant, anonymous; tenant admins may write.
  v1::UpdateBodyRequest fresh;
  fresh.mutable_body()->set_name("tenants/wm/bodies/pcp");
  fresh.mutable_body()->set_contact("Sarah Fradgley, wmpcp@birmingham.gov.uk");
  fresh.mutable_update_mask()->add_paths("contact");
  EXPECT_EQ(Reason(logic_->UpdateBody(Member(), fresh).status()), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Reason(logic_->UpdateBody(Officer("other"), fresh).status()), "TENANT_MISMATCH");
  EXPECT_EQ(logic_->UpdateBody(auth::Principal::Anonymous(), fresh).status().code(),
            absl::StatusCode::kUnauthenticated);
  auth::Principal admin{.tenant = "wm", .subject = "user:a", .roles = {auth::Role::kTenantAdmin}};
  fresh.set_request_id("req-1");
  auto by_admin = logic_->UpdateBody(admin, fresh);
  ASSERT_TRUE(by_admin.ok()) << by_admin.status();
  auto retry = logic_->UpdateBody(admin, fresh);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->etag(), by_admin->etag());
  fresh.mutable_body()->set_name("tenants/wm/bodies/nope");
  fresh.clear_request_id();
  EXPECT_EQ(logic_->UpdateBody(Officer(), fresh).status().code(), absl::StatusCode::kNotFound);

  std::vector<std::string> types;
  for (const auto& e : Outbox()) {
    types.push_back(e.type());
    if (e.type() == "body.updated") {
      EXPECT_TRUE(e.public_());
      v1::BodyUpdated payload;
      ASSERT_TRUE(e.payload().UnpackTo(&payload));
      EXPECT_EQ(payload.body().name(), "tenants/wm/bodies/pcp");
      EXPECT_FALSE(payload.changed_fields().empty());
    }
  }
  EXPECT_THAT(types, ElementsAre("meeting.scheduled", "body.updated", "body.updated"));
}

// R-SG-05 (meeting window, report meetings of the parent), R-SG-06 (cost centre), R-SG-07 (role
// clauses): sub-group fields, validated.
TEST_F(BodyRulesTest, SubGroupTimeframeCostCentreAndRole) {
  ASSERT_TRUE(Create("pcp", v1::BODY_KIND_PANEL).ok());
  ASSERT_TRUE(Create("spcb", v1::BODY_KIND_BOARD).ok());
  for (const auto& [body, id, start] :
       {std::tuple<std::string, std::string, int64_t>{"pcp", "2024-01-15", 1705327200},
        {"pcp", "2024-02-05", 1707141600},
        {"spcb", "2024-01-16", 1705399200}}) {
    v1::CreateMeetingRequest meeting;
    meeting.set_parent(absl::StrCat("tenants/wm/bodies/", body));
    meeting.set_meeting_id(id);
    meeting.mutable_meeting()->set_title("Meeting");
    *meeting.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(start);
    ASSERT_TRUE(logic_->CreateMeeting(Officer(), meeting).ok());
  }
  struct Case {
    std::string label;
    std::function<void(v1::Body&)> mutate;
    std::string field;  // Empty: accepted.
    absl::StatusCode code = absl::StatusCode::kInvalidArgument;
  };
  const std::vector<Case> cases = {
      {"the Budget Sub-Group",
       [](v1::Body& b) {
         b.set_meeting_window_start("2023-11-01");
         b.set_meeting_window_end("2024-02-29");
         b.add_report_meetings("tenants/wm/bodies/pcp/meetings/2024-01-15");
         b.add_report_meetings("tenants/wm/bodies/pcp/meetings/2024-02-05");
         b.set_cost_centre("Home Office Police and Crime Panel grant");
         b.add_role_clauses("3.1 To develop a good understanding of the budget");
         b.add_role_clauses("3.5 To present its findings to the Police and Crime Panel");
       },
       ""},
      {"no window", [](v1::Body&) {}, ""},
      {"start only", [](v1::Body& b) { b.set_meeting_window_start("2023-11-01"); },
       "body.meeting_window_end"},
      {"end only", [](v1::Body& b) { b.set_meeting_window_end("2024-02-29"); },
       "body.meeting_window_start"},
      {"end before start",
       [](v1::Body& b) {
         b.set_meeting_window_start("2024-02-01");
         b.set_meeting_window_end("2024-01-31");
       },
       "body.meeting_window_end"},
      {"end on start",
       [](v1::Body& b) {
         b.set_meeting_window_start("2024-02-01");
         b.set_meeting_window_end("2024-02-01");
       },
       "body.meeting_window_end"},
      {"end after the remit",
       [](v1::Body& b) {
         b.set_meeting_window_start("2024-02-01");
         b.set_meeting_window_end("2024-04-30");
       },
       "body.meeting_window_end"},
      {"bad start",
       [](v1::Body& b) {
         b.set_meeting_window_start("1 Nov 2023");
         b.set_meeting_window_end("2024-02-29");
       },
       "body.meeting_window_start"},
      {"another body's meeting",
       [](v1::Body& b) { b.add_report_meetings("tenants/wm/bodies/spcb/meetings/2024-01-16"); },
       "body.report_meetings"},
      {"not a meeting name", [](v1::Body& b) { b.add_report_meetings("2024-01-15"); },
       "body.report_meetings"},
      {"a meeting that does not exist",
       [](v1::Body& b) { b.add_report_meetings("tenants/wm/bodies/pcp/meetings/2024-03-18"); }, "",
       absl::StatusCode::kNotFound},
      {"cost centre too long", [](v1::Body& b) { b.set_cost_centre(std::string(201, 'c')); },
       "body.cost_centre"},
      {"empty clause", [](v1::Body& b) { b.add_role_clauses(""); }, "body.role_clauses"},
      {"too many clauses",
       [](v1::Body& b) {
         for (int i = 0; i < 31; ++i) {
           b.add_role_clauses("clause");
         }
       },
       "body.role_clauses"},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    auto result = Create(absl::StrCat("sg", n++), v1::BODY_KIND_SUB_GROUP, [&](v1::Body& b) {
      SubGroupFields(b);
      c.mutate(b);
    });
    if (c.field.empty() && c.code == absl::StatusCode::kInvalidArgument) {
      ASSERT_TRUE(result.ok()) << result.status();
      continue;
    }
    EXPECT_EQ(result.status().code(), c.code) << result.status();
    if (!c.field.empty()) {
      EXPECT_EQ(Field(result.status()), c.field) << result.status();
    }
  }
  auto budget = Create("budget", v1::BODY_KIND_SUB_GROUP, [&](v1::Body& b) {
    SubGroupFields(b);
    cases[0].mutate(b);
  });
  ASSERT_TRUE(budget.ok()) << budget.status();
  EXPECT_EQ(budget->cost_centre(), "Home Office Police and Crime Panel grant");
  EXPECT_EQ(budget->report_meetings_size(), 2);
  EXPECT_EQ(budget->role_clauses_size(), 2);

  // Only a sub-group has them.
  for (const auto& mutate : std::vector<std::function<void(v1::Body&)>>{
           [](v1::Body& b) { b.set_cost_centre("grant"); },
           [](v1::Body& b) { b.add_role_clauses("3.1"); },
           [](v1::Body& b) { b.add_report_meetings("tenants/wm/bodies/pcp/meetings/2024-01-15"); },
           [](v1::Body& b) { b.set_meeting_window_start("2023-11-01"); }}) {
    EXPECT_EQ(Create("board", v1::BODY_KIND_BOARD, mutate).status().code(),
              absl::StatusCode::kInvalidArgument);
  }

  // UpdateBody changes them with the mask, validated the same way.
  v1::UpdateBodyRequest update;
  update.mutable_body()->set_name(budget->name());
  update.mutable_body()->add_report_meetings("tenants/wm/bodies/spcb/meetings/2024-01-16");
  update.mutable_update_mask()->add_paths("report_meetings");
  EXPECT_EQ(Field(logic_->UpdateBody(Officer(), update).status()), "body.report_meetings");
  update.mutable_body()->clear_report_meetings();
  update.mutable_body()->set_cost_centre("Panel grant 2023/24");
  update.mutable_update_mask()->add_paths("cost_centre");
  auto updated = logic_->UpdateBody(Officer(), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->report_meetings_size(), 0);
  EXPECT_EQ(updated->cost_centre(), "Panel grant 2023/24");
}

}  // namespace
}  // namespace moot::scheduling
