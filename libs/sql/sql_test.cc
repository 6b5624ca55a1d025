// The conformance suite on SQLite (a WAL file and an in-memory database), plus SQLite specifics.
#include <atomic>

#include "gtest/gtest.h"
#include "libs/sql/database.h"
#include "libs/sql/sql_conformance.h"
#include "libs/testing/test_util.h"

namespace moot::sql::testing {
namespace {

moot::testing::TempDir& Dir() {
  static auto* dir = new moot::testing::TempDir();
  return *dir;
}

SqlBackend SqliteFile() {
  return {"SqliteFile", [] {
            static std::atomic<int> n{0};
            return absl::StatusOr<std::string>(
                absl::StrCat("sqlite://", Dir().path(), "/test", n++, ".db"));
          }};
}

SqlBackend SqliteMemory() {
  return {"SqliteMemory", [] { return absl::StatusOr<std::string>("sqlite::memory:"); }, false};
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SqlConformanceTest,
                         ::testing::Values(SqliteFile(), SqliteMemory()), BackendName);

TEST(OpenTest, RejectsUnknownSchemesAndBadPoolSizes) {
  EXPECT_EQ(Open("mysql://x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Open("sqlite::memory:", 0).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(OpenTest, UnopenableFileIsUnavailable) {
  EXPECT_EQ(Open("sqlite:///nonexistent-dir/sub/x.db").status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(SqliteTest, ForeignKeysAreEnforcedAndWalIsOn) {
  auto db = Open(absl::StrCat("sqlite://", Dir().path(), "/fk.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  absl::Status s = (*db)->WithConnection([](Connection& conn) -> absl::Status {
    auto mode = conn.Execute("PRAGMA journal_mode");
    if (!mode.ok()) {
      return mode.status();
    }
    EXPECT_EQ(mode->rows.at(0).String(0), "wal");
    if (absl::Status st =
            conn.ExecuteScript("CREATE TABLE p (id BIGINT PRIMARY KEY); "
                               "CREATE TABLE c (id BIGINT PRIMARY KEY, p BIGINT REFERENCES p(id))");
        !st.ok()) {
      return st;
    }
    EXPECT_EQ(conn.Execute("INSERT INTO c (id, p) VALUES (1, 99)").status().code(),
              absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(conn.Execute("SELECT 1; SELECT 2").status().code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(conn.Execute("SELECT ?", {int64_t{1}}).status().code(),
              absl::StatusCode::kInvalidArgument);
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
}

}  // namespace
}  // namespace moot::sql::testing
