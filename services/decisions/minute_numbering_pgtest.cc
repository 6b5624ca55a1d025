// R-MIN-03 against PostgreSQL: concurrent writers on several connections get distinct,
// consecutive minute numbers, and the audit chain they extend together still verifies.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "libs/testing/postgres_server.h"
#include "services/decisions/audit_logic.h"
#include "services/decisions/fake_scheduling_directory.h"
#include "services/decisions/minutes_logic.h"

namespace moot::decisions {
namespace {

constexpr char kSep[] = "tenants/wm/bodies/pcp/meetings/2023-09-11";
constexpr char kNov[] = "tenants/wm/bodies/pcp/meetings/2023-11-13";

auth::Principal Officer() {
  return {.tenant = "wm", .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}

TEST(MinuteNumberingPgTest, ConcurrentWritersGetDistinctConsecutiveNumbers) {
  if (std::string why = testing::PostgresServer::UnavailableReason(); !why.empty()) {
    GTEST_SKIP() << why;
  }
  auto server = testing::PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto db = sql::Open((*server)->url(), 6);
  ASSERT_TRUE(db.ok()) << db.status();
  events::Outbox outbox;
  ids::UlidGenerator ids;
  api::PageTokens tokens("secret");
  FakeSchedulingDirectory directory;
  directory.AddMeeting(kSep, "2023-09-11");
  directory.AddMeeting(kNov, "2023-11-13");
  MinutesLogic logic(**db, outbox, time::Clock::Real(), ids, tokens, directory);
  ASSERT_TRUE(logic.Migrate().ok());
  for (const char* m : {kSep, kNov}) {
    v1::CreateMinutesRequest create;
    create.set_parent(m);
    ASSERT_TRUE(logic.CreateMinutes(Officer(), create).ok());
  }
  // The register continues the paper sequence at 746.
  v1::AddMinuteEntryRequest first;
  first.set_parent(absl::StrCat(kSep, "/minutes"));
  first.mutable_entry()->set_title("NOTICE OF RECORDING");
  first.set_override_number(746);
  first.set_override_reason("continuing the paper register");
  ASSERT_TRUE(logic.AddMinuteEntry(Officer(), first).ok());

  constexpr int kThreads = 6;
  constexpr int kEach = 10;
  std::vector<std::vector<int64_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        v1::AddMinuteEntryRequest request;
        request.set_parent(absl::StrCat(t % 2 ? kSep : kNov, "/minutes"));
        request.mutable_entry()->set_title(absl::StrCat("Item ", t, ".", i));
        auto e = logic.AddMinuteEntry(Officer(), request);
        ASSERT_TRUE(e.ok()) << e.status();
        got[t].push_back(e->number());
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  std::set<int64_t> all;
  for (const auto& g : got) {
    all.insert(g.begin(), g.end());
    // Each writer's own numbers rise.
    EXPECT_TRUE(std::is_sorted(g.begin(), g.end()));
  }
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(*all.begin(), 747);
  EXPECT_EQ(*all.rbegin(), 746 + kThreads * kEach);

  AuditLogic audit(**db, tokens);
  v1::VerifyAuditChainRequest verify;
  verify.set_parent("tenants/wm");
  auto v = audit.VerifyAuditChain(Officer(), verify);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << v->DebugString();
  EXPECT_EQ(v->rows_checked(), 2 + 1 + kThreads * kEach);
}

}  // namespace
}  // namespace moot::decisions
