// The demo data loads for real: Redis, every service and the gateway run as processes the way
// scripts/up.sh starts them, the built moot-seed runs over deploy/demo/ with up.sh's flags, and
// what it wrote is read back through the gateway with the demo credentials it minted. A second
// run changes nothing.
//
// Only facts of the demo files that other work does not touch are asserted (the West Midlands
// Panel's membership, the 2023-11-13 agenda, which meetings are published); the scheduling,
// budget and decisions files may grow, so for them the seed run exiting 0 is the check.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/testing/child_process.h"
#include "libs/testing/test_util.h"
#include "moot/scheduling/v1/agenda.grpc.pb.h"
#include "moot/scheduling/v1/people.grpc.pb.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/integration/process_env.h"

namespace moot::integration {
namespace {

namespace sched = moot::scheduling::v1;

constexpr char kPanel[] = "tenants/west-midlands/bodies/pcp";
constexpr char kNovember[] = "tenants/west-midlands/bodies/pcp/meetings/2023-11-13";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

auto Deadline() { return std::chrono::system_clock::now() + std::chrono::seconds(10); }

class DemoSeedTest : public ::testing::Test {
 protected:
  // One stack for the whole suite: starting six processes and seeding takes a while.
  static void SetUpTestSuite() {
    suite_ = new ProcessSuite();
    if (!suite_->redis_ok()) {
      return;
    }
    // up.sh exports MOOT_API_KEY_PEPPER (from var/secrets.env) to every process.
    const std::string pepper = "integration-test-pepper-0123456789abcdef";
    started_ = suite_->StartAll({{"MOOT_API_KEY_PEPPER", pepper}});
    std::ofstream secrets(SecretFile());
    secrets << "MOOT_JWT_HS256_SECRET=" << kTestSecret << "\n"
            << "MOOT_API_KEY_PEPPER=" << pepper << "\n"
            << "REDIS_PASSWORD=unused\n";
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }

  static std::string SecretFile() { return suite_->dir() + "/secrets.env"; }
  static std::string CredentialsFile() { return suite_->dir() + "/credentials.json"; }

  // Runs the built moot-seed exactly as scripts/up.sh does; its exit code (-1 when it could not
  // run or did not finish in four minutes) and output.
  static int RunSeed(const std::string& log_name, std::string* output) {
    auto seed = testing::ChildProcess::Start(
        {.argv = {Binary("tools/seed/moot-seed"),
                  absl::StrCat("--addr=127.0.0.1:", suite_->gateway_grpc()),
                  absl::StrCat("--secret-file=", SecretFile()),
                  absl::StrCat("--data-dir=", testing::SourceDir(), "/deploy/demo"),
                  absl::StrCat("--credentials-out=", CredentialsFile())},
         .unset_env = {"MOOT_SOURCE_DIR", "MOOT_BINARY_DIR"},
         .log_file = absl::StrCat(suite_->dir(), "/", log_name)});
    if (!seed.ok()) {
      *output = std::string(seed.status().message());
      return -1;
    }
    auto code = (*seed)->Wait(absl::Minutes(4));
    *output = (*seed)->Log();
    return code.ok() ? *code : -1;
  }

  void SetUp() override {
    ASSERT_TRUE(suite_->redis_ok());
    ASSERT_TRUE(started_) << suite_->Logs();
    gateway_ = WaitForChannel(suite_->gateway_grpc());
    ASSERT_NE(gateway_, nullptr) << suite_->Logs();
    if (!seeded_) {
      seeded_ = true;
      seed_exit_ = RunSeed("seed-1.log", &seed_output_);
    }
    ASSERT_EQ(seed_exit_, 0) << seed_output_ << suite_->Logs();
  }

  // The demo token of `role` in `tenant` from the credentials file moot-seed wrote.
  std::string Token(const std::string& tenant, const std::string& role) {
    auto json = nlohmann::json::parse(ReadAll(CredentialsFile()), nullptr, false);
    if (json.is_discarded() || !json.contains("tenants") || !json["tenants"].contains(tenant) ||
        !json["tenants"][tenant].contains(role)) {
      return "";
    }
    return "Bearer " + json["tenants"][tenant][role].get<std::string>();
  }

  // Every meeting of `body` the caller (`bearer`, empty for the public) sees, across pages.
  std::vector<sched::Meeting> Meetings(const std::string& body, const std::string& bearer) {
    std::vector<sched::Meeting> all;
    auto stub = sched::MeetingService::NewStub(gateway_);
    std::string token;
    do {
      grpc::ClientContext c;
      c.set_deadline(Deadline());
      if (!bearer.empty()) {
        c.AddMetadata("authorization", bearer);
      }
      sched::ListMeetingsRequest r;
      r.set_parent(body);
      r.set_page_size(2);
      r.set_page_token(token);
      sched::ListMeetingsResponse page;
      grpc::Status s = stub->ListMeetings(&c, r, &page);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) {
        break;
      }
      all.insert(all.end(), page.meetings().begin(), page.meetings().end());
      token = page.next_page_token();
    } while (!token.empty());
    return all;
  }

