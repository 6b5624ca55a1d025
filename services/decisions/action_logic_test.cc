#include "services/decisions/action_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "services/decisions/fake_scheduling_directory.h"
#include "services/decisions/minutes_logic.h"

namespace moot::decisions {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kBody[] = "tenants/wm/bodies/pcp";
constexpr char kSep[] = "tenants/wm/bodies/pcp/meetings/2023-09-11";
constexpr char kNov[] = "tenants/wm/bodies/pcp/meetings/2023-11-13";

auth::Principal Officer(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}
auth::Principal Member(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:member", .roles = {auth::Role::kMember}};
}
auth::Principal Pcc(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:pcc", .roles = {auth::Role::kPccOffice}};
}

std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}

v1::ResolutionClause Clause(const std::string& numeral, v1::ResolutionKind kind,
                            const std::string& text) {
  v1::ResolutionClause c;
  c.set_clause(numeral);
  c.set_kind(kind);
  c.set_text(text);
  return c;
}

class ActionLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    directory_.AddMeeting(kSep, "2023-09-11");
    directory_.AddMeeting(kNov, "2023-11-13");
    minutes_ = std::make_unique<MinutesLogic>(*db_, outbox_, clock_, ids_, tokens_, directory_);
    actions_ = std::make_unique<ActionLogic>(*db_, outbox_, clock_, ids_, tokens_, directory_);
    ASSERT_TRUE(minutes_->Migrate().ok());
    ASSERT_TRUE(actions_->Migrate().ok());
  }

  // The 11 September 2023 minutes 751, 753 and 754 with their resolutions (domain.md §7.2).
  void RecordSeptemberMinutes() {
    v1::CreateMinutesRequest create;
    create.set_parent(kSep);
    ASSERT_TRUE(minutes_->CreateMinutes(Officer(), create).ok());
    auto add = [&](int64_t number, const std::string& title) {
      v1::AddMinuteEntryRequest request;
      request.set_parent(absl::StrCat(kSep, "/minutes"));
      request.mutable_entry()->set_title(title);
      request.set_override_number(number);
      request.set_override_reason("continuing the paper register");
      auto e = minutes_->AddMinuteEntry(Officer(), request);
      EXPECT_TRUE(e.ok()) << e.status();
      return e->name();
    };
    auto resolve = [&](const std::string& entry, std::vector<v1::ResolutionClause> clauses) {
      v1::RecordResolutionRequest request;
      request.set_entry(entry);
      for (auto& c : clauses) {
        *request.add_clauses() = c;
      }
      auto r = minutes_->RecordResolution(Officer(), request);
      EXPECT_TRUE(r.ok()) << r.status();
    };
    resolve(add(751, "PUBLIC QUESTION TIME"),
            {Clause("i", v1::RESOLUTION_KIND_NOTE, "That the public question be received."),
             Clause("ii", v1::RESOLUTION_KIND_REQUEST,
                    "That the Police and Crime Commissioner be requested to include in his "
                    "Annual Report the progress towards 464 PCSOs."),
             Clause("iii", v1::RESOLUTION_KIND_REQUEST,
                    "That the Police and Crime Commissioner be requested to expand his Fairness "
                    "and Belonging Plan report.")});
    resolve(add(753, "DELIVERY OF THE POLICE AND CRIME PLAN: ROAD SAFETY"),
            {Clause("i", v1::RESOLUTION_KIND_NOTE, "That the report be noted."),
             Clause("ii", v1::RESOLUTION_KIND_SUPPORT, "That the Panel support the campaign."),
             Clause("iii", v1::RESOLUTION_KIND_WRITE_LETTER,
                    "That the Chair write to the Secretaries of State for Transport and the "
                    "Treasury.")});
    resolve(add(754, "POLICE AND CRIME COMMISSIONER UPDATE AND KEY DECISIONS"),
            {Clause("", v1::RESOLUTION_KIND_NOTE,
                    "That the list of key decisions presented to the Panel be noted.")});
  }

  absl::StatusOr<v1::Action> Create(const std::string& ref, const std::string& text,
                                    const std::string& month = "2023-09",
                                    const std::string& note = "") {
    v1::CreateActionRequest request;
    request.set_parent(kBody);
    request.mutable_action()->set_ref(ref);
    request.mutable_action()->set_text(text);
    request.mutable_action()->set_meeting_month(month);
    request.set_note(note);
    return actions_->CreateAction(Officer(), request);
  }

  absl::StatusOr<v1::Action> Complete(const std::string& name, const std::string& note,
                                      const std::string& date = "") {
    v1::CompleteActionRequest request;
    request.set_name(name);
    request.set_note(note);
    request.set_completion_date(date);
    return actions_->CompleteAction(Officer(), request);
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
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};  // 3 November 2023.
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  FakeSchedulingDirectory directory_;
  std::unique_ptr<MinutesLogic> minutes_;
  std::unique_ptr<ActionLogic> actions_;
};

