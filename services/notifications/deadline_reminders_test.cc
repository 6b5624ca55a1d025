#include "services/notifications/deadline_reminders.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "google/protobuf/util/time_util.h"
#include "libs/api/page_token.h"
#include "libs/ids/id_generator.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "moot/scheduling/v1/scheduling.pb.h"
#include "services/notifications/notifications_store.h"

namespace moot::notifications {
namespace {

using budget::v1::PreceptState;
using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// February is GMT in Europe/London, so these civil times are also UTC.
absl::Time London(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), time::London());
}

TEST(StatutoryDeadlinesTest, FiveDeadlinesInTheRelevantFinancialYear) {
  struct Case {
    std::string year;
    std::vector<std::string> days;
  };
  // PRSRA 2011 Sch.5; SI 2012/2271 regs 3-5; domain.md §3.7 worked calendar (2024/25 precept:
  // Thu 1 Feb 2024 ... Fri 1 Mar 2024).
  const std::vector<Case> cases = {
      {"2024-25", {"2024-02-01", "2024-02-08", "2024-02-15", "2024-02-22", "2024-03-01"}},
      {"2023-24", {"2023-02-01", "2023-02-08", "2023-02-15", "2023-02-22", "2023-03-01"}},
      {"2012-13", {"2012-02-01", "2012-02-08", "2012-02-15", "2012-02-22", "2012-03-01"}},
      {"2099-00", {"2099-02-01", "2099-02-08", "2099-02-15", "2099-02-22", "2099-03-01"}},
  };
  for (const Case& c : cases) {
    auto deadlines = StatutoryDeadlines(c.year);
    ASSERT_TRUE(deadlines.ok()) << c.year << ": " << deadlines.status();
    std::vector<std::string> days;
    std::vector<int> steps;
    for (const auto& d : *deadlines) {
      days.push_back(absl::FormatCivilTime(d.day));
      steps.push_back(d.step);
    }
    EXPECT_EQ(days, c.days) << c.year;
    EXPECT_THAT(
        steps,
        ElementsAre(budget::v1::TIMETABLE_STEP_PCC_NOTIFY, budget::v1::TIMETABLE_STEP_PANEL_REPORT,
                    budget::v1::TIMETABLE_STEP_REVISED_PRECEPT,
                    budget::v1::TIMETABLE_STEP_SECOND_REPORT, budget::v1::TIMETABLE_STEP_ISSUE));
  }
}

TEST(StatutoryDeadlinesTest, MalformedYearsNameTheField) {
  for (const std::string year :
       {"", "2024", "2024-26", "2024/25", "24-25", "2024-2x", "2011-12", "+202-25", "2024-25x"}) {
    auto deadlines = StatutoryDeadlines(year, "precept.year");
    ASSERT_FALSE(deadlines.ok()) << year;
    EXPECT_EQ(deadlines.status().code(), absl::StatusCode::kInvalidArgument) << year;
    auto details = status::Details(deadlines.status());
    ASSERT_FALSE(details.field_violations.empty()) << year;
    EXPECT_EQ(details.field_violations[0].field, "precept.year");
  }
}

class DeadlineRemindersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<NotificationsLogic>(*db_, clock_, ids_, tokens_);
    ASSERT_TRUE(logic_->Migrate().ok());
    ASSERT_TRUE(events::Outbox::Migrate(*db_).ok());
    reminders_ = std::make_unique<DeadlineReminders>(*logic_, *db_, outbox_, clock_, ids_,
                                                     DeadlineReminderOptions{.days_before = 3});
  }

  void Subscribe(const std::string& tenant, const std::string& person,
                 std::vector<std::string> types) {
    v1::CreateSubscriptionRequest request;
    request.set_parent("tenants/" + tenant);
    request.mutable_subscription()->set_subscriber("tenants/" + tenant + "/people/" + person);
    for (const auto& t : types) {
      request.mutable_subscription()->add_event_types(t);
    }
    auth::Principal officer{
        .tenant = tenant, .subject = "user:clerk", .roles = {auth::Role::kOfficer}};
    auto created = logic_->CreateSubscription(officer, request);
    ASSERT_TRUE(created.ok()) << created.status();
  }

  std::vector<v1::InboxEntry> Inbox(const std::string& tenant, const std::string& person) {
    v1::ListInboxEntriesRequest request;
    request.set_parent("tenants/" + tenant + "/inboxes/" + person);
    auth::Principal officer{
        .tenant = tenant, .subject = "user:clerk", .roles = {auth::Role::kOfficer}};
    auto response = logic_->ListInboxEntries(officer, request);
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) {
      return {};
    }
    return {response->entries().begin(), response->entries().end()};
  }

  // "step/kind@YYYY-MM-DDTHH:MM" of the precept's pending reminders, by time.
  std::vector<std::string> Pending(const std::string& tenant = "wm",
                                   const std::string& year = "2024-25") {
    std::vector<std::string> out;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& conn) -> absl::Status {
                     auto pending = NotificationsStore::PendingReminders(
                         conn, tenant, "tenants/" + tenant + "/precepts/" + year);
                     if (!pending.ok()) {
                       return pending.status();
                     }
                     for (const auto& r : *pending) {
                       out.push_back(absl::StrCat(
                           r.step, "/", r.kind, "@",
                           absl::FormatTime("%Y-%m-%dT%H:%M", r.remind_at, time::London())));
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return out;
  }

  int64_t OutboxDepth() {
    int64_t depth = -1;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& conn) -> absl::Status {
                     auto d = events::Outbox::Depth(conn);
                     depth = d.value_or(-1);
                     return d.status();
                   })
                    .ok());
    return depth;
  }

  static budget::v1::Precept Precept(PreceptState state, const std::string& tenant = "wm",
                                     const std::string& year = "2024-25") {
    budget::v1::Precept precept;
    precept.set_name("tenants/" + tenant + "/precepts/" + year);
    precept.set_year(year);
    precept.set_state(state);
    return precept;
  }

  static events::v1::Event PreceptEvent(const std::string& id, const std::string& type,
                                        const google::protobuf::Message& payload,
                                        const std::string& tenant = "wm",
                                        const std::string& year = "2024-25") {
    events::v1::Event event;
    event.set_id(id);
    event.set_type(type);
    event.set_tenant(tenant);
    event.set_subject("tenants/" + tenant + "/precepts/" + year);
    event.set_source("budget");
    event.mutable_payload()->PackFrom(payload);
    return event;
  }

  static events::v1::Event Changed(const std::string& id, const std::string& type,
                                   const budget::v1::Precept& precept,
                                   const std::string& tenant = "wm") {
    budget::v1::PreceptChanged changed;
    *changed.mutable_precept() = precept;
    return PreceptEvent(id, type, changed, tenant, precept.year());
  }

  // 10 January 2024, before every reminder of the 2024-25 precept.
  time::FakeClock clock_{London(2024, 1, 10, 12)};
  ids::SequentialIdGenerator ids_{"id"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<sql::Database> db_;
  std::unique_ptr<NotificationsLogic> logic_;
  std::unique_ptr<DeadlineReminders> reminders_;
};

TEST_F(DeadlineRemindersTest, CreatedPreceptGetsRemindersOfTheStepsToDo) {
  // precept.created carries the Precept itself.
  ASSERT_TRUE(
      reminders_
          ->Handle(PreceptEvent("e1", "precept.created", Precept(budget::v1::PRECEPT_STATE_DRAFT)))
          .ok());
  // No veto yet: the revised precept and second report (steps 3, 4) are not reminded. 2024 is a
  // leap year: three days before 1 March is 27 February.
  EXPECT_THAT(Pending(), ElementsAre("1/before@2024-01-29T09:00", "1/on_day@2024-02-01T09:00",
                                     "2/before@2024-02-05T09:00", "2/on_day@2024-02-08T09:00",
                                     "5/before@2024-02-27T09:00", "5/on_day@2024-03-01T09:00"));
}

