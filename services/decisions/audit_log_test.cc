#include "services/decisions/audit_log.h"

#include <gtest/gtest.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "libs/status/macros.h"
#include "libs/testing/test_database.h"
#include "moot/decisions/v1/decisions.pb.h"

namespace moot::decisions {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override { Reset(); }

  void Reset() {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate("audit", AuditLog::Migrations()).ok());
  }

  // Appends `n` changes for tenant "wm" (and one for "ny" in between, which must not matter).
  void Build(int n) {
    for (int i = 1; i <= n; ++i) {
      v1::KeyDecision change;
      change.set_name(absl::StrCat("tenants/wm/decisions/", i));
      change.set_title(absl::StrCat("Decision ", i));
      AuditEntry entry{.actor = absl::StrCat("user:officer", i % 3),
                       .method = i % 2 ? "AddMinuteEntry" : "RecordResolution",
                       .resource = change.name(),
                       .time = absl::FromUnixSeconds(1699000000 + i),
                       .trace_id = absl::StrCat("4bf92f3577b34da6a3ce929d0e0e47", 10 + i),
                       .change = AuditLog::Canonical(change)};
      ASSERT_TRUE(db_->Transact([&](sql::Connection& tx) -> absl::Status {
                       MOOT_RETURN_IF_ERROR(AuditLog::Append(tx, "wm", entry).status());
                       if (i == n / 2) {
                         return AuditLog::Append(tx, "ny", entry).status();
                       }
                       return absl::OkStatus();
                     })
                      .ok());
    }
  }

  v1::AuditVerification Verify() {
    v1::AuditVerification v;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     MOOT_ASSIGN_OR_RETURN(v, AuditLog::Verify(c, "wm"));
                     return absl::OkStatus();
                   })
                    .ok());
    return v;
  }

  void Exec(const std::string& sql, const sql::Params& params = {}) {
    ASSERT_TRUE(
        db_->WithConnection([&](sql::Connection& c) { return c.Execute(sql, params).status(); })
            .ok())
        << sql;
  }

  std::string Column(int64_t seq, const std::string& column) {
    std::string value;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     MOOT_ASSIGN_OR_RETURN(auto r,
                                           c.Execute(absl::StrCat("SELECT ", column,
                                                                  " FROM audit_log WHERE"
                                                                  " tenant_id = 'wm' AND seq = $1"),
                                                     {seq}));
                     value = r.rows.at(0).GetString(0).value_or("");
                     return absl::OkStatus();
                   })
                    .ok());
    return value;
  }

  std::unique_ptr<sql::Database> db_;
};

TEST_F(AuditLogTest, AnUntouchedChainVerifies) {
  EXPECT_TRUE(Verify().ok());  // Empty.
  Build(12);
  auto v = Verify();
  EXPECT_TRUE(v.ok()) << v.DebugString();
  EXPECT_EQ(v.rows_checked(), 12);
  EXPECT_EQ(v.head_hash().size(), 64u);
  EXPECT_EQ(Column(1, "prev_hash"), "");
  EXPECT_EQ(Column(2, "prev_hash"), Column(1, "hash"));
}

TEST_F(AuditLogTest, TheHashCoversEveryField) {
  const AuditEntry base{.actor = "user:a",
                        .method = "M",
                        .resource = "tenants/wm/x",
                        .time = absl::FromUnixSeconds(1),
                        .trace_id = "t",
                        .change = "c"};
  const std::string h = AuditLog::RowHash("wm", 1, "", base);
  std::vector<std::string> others = {AuditLog::RowHash("ny", 1, "", base),
                                     AuditLog::RowHash("wm", 2, "", base),
                                     AuditLog::RowHash("wm", 1, "p", base)};
  for (auto mutate : std::vector<std::function<void(AuditEntry&)>>{
           [](auto& e) { e.actor = "user:b"; }, [](auto& e) { e.method = "N"; },
           [](auto& e) { e.resource = "tenants/wm/y"; },
           [](auto& e) { e.time += absl::Microseconds(1); }, [](auto& e) { e.trace_id = ""; },
           [](auto& e) { e.change = "d"; },
           // Moving a byte between fields changes the hash too (length-prefixed fields).
           [](auto& e) {
             e.actor = "user:aM";
             e.method = "";
           }}) {
    AuditEntry e = base;
    mutate(e);
    others.push_back(AuditLog::RowHash("wm", 1, "", e));
  }
  for (const auto& other : others) {
    EXPECT_NE(other, h);
  }
}

