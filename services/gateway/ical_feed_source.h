// Where the gateway's public iCalendar feeds come from: the scheduling service, called through
// the gateway's own gRPC edge WITHOUT credentials, so a feed goes through exactly the policy of
// any anonymous caller (anonymous rate limit, tenant checks) and the scheduling service's own
// public filter decides what it shows (no DRAFT meeting ever reaches it).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"

namespace moot::gateway {

struct IcalFeedOptions {
  // Where the public pages live (MOOT_PUBLIC_BASE_URL): agenda links are
  // <base>/tenants/<t>/bodies/<b>/meetings/<m>.
  std::string public_base_url = "http://127.0.0.1:8080";
  // The display name of a tenant, or NOT_FOUND when there is no such tenant. Unset: a tenant is
  // known when it has at least one body, and is named by its id.
  std::function<absl::StatusOr<std::string>(absl::string_view tenant)> tenant_display_name;
  // Deadline of each backend call.
  absl::Duration call_deadline = absl::Seconds(10);
  // At most this many pages (of 1000) of bodies, and of each body's meetings, go into a feed.
  int max_pages = 10;
};

// A rendered feed.
struct IcalFeed {
  std::string body;  // text/calendar
  std::string etag;  // strong, quoted
};

// Thread-safe.
class IcalFeedSource {
 public:
  // `channel` reaches the gateway's own gRPC edge.
  IcalFeedSource(std::shared_ptr<grpc::Channel> channel, IcalFeedOptions options);

  // The feed of `body` of `tenant`, or of every body of `tenant` when `body` is empty.
  // NOT_FOUND for an unknown (or malformed) tenant or body; any other error of the backend
  // calls as it came (RESOURCE_EXHAUSTED when the anonymous rate limit is reached,
  // UNAVAILABLE when scheduling is down). `traceparent` (may be empty) goes with every call.
  absl::StatusOr<IcalFeed> Render(absl::string_view tenant, absl::string_view body,
                                  const std::string& traceparent) const;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  IcalFeedOptions options_;
};

}  // namespace moot::gateway