// R-ACT-04: 751 ii and 751 iii appear as tracker rows "751 ii" and "751 iii".
TEST_F(ActionLogicTest, RequestResolutionsCreateActionsKeyedByMinuteAndClause) {
  RecordSeptemberMinutes();
  v1::ListActionsRequest list;
  list.set_parent(kBody);
  auto listed = actions_->ListActions(Officer(), list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  std::vector<std::string> refs;
  for (const auto& a : listed->actions()) {
    refs.push_back(a.ref());
    EXPECT_EQ(a.status(), v1::ACTION_STATUS_OUTSTANDING);
    EXPECT_EQ(a.meeting(), kSep);
    EXPECT_EQ(a.meeting_month(), "2023-09");
    EXPECT_TRUE(a.flags().empty());
  }
  EXPECT_THAT(refs, ElementsAre("751 ii", "751 iii", "753 iii"));
  EXPECT_EQ(listed->actions(0).name(), "tenants/wm/bodies/pcp/actions/751-ii");
  EXPECT_EQ(listed->actions(0).owner(), "The Police and Crime Commissioner");
  EXPECT_EQ(listed->actions(2).owner(), "The Panel Chair");
  EXPECT_EQ(listed->actions(0).minute_entry(), absl::StrCat(kSep, "/minutes/entries/751"));
  const auto types = OutboxTypes();
  EXPECT_EQ(std::count(types.begin(), types.end(), "action.created"), 3);
  // The same reference cannot be recorded twice.
  EXPECT_EQ(Create("751ii", "Again").status().code(), absl::StatusCode::kAlreadyExists);
}

// R-ACT-04 and domain.md §8 A1/A3: references that do not resolve are flagged, never refused.
TEST_F(ActionLogicTest, ReferencesResolveOrAreFlagged) {
  RecordSeptemberMinutes();
  struct Case {
    std::string ref;
    std::vector<std::string> flags;
    std::string minute_entry;
  };
  const std::vector<Case> cases = {
      // Minute 754 has one un-numbered resolution: the tracker's "754iii" is the source error.
      {"754iii", {"ACTION_REF_UNRESOLVED"}, absl::StrCat(kSep, "/minutes/entries/754")},
      {"754", {}, absl::StrCat(kSep, "/minutes/entries/754")},
      {"753 ii", {}, absl::StrCat(kSep, "/minutes/entries/753")},
      {"751 iv", {"ACTION_REF_UNRESOLVED"}, absl::StrCat(kSep, "/minutes/entries/751")},
      // Minutes before the register: nothing to check against.
      {"620", {}, ""},
      {"687 iii a", {}, ""},
      {"", {"ACTION_REF_MISSING"}, ""},
  };
  for (const auto& c : cases) {
    auto action = Create(c.ref, "The Police and Crime Panel Chair write to the Secretaries.");
    ASSERT_TRUE(action.ok()) << c.ref << ": " << action.status();
    EXPECT_EQ(std::vector<std::string>(action->flags().begin(), action->flags().end()), c.flags)
        << c.ref;
    EXPECT_EQ(action->minute_entry(), c.minute_entry) << c.ref;
  }
  v1::CreateActionRequest unreferenced;
  unreferenced.set_parent(kBody);
  unreferenced.set_action_id("jan-2023-grant-report");
  unreferenced.mutable_action()->set_text("OPCC to circulate Home Office report.");
  auto named = actions_->CreateAction(Officer(), unreferenced);
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(named->name(), "tenants/wm/bodies/pcp/actions/jan-2023-grant-report");
  EXPECT_THAT(named->flags(), ElementsAre("ACTION_REF_MISSING"));
  v1::GetActionRequest get;
  get.set_name("tenants/wm/bodies/pcp/actions/687-iii-a");
  EXPECT_EQ(actions_->GetAction(Officer(), get)->canonical_ref(), "687 iii a");
}

TEST_F(ActionLogicTest, BadInputNamesTheField) {
  struct Case {
    std::function<void(v1::CreateActionRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.mutable_action()->clear_text(); }, "action.text"},
      {[](auto& r) { r.mutable_action()->set_ref("abc"); }, "action.ref"},
      {[](auto& r) { r.mutable_action()->set_ref("751 iiii"); }, "action.ref"},
      {[](auto& r) { r.mutable_action()->set_meeting_month("Sept 2023"); }, "action.meeting_month"},
      {[](auto& r) { r.mutable_action()->set_recurrence("six-monthly"); }, "action.recurrence"},
      {[](auto& r) { r.mutable_action()->set_recurrence("P0M"); }, "action.recurrence"},
      {[](auto& r) { r.mutable_action()->set_target_meeting("nonsense"); },
       "action.target_meeting"},
      {[](auto& r) {
         r.mutable_action()->set_target_meeting("tenants/ny/bodies/pcp/meetings/2023-11-13");
       },
       "action.target_meeting"},
      {[](auto& r) { r.mutable_action()->add_related_refs("see above"); }, "action.related_refs"},
      {[](auto& r) { r.set_parent("tenants/wm"); }, "parent"},
      {[](auto& r) { r.set_note(std::string(2001, 'x')); }, "note"},
      {[](auto& r) { r.set_action_id("jan-2023"); }, "action_id"},
      {[](auto& r) { r.mutable_action()->set_type(static_cast<v1::ActionType>(9)); },
       "action.type"},
      {[](auto& r) {
         r.mutable_action()->clear_ref();
         r.set_action_id("Bad Id");
       },
       "action_id"},
  };
  for (const auto& c : cases) {
    v1::CreateActionRequest request;
    request.set_parent(kBody);
    request.mutable_action()->set_ref("620");
    request.mutable_action()->set_text("The OPCC to feedback on communications.");
    c.mutate(request);
    auto result = actions_->CreateAction(Officer(), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
}

// R-ACT-08, R-ACT-10, R-ACT-11: each action type carries its own people, and only its own.
TEST_F(ActionLogicTest, ActionTypesCarryTheirPeople) {
  struct Case {
    v1::ActionType type;
    std::function<void(v1::Action&)> fill;
    std::string field;  // "" = accepted.
  };
  const auto written = v1::ACTION_TYPE_WRITTEN_RESPONSE;
  const auto undertaking = v1::ACTION_TYPE_UNDERTAKING;
  const auto membership = v1::ACTION_TYPE_MEMBERSHIP;
  const std::vector<Case> cases = {
      // R-ACT-10: who asked and who answers.
      {written,
       [](auto& a) {
         a.set_requested_by("The Commissioner");
         a.set_respondent("The Chief Constable");
       },
       ""},
      {written, [](auto& a) { a.set_respondent("The Chief Constable"); }, "action.requested_by"},
      {written, [](auto& a) { a.set_requested_by("The Commissioner"); }, "action.respondent"},
      {written,
       [](auto& a) {
         a.set_requested_by("The Commissioner");
         a.set_respondent("The Chief Constable");
         a.set_given_by("The Chief Constable");
       },
       "action.given_by"},
      // R-ACT-11: given by a named person to a named person.
      {undertaking,
       [](auto& a) {
         a.set_given_by("The Chief Constable");
         a.set_given_to("Assistant Police & Crime Commissioner Tom McNeil");
       },
       ""},
      {undertaking, [](auto& a) { a.set_given_by("The Chief Constable"); }, "action.given_to"},
      {undertaking, [](auto& a) { a.set_given_to(std::string(201, 'x')); }, "action.given_by"},
      // R-ACT-08: the minimum is stored.
      {membership, [](auto& a) { a.set_minimum_members(3); }, ""},
      {membership, [](auto&) {}, "action.minimum_members"},
      {membership, [](auto& a) { a.set_minimum_members(101); }, "action.minimum_members"},
      {membership,
       [](auto& a) {
         a.set_minimum_members(3);
         a.add_members("Hussain");
       },
       "action.members"},
      // REQUEST (the default) carries none of them.
      {v1::ACTION_TYPE_UNSPECIFIED, [](auto&) {}, ""},
      {v1::ACTION_TYPE_REQUEST, [](auto& a) { a.set_minimum_members(3); },
       "action.minimum_members"},
      {v1::ACTION_TYPE_REQUEST, [](auto& a) { a.set_requested_by("The Commissioner"); },
       "action.requested_by"},
  };
  int n = 0;
  for (const auto& c : cases) {
    v1::CreateActionRequest request;
    request.set_parent(kBody);
    request.set_action_id(absl::StrCat("typed-", ++n));
    request.mutable_action()->set_text("This information was not available.");
    request.mutable_action()->set_type(c.type);
    c.fill(*request.mutable_action());
    auto result = actions_->CreateAction(Officer(), request);
    if (c.field.empty()) {
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_EQ(result->type(),
                c.type == v1::ACTION_TYPE_UNSPECIFIED ? v1::ACTION_TYPE_REQUEST : c.type);
      EXPECT_EQ(result->requested_by(), request.action().requested_by());
      EXPECT_EQ(result->given_to(), request.action().given_to());
      EXPECT_EQ(result->minimum_members(), request.action().minimum_members());
    } else {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
      EXPECT_EQ(Field(result.status()), c.field);
    }
  }
  // The tracker shows who answers whom and who undertook what to whom.
  v1::TrackerReportRequest report;
  report.set_meeting(kNov);
  auto tracker = actions_->TrackerReport(Officer(), report);
  ASSERT_TRUE(tracker.ok()) << tracker.status();
  EXPECT_THAT(tracker->html(),
              HasSubstr("Written response from The Chief Constable to The Commissioner."));
  EXPECT_THAT(tracker->html(),
              HasSubstr("Undertaking by The Chief Constable to Assistant Police &amp; Crime "
                        "Commissioner Tom McNeil."));
  EXPECT_THAT(tracker->html(), HasSubstr("Minimum of 3 members."));
}

// R-ACT-08: "Volunteers sought to join the Panel Budget Sub-Group (minimum of 3 Panel Members)"
// -> "Sub-group membership finalised (Hussain, Feeney, Jaspal, Murphy)".
TEST_F(ActionLogicTest, MembershipCompletesWithAtLeastTheMinimum) {
  v1::CreateActionRequest create;
  create.set_parent(kBody);
  create.mutable_action()->set_ref("674");
  create.mutable_action()->set_text(
      "Volunteers sought to join the Panel Budget Sub-Group (minimum of 3 Panel Members)");
  create.mutable_action()->set_type(v1::ACTION_TYPE_MEMBERSHIP);
  create.mutable_action()->set_minimum_members(3);
  auto action = actions_->CreateAction(Officer(), create);
  ASSERT_TRUE(action.ok()) << action.status();
  struct Case {
    std::vector<std::string> members;
    std::string reason;  // FAILED_PRECONDITION reason, or "field:<name>", or "" = completed.
  };
  const std::vector<Case> cases = {
      {{}, "MEMBERSHIP_BELOW_MINIMUM"},
      {{"Hussain", "Feeney"}, "MEMBERSHIP_BELOW_MINIMUM"},
      {{"Hussain", "Hussain", "Feeney"}, "field:members[1]"},
      {{"Hussain", "", "Feeney"}, "field:members[1]"},
      {{"Hussain", "Feeney", "Jaspal", "Murphy"}, ""},
  };
  for (const auto& c : cases) {
    v1::CompleteActionRequest request;
    request.set_name(action->name());
    request.set_note("Sub-group membership finalised");
    for (const auto& m : c.members) {
      request.add_members(m);
    }
    auto result = actions_->CompleteAction(Officer(), request);
    if (c.reason.empty()) {
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_THAT(result->members(), ElementsAre("Hussain", "Feeney", "Jaspal", "Murphy"));
      EXPECT_EQ(result->status(), v1::ACTION_STATUS_COMPLETED);
    } else if (c.reason.rfind("field:", 0) == 0) {
      EXPECT_EQ(Field(result.status()), c.reason.substr(6));
    } else {
      EXPECT_EQ(Reason(result.status()), c.reason);
    }
  }
  // Names belong to membership actions only.
  auto other = Create("620", "The OPCC to feedback.");
  ASSERT_TRUE(other.ok());
  v1::CompleteActionRequest request;
  request.set_name(other->name());
  request.set_note("Done");
  request.add_members("Hussain");
  EXPECT_EQ(Field(actions_->CompleteAction(Officer(), request).status()), "members");
}

// R-ACT-03, R-ACT-09: the tracker carries forward the outstanding actions of every earlier
// meeting (not those raised at this meeting or later, not those completed by its date) and
// reports the computed count.
TEST_F(ActionLogicTest, TrackerCarriesForwardAndCountsOutstandingActions) {
  ASSERT_TRUE(Create("620", "From November 2021.", "2021-11").ok());
  ASSERT_TRUE(Create("674", "From October 2022.", "2022-10").ok());
  ASSERT_TRUE(Create("729", "From March 2023.", "2023-03").ok());
  auto at_sep = Create("751", "Raised on 11 September 2023.", "2023-09");
  ASSERT_TRUE(at_sep.ok());
  // Raised at the November meeting itself.
  v1::CreateActionRequest at_nov;
  at_nov.set_parent(kBody);
  at_nov.mutable_action()->set_ref("760");
  at_nov.mutable_action()->set_text("Raised on 13 November 2023.");
  at_nov.mutable_action()->set_meeting(kNov);
  at_nov.mutable_action()->set_meeting_month("2023-11");
  ASSERT_TRUE(actions_->CreateAction(Officer(), at_nov).ok());
  // Completed between the two meetings: outstanding in September, completed in November.
  auto done = Create("700", "From June 2023.", "2023-06");
  ASSERT_TRUE(Complete(done->name(), "Provided", "2023-10-02").ok());

  struct Case {
    std::string meeting;
    std::vector<std::string> outstanding;
    std::string summary;
  };
  const std::vector<Case> cases = {
      {kSep, {"620", "674", "700", "729"}, "There are currently 4 outstanding actions."},
      {kNov, {"620", "674", "729", "751"}, "There are currently 4 outstanding actions."},
  };
  for (const auto& c : cases) {
    v1::TrackerReportRequest request;
    request.set_meeting(c.meeting);
    auto report = actions_->TrackerReport(Officer(), request);
    ASSERT_TRUE(report.ok()) << report.status();
    std::vector<std::string> refs;
    for (const auto& a : report->outstanding()) {
      refs.push_back(a.ref());
    }
    EXPECT_EQ(refs, c.outstanding) << c.meeting;
    EXPECT_EQ(report->outstanding_count(), static_cast<int>(c.outstanding.size()));
    EXPECT_EQ(report->outstanding_summary(), c.summary);
    EXPECT_THAT(report->html(), HasSubstr(c.summary));
    EXPECT_THAT(report->html(), HasSubstr("<strong>From November 2021.</strong>"));
  }
  // One and none.
  for (const char* ref : {"620", "674", "729"}) {
    ASSERT_TRUE(Complete(absl::StrCat(kBody, "/actions/", ref), "Done", "2023-11-01").ok());
  }
  v1::TrackerReportRequest request;
  request.set_meeting(kNov);
  EXPECT_EQ(actions_->TrackerReport(Officer(), request)->outstanding_summary(),
            "There is currently 1 outstanding action.");
  ASSERT_TRUE(Complete(at_sep->name(), "Done", "2023-11-01").ok());
  EXPECT_EQ(actions_->TrackerReport(Officer(), request)->outstanding_summary(),
            "There are currently no outstanding actions.");
}

// R-ACT-02: an action stays OUTSTANDING until an officer completes it with a note.
TEST_F(ActionLogicTest, ActionsNeverExpireAndCompleteOnlyWithANote) {
  auto action = Create("620", "The OPCC to feedback on communications and publicity plans.",
                       "2021-11", "Programmed for November 2023");
  ASSERT_TRUE(action.ok());
  clock_.Advance(absl::Hours(24 * 800));
  v1::GetActionRequest get;
  get.set_name(action->name());
  EXPECT_EQ(actions_->GetAction(Member(), get)->status(), v1::ACTION_STATUS_OUTSTANDING);
  EXPECT_EQ(Field(Complete(action->name(), "").status()), "note");
  EXPECT_EQ(Field(Complete(action->name(), "Done", "2099-01-01").status()), "completion_date");
  EXPECT_EQ(Field(Complete(action->name(), "Done", "13/11/2023").status()), "completion_date");
  auto done = Complete(action->name(), "Report presented to the Panel", "2023-11-13");
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->status(), v1::ACTION_STATUS_COMPLETED);
  EXPECT_EQ(done->completion_date(), "2023-11-13");
  ASSERT_EQ(done->updates_size(), 2);
  EXPECT_EQ(done->updates(0).note(), "Programmed for November 2023");
  EXPECT_EQ(done->updates(1).note(), "Report presented to the Panel");
  EXPECT_EQ(Reason(Complete(action->name(), "Again").status()), "ACTION_ALREADY_COMPLETED");
  // A retried completion with its request_id returns the first result.
  auto other = Create("621", "Another");
  v1::CompleteActionRequest retry;
  retry.set_name(other->name());
  retry.set_note("Done");
  retry.set_request_id("complete-621");
  auto first = actions_->CompleteAction(Officer(), retry);
  ASSERT_TRUE(first.ok());
  auto again = actions_->CompleteAction(Officer(), retry);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->SerializeAsString(), first->SerializeAsString());
  const auto types = OutboxTypes();
  EXPECT_THAT(types, ElementsAre("action.created", "action.completed", "action.created",
                                 "action.completed"));
}

