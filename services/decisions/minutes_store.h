// Storage of minutes, minute entries and the per-body minute number counters, over libs/sql
// (SQLite or PostgreSQL). Every query is scoped by tenant; resources are kept as serialized
// protos beside the columns queries use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/proto_rows.h"
#include "libs/sql/database.h"
#include "moot/decisions/v1/minutes.pb.h"

namespace moot::decisions {

// The key of a meeting inside a tenant.
struct MeetingKey {
  std::string tenant;
  std::string body;
  std::string meeting;
};

// Methods that take a Connection run inside the caller's transaction.
class MinutesStore {
 public:
  // Schema migrations, component "minutes".
  static std::vector<sql::Migration> Migrations();

  // ALREADY_EXISTS naming the minutes when the meeting has them.
  static absl::Status InsertMinutes(sql::Connection& tx, const MeetingKey& key,
                                    const v1::Minutes& minutes);
  // The minutes and their stored version; NOT_FOUND naming `name` when absent.
  static absl::StatusOr<std::pair<v1::Minutes, int64_t>> GetMinutes(sql::Connection& conn,
                                                                    const MeetingKey& key,
                                                                    const std::string& name);
  // ABORTED (CONCURRENT_MODIFICATION) unless the stored version is `expected_version`.
  static absl::Status UpdateMinutes(sql::Connection& tx, const MeetingKey& key,
                                    const v1::Minutes& minutes, int64_t expected_version);

  // Gapless allocation (R-MIN-03): the next number of the body's counter `scope`, advancing it,
  // inside the caller's transaction (so a rolled-back entry returns its number).
  static absl::StatusOr<int64_t> NextNumber(sql::Connection& tx, const MeetingKey& key,
                                            const std::string& scope);
  // An officer's chosen number: the counter continues after it when it is ahead.
  static absl::Status AdvanceCounterPast(sql::Connection& tx, const MeetingKey& key,
                                         const std::string& scope, int64_t number);

  // FAILED_PRECONDITION (MINUTE_NUMBER_TAKEN) when the body already used the number.
  static absl::Status InsertEntry(sql::Connection& tx, const MeetingKey& key,
                                  const std::string& scope, const std::string& entry_id,
                                  const v1::MinuteEntry& entry);
  static absl::StatusOr<std::pair<v1::MinuteEntry, int64_t>> GetEntry(sql::Connection& conn,
                                                                      const MeetingKey& key,
                                                                      const std::string& entry_id,
                                                                      const std::string& name);
  static absl::Status UpdateEntry(sql::Connection& tx, const MeetingKey& key,
                                  const std::string& entry_id, const v1::MinuteEntry& entry,
                                  int64_t expected_version);
  // The body's entry with running number `number` (scope ""), if the register holds it.
  static absl::StatusOr<std::optional<v1::MinuteEntry>> FindEntry(sql::Connection& conn,
                                                                  const std::string& tenant,
                                                                  const std::string& body,
                                                                  int64_t number);
  // Every minutes record of the body.
  static absl::StatusOr<std::vector<v1::Minutes>> ListBodyMinutes(sql::Connection& conn,
                                                                  const std::string& tenant,
                                                                  const std::string& body);
  // The meeting's entries in number order after `after_key` (exclusive; "" for the start).
  static absl::StatusOr<api::Page<v1::MinuteEntry>> ListEntries(sql::Connection& conn,
                                                                const MeetingKey& key,
                                                                const std::string& after_key,
                                                                int limit);
};

}  // namespace moot::decisions
