// The agenda paths on PostgreSQL (a server started by the test): item versions (etags),
// renumbering, published versions and their diffs, with the same SQL the SQLite tests exercise.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/postgres_server.h"
#include "services/scheduling/agenda_logic.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;

auth::Principal Officer() {
  return {.tenant = "wm", .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}

constexpr char kMeeting[] = "tenants/wm/bodies/pcp/meetings/2023-11-13";

TEST(AgendaPgTest, ItemsReorderAndVersions) {
  if (std::string why = testing::PostgresServer::UnavailableReason(); !why.empty()) {
    GTEST_SKIP() << why;
  }
  auto server = testing::PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto db = sql::Open((*server)->url(), 2);
  ASSERT_TRUE(db.ok()) << db.status();
  time::FakeClock clock(absl::FromUnixSeconds(1699000000));  // Before the R-MTG-09 deadline.
  ids::SequentialIdGenerator ids("id");
  api::PageTokens tokens("test-secret");
  events::Outbox outbox;
  SchedulingLogic scheduling(**db, outbox, clock, ids, tokens);
  AgendaLogic agenda(**db, outbox, clock, ids, tokens);
  for (absl::Status s : {scheduling.Migrate(), agenda.Migrate(), agenda.Migrate()}) {
    ASSERT_TRUE(s.ok()) << s;
  }
  v1::CreateBodyRequest body;
  body.set_parent("tenants/wm");
  body.set_body_id("pcp");
  body.mutable_body()->set_display_name("West Midlands Police and Crime Panel");
  body.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
  ASSERT_TRUE(scheduling.CreateBody(Officer(), body).ok());
  v1::CreateMeetingRequest meeting;
  meeting.set_parent("tenants/wm/bodies/pcp");
  meeting.set_meeting_id("2023-11-13");
  meeting.mutable_meeting()->set_title("Police and Crime Panel");
  *meeting.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(1699884000);
  ASSERT_TRUE(scheduling.CreateMeeting(Officer(), meeting).ok());

  for (int n : {1, 2, 5}) {
    v1::CreateAgendaItemRequest item;
    item.set_parent(kMeeting);
    item.mutable_agenda_item()->set_number(n);
    item.mutable_agenda_item()->set_title(absl::StrCat("ITEM ", n));
    ASSERT_TRUE(agenda.CreateAgendaItem(Officer(), item).ok());
  }
  v1::UpdateAgendaItemRequest update;
  update.mutable_agenda_item()->set_name(absl::StrCat(kMeeting, "/agendaItems/5"));
  update.mutable_agenda_item()->set_etag("1");
  update.mutable_agenda_item()->set_approximate_time("14:05");
  update.mutable_update_mask()->add_paths("approximate_time");
  auto updated = agenda.UpdateAgendaItem(Officer(), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->etag(), "2");
  EXPECT_EQ(agenda.UpdateAgendaItem(Officer(), update).status().code(), absl::StatusCode::kAborted);

  v1::ReorderAgendaItemsRequest reorder;
  reorder.set_parent(kMeeting);
  for (int n : {5, 1, 2}) {
    reorder.add_numbers(n);
  }
  auto reordered = agenda.ReorderAgendaItems(Officer(), reorder);
  ASSERT_TRUE(reordered.ok()) << reordered.status();
  EXPECT_EQ(reordered->agenda_items(0).title(), "ITEM 5");
  EXPECT_EQ(reordered->agenda_items(0).etag(), "2");
  v1::DeleteAgendaItemRequest del;
  del.set_name(absl::StrCat(kMeeting, "/agendaItems/2"));
  del.set_renumber(true);
  auto deleted = agenda.DeleteAgendaItem(Officer(), del);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  ASSERT_EQ(deleted->agenda_items_size(), 2);
  EXPECT_EQ(deleted->agenda_items(1).title(), "ITEM 2");
  EXPECT_EQ(deleted->agenda_items(1).number(), 2);

  v1::PublishAgendaRequest publish;
  publish.set_name(kMeeting);
  ASSERT_TRUE(scheduling.PublishAgenda(Officer(), publish).ok());
  update.mutable_agenda_item()->set_name(absl::StrCat(kMeeting, "/agendaItems/2"));
  update.mutable_agenda_item()->clear_etag();
  update.mutable_agenda_item()->set_approximate_time("14:30");
  ASSERT_TRUE(agenda.UpdateAgendaItem(Officer(), update).ok());
  auto second = scheduling.PublishAgenda(Officer(), publish);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->agenda_version(), 2);
  EXPECT_EQ(status::Details(scheduling.PublishAgenda(Officer(), publish).status()).reason,
            "AGENDA_UNCHANGED");

  v1::ListAgendaVersionsRequest list;
  list.set_parent(kMeeting);
  auto versions = agenda.ListAgendaVersions(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(versions.ok()) << versions.status();
  ASSERT_EQ(versions->agenda_versions_size(), 2);
  EXPECT_THAT(versions->agenda_versions(0).diff().added(), ElementsAre(1, 2));
  ASSERT_EQ(versions->agenda_versions(1).diff().changed_size(), 1);
  EXPECT_EQ(versions->agenda_versions(1).diff().changed(0).number(), 2);
  EXPECT_THAT(versions->agenda_versions(1).diff().changed(0).fields(),
              ElementsAre("approximate_time"));
  v1::GetAgendaVersionRequest get;
  get.set_name(absl::StrCat(kMeeting, "/agendaVersions/1"));
  auto first = agenda.GetAgendaVersion(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->agenda_items(1).approximate_time(), "");
}

}  // namespace
}  // namespace moot::scheduling
