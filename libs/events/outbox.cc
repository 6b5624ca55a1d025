#include "libs/events/outbox.h"

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::events {

std::string DeadLetterStream(absl::string_view stream) { return absl::StrCat(stream, ":dead"); }

std::vector<sql::Migration> Outbox::Migrations() {
  sql::Migration v1;
  v1.version = 1;
  v1.name = "create outbox";
  v1.sqlite_sql = R"sql(
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL UNIQUE,
  stream TEXT NOT NULL,
  type TEXT NOT NULL,
  payload BLOB NOT NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT,
  attempts BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;
)sql";
  v1.postgres_sql = R"sql(
CREATE TABLE outbox (
  seq BIGSERIAL PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL UNIQUE,
  stream TEXT NOT NULL,
  type TEXT NOT NULL,
  payload BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT,
  attempts BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;
)sql";
  return {v1};
}

absl::Status Outbox::Migrate(sql::Database& db) { return db.Migrate("outbox", Migrations()); }

Outbox::Outbox(std::string stream, const time::Clock& clock)
    : stream_(std::move(stream)), clock_(clock) {}

absl::Status Outbox::Append(sql::Connection& tx, const events::v1::Event& event) const {
  return Append(tx, event, stream_);
}

absl::Status Outbox::Append(sql::Connection& tx, const events::v1::Event& event,
                            absl::string_view stream) const {
  if (event.id().empty()) {
    return status::InvalidArgument("event.id", "must not be empty");
  }
  if (event.type().empty()) {
    return status::InvalidArgument("event.type", "must not be empty");
  }
  if (event.tenant().empty()) {
    return status::InvalidArgument("event.tenant", "must not be empty");
  }
  if (stream.empty()) {
    return status::InvalidArgument("stream", "must not be empty");
  }
  std::string payload;
  if (!event.SerializeToString(&payload)) {
    return absl::InternalError("cannot serialize event");
  }
  return tx
      .Execute(
          "INSERT INTO outbox (tenant_id, id, stream, type, payload, created_at, attempts) "
          "VALUES ($1, $2, $3, $4, $5, $6, 0)",
          {event.tenant(), event.id(), std::string(stream), event.type(),
           sql::Bytes{std::move(payload)}, absl::ToUnixMicros(clock_.Now())})
      .status();
}

absl::StatusOr<int64_t> Outbox::Depth(sql::Connection& conn) {
  MOOT_ASSIGN_OR_RETURN(sql::Result r,
                        conn.Execute("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"));
  if (r.rows.empty()) {
    return 0;
  }
  return r.rows[0].GetInt(0);
}

}  // namespace moot::events