  // Every agenda item of `meeting` the caller sees, across pages.
  std::vector<sched::AgendaItem> AgendaItems(const std::string& meeting,
                                             const std::string& bearer) {
    std::vector<sched::AgendaItem> all;
    auto stub = sched::AgendaService::NewStub(gateway_);
    std::string token;
    do {
      grpc::ClientContext c;
      c.set_deadline(Deadline());
      if (!bearer.empty()) {
        c.AddMetadata("authorization", bearer);
      }
      sched::ListAgendaItemsRequest r;
      r.set_parent(meeting);
      r.set_page_size(5);
      r.set_page_token(token);
      sched::ListAgendaItemsResponse page;
      grpc::Status s = stub->ListAgendaItems(&c, r, &page);
      EXPECT_TRUE(s.ok()) << meeting << ": " << s.error_message();
      if (!s.ok()) {
        break;
      }
      all.insert(all.end(), page.agenda_items().begin(), page.agenda_items().end());
      token = page.next_page_token();
    } while (!token.empty());
    return all;
  }

  std::vector<sched::Membership> MembersAt(const std::string& body, const std::string& date,
                                           const std::string& bearer) {
    grpc::ClientContext c;
    c.set_deadline(Deadline());
    c.AddMetadata("authorization", bearer);
    sched::ListMembersAtRequest r;
    r.set_parent(body);
    r.set_date(date);
    sched::ListMembersAtResponse response;
    grpc::Status s = sched::MembershipService::NewStub(gateway_)->ListMembersAt(&c, r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {response.memberships().begin(), response.memberships().end()};
  }

  static ProcessSuite* suite_;
  static bool started_;
  static bool seeded_;
  static int seed_exit_;
  static std::string seed_output_;
  std::shared_ptr<grpc::Channel> gateway_;
};

ProcessSuite* DemoSeedTest::suite_ = nullptr;
bool DemoSeedTest::started_ = false;
bool DemoSeedTest::seeded_ = false;
int DemoSeedTest::seed_exit_ = -1;
std::string DemoSeedTest::seed_output_;

TEST_F(DemoSeedTest, SeedWritesCredentialsForBothTenantsAndEveryRole) {
  auto json = nlohmann::json::parse(ReadAll(CredentialsFile()), nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << ReadAll(CredentialsFile());
  for (const char* tenant : {"west-midlands", "north-shire"}) {
    for (const char* role : {"officer", "member", "partner", "ops", "tenant_admin"}) {
      ASSERT_TRUE(json["tenants"][tenant].contains(role)) << tenant << " " << role;
      EXPECT_FALSE(json["tenants"][tenant][role].get<std::string>().empty())
          << tenant << " " << role;
    }
  }
  // Every data file reported its calls (one line per file).
  for (const char* file : {"10-west-midlands.json", "11-west-midlands-people.json",
                           "12-west-midlands-agendas.json", "20-north-shire.json"}) {
    EXPECT_NE(seed_output_.find(absl::StrCat("moot-seed: ", file, ": ")), std::string::npos)
        << seed_output_;
  }
}

TEST_F(DemoSeedTest, PanelHasSixteenMembersOnThirteenthNovember2023) {
  // 11-west-midlands-people.json: 16 Panel memberships from 2023-05-22, none ended.
  auto members = MembersAt(kPanel, "2023-11-13", Token("west-midlands", "officer"));
  EXPECT_EQ(members.size(), 16u);
  std::set<std::string> people;
  for (const auto& m : members) {
    people.insert(m.person());
  }
  EXPECT_EQ(people.size(), 16u);
  EXPECT_TRUE(people.contains("tenants/west-midlands/people/jasbir-jaspal"));
  // Before the municipal year the seeded memberships were not in force.
  EXPECT_TRUE(MembersAt(kPanel, "2023-05-21", Token("west-midlands", "officer")).empty());
}

TEST_F(DemoSeedTest, NovemberMeetingHasThirteenAgendaItems) {
  const std::string officer = Token("west-midlands", "officer");
  auto items = AgendaItems(kNovember, officer);
  ASSERT_EQ(items.size(), 13u);
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(items[i].name().rfind(std::string(kNovember) + "/agendaItems/", 0), 0u)
        << items[i].name();
  }
  // The agenda was published after its items were added, so the public sees all 13 too.
  EXPECT_EQ(AgendaItems(kNovember, "").size(), 13u);
}

TEST_F(DemoSeedTest, PublicListsPublishedMeetingsButNoDrafts) {
  const std::string officer = Token("west-midlands", "officer");
  auto insider = Meetings(kPanel, officer);
  auto outsider = Meetings(kPanel, "");
  std::map<std::string, sched::MeetingStatus> seen;
  for (const auto& m : outsider) {
    EXPECT_NE(m.status(), sched::MEETING_STATUS_DRAFT) << m.name();
    seen[m.name()] = m.status();
  }
  // The two Panel meetings whose agendas the demo publishes are listed for the public.
  for (const char* id : {"2023-09-11", "2023-11-13"}) {
    const std::string name = absl::StrCat(kPanel, "/meetings/", id);
    ASSERT_TRUE(seen.contains(name)) << name;
    EXPECT_EQ(seen[name], sched::MEETING_STATUS_AGENDA_PUBLISHED) << name;
  }
  // Whatever the officer sees beyond the public list is a draft. (CreateMeeting starts meetings
  // SCHEDULED or PROVISIONAL, so the demo holds no DRAFT meeting and the lists are equal today.)
  EXPECT_GE(insider.size(), outsider.size());
  for (const auto& m : insider) {
    if (!seen.contains(m.name())) {
      EXPECT_EQ(m.status(), sched::MEETING_STATUS_DRAFT) << m.name();
    }
  }
  // A meeting whose agenda is not published (16-west-midlands-work-programme.json schedules
  // 2024-01-15) shows the public none of the working agenda the officers are preparing.
  const std::string january = absl::StrCat(kPanel, "/meetings/2024-01-15");
  ASSERT_TRUE(seen.contains(january));
  EXPECT_NE(seen[january], sched::MEETING_STATUS_AGENDA_PUBLISHED);
  {
    grpc::ClientContext c;
    c.set_deadline(Deadline());
    c.AddMetadata("authorization", officer);
    sched::CreateAgendaItemRequest r;
    r.set_parent(january);
    r.set_request_id("demo-seed-test-draft-item");
    r.mutable_agenda_item()->set_number(99);
    r.mutable_agenda_item()->set_title("Draft item, not yet published");
    r.mutable_agenda_item()->set_kind(sched::AGENDA_ITEM_KIND_REPORT);
    sched::AgendaItem item;
    grpc::Status s = sched::AgendaService::NewStub(gateway_)->CreateAgendaItem(&c, r, &item);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  auto working = AgendaItems(january, officer);
  EXPECT_FALSE(working.empty());
  EXPECT_TRUE(AgendaItems(january, "").empty());
}

// The demo "member" credential (subject user:demo-member) is linked to a Panel member, so it reads
// the Panel's drafts (services/scheduling/body_access.h); only officers see the link.
TEST_F(DemoSeedTest, MemberCredentialIsLinkedToAPanelMember) {
  auto person = [&](const std::string& bearer) {
    grpc::ClientContext c;
    c.set_deadline(Deadline());
    if (!bearer.empty()) {
      c.AddMetadata("authorization", bearer);
    }
    sched::GetPersonRequest r;
    r.set_name("tenants/west-midlands/people/raqeeb-aziz");
    sched::Person found;
    grpc::Status s = sched::PersonService::NewStub(gateway_)->GetPerson(&c, r, &found);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return found;
  };
  EXPECT_EQ(person(Token("west-midlands", "officer")).user_subject(), "user:demo-member");
  EXPECT_EQ(person("").user_subject(), "");
  EXPECT_EQ(person(Token("west-midlands", "member")).user_subject(), "");
  bool on_panel = false;
  for (const auto& m : MembersAt(kPanel, "2023-11-13", Token("west-midlands", "officer"))) {
    on_panel |= m.person() == "tenants/west-midlands/people/raqeeb-aziz";
  }
  EXPECT_TRUE(on_panel);
}

TEST_F(DemoSeedTest, SecondRunIsIdempotent) {
  const std::string officer = Token("west-midlands", "officer");
  auto meetings_before = Meetings(kPanel, officer);
  auto november_before = AgendaItems(kNovember, officer);
  auto members_before = MembersAt(kPanel, "2023-11-13", officer);
  const std::string north = "tenants/north-shire/bodies/pcp";
  auto north_before = Meetings(north, Token("north-shire", "officer"));

  std::string output;
  ASSERT_EQ(RunSeed("seed-2.log", &output), 0) << output << suite_->Logs();
  // The replayed calls drain the tenant's rate-limit bucket (100 requests per second, which the
  // seed waits out through RetryInfo); let it refill before reading back.
  absl::SleepFor(absl::Seconds(2));

  // The credentials file is rewritten; read-backs use the new tokens.
  const std::string again = Token("west-midlands", "officer");
  ASSERT_FALSE(again.empty());
  EXPECT_EQ(Meetings(kPanel, again).size(), meetings_before.size());
  auto november_after = AgendaItems(kNovember, again);
  ASSERT_EQ(november_after.size(), november_before.size());
  for (size_t i = 0; i < november_after.size(); ++i) {
    EXPECT_EQ(november_after[i].name(), november_before[i].name());
  }
  EXPECT_EQ(AgendaItems(kNovember, "").size(), 13u);
  EXPECT_EQ(MembersAt(kPanel, "2023-11-13", again).size(), members_before.size());
  EXPECT_EQ(Meetings(north, Token("north-shire", "officer")).size(), north_before.size());
}

}  // namespace
}  // namespace moot::integration
