// Storage of the action tracker over libs/sql, tenant- and body-scoped; each row keeps the
// Action as a serialized proto beside its status and sort key (minute, clause, letter, id).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/proto_rows.h"
#include "libs/sql/database.h"
#include "moot/decisions/v1/actions.pb.h"

namespace moot::decisions {

class ActionStore {
 public:
  // Schema migrations, component "actions".
  static std::vector<sql::Migration> Migrations();

  // ALREADY_EXISTS naming the action when its id is taken in the body.
  static absl::Status Insert(sql::Connection& tx, const std::string& tenant,
                             const std::string& body, const std::string& action_id,
                             const v1::Action& action);
  // Whether the body has the action.
  static absl::StatusOr<bool> Exists(sql::Connection& conn, const std::string& tenant,
                                     const std::string& body, const std::string& action_id);
  // The action and its stored version; NOT_FOUND naming `name` when absent.
  static absl::StatusOr<std::pair<v1::Action, int64_t>> Get(sql::Connection& conn,
                                                            const std::string& tenant,
                                                            const std::string& body,
                                                            const std::string& action_id,
                                                            const std::string& name);
  // ABORTED (CONCURRENT_MODIFICATION) unless the stored version is `expected_version`.
  static absl::Status Update(sql::Connection& tx, const std::string& tenant,
                             const std::string& body, const std::string& action_id,
                             const v1::Action& action, int64_t expected_version);
  // In sort-key order after `after_key`; `status` UNSPECIFIED for all.
  static absl::StatusOr<api::Page<v1::Action>> List(sql::Connection& conn,
                                                    const std::string& tenant,
                                                    const std::string& body,
                                                    v1::ActionStatus status,
                                                    const std::string& after_key, int limit);
};

}  // namespace moot::decisions
