// Span data and the OpenTelemetry semantic attribute names Moot uses.
#pragma once

#include <map>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace moot::tracing {

// OpenTelemetry span kinds (Zipkin has no INTERNAL; it is written without a kind).
enum class SpanKind { kInternal, kServer, kClient, kProducer, kConsumer };

// OpenTelemetry span status: UNSET until set, then OK or ERROR.
enum class SpanStatusCode { kUnset, kOk, kError };

// "SERVER", "CLIENT", "PRODUCER", "CONSUMER", "INTERNAL".
absl::string_view SpanKindName(SpanKind kind);
// "UNSET", "OK", "ERROR".
absl::string_view SpanStatusCodeName(SpanStatusCode code);

// One finished (or in-progress) unit of work.
struct Span {
  std::string trace_id;        // 32 hex.
  std::string span_id;         // 16 hex.
  std::string parent_span_id;  // 16 hex, empty for a root span.
  std::string name;            // e.g. "moot.bench.v1.EchoService/Echo".
  SpanKind kind = SpanKind::kInternal;
  absl::Time start = absl::UnixEpoch();
  absl::Duration duration = absl::ZeroDuration();
  SpanStatusCode status_code = SpanStatusCode::kUnset;
  std::string status_message;
  std::map<std::string, std::string> attributes;
  std::string service_name;
};

// OpenTelemetry semantic convention attribute names.
namespace attr {
// RPC (https://opentelemetry.io/docs/specs/semconv/rpc/).
inline constexpr char kRpcSystem[] = "rpc.system";                    // "grpc"
inline constexpr char kRpcService[] = "rpc.service";                  // "moot.bench.v1.EchoService"
inline constexpr char kRpcMethod[] = "rpc.method";                    // "Echo"
inline constexpr char kRpcGrpcStatusCode[] = "rpc.grpc.status_code";  // "0".."16"
inline constexpr char kNetPeerName[] = "net.peer.name";
inline constexpr char kNetPeerPort[] = "net.peer.port";
inline constexpr char kNetSockPeerAddr[] = "net.sock.peer.addr";
// Messaging (https://opentelemetry.io/docs/specs/semconv/messaging/).
inline constexpr char kMessagingSystem[] = "messaging.system";  // "redis"
inline constexpr char kMessagingDestinationName[] = "messaging.destination.name";
inline constexpr char kMessagingMessageId[] = "messaging.message.id";
inline constexpr char kMessagingOperation[] = "messaging.operation";  // "publish", "process"
// Moot's own.
inline constexpr char kMootEventType[] = "moot.event.type";
inline constexpr char kMootTenant[] = "moot.tenant";
}  // namespace attr

inline constexpr char kRpcSystemGrpc[] = "grpc";
inline constexpr char kMessagingSystemRedis[] = "redis";

}  // namespace moot::tracing
