#include "services/decisions/grpc_scheduling_directory.h"

#include <vector>

#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "libs/status/grpc_status.h"
#include "libs/tracing/grpc_interceptors.h"

namespace moot::decisions {
namespace {

thread_local std::string t_authorization;

constexpr absl::Duration kDeadline = absl::Seconds(5);

MeetingFacts Facts(const scheduling::v1::Meeting& meeting) {
  MeetingFacts facts;
  facts.name = meeting.name();
  facts.local_date = meeting.local_date();
  facts.ordinary = meeting.kind() == scheduling::v1::MEETING_KIND_ORDINARY ||
                   meeting.kind() == scheduling::v1::MEETING_KIND_UNSPECIFIED;
  facts.pack_date = meeting.publication_deadline_date();
  facts.webcast_url = meeting.webcast_url();
  facts.confirmation_hearing = meeting.kind() == scheduling::v1::MEETING_KIND_CONFIRMATION_HEARING;
  return facts;
}

void Prepare(grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + kDeadline));
  if (!ForwardCredentials::Current().empty()) {
    context.AddMetadata("authorization", ForwardCredentials::Current());
  }
}

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

GrpcSchedulingDirectory::GrpcSchedulingDirectory(const std::string& address,
                                                 tracing::Tracer* tracer) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> factories;
  if (tracer != nullptr) {
    factories.push_back(std::make_unique<tracing::TracingClientInterceptorFactory>(*tracer));
  }
  channel_ = grpc::experimental::CreateCustomChannelWithInterceptors(
      address, grpc::InsecureChannelCredentials(), args, std::move(factories));
  meetings_ = scheduling::v1::MeetingService::NewStub(channel_);
  bodies_ = scheduling::v1::BodyService::NewStub(channel_);
  attendance_ = scheduling::v1::AttendanceService::NewStub(channel_);
}

absl::StatusOr<MeetingFacts> GrpcSchedulingDirectory::GetMeeting(const std::string& meeting_name) {
  scheduling::v1::GetMeetingRequest request;
  request.set_name(meeting_name);
  scheduling::v1::Meeting meeting;
  {
    grpc::ClientContext context;
    Prepare(context);
    grpc::Status status = meetings_->GetMeeting(&context, request, &meeting);
    if (!status.ok()) {
      return status::FromGrpcStatus(status);
    }
  }
  // The body is the meeting name up to "/meetings/".
  const std::string body_name = meeting_name.substr(0, meeting_name.find("/meetings/"));
  scheduling::v1::GetBodyRequest body_request;
  body_request.set_name(body_name);
  scheduling::v1::Body body;
  {
    grpc::ClientContext context;
    Prepare(context);
    grpc::Status status = bodies_->GetBody(&context, body_request, &body);
    if (!status.ok()) {
      return status::FromGrpcStatus(status);
    }
  }
  MeetingFacts facts = Facts(meeting);
  facts.numbering = body.rules().minute_numbering() == scheduling::v1::MINUTE_NUMBERING_SEQ_PER_YEAR
                        ? v1::NUMBERING_SCHEME_SEQ_PER_YEAR
                        : v1::NUMBERING_SCHEME_RUNNING_INT;
  return facts;
}

absl::StatusOr<std::vector<MeetingFacts>> GrpcSchedulingDirectory::ListBodyMeetings(
    const std::string& body_name) {
  std::vector<MeetingFacts> out;
  scheduling::v1::ListMeetingsRequest request;
  request.set_parent(body_name);
  request.set_page_size(1000);
  do {
    scheduling::v1::ListMeetingsResponse response;
    grpc::ClientContext context;
    Prepare(context);
    grpc::Status status = meetings_->ListMeetings(&context, request, &response);
    if (!status.ok()) {
      return status::FromGrpcStatus(status);
    }
    for (const auto& m : response.meetings()) {
      out.push_back(Facts(m));
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return out;
}

absl::StatusOr<scheduling::v1::ListEligibleVotersResponse>
GrpcSchedulingDirectory::ListEligibleVoters(const std::string& agenda_item,
                                            const google::protobuf::Timestamp& vote_time) {
  scheduling::v1::ListEligibleVotersRequest request;
  request.set_agenda_item(agenda_item);
  if (vote_time.seconds() != 0 || vote_time.nanos() != 0) {
    *request.mutable_vote_time() = vote_time;
  }
  scheduling::v1::ListEligibleVotersResponse response;
  grpc::ClientContext context;
  Prepare(context);
  grpc::Status status = attendance_->ListEligibleVoters(&context, request, &response);
  if (!status.ok()) {
    return status::FromGrpcStatus(status);
  }
  return response;
}

}  // namespace moot::decisions
