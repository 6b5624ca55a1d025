#include "libs/sql/postgres_database.h"

#include <libpq-fe.h>

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/sql/database_internal.h"
#include "libs/status/macros.h"

namespace moot::sql {
namespace {

// Type OIDs (src/include/catalog/pg_type.dat) read back as int64 or bytes.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;

// The advisory lock key that serialises Migrate across processes.
constexpr absl::string_view kMigrationLock = "SELECT pg_advisory_lock(7300310001)";
constexpr absl::string_view kMigrationUnlock = "SELECT pg_advisory_unlock(7300310001)";

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

absl::Status MapError(PGconn* conn, const PGresult* res, absl::string_view sql) {
  const char* text = res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn);
  std::string msg = absl::StrCat(
      "postgres: ", absl::StripTrailingAsciiWhitespace(text != nullptr ? text : "unknown error"),
      " [", sql.substr(0, 200), "]");
  if (PQstatus(conn) != CONNECTION_OK) {
    return absl::UnavailableError(msg);
  }
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  if (state == nullptr) {
    return absl::InternalError(msg);
  }
  absl::string_view code(state);
  if (code == "23505") {
    return absl::AlreadyExistsError(msg);
  }
  if (code == "40001" || code == "40P01") {
    return absl::AbortedError(msg);
  }
  if (absl::StartsWith(code, "08") || code == "57P01" || code == "57P02" || code == "57P03") {
    return absl::UnavailableError(msg);
  }
  if (absl::StartsWith(code, "42") || absl::StartsWith(code, "22")) {
    return absl::InvalidArgumentError(msg);
  }
  if (absl::StartsWith(code, "23")) {
    return absl::FailedPreconditionError(msg);
  }
  return absl::InternalError(absl::StrCat(msg, " (SQLSTATE ", code, ")"));
}

Value ColumnValue(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) {
    return Null{};
  }
  const char* p = PQgetvalue(res, row, col);
  const int len = PQgetlength(res, row, col);
  switch (PQftype(res, col)) {
    case kBoolOid:
      return int64_t{p[0] == 't' ? 1 : 0};
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      int64_t n = 0;
      if (absl::SimpleAtoi(absl::string_view(p, len), &n)) {
        return n;
      }
      return std::string(p, len);
    }
    case kByteaOid: {
      size_t out_len = 0;
      unsigned char* out = PQunescapeBytea(reinterpret_cast<const unsigned char*>(p), &out_len);
      if (out == nullptr) {
        return Bytes{};
      }
      Bytes b{std::string(reinterpret_cast<const char*>(out), out_len)};
      PQfreemem(out);
      return b;
    }
    default:
      return std::string(p, len);
  }
}

}  // namespace

class PostgresConnection : public Connection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) { Quiet(); }
  ~PostgresConnection() override { PQfinish(conn_); }

  // Re-establishes a connection the server dropped. False when that failed too.
  bool EnsureConnected() {
    if (PQstatus(conn_) == CONNECTION_OK) {
      return true;
    }
    cache_.clear();
    PQreset(conn_);
    Quiet();
    return PQstatus(conn_) == CONNECTION_OK;
  }
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  PGTransactionStatusType transaction_status() const { return PQtransactionStatus(conn_); }

  absl::StatusOr<Result> Execute(absl::string_view sql, const Params& params = {}) override {
    if (PQstatus(conn_) != CONNECTION_OK) {
      return absl::UnavailableError(
          absl::StrCat("postgres: connection lost: ", PQerrorMessage(conn_)));
    }
    MOOT_ASSIGN_OR_RETURN(const Prepared* stmt, Prepare(sql));
    if (static_cast<size_t>(stmt->nparams) != params.size()) {
      return absl::InvalidArgumentError(absl::StrCat(params.size(),
                                                     " params given but the statement uses ",
                                                     stmt->nparams, " [", sql.substr(0, 200), "]"));
    }
    std::vector<std::string> ints(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    std::vector<int> formats(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (const auto* n = std::get_if<int64_t>(&v)) {
        ints[i] = absl::StrCat(*n);
        values[i] = ints[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        if (s->find('\0') != std::string::npos) {
          return absl::InvalidArgumentError(
              absl::StrCat("text parameter $", i + 1, " contains a NUL byte; use Bytes"));
        }
        values[i] = s->c_str();
      } else if (const auto* b = std::get_if<Bytes>(&v)) {
        values[i] = b->data.data();
        lengths[i] = static_cast<int>(b->data.size());
        formats[i] = 1;
      }
    }
    ResultPtr res(PQexecPrepared(conn_, stmt->name.c_str(), static_cast<int>(params.size()),
                                 values.data(), lengths.data(), formats.data(), 0));
    const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_EMPTY_QUERY) {
      return absl::InvalidArgumentError("empty SQL statement");
    }
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      return MapError(conn_, res.get(), sql);
    }
    Result result;
    const int ncols = PQnfields(res.get());
    for (int c = 0; c < ncols; ++c) {
      result.columns.emplace_back(PQfname(res.get(), c));
    }
    const int nrows = PQntuples(res.get());
    result.rows.reserve(nrows);
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> row;
      row.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        row.push_back(ColumnValue(res.get(), r, c));
      }
      result.rows.emplace_back(std::move(row));
    }
    // Rows written by INSERT/UPDATE/DELETE/MERGE (with or without RETURNING); 0 for SELECT.
    const char* affected = PQcmdTuples(res.get());
    if (affected != nullptr && *affected != '\0' &&
        !absl::StartsWith(PQcmdStatus(res.get()), "SELECT")) {
      absl::SimpleAtoi(affected, &result.rows_affected);
    }
    return result;
  }

  absl::Status ExecuteScript(absl::string_view sql) override {
    if (PQstatus(conn_) != CONNECTION_OK) {
      return absl::UnavailableError("postgres: connection lost");
    }
    std::string text(sql);
    ResultPtr res(PQexec(conn_, text.c_str()));
    const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
      return MapError(conn_, res.get(), sql);
    }
    // The script may have changed the schema under cached plans; prepare afresh.
    if (!cache_.empty()) {
      ResultPtr dealloc(PQexec(conn_, "DEALLOCATE ALL"));
      cache_.clear();
    }
    return absl::OkStatus();
  }

 private:
  struct Prepared {
    std::string name;
    int nparams = 0;
  };

  void Quiet() {
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }

  absl::StatusOr<const Prepared*> Prepare(absl::string_view sql) {
    std::string key(sql);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      return &it->second;
    }
    Prepared p;
    p.name = absl::StrCat("moot_", ++next_id_);
    ResultPtr res(PQprepare(conn_, p.name.c_str(), key.c_str(), 0, nullptr));
    if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      return MapError(conn_, res.get(), sql);
    }
    ResultPtr desc(PQdescribePrepared(conn_, p.name.c_str()));
    if (!desc || PQresultStatus(desc.get()) != PGRES_COMMAND_OK) {
      return MapError(conn_, desc.get(), sql);
    }
    p.nparams = PQnparams(desc.get());
    return &cache_.emplace(std::move(key), std::move(p)).first->second;
  }

  PGconn* conn_;
  int64_t next_id_ = 0;
  absl::flat_hash_map<std::string, Prepared> cache_;
};

