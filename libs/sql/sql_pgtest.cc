// The conformance suite on PostgreSQL (a server started by the test), plus PostgreSQL specifics.
#include <atomic>

#include "gtest/gtest.h"
#include "libs/sql/database.h"
#include "libs/sql/postgres_database.h"
#include "libs/sql/sql_conformance.h"
#include "libs/testing/postgres_server.h"

namespace moot::sql::testing {
namespace {

// One server for the whole binary (started on first use, stopped after the last test); a
// database per test. Only the main thread touches it (from SetUp and the environment).
absl::StatusOr<std::unique_ptr<moot::testing::PostgresServer>>* g_server = nullptr;

absl::StatusOr<moot::testing::PostgresServer*> Server() {
  if (g_server == nullptr) {
    g_server = new absl::StatusOr<std::unique_ptr<moot::testing::PostgresServer>>(
        moot::testing::PostgresServer::Start());
  }
  if (!g_server->ok()) {
    return g_server->status();
  }
  return g_server->value().get();
}

class StopServer : public ::testing::Environment {
 public:
  void TearDown() override {
    delete g_server;
    g_server = nullptr;
  }
};

absl::StatusOr<std::string> NewDatabase() {
  static std::atomic<int> n{0};
  auto server = Server();
  if (!server.ok()) {
    return server.status();
  }
  const std::string name = absl::StrCat("t", n++);
  auto admin = Open((*server)->url(), 1);
  if (!admin.ok()) {
    return admin.status();
  }
  absl::Status s = (*admin)->WithConnection(
      [&](Connection& conn) { return conn.ExecuteScript(absl::StrCat("CREATE DATABASE ", name)); });
  if (!s.ok()) {
    return s;
  }
  return (*server)->url(name);
}

SqlBackend Postgres() {
  return {"Postgres", NewDatabase, true,
          [] { return moot::testing::PostgresServer::UnavailableReason(); }};
}

INSTANTIATE_TEST_SUITE_P(Postgres, SqlConformanceTest, ::testing::Values(Postgres()), BackendName);

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string why = moot::testing::PostgresServer::UnavailableReason(); !why.empty()) {
      GTEST_SKIP() << why;
    }
    auto url = NewDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
  }
  std::string url_;
};

TEST_F(PostgresTest, DroppedPooledConnectionIsReestablished) {
  auto db = Open(url_, 1);
  ASSERT_TRUE(db.ok()) << db.status();
  auto admin = Open(url_, 1);
  ASSERT_TRUE(admin.ok()) << admin.status();
  int64_t pid = 0;
  ASSERT_TRUE((*db)
                  ->WithConnection([&](Connection& conn) -> absl::Status {
                    auto r = conn.Execute("SELECT pg_backend_pid()");
                    if (r.ok()) {
                      pid = r->rows.at(0).Int(0);
                    }
                    return r.status();
                  })
                  .ok());
  ASSERT_GT(pid, 0);
  auto killed = (*admin)->WithConnection([&](Connection& conn) {
    return conn.Execute("SELECT pg_terminate_backend($1::int)", {pid}).status();
  });
  ASSERT_TRUE(killed.ok()) << killed;
  // The next transaction notices the dead connection, reconnects and runs the body again.
  int runs = 0;
  absl::Status s = (*db)->Transact([&](Connection& conn) {
    ++runs;
    return conn.Execute("SELECT 1").status();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_GE(runs, 1);
  EXPECT_TRUE((*db)->Ping().ok());
}

TEST_F(PostgresTest, UnreachableServerIsUnavailable) {
  auto db = Open("postgresql://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", 1);
  EXPECT_EQ(db.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(PostgresTest, TextWithNulIsRejectedNotTruncated) {
  auto db = Open(url_, 1);
  ASSERT_TRUE(db.ok()) << db.status();
  absl::Status s = (*db)->WithConnection([](Connection& conn) {
    return conn.Execute("SELECT $1::text", {std::string("a\0b", 3)}).status();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(PostgresTest, IgnoredStatementErrorFailsTheTransaction) {
  auto db = Open(url_, 1);
  ASSERT_TRUE(db.ok()) << db.status();
  absl::Status s = (*db)->Transact([](Connection& conn) {
    conn.Execute("SELECT nope").IgnoreError();
    return absl::OkStatus();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_TRUE((*db)->Ping().ok());
}

}  // namespace
}  // namespace moot::sql::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new moot::sql::testing::StopServer());
  return RUN_ALL_TESTS();
}