TEST_F(DeadlineRemindersTest, RedeliveryAndLaterEventsReplacePendingReminders) {
  const auto created =
      PreceptEvent("e1", "precept.created", Precept(budget::v1::PRECEPT_STATE_DRAFT));
  ASSERT_TRUE(reminders_->Handle(created).ok());
  ASSERT_TRUE(reminders_->Handle(created).ok());  // Redelivered: no second effect.
  EXPECT_EQ(Pending().size(), 6u);

  // Notified: step 1 is done.
  ASSERT_TRUE(
      reminders_
          ->Handle(Changed("e2", "precept.proposed", Precept(budget::v1::PRECEPT_STATE_PROPOSED)))
          .ok());
  EXPECT_THAT(Pending(), ElementsAre("2/before@2024-02-05T09:00", "2/on_day@2024-02-08T09:00",
                                     "5/before@2024-02-27T09:00", "5/on_day@2024-03-01T09:00"));

  // Vetoed (payload PreceptOutcome): the report is done; the revised precept and the second
  // report are now due.
  budget::v1::PreceptOutcome outcome;
  outcome.set_tenant("wm");
  outcome.set_precept_year("2024-25");
  outcome.set_outcome(budget::v1::PreceptOutcome::OUTCOME_VETOED);
  ASSERT_TRUE(reminders_->Handle(PreceptEvent("e3", "precept.vetoed", outcome)).ok());
  EXPECT_THAT(Pending(), ElementsAre("3/before@2024-02-12T09:00", "3/on_day@2024-02-15T09:00",
                                     "4/before@2024-02-19T09:00", "4/on_day@2024-02-22T09:00",
                                     "5/before@2024-02-27T09:00", "5/on_day@2024-03-01T09:00"));

  // Issued: nothing is left to remind.
  ASSERT_TRUE(
      reminders_->Handle(Changed("e4", "precept.issued", Precept(budget::v1::PRECEPT_STATE_ISSUED)))
          .ok());
  EXPECT_THAT(Pending(), IsEmpty());
}

TEST_F(DeadlineRemindersTest, StaleEventDoesNotBringBackADoneStep) {
  auto draft = PreceptEvent("e1", "precept.updated", Precept(budget::v1::PRECEPT_STATE_DRAFT));
  *draft.mutable_time() = TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(London(2024, 1, 10)));
  auto proposed = Changed("e2", "precept.proposed", Precept(budget::v1::PRECEPT_STATE_PROPOSED));
  *proposed.mutable_time() = TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(London(2024, 1, 11)));
  ASSERT_TRUE(reminders_->Handle(proposed).ok());
  // The older event arrives late (a claimed pending stream entry).
  ASSERT_TRUE(reminders_->Handle(draft).ok());
  EXPECT_THAT(Pending(), ElementsAre("2/before@2024-02-05T09:00", "2/on_day@2024-02-08T09:00",
                                     "5/before@2024-02-27T09:00", "5/on_day@2024-03-01T09:00"));
}

TEST_F(DeadlineRemindersTest, LapsedVetoAndSupportDoNotRemindTheVetoSteps) {
  budget::v1::Precept reviewed = Precept(budget::v1::PRECEPT_STATE_PANEL_REVIEWED);
  reviewed.mutable_report()->set_outcome(budget::v1::PANEL_OUTCOME_VETOED_TOO_HIGH);
  reviewed.mutable_report()->set_veto_lapsed(true);  // Reported after 8 Feb: reg 4(2).
  ASSERT_TRUE(reminders_->Handle(Changed("e1", "precept.updated", reviewed)).ok());
  EXPECT_THAT(Pending(), ElementsAre("5/before@2024-02-27T09:00", "5/on_day@2024-03-01T09:00"));

  reviewed.mutable_report()->set_veto_lapsed(false);
  ASSERT_TRUE(reminders_->Handle(Changed("e2", "precept.updated", reviewed)).ok());
  EXPECT_EQ(Pending().size(), 6u);
}

