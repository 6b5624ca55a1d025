#include "libs/sql/sqlite_database.h"

#include <sqlite3.h>

#include <cctype>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/sql/database_internal.h"
#include "libs/status/macros.h"

namespace moot::sql {
namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr size_t kMaxCachedStatements = 256;

absl::Status MapError(sqlite3* db, int rc, absl::string_view sql) {
  const int ext = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string msg =
      absl::StrCat("sqlite: ", db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc), " [",
                   sql.substr(0, 200), "]");
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return absl::AlreadyExistsError(msg);
    default:
      break;
  }
  switch (ext & 0xff) {
    case SQLITE_CONSTRAINT:
      return absl::FailedPreconditionError(msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::AbortedError(msg);
    case SQLITE_ERROR:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
      return absl::InvalidArgumentError(msg);
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
      return absl::UnavailableError(msg);
    default:
      return absl::InternalError(msg);
  }
}

}  // namespace

class SqliteConnection : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) {
      sqlite3_finalize(stmt);
    }
    sqlite3_close_v2(db_);
  }

  absl::StatusOr<Result> Execute(absl::string_view sql, const Params& params = {}) override {
    MOOT_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    absl::Status bound = Bind(stmt, params);
    if (!bound.ok()) {
      sqlite3_clear_bindings(stmt);
      return bound;
    }
    Result result;
    const int ncols = sqlite3_column_count(stmt);
    for (int c = 0; c < ncols; ++c) {
      const char* name = sqlite3_column_name(stmt, c);
      result.columns.emplace_back(name != nullptr ? name : "");
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Value> values;
      values.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        values.push_back(ColumnValue(stmt, c));
      }
      result.rows.emplace_back(std::move(values));
    }
    absl::Status status;
    if (rc != SQLITE_DONE) {
      status = MapError(db_, rc, sql);
    } else if (!sqlite3_stmt_readonly(stmt)) {
      result.rows_affected = sqlite3_changes64(db_);
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (!status.ok()) {
      return status;
    }
    return result;
  }

  absl::Status ExecuteScript(absl::string_view sql) override {
    std::string text(sql);
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      return MapError(db_, rc, sql);
    }
    // A script may change the schema; cached statements re-prepare themselves, but drop them
    // anyway so that the cache does not pin dropped tables.
    ClearCache();
    return absl::OkStatus();
  }

  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

 private:
  absl::StatusOr<sqlite3_stmt*> Prepare(absl::string_view sql) {
    std::string key(sql);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      return it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
      return MapError(db_, rc, sql);
    }
    if (stmt == nullptr) {
      return absl::InvalidArgumentError("empty SQL statement");
    }
    for (const char* p = tail; p != nullptr && p < key.data() + key.size(); ++p) {
      if (!std::isspace(static_cast<unsigned char>(*p)) && *p != ';') {
        sqlite3_finalize(stmt);
        return absl::InvalidArgumentError(
            absl::StrCat("Execute takes one statement (use ExecuteScript): ", sql.substr(0, 200)));
      }
    }
    if (cache_.size() >= kMaxCachedStatements) {
      ClearCache();
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  void ClearCache() {
    for (auto& [sql, stmt] : cache_) {
      sqlite3_finalize(stmt);
    }
    cache_.clear();
  }

  static absl::Status Bind(sqlite3_stmt* stmt, const Params& params) {
    const int n = sqlite3_bind_parameter_count(stmt);
    size_t highest = 0;
    for (int j = 1; j <= n; ++j) {
      const char* name = sqlite3_bind_parameter_name(stmt, j);
      size_t k = 0;
      if (name == nullptr || name[0] != '$' || !absl::SimpleAtoi(name + 1, &k) || k < 1) {
        return absl::InvalidArgumentError(
            absl::StrCat("placeholders must be $1..$n, got ", name != nullptr ? name : "?"));
      }
      if (k > params.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("statement uses $", k, " but only ", params.size(), " params given"));
      }
      highest = std::max(highest, k);
      const Value& v = params[k - 1];
      int rc = SQLITE_OK;
      if (const auto* i = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, j, *i);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, j, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else if (const auto* b = std::get_if<Bytes>(&v)) {
        // A non-null pointer so that an empty blob is not bound as NULL.
        rc = sqlite3_bind_blob64(stmt, j, b->data.empty() ? "" : b->data.data(), b->data.size(),
                                 SQLITE_STATIC);
      } else {
        rc = sqlite3_bind_null(stmt, j);
      }
      if (rc != SQLITE_OK) {
        return absl::InvalidArgumentError(
            absl::StrCat("cannot bind $", k, ": ", sqlite3_errstr(rc)));
      }
    }
    if (highest != params.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(params.size(), " params given but the statement uses up to $", highest));
    }
    return absl::OkStatus();
  }

  static Value ColumnValue(sqlite3_stmt* stmt, int c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER:
        return int64_t{sqlite3_column_int64(stmt, c)};
      case SQLITE_BLOB: {
        const void* p = sqlite3_column_blob(stmt, c);
        const int len = sqlite3_column_bytes(stmt, c);
        return Bytes{p != nullptr ? std::string(static_cast<const char*>(p), len) : std::string()};
      }
      case SQLITE_NULL:
        return Null{};
      default: {  // TEXT, and FLOAT as its text form.
        const unsigned char* p = sqlite3_column_text(stmt, c);
        const int len = sqlite3_column_bytes(stmt, c);
        return p != nullptr ? std::string(reinterpret_cast<const char*>(p), len) : std::string();
      }
    }
  }

  sqlite3* db_;
  absl::flat_hash_map<std::string, sqlite3_stmt*> cache_;
};

