// Records one change of the register inside its transaction: the audit chain row (actor,
// method, resource, time, trace id, canonical serialisation) and the outbox event.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"

namespace moot::decisions {

class ChangeRecorder {
 public:
  // None are owned; all must outlive the recorder (one transaction).
  ChangeRecorder(sql::Connection& tx, const events::Outbox& outbox, ids::IdGenerator& ids,
                 const time::Clock& clock, const auth::Principal& principal, std::string tenant)
      : tx_(tx),
        outbox_(outbox),
        ids_(ids),
        clock_(clock),
        principal_(principal),
        tenant_(std::move(tenant)) {}

  // Appends `change` (the resource after the change) to the audit chain under `method`, and an
  // event `event_type` about `resource` carrying it. `is_public` false for anything the public
  // may not read.
  absl::Status Record(absl::string_view method, const std::string& resource,
                      const google::protobuf::Message& change, absl::string_view event_type,
                      bool is_public);

 private:
  sql::Connection& tx_;
  const events::Outbox& outbox_;
  ids::IdGenerator& ids_;
  const time::Clock& clock_;
  const auth::Principal& principal_;
  std::string tenant_;
};

}  // namespace moot::decisions