TEST_F(DeadlineRemindersTest, SweepDeliversEachReminderOnceAtItsTime) {
  Subscribe("wm", "clerk", {"reminder.*"});
  Subscribe("wm", "chair", {"reminder.precept_deadline"});
  Subscribe("wm", "reader", {"agenda.published"});
  ASSERT_TRUE(
      reminders_
          ->Handle(PreceptEvent("e1", "precept.created", Precept(budget::v1::PRECEPT_STATE_DRAFT)))
          .ok());

  clock_.Set(London(2024, 1, 29, 8, 59));
  auto swept = reminders_->Sweep();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 0);
  EXPECT_THAT(Inbox("wm", "clerk"), IsEmpty());

  clock_.Set(London(2024, 1, 29, 9, 0));
  swept = reminders_->Sweep();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 1);
  auto inbox = Inbox("wm", "clerk");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].event_type(), kPreceptDeadlineReminder);
  EXPECT_EQ(inbox[0].subject(), "tenants/wm/precepts/2024-25");
  EXPECT_THAT(inbox[0].summary(),
              HasSubstr("Deadline reminder: PCC notifies the Panel of the proposed precept due "
                        "2024-02-01"));
  EXPECT_EQ(Inbox("wm", "chair").size(), 1u);
  EXPECT_THAT(Inbox("wm", "reader"), IsEmpty());
  EXPECT_EQ(OutboxDepth(), 1);

  // Logged for WatchEvents (not public: only the tenant's members and officers see it).
  std::vector<events::v1::Event> replayed;
  ASSERT_TRUE(logic_
                  ->ReplayEvents({.tenant = "wm", .public_only = false}, "",
                                 [&](const events::v1::Event& e) {
                                   replayed.push_back(e);
                                   return true;
                                 })
                  .ok());
  ASSERT_EQ(replayed.size(), 1u);
  EXPECT_FALSE(replayed[0].public_());
  budget::v1::TimetableEntry entry;
  ASSERT_TRUE(replayed[0].payload().UnpackTo(&entry));
  EXPECT_EQ(entry.step(), budget::v1::TIMETABLE_STEP_PCC_NOTIFY);
  EXPECT_EQ(entry.deadline_date(), "2024-02-01");
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(entry.deadline()),
            absl::ToUnixMicros(London(2024, 2, 2)) - 1);

  // Never twice: neither by a second sweep nor by the event coming back from the stream.
  swept = reminders_->Sweep();
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 0);
  ASSERT_TRUE(db_->Transact([&](sql::Connection& tx) {
                   return logic_->DeliverEvent(tx, replayed[0]).status();
                 })
                  .ok());
  EXPECT_EQ(Inbox("wm", "clerk").size(), 1u);
  // A redelivered precept event does not bring a delivered reminder back.
  ASSERT_TRUE(
      reminders_
          ->Handle(PreceptEvent("e2", "precept.updated", Precept(budget::v1::PRECEPT_STATE_DRAFT)))
          .ok());
  EXPECT_EQ(Pending().size(), 5u);

  // The rest, each at its time, across February.
  clock_.Set(London(2024, 2, 1, 9, 0));
  EXPECT_EQ(reminders_->Sweep().value_or(-1), 1);
  clock_.Set(London(2024, 3, 1, 9, 0));
  EXPECT_EQ(reminders_->Sweep().value_or(-1), 4);
  EXPECT_EQ(reminders_->Sweep().value_or(-1), 0);
  EXPECT_EQ(Inbox("wm", "clerk").size(), 6u);
  EXPECT_EQ(OutboxDepth(), 6);
  EXPECT_THAT(Pending(), IsEmpty());
}

TEST_F(DeadlineRemindersTest, DoneStepIsNotReminded) {
  Subscribe("wm", "clerk", {"reminder.precept_deadline"});
  ASSERT_TRUE(
      reminders_
          ->Handle(PreceptEvent("e1", "precept.created", Precept(budget::v1::PRECEPT_STATE_DRAFT)))
          .ok());
  // The PCC notifies on 30 January, between the two reminders of 1 February.
  clock_.Set(London(2024, 1, 29, 9, 0));
  EXPECT_EQ(reminders_->Sweep().value_or(-1), 1);
  clock_.Set(London(2024, 1, 30, 10, 0));
  ASSERT_TRUE(
      reminders_
          ->Handle(Changed("e2", "precept.proposed", Precept(budget::v1::PRECEPT_STATE_PROPOSED)))
          .ok());
  clock_.Set(London(2024, 2, 1, 9, 0));
  EXPECT_EQ(reminders_->Sweep().value_or(-1), 0);
  EXPECT_EQ(Inbox("wm", "clerk").size(), 1u);
}

TEST_F(DeadlineRemindersTest, PassedRemindersAreNotStored) {
  clock_.Set(London(2024, 2, 6, 12));  // After 1 Feb and after the 8 Feb "before" reminder.
  ASSERT_TRUE(
      reminders_
          ->Handle(PreceptEvent("e1", "precept.created", Precept(budget::v1::PRECEPT_STATE_DRAFT)))
          .ok());
  EXPECT_THAT(Pending(), ElementsAre("2/on_day@2024-02-08T09:00", "5/before@2024-02-27T09:00",
                                     "5/on_day@2024-03-01T09:00"));
}

