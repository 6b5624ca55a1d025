// The one store-level test suite that every moot::sql driver must pass. Include it from exactly one
// test file per driver and instantiate SqlConformanceTest with that driver's SqlBackend.
#pragma once

#include <atomic>
#include <functional>
#include <limits>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/sql/database.h"

namespace moot::sql::testing {

struct SqlBackend {
  std::string name;
  // A URL naming a fresh, empty database; called once per test.
  std::function<absl::StatusOr<std::string>()> new_database;
  // Whether two Open() calls on that URL share the data (false for "sqlite::memory:").
  bool shared = true;
  // Non-empty when the backend cannot run here (the test is skipped with this message).
  std::function<std::string()> skip_reason = [] { return std::string(); };
};

inline void PrintTo(const SqlBackend& backend, std::ostream* os) { *os << backend.name; }

inline std::string BackendName(const ::testing::TestParamInfo<SqlBackend>& info) {
  return info.param.name;
}

class SqlConformanceTest : public ::testing::TestWithParam<SqlBackend> {
 protected:
  void SetUp() override {
    std::string skip = GetParam().skip_reason();
    if (!skip.empty()) {
      GTEST_SKIP() << skip;
    }
    auto url = GetParam().new_database();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    auto db = Open(url_, 4);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
  }

  // Another handle on the same database where the backend allows it, else the same one.
  Database& Other() {
    if (!GetParam().shared) {
      return *db_;
    }
    if (other_ == nullptr) {
      auto db = Open(url_, 4);
      EXPECT_TRUE(db.ok()) << db.status();
      if (!db.ok()) {
        return *db_;
      }
      other_ = std::move(*db);
    }
    return *other_;
  }

  std::string BlobType() const { return db_->dialect() == Dialect::kSqlite ? "BLOB" : "BYTEA"; }

  absl::StatusOr<Result> Exec(Database& db, const std::string& sql, const Params& params = {}) {
    absl::StatusOr<Result> out;
    absl::Status s = db.WithConnection([&](Connection& conn) {
      out = conn.Execute(sql, params);
      return out.status();
    });
    if (!s.ok()) {
      return s;
    }
    return out;
  }
  absl::StatusOr<Result> Exec(const std::string& sql, const Params& params = {}) {
    return Exec(*db_, sql, params);
  }

  int64_t Count(Database& db, const std::string& table) {
    auto r = Exec(db, "SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() && r->rows.size() == 1 ? r->rows[0].Int(0) : -1;
  }

  void CreateItems() {
    ASSERT_TRUE(Exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT UNIQUE, n BIGINT, "
                     "data " +
                     BlobType() + ")")
                    .ok());
  }

  std::string url_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Database> other_;
};

TEST_P(SqlConformanceTest, ValuesRoundTripWithTheirTypes) {
  CreateItems();
  const std::string unicode = "Zo\xc3\xab \xf0\x9f\x9a\x93 \xc3\xb1 'quoted' \\ \"";
  const std::string binary("\0\x01\xff\0z", 5);
  struct Case {
    int64_t id;
    Value name, n, data;
  };
  const std::vector<Case> cases = {
      {1, std::string(unicode), std::numeric_limits<int64_t>::max(), Bytes{binary}},
      {2, std::string(""), std::numeric_limits<int64_t>::min(), Bytes{""}},
      {3, Null{}, Null{}, Null{}},
      {4, std::string("zero"), int64_t{0}, Bytes{std::string(1, '\0')}},
  };
  for (const Case& c : cases) {
    auto r = Exec("INSERT INTO items (id, name, n, data) VALUES ($1, $2, $3, $4)",
                  {c.id, c.name, c.n, c.data});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->rows_affected, 1);
  }
  auto r = Exec("SELECT id, name, n, data FROM items ORDER BY id");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), cases.size());
  EXPECT_EQ(r->columns, (std::vector<std::string>{"id", "name", "n", "data"}));
  for (size_t i = 0; i < cases.size(); ++i) {
    const Row& row = r->rows[i];
    EXPECT_EQ(row.value(0), Value(cases[i].id));
    EXPECT_EQ(row.value(1), cases[i].name) << i;
    EXPECT_EQ(row.value(2), cases[i].n) << i;
    EXPECT_EQ(row.value(3), cases[i].data) << i;
  }
  EXPECT_EQ(*r->rows[0].GetString(1), unicode);
  EXPECT_EQ(*r->rows[0].GetBytes(3), binary);
  EXPECT_TRUE(r->rows[2].IsNull(1));
  EXPECT_FALSE(r->rows[1].IsNull(1));
  // Bytes compare by value in WHERE clauses too.
  auto found = Exec("SELECT id FROM items WHERE data = $1", {Bytes{binary}});
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->rows.size(), 1u);
  EXPECT_EQ(found->rows[0].Int(0), 1);
}