// R-ACT-05/06/07: programmed for a meeting, related actions, recurrence, an update log.
TEST_F(ActionLogicTest, UpdatesReprogrammeAndCrossReference) {
  auto action = Create("751 iii", "Expand the Fairness and Belonging Plan report.");
  ASSERT_TRUE(action.ok());
  v1::UpdateActionRequest update;
  update.set_name(action->name());
  update.set_note(
      "See Outstanding minute 693 ii Fairness and Belonging Plan programmed for "
      "November 2023");
  update.set_target_meeting(kNov);
  update.set_recurrence("P6M");
  update.add_add_related_refs("693ii");
  update.set_etag(action->etag());
  auto updated = actions_->UpdateAction(Officer(), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->target_meeting(), kNov);
  EXPECT_EQ(updated->recurrence(), "P6M");
  EXPECT_THAT(updated->related_refs(), ElementsAre("693 ii"));
  EXPECT_EQ(updated->status(), v1::ACTION_STATUS_OUTSTANDING);
  EXPECT_EQ(updated->updates_size(), 1);
  // The etag the update consumed is stale now.
  EXPECT_EQ(actions_->UpdateAction(Officer(), update).status().code(), absl::StatusCode::kAborted);
  update.clear_note();
  update.clear_etag();
  EXPECT_EQ(Field(actions_->UpdateAction(Officer(), update).status()), "note");
  update.set_note("x");
  update.set_recurrence("monthly");
  EXPECT_EQ(Field(actions_->UpdateAction(Officer(), update).status()), "recurrence");
}