TEST_F(DeadlineRemindersTest, AnotherTenantsSubscriberGetsNothing) {
  Subscribe("wm", "clerk", {"reminder.*"});
  Subscribe("sy", "clerk", {"reminder.*"});
  Subscribe("sy", "all", {});
  ASSERT_TRUE(
      reminders_
          ->Handle(PreceptEvent("e1", "precept.created", Precept(budget::v1::PRECEPT_STATE_DRAFT)))
          .ok());
  clock_.Set(London(2024, 1, 29, 9, 0));
  EXPECT_EQ(reminders_->Sweep().value_or(-1), 1);
  EXPECT_EQ(Inbox("wm", "clerk").size(), 1u);
  EXPECT_THAT(Inbox("sy", "clerk"), IsEmpty());
  EXPECT_THAT(Inbox("sy", "all"), IsEmpty());
  EXPECT_THAT(Pending("sy"), IsEmpty());
}

TEST_F(DeadlineRemindersTest, MalformedEventsAreIgnored) {
  scheduling::v1::AgendaPublished wrong_payload;
  wrong_payload.set_title("not a precept");
  budget::v1::PreceptOutcome no_outcome;
  no_outcome.set_precept_year("2024-25");
  budget::v1::PreceptOutcome other_tenant;
  other_tenant.set_tenant("sy");
  other_tenant.set_precept_year("2024-25");
  other_tenant.set_outcome(budget::v1::PreceptOutcome::OUTCOME_VETOED);
  std::vector<events::v1::Event> bad = {
      PreceptEvent("b1", "precept.updated", wrong_payload),
      Changed("b2", "precept.updated", Precept(budget::v1::PRECEPT_STATE_DRAFT, "wm", "bogus")),
      Changed("b3", "precept.updated", Precept(budget::v1::PRECEPT_STATE_DRAFT, "sy")),
      PreceptEvent("b4", "precept.vetoed", no_outcome),
      PreceptEvent("b5", "precept.vetoed", other_tenant),
      Changed("b6", "precept.updated", Precept(budget::v1::PRECEPT_STATE_DRAFT), "Not a tenant!"),
      Changed("b7", "precept.updated", budget::v1::Precept()),
  };
  events::v1::Event empty_payload;
  empty_payload.set_id("b8");
  empty_payload.set_type("precept.created");
  empty_payload.set_tenant("wm");
  bad.push_back(empty_payload);
  bad.push_back(PreceptEvent("", "precept.created", Precept(budget::v1::PRECEPT_STATE_DRAFT)));
  // Not a precept event at all.
  bad.push_back(PreceptEvent("b9", "meeting.scheduled", Precept(budget::v1::PRECEPT_STATE_DRAFT)));
  for (const auto& event : bad) {
    EXPECT_TRUE(reminders_->Handle(event).ok()) << event.id();
  }
  EXPECT_THAT(Pending(), IsEmpty());
  EXPECT_THAT(Pending("sy"), IsEmpty());
  clock_.Set(London(2024, 3, 2));
  EXPECT_EQ(reminders_->Sweep().value_or(-1), 0);
}

TEST_F(DeadlineRemindersTest, SweeperThreadDeliversAndStops) {
  Subscribe("wm", "clerk", {"reminder.*"});
  ASSERT_TRUE(
      reminders_
          ->Handle(PreceptEvent("e1", "precept.created", Precept(budget::v1::PRECEPT_STATE_DRAFT)))
          .ok());
  clock_.Set(London(2024, 1, 29, 9, 30));
  reminders_->Start(absl::Milliseconds(5));
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (Inbox("wm", "clerk").empty() && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  reminders_->Stop();
  reminders_->Stop();  // Idempotent.
  EXPECT_EQ(Inbox("wm", "clerk").size(), 1u);
}

TEST_F(DeadlineRemindersTest, OnlyOnDayReminderWhenDaysBeforeIsZero) {
  DeadlineReminders on_day(*logic_, *db_, outbox_, clock_, ids_, {.days_before = 0});
  ASSERT_TRUE(
      on_day.Handle(PreceptEvent("e1", "precept.created", Precept(budget::v1::PRECEPT_STATE_DRAFT)))
          .ok());
  EXPECT_THAT(Pending(), ElementsAre("1/on_day@2024-02-01T09:00", "2/on_day@2024-02-08T09:00",
                                     "5/on_day@2024-03-01T09:00"));
}

}  // namespace
}  // namespace moot::notifications
