// SchedulingDirectory over gRPC to the scheduling process (MOOT_SCHEDULING_ADDRESS). Calls carry
// the caller's own credentials (ForwardCredentials, set by the adapters for the duration of a
// call), so scheduling applies its own access rules to what the register asks for, and the
// caller's trace continues through the tracing client interceptor.
#pragma once

#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/server_context.h"
#include "libs/tracing/tracer.h"
#include "moot/scheduling/v1/attendance.grpc.pb.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "services/decisions/scheduling_directory.h"

namespace moot::decisions {

// While alive, outgoing scheduling calls on this thread carry the `authorization` metadata of
// `context` (none for an anonymous caller).
class ForwardCredentials {
 public:
  explicit ForwardCredentials(const grpc::ServerContext* context);
  ~ForwardCredentials();
  ForwardCredentials(const ForwardCredentials&) = delete;
  ForwardCredentials& operator=(const ForwardCredentials&) = delete;
  // The forwarded value on this thread ("" for none).
  static const std::string& Current();

 private:
  std::string previous_;
};

class GrpcSchedulingDirectory final : public SchedulingDirectory {
 public:
  // `tracer` may be null (no client spans).
  GrpcSchedulingDirectory(const std::string& address, tracing::Tracer* tracer);

  absl::StatusOr<MeetingFacts> GetMeeting(const std::string& meeting_name) override;
  absl::StatusOr<std::vector<MeetingFacts>> ListBodyMeetings(const std::string& body_name) override;
  absl::StatusOr<scheduling::v1::ListEligibleVotersResponse> ListEligibleVoters(
      const std::string& agenda_item, const google::protobuf::Timestamp& vote_time) override;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<scheduling::v1::MeetingService::Stub> meetings_;
  std::unique_ptr<scheduling::v1::BodyService::Stub> bodies_;
  std::unique_ptr<scheduling::v1::AttendanceService::Stub> attendance_;
};

}  // namespace moot::decisions