// R-ACT-01: the November 2023 tracker: outstanding actions however old, and those completed
// since the previous meeting (11 September 2023).
TEST_F(ActionLogicTest, TrackerReportForTheNextAgenda) {
  RecordSeptemberMinutes();
  ASSERT_TRUE(Create("620", "The OPCC to feedback on communications & publicity plans.", "2021-11",
                     "Programmed for November 2023")
                  .ok());
  auto headcount = Create("687 iii a", "Provide a breakdown of the total headcount.", "2022-11");
  auto subgroup = Create("674", "Volunteers sought to join the Panel Budget Sub-Group.", "2022-10");
  auto letter = Create("754iii", "The Chair write to the Secretaries of State.", "2023-09");
  ASSERT_TRUE(
      Complete(headcount->name(), "Information provided to Panel Members", "2023-10-02").ok());
  ASSERT_TRUE(Complete(subgroup->name(), "Sub-group membership finalised", "2023-03-01").ok());
  ASSERT_TRUE(Complete(letter->name(), "Sent October 2023", "2023-10-20").ok());

  v1::TrackerReportRequest request;
  request.set_meeting(kNov);
  auto report = actions_->TrackerReport(Member(), request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->meeting_date(), "2023-11-13");
  EXPECT_EQ(report->previous_meeting(), kSep);
  std::vector<std::string> outstanding;
  for (const auto& a : report->outstanding()) {
    outstanding.push_back(a.ref());
  }
  EXPECT_THAT(outstanding, ElementsAre("620", "751 ii", "751 iii", "753 iii"));
  std::vector<std::string> completed;
  for (const auto& a : report->completed()) {
    completed.push_back(a.ref());
  }
  // 674 was completed before the September meeting: it was on that meeting's tracker.
  EXPECT_THAT(completed, ElementsAre("687 iii a", "754iii"));
  const std::string& html = report->html();
  EXPECT_THAT(html, HasSubstr("<h2 id=\"tracker-title\">Action Tracker – November 2023</h2>"));
  EXPECT_THAT(html, HasSubstr("<caption>1. Outstanding Actions</caption>"));
  EXPECT_THAT(html, HasSubstr("<caption>2. Completed Actions</caption>"));
  EXPECT_THAT(html, HasSubstr("<th scope=\"col\">Minute/ Action No.</th>"));
  EXPECT_THAT(html, HasSubstr("<th scope=\"row\">620</th><td>Nov 2021</td>"));
  EXPECT_THAT(html, HasSubstr("communications &amp; publicity"));
  EXPECT_THAT(html, HasSubstr("does not match a resolution"));
  EXPECT_EQ(html.find("Volunteers sought"), std::string::npos);

  // Without an earlier minuted meeting every completion up to the meeting counts.
  request.set_meeting(kSep);
  auto first = actions_->TrackerReport(Officer(), request);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->previous_meeting(), "");
  ASSERT_EQ(first->completed_size(), 1);
  EXPECT_EQ(first->completed(0).ref(), "674");
}