namespace {

absl::StatusOr<std::unique_ptr<SqliteConnection>> Connect(const std::string& path, bool memory) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status s =
        absl::UnavailableError(absl::StrCat("cannot open sqlite database ", path, ": ",
                                            db != nullptr ? sqlite3_errmsg(db) : "no memory"));
    sqlite3_close_v2(db);
    return s;
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  std::string pragmas = "PRAGMA foreign_keys = ON;";
  if (!memory) {
    pragmas += "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
  }
  MOOT_RETURN_IF_ERROR(conn->ExecuteScript(pragmas));
  return conn;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(absl::string_view path,
                                                                     int pool_size) {
  const bool memory = path.empty() || path == ":memory:";
  const int n = memory ? 1 : std::max(pool_size, 1);
  std::vector<std::unique_ptr<SqliteConnection>> conns;
  for (int i = 0; i < n; ++i) {
    MOOT_ASSIGN_OR_RETURN(auto conn, Connect(memory ? ":memory:" : std::string(path), memory));
    conns.push_back(std::move(conn));
  }
  return std::unique_ptr<SqliteDatabase>(new SqliteDatabase(std::move(conns)));
}

SqliteDatabase::SqliteDatabase(std::vector<std::unique_ptr<SqliteConnection>> conns)
    : pool_(std::move(conns)) {}

SqliteDatabase::~SqliteDatabase() = default;

namespace {
// The SqliteDatabase whose writer lock this thread holds, if any (see Transact).
thread_local const SqliteDatabase* writing_on = nullptr;
}  // namespace

absl::Status SqliteDatabase::Transact(const std::function<absl::Status(Connection&)>& body) {
  // Writers of this process queue on a mutex instead of in SQLite's busy handler, which sleeps
  // 1, 2, 5, 10 ... 100 ms between tries and so turns contention into tail latency. The lock is
  // taken before a connection, so waiting writers hold none and a body may still read on a
  // second connection. BEGIN IMMEDIATE still serialises against other processes. A Transact
  // nested in another on the same thread skips the lock (and, as before, times out in SQLite).
  struct WriterLock {
    absl::Mutex* mu = nullptr;  // Null when this thread already holds it (nested Transact).
    ~WriterLock() {
      if (mu != nullptr) {
        writing_on = nullptr;
        mu->Unlock();
      }
    }
  } writer;
  if (writing_on != this) {
    writer_mu_.Lock();
    writer.mu = &writer_mu_;
    writing_on = this;
  }
  absl::Status status;
  {
    auto conn = pool_.Acquire();
    status = internal::RetryAborted([&]() -> absl::Status {
      MOOT_RETURN_IF_ERROR(conn->Execute("BEGIN IMMEDIATE").status());
      absl::Status attempt = body(*conn);
      if (attempt.ok()) {
        attempt = conn->Execute("COMMIT").status();
      }
      if (conn->InTransaction()) {
        conn->Execute("ROLLBACK").IgnoreError();
      }
      return attempt;
    });
  }
  if (writer.mu != nullptr) {
    writing_on = nullptr;
    writer.mu = nullptr;
    writer_mu_.Unlock();  // Before the hook: it may start another transaction.
  }
  if (status.ok()) {
    RunAfterCommit();
  }
  return status;
}

absl::Status SqliteDatabase::WithConnection(const std::function<absl::Status(Connection&)>& body) {
  auto conn = pool_.Acquire();
  absl::Status status = body(*conn);
  if (conn->InTransaction()) {  // Never hand back a connection inside a forgotten transaction.
    conn->Execute("ROLLBACK").IgnoreError();
  }
  return status;
}

absl::Status SqliteDatabase::Migrate(absl::string_view component,
                                     const std::vector<Migration>& migrations) {
  return WithConnection([&](Connection& conn) {
    return internal::ApplyMigrations(conn, Dialect::kSqlite, {"", "", "BEGIN IMMEDIATE"}, component,
                                     migrations);
  });
}

absl::Status SqliteDatabase::Ping() {
  return WithConnection([](Connection& conn) { return conn.Execute("SELECT 1").status(); });
}

}  // namespace moot::sql
