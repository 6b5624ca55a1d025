#include "services/budget/grpc_meeting_directory.h"

#include <algorithm>

#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "libs/status/grpc_status.h"
#include "libs/tracing/grpc_interceptors.h"

namespace moot::budget {
namespace {

thread_local std::string t_authorization;

constexpr absl::Duration kDeadline = absl::Seconds(5);

}  // namespace

ForwardCredentials::ForwardCredentials(const grpc::ServerContext* context)
    : previous_(t_authorization) {
  t_authorization.clear();
  if (context != nullptr) {
    auto it = context->client_metadata().find("authorization");
    if (it != context->client_metadata().end()) {
      t_authorization.assign(it->second.data(), it->second.size());
    }
  }
}

ForwardCredentials::~ForwardCredentials() { t_authorization = previous_; }

const std::string& ForwardCredentials::Current() { return t_authorization; }

GrpcMeetingDirectory::GrpcMeetingDirectory(const std::string& address, tracing::Tracer* tracer) {
  grpc::ChannelArguments args;
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> factories;
  if (tracer != nullptr) {
    factories.push_back(std::make_unique<tracing::TracingClientInterceptorFactory>(*tracer));
  }
  channel_ = grpc::experimental::CreateCustomChannelWithInterceptors(
      address, grpc::InsecureChannelCredentials(), args, std::move(factories));
  stub_ = scheduling::v1::MeetingService::NewStub(channel_);
}

bool GrpcMeetingDirectory::FromMeeting(const scheduling::v1::Meeting& meeting, BodyMeeting* out) {
  if (meeting.status() == scheduling::v1::MEETING_STATUS_CANCELLED ||
      meeting.status() == scheduling::v1::MEETING_STATUS_POSTPONED) {
    return false;
  }
  if (!absl::ParseCivilTime(meeting.local_date(), &out->date)) {
    return false;
  }
  out->name = meeting.name();
  out->provisional = meeting.kind() == scheduling::v1::MEETING_KIND_PROVISIONAL ||
                     meeting.status() == scheduling::v1::MEETING_STATUS_PROVISIONAL;
  return true;
}

absl::StatusOr<std::vector<BodyMeeting>> GrpcMeetingDirectory::ListMeetings(
    const auth::Principal& /*caller*/, const std::string& body, absl::CivilDay from,
    absl::CivilDay to) const {
  std::vector<BodyMeeting> out;
  scheduling::v1::ListMeetingsRequest request;
  request.set_parent(body);
  request.set_page_size(1000);
  do {
    scheduling::v1::ListMeetingsResponse response;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kDeadline));
    if (!ForwardCredentials::Current().empty()) {
      context.AddMetadata("authorization", ForwardCredentials::Current());
    }
    grpc::Status status = stub_->ListMeetings(&context, request, &response);
    if (!status.ok()) {
      return status::FromGrpcStatus(status);
    }
    for (const auto& m : response.meetings()) {
      BodyMeeting meeting;
      if (FromMeeting(m, &meeting) && meeting.date >= from && meeting.date <= to) {
        out.push_back(std::move(meeting));
      }
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  std::stable_sort(out.begin(), out.end(),
                   [](const BodyMeeting& a, const BodyMeeting& b) { return a.date < b.date; });
  return out;
}

}  // namespace moot::budget