TEST_F(ActionLogicTest, ListIsPagedAndFiltered) {
  for (const char* ref : {"620", "629", "630", "672ii", "676 iii"}) {
    ASSERT_TRUE(Create(ref, "Something to do").ok());
  }
  ASSERT_TRUE(Complete("tenants/wm/bodies/pcp/actions/629", "Done").ok());
  v1::ListActionsRequest list;
  list.set_parent(kBody);
  list.set_page_size(2);
  list.set_status(v1::ACTION_STATUS_OUTSTANDING);
  std::vector<std::string> refs;
  int pages = 0;
  do {
    auto page = actions_->ListActions(Member(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& a : page->actions()) {
      refs.push_back(a.canonical_ref());
    }
    list.set_page_token(page->next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 10);
  EXPECT_THAT(refs, ElementsAre("620", "630", "672 ii", "676 iii"));
  EXPECT_EQ(pages, 2);
  // A token is bound to the filter it was issued for.
  list.clear_page_token();
  list.set_page_token(actions_->ListActions(Member(), list)->next_page_token());
  ASSERT_FALSE(list.page_token().empty());
  list.set_status(v1::ACTION_STATUS_COMPLETED);
  EXPECT_EQ(Field(actions_->ListActions(Member(), list).status()), "page_token");
}

// Issue 4 point 8 for every ActionService method.
TEST_F(ActionLogicTest, EveryMethodChecksTenantAndRole) {
  auto action = Create("620", "Something");
  ASSERT_TRUE(action.ok());
  using Call = std::function<absl::Status(const auth::Principal&)>;
  const std::vector<std::pair<std::string, Call>> writes = {
      {"CreateAction",
       [&](const auto& p) {
         v1::CreateActionRequest r;
         r.set_parent(kBody);
         r.mutable_action()->set_text("x");
         return actions_->CreateAction(p, r).status();
       }},
      {"UpdateAction",
       [&](const auto& p) {
         v1::UpdateActionRequest r;
         r.set_name(action->name());
         r.set_note("n");
         return actions_->UpdateAction(p, r).status();
       }},
      {"CompleteAction",
       [&](const auto& p) {
         v1::CompleteActionRequest r;
         r.set_name(action->name());
         r.set_note("n");
         return actions_->CompleteAction(p, r).status();
       }},
  };
  const std::vector<std::pair<std::string, Call>> reads = {
      {"GetAction",
       [&](const auto& p) {
         v1::GetActionRequest r;
         r.set_name(action->name());
         return actions_->GetAction(p, r).status();
       }},
      {"ListActions",
       [&](const auto& p) {
         v1::ListActionsRequest r;
         r.set_parent(kBody);
         return actions_->ListActions(p, r).status();
       }},
      {"TrackerReport",
       [&](const auto& p) {
         v1::TrackerReportRequest r;
         r.set_meeting(kNov);
         return actions_->TrackerReport(p, r).status();
       }},
  };
  for (const auto& list : {writes, reads}) {
    for (const auto& [method, call] : list) {
      EXPECT_EQ(Reason(call(Officer("ny"))), "TENANT_MISMATCH") << method;
      EXPECT_EQ(Reason(call(Pcc())), "ROLE_NOT_ALLOWED") << method;
      EXPECT_EQ(call(auth::Principal::Anonymous()).code(), absl::StatusCode::kUnauthenticated)
          << method;
    }
  }
  for (const auto& [method, call] : writes) {
    EXPECT_EQ(Reason(call(Member())), "ROLE_NOT_ALLOWED") << method;
  }
  for (const auto& [method, call] : reads) {
    EXPECT_TRUE(call(Member()).ok()) << method;
  }
  EXPECT_THAT(OutboxTypes(), ElementsAre("action.created"));
}

}  // namespace
}  // namespace moot::decisions