absl::StatusOr<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(absl::string_view conninfo,
                                                                         int pool_size) {
  std::vector<std::unique_ptr<PostgresConnection>> conns;
  const std::string info(conninfo);
  for (int i = 0; i < std::max(pool_size, 1); ++i) {
    PGconn* pg = PQconnectdb(info.c_str());
    if (pg == nullptr) {
      return absl::ResourceExhaustedError("postgres: out of memory");
    }
    if (PQstatus(pg) != CONNECTION_OK) {
      absl::Status s = absl::UnavailableError(absl::StrCat(
          "postgres: cannot connect: ", absl::StripTrailingAsciiWhitespace(PQerrorMessage(pg))));
      PQfinish(pg);
      return s;
    }
    conns.push_back(std::make_unique<PostgresConnection>(pg));
  }
  return std::unique_ptr<PostgresDatabase>(new PostgresDatabase(std::move(conns)));
}

PostgresDatabase::PostgresDatabase(std::vector<std::unique_ptr<PostgresConnection>> conns)
    : pool_(std::move(conns)) {}

PostgresDatabase::~PostgresDatabase() = default;

namespace {

absl::Status Attempt(PostgresConnection& conn,
                     const std::function<absl::Status(Connection&)>& body) {
  MOOT_RETURN_IF_ERROR(conn.Execute("BEGIN ISOLATION LEVEL SERIALIZABLE").status());
  absl::Status status = body(conn);
  if (status.ok()) {
    if (conn.transaction_status() == PQTRANS_INERROR) {
      status = absl::InternalError(
          "postgres: a statement failed inside the transaction and the body ignored it");
    } else {
      status = conn.Execute("COMMIT").status();
    }
  }
  if (!conn.broken() && conn.transaction_status() != PQTRANS_IDLE) {
    conn.Execute("ROLLBACK").IgnoreError();
  }
  return status;
}

}  // namespace

absl::Status PostgresDatabase::Transact(const std::function<absl::Status(Connection&)>& body) {
  absl::Status status;
  {
    auto conn = pool_.Acquire();
    bool reconnected = false;
    status = internal::RetryAborted([&]() -> absl::Status {
      while (true) {
        conn->EnsureConnected();
        absl::Status attempt = Attempt(*conn, body);
        if (attempt.code() == absl::StatusCode::kUnavailable && conn->broken() && !reconnected) {
          reconnected = true;  // A connection the server dropped while it idled in the pool.
          continue;
        }
        return attempt;
      }
    });
  }  // The connection is back in the pool before the hook runs.
  if (status.ok()) {
    RunAfterCommit();
  }
  return status;
}

absl::Status PostgresDatabase::WithConnection(
    const std::function<absl::Status(Connection&)>& body) {
  auto conn = pool_.Acquire();
  conn->EnsureConnected();
  absl::Status status = body(*conn);
  if (!conn->broken() && conn->transaction_status() != PQTRANS_IDLE) {
    conn->Execute("ROLLBACK").IgnoreError();
  }
  return status;
}

absl::Status PostgresDatabase::Migrate(absl::string_view component,
                                       const std::vector<Migration>& migrations) {
  return WithConnection([&](Connection& conn) {
    return internal::ApplyMigrations(conn, Dialect::kPostgres,
                                     {kMigrationLock, kMigrationUnlock, "BEGIN"}, component,
                                     migrations);
  });
}

absl::Status PostgresDatabase::Ping() {
  return WithConnection([](Connection& conn) { return conn.Execute("SELECT 1").status(); });
}

}  // namespace moot::sql