// Issue 4 point 6: 100 random tamperings of the database, each detected at the right row.
TEST_F(AuditLogTest, EveryRandomTamperingIsDetectedAtTheRightRow) {
  enum Kind {
    kEditChange,
    kEditActor,
    kEditMethod,
    kEditTime,
    kEditTrace,
    kEditResource,
    kEditPrevHash,
    kEditHash,
    kDelete,
    kSwap,
    kRewriteWithNewHash,
    kAppendForged,
    kKinds
  };
  std::mt19937 rng(20231113);
  std::vector<int> seen(kKinds, 0);
  for (int trial = 0; trial < 100; ++trial) {
    Reset();
    const int n = std::uniform_int_distribution<int>(3, 25)(rng);
    Build(n);
    ASSERT_TRUE(Verify().ok());
    const Kind kind = static_cast<Kind>(std::uniform_int_distribution<int>(0, kKinds - 1)(rng));
    ++seen[kind];
    const int64_t k = std::uniform_int_distribution<int64_t>(1, n)(rng);
    int64_t expected = k;
    const std::string where = " WHERE tenant_id = 'wm' AND seq = $1";
    switch (kind) {
      case kEditChange:
        Exec("UPDATE audit_log SET change = $2" + where, {k, sql::Bytes{"tampered"}});
        break;
      case kEditActor:
        Exec("UPDATE audit_log SET actor = 'user:mallory'" + where, {k});
        break;
      case kEditMethod:
        Exec("UPDATE audit_log SET method = 'Nothing'" + where, {k});
        break;
      case kEditTime:
        Exec("UPDATE audit_log SET time_us = time_us + 1" + where, {k});
        break;
      case kEditTrace:
        Exec("UPDATE audit_log SET trace_id = ''" + where, {k});
        break;
      case kEditResource:
        Exec("UPDATE audit_log SET resource = 'tenants/wm/other'" + where, {k});
        break;
      case kEditPrevHash:
        Exec("UPDATE audit_log SET prev_hash = $2" + where, {k, std::string(64, 'a')});
        break;
      case kEditHash:
        Exec("UPDATE audit_log SET hash = $2" + where, {k, std::string(64, 'b')});
        break;
      case kDelete:
        Exec("DELETE FROM audit_log" + where, {k});
        break;
      case kSwap: {
        // Reorder: two rows exchange places.
        const int64_t j =
            k == n ? k - 1 : k + std::uniform_int_distribution<int64_t>(1, n - k)(rng);
        Exec("UPDATE audit_log SET seq = -1" + where, {k});
        Exec("UPDATE audit_log SET seq = $2" + where, {j, k});
        Exec("UPDATE audit_log SET seq = $1 WHERE tenant_id = 'wm' AND seq = -1", {j});
        expected = std::min(k, j);
        break;
      }
      case kRewriteWithNewHash: {
        // An attacker who knows the algorithm edits a row and recomputes its hash.
        AuditEntry e{.actor = "user:mallory",
                     .method = Column(k, "method"),
                     .resource = Column(k, "resource"),
                     .time = absl::FromUnixSeconds(1699000000 + k),
                     .trace_id = Column(k, "trace_id"),
                     .change = Column(k, "change")};
        Exec("UPDATE audit_log SET actor = $2, hash = $3" + where,
             {k, e.actor, AuditLog::RowHash("wm", k, Column(k, "prev_hash"), e)});
        break;
      }
      case kAppendForged: {
        AuditEntry e{.actor = "user:mallory",
                     .method = "AddMinuteEntry",
                     .resource = "tenants/wm/x",
                     .time = absl::FromUnixSeconds(1),
                     .trace_id = "",
                     .change = ""};
        const std::string prev = Column(n, "hash");
        Exec(
            "INSERT INTO audit_log (tenant_id, seq, prev_hash, hash, actor, method, resource,"
            " time_us, trace_id, change) VALUES ('wm', $1, $2, $3, $4, $5, $6, 1, '', $7)",
            {int64_t{n + 1}, prev, AuditLog::RowHash("wm", n + 1, prev, e), e.actor, e.method,
             e.resource, sql::Bytes{""}});
        expected = n + 1;
        break;
      }
      case kKinds:
        break;
    }
    const auto v = Verify();
    EXPECT_FALSE(v.ok()) << "trial " << trial << " kind " << kind << " row " << k;
    EXPECT_EQ(v.first_bad_seq(), expected) << "trial " << trial << " kind " << kind << " row " << k
                                           << " of " << n << ": " << v.DebugString();
  }
  for (int kind = 0; kind < kKinds; ++kind) {
    EXPECT_GT(seen[kind], 0) << "kind " << kind << " never drawn";
  }
}

}  // namespace
}  // namespace moot::decisions
