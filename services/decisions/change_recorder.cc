#include "services/decisions/change_recorder.h"

#include "libs/service/new_event.h"
#include "libs/status/macros.h"
#include "libs/tracing/tracer.h"
#include "services/decisions/audit_log.h"

namespace moot::decisions {

absl::Status ChangeRecorder::Record(absl::string_view method, const std::string& resource,
                                    const google::protobuf::Message& change,
                                    absl::string_view event_type, bool is_public) {
  auto context = tracing::CurrentSpanContext();
  AuditEntry audit{.actor = principal_.subject,
                   .method = std::string(method),
                   .resource = resource,
                   .time = clock_.Now(),
                   .trace_id = context ? context->trace_id : "",
                   .change = AuditLog::Canonical(change)};
  MOOT_RETURN_IF_ERROR(AuditLog::Append(tx_, tenant_, audit).status());
  return outbox_.Append(tx_, service::NewEvent(ids_, clock_, "decisions", event_type, tenant_,
                                               resource, change, is_public));
}

}  // namespace moot::decisions
