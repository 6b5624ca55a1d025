#include "proto/all_contracts.h"

#include "grpc/health/v1/health.pb.h"
#include "moot/admin/v1/admin.pb.h"
#include "moot/bench/v1/echo.pb.h"
#include "moot/budget/v1/budget.pb.h"
#include "moot/decisions/v1/actions.pb.h"
#include "moot/decisions/v1/decisions.pb.h"
#include "moot/decisions/v1/hearings.pb.h"
#include "moot/decisions/v1/minutes.pb.h"
#include "moot/decisions/v1/votes.pb.h"
#include "moot/documents/v1/documents.pb.h"
#include "moot/events/v1/event.pb.h"
#include "moot/notifications/v1/notifications.pb.h"
#include "moot/scheduling/v1/agenda.pb.h"
#include "moot/scheduling/v1/attendance.pb.h"
#include "moot/scheduling/v1/calendar.pb.h"
#include "moot/scheduling/v1/people.pb.h"
#include "moot/scheduling/v1/petitions.pb.h"
#include "moot/scheduling/v1/questions.pb.h"
#include "moot/scheduling/v1/scheduling.pb.h"
#include "moot/scheduling/v1/work_programme.pb.h"

namespace moot::proto {

int LinkAllContracts() {
  const google::protobuf::FileDescriptor* files[] = {
      moot::admin::v1::Tenant::descriptor()->file(),
      moot::budget::v1::Precept::descriptor()->file(),
      moot::decisions::v1::KeyDecision::descriptor()->file(),
      moot::decisions::v1::Minutes::descriptor()->file(),
      moot::decisions::v1::Action::descriptor()->file(),
      moot::decisions::v1::Vote::descriptor()->file(),
      moot::decisions::v1::ConfirmationHearing::descriptor()->file(),
      moot::documents::v1::Document::descriptor()->file(),
      moot::events::v1::Event::descriptor()->file(),
      moot::notifications::v1::Subscription::descriptor()->file(),
      moot::scheduling::v1::Body::descriptor()->file(),
      moot::scheduling::v1::Person::descriptor()->file(),
      moot::scheduling::v1::AgendaItem::descriptor()->file(),
      moot::scheduling::v1::Attendance::descriptor()->file(),
      moot::scheduling::v1::Closure::descriptor()->file(),
      moot::scheduling::v1::PublicQuestion::descriptor()->file(),
      moot::scheduling::v1::Petition::descriptor()->file(),
      moot::scheduling::v1::WorkProgrammeItem::descriptor()->file(),
      moot::bench::v1::EchoRequest::descriptor()->file(),
      grpc::health::v1::HealthCheckRequest::descriptor()->file(),
  };
  int services = 0;
  for (const auto* file : files) {
    services += file->service_count();
  }
  return services;
}

}  // namespace moot::proto
