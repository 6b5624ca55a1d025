// What the decisions service needs from scheduling (a separate process with its own database):
// a meeting's civil date and its body's numbering scheme, and who may vote on an item. Logic
// tests use a fake; the process uses GrpcSchedulingDirectory.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/timestamp.pb.h"
#include "moot/decisions/v1/minutes.pb.h"
#include "moot/scheduling/v1/attendance.pb.h"

namespace moot::decisions {

// A meeting as the register needs it.
struct MeetingFacts {
  std::string name;        // tenants/{t}/bodies/{b}/meetings/{m}
  std::string local_date;  // "YYYY-MM-DD" in Europe/London.
  v1::NumberingScheme numbering = v1::NUMBERING_SCHEME_RUNNING_INT;  // The body's scheme.
  bool ordinary = true;   // An ordinary meeting (not an AGM, hearing, extraordinary, ...).
  std::string pack_date;  // The agenda publication deadline, "YYYY-MM-DD" ("" when unknown).
  bool confirmation_hearing = false;  // A confirmation hearing's own meeting (R-CH-02).
  std::string webcast_url;            // The meeting's webcast, "" when none (R-MIN-08).
};

class SchedulingDirectory {
 public:
  virtual ~SchedulingDirectory() = default;
  // The meeting and its body's minute numbering (R-MIN-03, R-MIN-05). NOT_FOUND when absent;
  // UNAVAILABLE when scheduling cannot be reached.
  virtual absl::StatusOr<MeetingFacts> GetMeeting(const std::string& meeting_name) = 0;
  // The body's meetings (name, date, kind, pack date), in date order. `body_name` is
  // `tenants/{t}/bodies/{b}`.
  virtual absl::StatusOr<std::vector<MeetingFacts>> ListBodyMeetings(
      const std::string& body_name) = 0;
  // Every member of the body at `vote_time` (unset: the meeting's start) with whether they may
  // vote on the item and why not, plus the quorum check (scheduling's ListEligibleVoters).
  virtual absl::StatusOr<scheduling::v1::ListEligibleVotersResponse> ListEligibleVoters(
      const std::string& agenda_item, const google::protobuf::Timestamp& vote_time) = 0;
};

}  // namespace moot::decisions