TEST_P(SqlConformanceTest, PlaceholdersBindByNumberNotPosition) {
  CreateItems();
  auto ins = Exec("INSERT INTO items (name, id, n) VALUES ($2, $1, $1)",
                  {int64_t{7}, std::string("seven")});
  ASSERT_TRUE(ins.ok()) << ins.status();
  auto r = Exec("SELECT name, n FROM items WHERE id = $1 AND n = $1", {int64_t{7}});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].String(0), "seven");
  EXPECT_EQ(r->rows[0].Int(1), 7);
  // Too few or too many parameters is the caller's mistake, not a crash.
  EXPECT_EQ(Exec("SELECT name FROM items WHERE id = $2", {int64_t{7}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Exec("SELECT name FROM items WHERE id = $1", {int64_t{7}, int64_t{8}}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(SqlConformanceTest, UniqueViolationIsAlreadyExists) {
  CreateItems();
  ASSERT_TRUE(Exec("INSERT INTO items (id, name) VALUES (1, 'a')").ok());
  EXPECT_EQ(Exec("INSERT INTO items (id, name) VALUES (1, 'b')").status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Exec("INSERT INTO items (id, name) VALUES (2, 'a')").status().code(),
            absl::StatusCode::kAlreadyExists);
  // ON CONFLICT works in both dialects.
  auto upsert = Exec(
      "INSERT INTO items (id, name) VALUES (1, 'c') ON CONFLICT (id) DO UPDATE "
      "SET name = excluded.name RETURNING name");
  ASSERT_TRUE(upsert.ok()) << upsert.status();
  ASSERT_EQ(upsert->rows.size(), 1u);
  EXPECT_EQ(upsert->rows[0].String(0), "c");
  EXPECT_EQ(Count(*db_, "items"), 1);
}

TEST_P(SqlConformanceTest, FailedTransactionLeavesNothing) {
  CreateItems();
  ASSERT_TRUE(Exec("INSERT INTO items (id, name) VALUES (1, 'a')").ok());
  // The body's own error rolls back what it wrote.
  absl::Status s = db_->Transact([](Connection& conn) -> absl::Status {
    auto r = conn.Execute("INSERT INTO items (id, name) VALUES (2, 'b')");
    if (!r.ok()) {
      return r.status();
    }
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  // A failing statement rolls back the earlier ones in the same transaction.
  s = db_->Transact([](Connection& conn) -> absl::Status {
    auto r = conn.Execute("INSERT INTO items (id, name) VALUES (3, 'c')");
    if (!r.ok()) {
      return r.status();
    }
    return conn.Execute("INSERT INTO items (id, name) VALUES (4, 'a')").status();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(*db_, "items"), 1);
  EXPECT_EQ(Count(Other(), "items"), 1);
}

TEST_P(SqlConformanceTest, CommittedTransactionIsVisibleToOthers) {
  CreateItems();
  ASSERT_TRUE(db_->Transact([](Connection& conn) -> absl::Status {
                   for (int64_t i = 1; i <= 3; ++i) {
                     auto r = conn.Execute("INSERT INTO items (id, name, n) VALUES ($1, $2, 0)",
                                           {i, absl::StrCat("item", i)});
                     if (!r.ok()) {
                       return r.status();
                     }
                   }
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(Count(Other(), "items"), 3);
  auto upd = Exec(Other(), "UPDATE items SET n = n + 1 WHERE id >= $1", {int64_t{2}});
  ASSERT_TRUE(upd.ok()) << upd.status();
  EXPECT_EQ(upd->rows_affected, 2);
  auto sum = Exec("SELECT SUM(n) FROM items");
  ASSERT_TRUE(sum.ok()) << sum.status();
  EXPECT_EQ(*sum->rows[0].GetInt(0), 2);  // NUMERIC on PostgreSQL, read as an integer.
}

TEST_P(SqlConformanceTest, BadSqlIsInvalidArgumentAndTheConnectionSurvives) {
  EXPECT_EQ(Exec("SELEC 1").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Exec("SELECT * FROM no_such_table").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Exec("").status().code(), absl::StatusCode::kInvalidArgument);
  absl::Status s = db_->Transact(
      [](Connection& conn) { return conn.Execute("SELECT nope FROM nowhere").status(); });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(db_->Ping().ok());
  auto r = Exec("SELECT 40 + 2");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rows[0].Int(0), 42);
}

TEST_P(SqlConformanceTest, WrongTypeOrIndexIsAnErrorNotACrash) {
  CreateItems();
  ASSERT_TRUE(Exec("INSERT INTO items (id, name, n) VALUES (1, 'abc', NULL)").ok());
  auto r = Exec("SELECT id, name, n FROM items");
  ASSERT_TRUE(r.ok()) << r.status();
  const Row& row = r->rows.at(0);
  EXPECT_EQ(row.GetInt(1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(row.GetString(0).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(row.GetInt(2).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(row.GetBytes(9).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_TRUE(row.IsNull(2));
  EXPECT_TRUE(row.IsNull(9));
  EXPECT_EQ(row.Int(1), 0);
  EXPECT_EQ(row.String(0), "");
  EXPECT_EQ(row.Int(0), 1);
}

TEST_P(SqlConformanceTest, MigrationsApplyOnceInVersionOrder) {
  const std::vector<Migration> v1 = {
      {2, "add_rank", "ALTER TABLE things ADD COLUMN rnk BIGINT NOT NULL DEFAULT 5"},
      {1, "create_things",
       "CREATE TABLE things (id BIGINT PRIMARY KEY); "
       "CREATE INDEX things_by_id ON things (id)"},
  };
  ASSERT_TRUE(db_->Migrate("alpha", v1).ok());
  ASSERT_TRUE(db_->Migrate("alpha", v1).ok());  // Idempotent: CREATE TABLE would fail twice.
  std::vector<Migration> v2 = v1;
  Migration dialects{3, "dialect_specific", "", "INSERT INTO things (id) VALUES (3)",
                     "INSERT INTO things (id) VALUES (3)"};
  v2.push_back(dialects);
  ASSERT_TRUE(db_->Migrate("alpha", v2).ok());
  // Another component keeps its own versions.
  ASSERT_TRUE(db_->Migrate("beta", {{1, "other", "CREATE TABLE beta_things (x TEXT)"}}).ok());
  auto r = Exec(
      "SELECT component, version, name FROM schema_migrations "
      "ORDER BY component, version");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 4u);
  EXPECT_EQ(r->rows[2].String(2), "dialect_specific");
  EXPECT_EQ(r->rows[3].String(0), "beta");
  auto things = Exec("SELECT id, rnk FROM things");
  ASSERT_TRUE(things.ok()) << things.status();
  ASSERT_EQ(things->rows.size(), 1u);
  EXPECT_EQ(things->rows[0].Int(1), 5);

  // A failing migration is not recorded and leaves no partial change; earlier ones stay.
  std::vector<Migration> bad = v2;
  bad.push_back({4, "broken", "CREATE TABLE half (x BIGINT); INSERT INTO nowhere VALUES (1)"});
  EXPECT_FALSE(db_->Migrate("alpha", bad).ok());
  EXPECT_EQ(Exec("SELECT * FROM half").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Count(*db_, "schema_migrations"), 4);
  EXPECT_EQ(db_->Migrate("alpha", {{1, "a", "x"}, {1, "b", "y"}}).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(SqlConformanceTest, ConcurrentMigrationsApplyEachVersionOnce) {
  const std::vector<Migration> m = {
      {1, "create", "CREATE TABLE once (id BIGINT PRIMARY KEY)"},
      {2, "seed", "INSERT INTO once (id) VALUES (1)"},
  };
  Database& other = Other();
  absl::Status a, b;
  std::thread t1([&] { a = db_->Migrate("gamma", m); });
  std::thread t2([&] { b = other.Migrate("gamma", m); });
  t1.join();
  t2.join();
  EXPECT_TRUE(a.ok()) << a;
  EXPECT_TRUE(b.ok()) << b;
  EXPECT_EQ(Count(*db_, "once"), 1);
  EXPECT_EQ(Count(*db_, "schema_migrations"), 2);
}

TEST_P(SqlConformanceTest, ConcurrentReadModifyWriteTransactionsLoseNoUpdate) {
  ASSERT_TRUE(Exec("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)").ok());
  ASSERT_TRUE(Exec("INSERT INTO counter (id, n) VALUES (1, 0)").ok());
  constexpr int kThreads = 8;
  constexpr int kIncrements = 15;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    Database& db = (t % 2 == 0) ? *db_ : Other();
    threads.emplace_back([&db, &failures] {
      for (int i = 0; i < kIncrements; ++i) {
        absl::Status s = db.Transact([](Connection& conn) -> absl::Status {
          auto r = conn.Execute("SELECT n FROM counter WHERE id = 1");
          if (!r.ok()) {
            return r.status();
          }
          return conn.Execute("UPDATE counter SET n = $1 WHERE id = 1", {r->rows[0].Int(0) + 1})
              .status();
        });
        if (!s.ok()) {
          ADD_FAILURE() << s;
          failures++;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
  auto r = Exec("SELECT n FROM counter WHERE id = 1");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rows[0].Int(0), kThreads * kIncrements);
}

TEST_P(SqlConformanceTest, AfterCommitHookRunsOncePerCommitAndNeverOnRollback) {
  CreateItems();
  std::atomic<int> commits{0};
  // The hook sees the committed row from another connection: it runs after COMMIT.
  std::atomic<int64_t> seen_by_hook{-1};
  db_->SetAfterCommit([&] {
    commits++;
    seen_by_hook = Count(Other(), "items");
  });
  ASSERT_TRUE(db_->Transact([](Connection& conn) {
                   return conn.Execute("INSERT INTO items (id, name) VALUES (1, 'a')").status();
                 })
                  .ok());
  EXPECT_EQ(commits.load(), 1);
  EXPECT_EQ(seen_by_hook.load(), 1);
  // A rolled-back transaction and a plain connection do not run it.
  EXPECT_FALSE(db_->Transact([](Connection&) { return absl::InternalError("no"); }).ok());
  ASSERT_TRUE(db_->WithConnection([](Connection& conn) {
                   return conn.Execute("INSERT INTO items (id, name) VALUES (2, 'b')").status();
                 })
                  .ok());
  EXPECT_EQ(commits.load(), 1);
  db_->SetAfterCommit(nullptr);
}

// Many writers of one process on one database: every one commits (no busy timeouts, no lost
// update), each commit runs the hook once, and a writer may read on a second connection inside
// its transaction while others wait (the writer lock is taken before a connection).
TEST_P(SqlConformanceTest, ManyWritersOfOneDatabaseAllCommitAndMayReadInside) {
  ASSERT_TRUE(Exec("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)").ok());
  ASSERT_TRUE(Exec("INSERT INTO counter (id, n) VALUES (1, 0)").ok());
  std::atomic<int> commits{0};
  db_->SetAfterCommit([&commits] { commits++; });
  constexpr int kThreads = 8;
  constexpr int kIncrements = 20;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this] {
      for (int i = 0; i < kIncrements; ++i) {
        absl::Status s = db_->Transact([this](Connection& conn) -> absl::Status {
          if (GetParam().shared && db_->dialect() == Dialect::kSqlite) {
            // A read on another pooled connection (WAL readers do not block the writer).
            absl::Status read = db_->WithConnection(
                [](Connection& other) { return other.Execute("SELECT n FROM counter").status(); });
            if (!read.ok()) {
              return read;
            }
          }
          auto r = conn.Execute("SELECT n FROM counter WHERE id = 1");
          if (!r.ok()) {
            return r.status();
          }
          return conn.Execute("UPDATE counter SET n = $1 WHERE id = 1", {r->rows[0].Int(0) + 1})
              .status();
        });
        EXPECT_TRUE(s.ok()) << s;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  db_->SetAfterCommit(nullptr);
  auto r = Exec("SELECT n FROM counter WHERE id = 1");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rows[0].Int(0), kThreads * kIncrements);
  EXPECT_EQ(commits.load(), kThreads * kIncrements);
}

TEST_P(SqlConformanceTest, PingAnswers) { EXPECT_TRUE(db_->Ping().ok()); }

}  // namespace moot::sql::testing
