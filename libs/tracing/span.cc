#include "libs/tracing/span.h"

namespace moot::tracing {

absl::string_view SpanKindName(SpanKind kind) {
  switch (kind) {
    case SpanKind::kServer:
      return "SERVER";
    case SpanKind::kClient:
      return "CLIENT";
    case SpanKind::kProducer:
      return "PRODUCER";
    case SpanKind::kConsumer:
      return "CONSUMER";
    case SpanKind::kInternal:
      break;
  }
  return "INTERNAL";
}

absl::string_view SpanStatusCodeName(SpanStatusCode code) {
  switch (code) {
    case SpanStatusCode::kOk:
      return "OK";
    case SpanStatusCode::kError:
      return "ERROR";
    case SpanStatusCode::kUnset:
      break;
  }
  return "UNSET";
}

}  // namespace moot::tracing
