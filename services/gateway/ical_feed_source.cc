#include "services/gateway/ical_feed_source.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "libs/tracing/trace_context.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "services/gateway/ical_feed.h"

namespace moot::gateway {
namespace {

namespace v1 = moot::scheduling::v1;

// A resource id as the services accept them: a lower-case letter, then lower-case letters,
// digits and hyphens, 1..63 characters. Anything else cannot name a tenant or body.
bool IsResourceId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id[0] < 'a' || id[0] > 'z') {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// A context with no credentials at all: the feed is public, read as an anonymous caller.
void Prepare(grpc::ClientContext& context, absl::Duration deadline,
             const std::string& traceparent) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  if (!traceparent.empty()) {
    context.AddMetadata(moot::tracing::kTraceParentHeader, traceparent);
  }
}

}  // namespace

IcalFeedSource::IcalFeedSource(std::shared_ptr<grpc::Channel> channel, IcalFeedOptions options)
    : channel_(std::move(channel)), options_(std::move(options)) {}

absl::StatusOr<IcalFeed> IcalFeedSource::Render(absl::string_view tenant, absl::string_view body,
                                                const std::string& traceparent) const {
  const std::string tenant_name = absl::StrCat("tenants/", tenant);
  if (!IsResourceId(tenant)) {
    return moot::status::NotFound(tenant_name);
  }
  if (!body.empty() && !IsResourceId(body)) {
    return moot::status::NotFound(absl::StrCat(tenant_name, "/bodies/", body));
  }
  auto bodies_stub = v1::BodyService::NewStub(channel_);
  auto meetings_stub = v1::MeetingService::NewStub(channel_);
  std::vector<v1::Body> bodies;
  if (!body.empty()) {
    grpc::ClientContext context;
    Prepare(context, options_.call_deadline, traceparent);
    v1::GetBodyRequest request;
    request.set_name(absl::StrCat(tenant_name, "/bodies/", body));
    v1::Body found;
    grpc::Status status = bodies_stub->GetBody(&context, request, &found);
    if (!status.ok()) {
      return moot::status::FromGrpcStatus(status);
    }
    bodies.push_back(std::move(found));
  } else {
    std::string token;
    for (int page = 0; page < options_.max_pages; ++page) {
      grpc::ClientContext context;
      Prepare(context, options_.call_deadline, traceparent);
      v1::ListBodiesRequest request;
      request.set_parent(tenant_name);
      request.set_page_size(1000);
      request.set_page_token(token);
      v1::ListBodiesResponse response;
      grpc::Status status = bodies_stub->ListBodies(&context, request, &response);
      if (!status.ok()) {
        return moot::status::FromGrpcStatus(status);
      }
      for (v1::Body& b : *response.mutable_bodies()) {
        bodies.push_back(std::move(b));
      }
      token = response.next_page_token();
      if (token.empty()) {
        break;
      }
    }
  }
  // The tenant directory is asked only after a backend call, so that every feed request, even
  // one for an unknown tenant, has taken its token from the anonymous rate limit first.
  std::string tenant_display_name(tenant);
  if (options_.tenant_display_name) {
    absl::StatusOr<std::string> display = options_.tenant_display_name(tenant);
    if (!display.ok()) {
      return display.status();
    }
    tenant_display_name = *std::move(display);
  } else if (bodies.empty()) {
    return moot::status::NotFound(tenant_name);
  }

  IcalCalendar calendar;
  calendar.public_base_url = options_.public_base_url;
  calendar.calendar_name = body.empty() ? tenant_display_name : bodies.front().display_name();
  for (const v1::Body& b : bodies) {
    std::string token;
    for (int page = 0; page < options_.max_pages; ++page) {
      grpc::ClientContext context;
      Prepare(context, options_.call_deadline, traceparent);
      v1::ListMeetingsRequest request;
      request.set_parent(b.name());
      request.set_page_size(1000);
      request.set_page_token(token);
      v1::ListMeetingsResponse response;
      grpc::Status status = meetings_stub->ListMeetings(&context, request, &response);
      if (!status.ok()) {
        return moot::status::FromGrpcStatus(status);
      }
      for (v1::Meeting& m : *response.mutable_meetings()) {
        calendar.meetings.push_back({std::move(m), b.display_name()});
      }
      token = response.next_page_token();
      if (token.empty()) {
        break;
      }
    }
  }
  // One order for every feed: by start, then by name (a body's list is already so ordered).
  std::stable_sort(calendar.meetings.begin(), calendar.meetings.end(),
                   [](const IcalMeeting& a, const IcalMeeting& b) {
                     const auto& sa = a.meeting.start_time();
                     const auto& sb = b.meeting.start_time();
                     if (sa.seconds() != sb.seconds()) {
                       return sa.seconds() < sb.seconds();
                     }
                     if (sa.nanos() != sb.nanos()) {
                       return sa.nanos() < sb.nanos();
                     }
                     return a.meeting.name() < b.meeting.name();
                   });
  IcalFeed feed;
  feed.body = RenderIcalendar(calendar);
  feed.etag = IcalEtag(feed.body);
  return feed;
}

}  // namespace moot::gateway
