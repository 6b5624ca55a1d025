#include "services/decisions/audit_log.h"

#include <openssl/evp.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/macros.h"

namespace moot::decisions {
namespace {

// Appends `value` prefixed by its length, so that no two field lists serialise alike.
void Field(std::string& out, absl::string_view value) {
  absl::StrAppend(&out, value.size(), ":", value, ";");
}

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), static_cast<size_t>(size)));
}

}  // namespace

std::vector<sql::Migration> AuditLog::Migrations() {
  return {
      {.version = 1,
       .name = "audit chain",
       .sql = "CREATE TABLE audit_log ("
              " tenant_id TEXT NOT NULL,"
              " seq BIGINT NOT NULL,"
              " prev_hash TEXT NOT NULL,"
              " hash TEXT NOT NULL,"
              " actor TEXT NOT NULL,"
              " method TEXT NOT NULL,"
              " resource TEXT NOT NULL,"
              " time_us BIGINT NOT NULL,"
              " trace_id TEXT NOT NULL,"
              " change BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, seq));"
              "CREATE TABLE audit_head ("
              " tenant_id TEXT NOT NULL PRIMARY KEY,"
              " seq BIGINT NOT NULL,"
              " hash TEXT NOT NULL);"},
  };
}

std::string AuditLog::Canonical(const google::protobuf::Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

std::string AuditLog::RowHash(const std::string& tenant, int64_t seq, const std::string& prev_hash,
                              const AuditEntry& entry) {
  std::string data;
  Field(data, absl::StrCat(seq));
  Field(data, tenant);
  Field(data, prev_hash);
  Field(data, entry.actor);
  Field(data, entry.method);
  Field(data, entry.resource);
  Field(data, absl::StrCat(absl::ToUnixMicros(entry.time)));
  Field(data, entry.trace_id);
  Field(data, entry.change);
  return Sha256Hex(data);
}

absl::StatusOr<int64_t> AuditLog::Append(sql::Connection& tx, const std::string& tenant,
                                         const AuditEntry& entry) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result head,
      tx.Execute("SELECT seq, hash FROM audit_head WHERE tenant_id = $1", {tenant}));
  int64_t seq = 1;
  std::string prev_hash;
  if (!head.rows.empty()) {
    seq = head.rows[0].Int(0) + 1;
    prev_hash = head.rows[0].String(1);
  }
  const std::string hash = RowHash(tenant, seq, prev_hash, entry);
  MOOT_RETURN_IF_ERROR(
      tx.Execute("INSERT INTO audit_log (tenant_id, seq, prev_hash, hash, actor, method, resource,"
                 " time_us, trace_id, change) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                 {tenant, seq, prev_hash, hash, entry.actor, entry.method, entry.resource,
                  absl::ToUnixMicros(entry.time), entry.trace_id, sql::Bytes{entry.change}})
          .status());
  if (head.rows.empty()) {
    MOOT_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO audit_head (tenant_id, seq, hash) VALUES ($1, $2, $3)",
                   {tenant, seq, hash})
            .status());
  } else {
    MOOT_RETURN_IF_ERROR(
        tx.Execute("UPDATE audit_head SET seq = $1, hash = $2 WHERE tenant_id = $3",
                   {seq, hash, tenant})
            .status());
  }
  return seq;
}

absl::StatusOr<v1::AuditVerification> AuditLog::Verify(sql::Connection& conn,
                                                       const std::string& tenant) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result rows,
      conn.Execute("SELECT seq, prev_hash, hash, actor, method, resource, time_us, trace_id,"
                   " change FROM audit_log WHERE tenant_id = $1 ORDER BY seq",
                   {tenant}));
  MOOT_ASSIGN_OR_RETURN(
      sql::Result head,
      conn.Execute("SELECT seq, hash FROM audit_head WHERE tenant_id = $1", {tenant}));
  v1::AuditVerification out;
  auto bad = [&](int64_t seq, absl::string_view problem) {
    out.set_ok(false);
    out.set_first_bad_seq(seq);
    out.set_problem(std::string(problem));
    return out;
  };
  std::string prev_hash;
  int64_t expected = 1;
  for (const sql::Row& row : rows.rows) {
    out.set_rows_checked(out.rows_checked() + 1);
    const int64_t seq = row.Int(0);
    if (seq != expected) {
      // A row is missing here (deleted), or one was moved elsewhere.
      return bad(expected, "MISSING_ROW");
    }
    AuditEntry entry{.actor = row.String(3),
                     .method = row.String(4),
                     .resource = row.String(5),
                     .time = absl::FromUnixMicros(row.Int(6)),
                     .trace_id = row.String(7),
                     .change = row.GetBytes(8).value_or("")};
    // A row whose stored hash does not match its own content was edited in place.
    const std::string hash = RowHash(tenant, seq, row.String(1), entry);
    if (row.String(2) != hash) {
      return bad(seq, "HASH_MISMATCH");
    }
    // An intact row whose prev_hash does not match the row before it: that earlier row was
    // rewritten (with a recomputed hash) after this one was chained to it.
    if (row.String(1) != prev_hash) {
      return bad(seq > 1 ? seq - 1 : seq, "REWRITTEN");
    }
    prev_hash = hash;
    ++expected;
  }
  const int64_t head_seq = head.rows.empty() ? 0 : head.rows[0].Int(0);
  const std::string head_hash = head.rows.empty() ? "" : head.rows[0].String(1);
  if (head_seq != expected - 1 || head_hash != prev_hash) {
    // Rows cut from the end (or the head itself edited): the first row the head vouches for
    // that is not there.
    const int64_t last = expected - 1;
    return bad(head_seq > last   ? expected
               : head_seq < last ? head_seq + 1
                                 : head_seq,
               "HEAD_MISMATCH");
  }
  out.set_ok(true);
  out.set_head_hash(prev_hash);
  return out;
}

absl::StatusOr<std::vector<v1::AuditRecord>> AuditLog::List(sql::Connection& conn,
                                                            const std::string& tenant,
                                                            int64_t after_seq, int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result rows,
      conn.Execute("SELECT seq, prev_hash, hash, actor, method, resource, time_us, trace_id"
                   " FROM audit_log WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                   {tenant, after_seq, static_cast<int64_t>(limit) + 1}));
  std::vector<v1::AuditRecord> out;
  for (const sql::Row& row : rows.rows) {
    v1::AuditRecord r;
    r.set_seq(row.Int(0));
    r.set_prev_hash(row.String(1));
    r.set_hash(row.String(2));
    r.set_actor(row.String(3));
    r.set_method(row.String(4));
    r.set_resource(row.String(5));
    *r.mutable_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(row.Int(6));
    r.set_trace_id(row.String(7));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace moot::decisions
