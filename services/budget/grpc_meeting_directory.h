// The production MeetingDirectory: the body's meetings from the scheduling service
// (moot.scheduling.v1.MeetingService.ListMeetings, address MOOT_SCHEDULING_ADDRESS). Calls carry
// the caller's own `authorization` metadata (ForwardCredentials, set by PreceptService for the
// duration of a call), so scheduling shows the caller only the meetings it may see (an anonymous
// caller: no drafts), and the caller's trace continues through the tracing client interceptor.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"
#include "grpcpp/server_context.h"
#include "libs/tracing/tracer.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "services/budget/meeting_directory.h"

namespace moot::budget {

// While alive, outgoing scheduling calls on this thread carry the `authorization` metadata of
// `context` (none for an anonymous caller or a null context).
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

class GrpcMeetingDirectory final : public MeetingDirectory {
 public:
  // `address` of scheduling, e.g. "127.0.0.1:50061"; `tracer` may be null.
  GrpcMeetingDirectory(const std::string& address, tracing::Tracer* tracer);

  // Pages through ListMeetings of the body and keeps the window (scheduling's ListMeetings has
  // no date filter).
  absl::StatusOr<std::vector<BodyMeeting>> ListMeetings(const auth::Principal& caller,
                                                        const std::string& body,
                                                        absl::CivilDay from,
                                                        absl::CivilDay to) const override;

  // Scheduling's meeting as a BodyMeeting; false for a cancelled or postponed meeting or one
  // without a date (pure; tested without a server).
  static bool FromMeeting(const scheduling::v1::Meeting& meeting, BodyMeeting* out);

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<scheduling::v1::MeetingService::Stub> stub_;
};

}  // namespace moot::budget
