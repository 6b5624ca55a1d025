#include "libs/tracing/grpc_interceptors.h"

#include "absl/strings/match.h"

#include <map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace moot::tracing {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::InterceptorBatchMethods;

// ServerContext -> span context of its call, for ServerSpanContext().
class ServerSpanRegistry {
 public:
  static ServerSpanRegistry& Get() {
    static auto* registry = new ServerSpanRegistry();
    return *registry;
  }
  void Put(const grpc::ServerContextBase* ctx, SpanContext span) {
    absl::MutexLock lock(&mu_);
    spans_[ctx] = std::move(span);
  }
  void Erase(const grpc::ServerContextBase* ctx) {
    absl::MutexLock lock(&mu_);
    spans_.erase(ctx);
  }
  std::optional<SpanContext> Find(const grpc::ServerContextBase* ctx) {
    absl::MutexLock lock(&mu_);
    auto it = spans_.find(ctx);
    if (it == spans_.end()) return std::nullopt;
    return it->second;
  }

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<const grpc::ServerContextBase*, SpanContext> spans_ ABSL_GUARDED_BY(mu_);
};

std::string ToString(grpc::string_ref s) { return std::string(s.data(), s.size()); }

// OpenTelemetry gRPC conventions: a server span is an error only for codes that mean the server
// failed; a client span for any non-OK code.
bool IsServerError(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::UNIMPLEMENTED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DATA_LOSS:
      return true;
    default:
      return false;
  }
}

void RecordStatus(ScopedSpan& span, const grpc::Status& status, bool server) {
  span.SetAttribute(attr::kRpcGrpcStatusCode, absl::StrCat(static_cast<int>(status.error_code())));
  bool error = server ? IsServerError(status.error_code()) : !status.ok();
  if (error) {
    span.SetStatus(SpanStatusCode::kError, status.error_message());
  } else if (status.ok()) {
    span.SetStatus(SpanStatusCode::kOk);
  }
}

void SetRpcAttributes(ScopedSpan& span, absl::string_view full_method) {
  auto [service, method] = SplitGrpcMethod(full_method);
  span.SetAttribute(attr::kRpcSystem, kRpcSystemGrpc);
  span.SetAttribute(attr::kRpcService, service);
  span.SetAttribute(attr::kRpcMethod, method);
}

std::string SpanName(absl::string_view full_method) {
  absl::string_view name = full_method;
  if (!name.empty() && name.front() == '/') name.remove_prefix(1);
  return std::string(name);
}

class TracingServerInterceptor : public grpc::experimental::Interceptor {
 public:
  TracingServerInterceptor(Tracer& tracer, grpc::experimental::ServerRpcInfo* info)
      : tracer_(tracer), info_(info) {}

  ~TracingServerInterceptor() override {
    if (registered_) {
      ServerSpanRegistry::Get().Erase(info_->server_context());
    }
    if (!span_.ended()) {
      // The call ended without a status (e.g. cancelled by the client).
      span_.SetStatus(SpanStatusCode::kError, "call ended without a status (cancelled)");
      span_.End();
    }
  }

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      StartSpan(methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      auto* md = methods->GetSendInitialMetadata();
      if (md != nullptr && started_) {
        md->erase(kTraceParentHeader);
        md->emplace(kTraceParentHeader, span_.context().TraceParentHeader());
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      if (started_) {
        RecordStatus(span_, methods->GetSendStatus(), /*server=*/true);
        span_.End();
      }
    }
    bool around_handler =
        started_ &&
        (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA) ||
         methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE));
    if (around_handler) {
      // The synchronous server runs the handler inside the last interceptor's Proceed().
      ScopedCurrentSpan current(span_.context());
      methods->Proceed();
    } else {
      methods->Proceed();
    }
  }

 private:
  void StartSpan(std::multimap<grpc::string_ref, grpc::string_ref>* md) {
    if (started_) return;
    std::optional<SpanContext> parent;
    if (md != nullptr) {
      auto tp = md->find(kTraceParentHeader);
      if (tp != md->end()) {
        auto ts = md->find(kTraceStateHeader);
        absl::StatusOr<SpanContext> ctx = SpanContext::FromHeaders(
            ToString(tp->second), ts == md->end() ? std::string() : ToString(ts->second));
        if (ctx.ok()) {
          parent = *std::move(ctx);
        }
      }
    }
    const char* method = info_->method() != nullptr ? info_->method() : "";
    span_ = tracer_.StartSpan(SpanName(method), SpanKind::kServer, parent);
    SetRpcAttributes(span_, method);
    grpc::ServerContextBase* ctx = info_->server_context();
    if (ctx != nullptr) {
      std::string peer = ctx->peer();
      if (!peer.empty()) span_.SetAttribute(attr::kNetSockPeerAddr, peer);
      ServerSpanRegistry::Get().Put(ctx, span_.context());
      registered_ = true;
    }
    started_ = true;
  }

  Tracer& tracer_;
  grpc::experimental::ServerRpcInfo* info_;
  ScopedSpan span_;
  bool started_ = false;
  bool registered_ = false;
};

class TracingClientInterceptor : public grpc::experimental::Interceptor {
 public:
  TracingClientInterceptor(Tracer& tracer, grpc::experimental::ClientRpcInfo* info)
      : tracer_(tracer), info_(info) {}

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      auto* md = methods->GetSendInitialMetadata();
      std::optional<SpanContext> parent;
      if (md != nullptr) {
        auto tp = md->find(kTraceParentHeader);
        if (tp != md->end()) {
          auto ts = md->find(kTraceStateHeader);
          absl::StatusOr<SpanContext> ctx =
              SpanContext::FromHeaders(tp->second, ts == md->end() ? std::string() : ts->second);
          if (ctx.ok()) parent = *std::move(ctx);
        }
      }
      if (!parent.has_value()) {
        parent = CurrentSpanContext();
      }
      const char* method = info_->method() != nullptr ? info_->method() : "";
      span_ = tracer_.StartSpan(SpanName(method), SpanKind::kClient, parent);
      SetRpcAttributes(span_, method);
      if (md != nullptr) {
        md->erase(kTraceParentHeader);
        md->erase(kTraceStateHeader);
        md->emplace(kTraceParentHeader, span_.context().TraceParentHeader());
        std::string state = span_.context().trace_state.Format();
        if (!state.empty()) {
          md->emplace(kTraceStateHeader, std::move(state));
        }
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_STATUS)) {
      grpc::Status* status = methods->GetRecvStatus();
      if (status != nullptr) {
        RecordStatus(span_, *status, /*server=*/false);
      }
      span_.End();
    }
    methods->Proceed();
  }

 private:
  Tracer& tracer_;
  grpc::experimental::ClientRpcInfo* info_;
  ScopedSpan span_;
};

}  // namespace

std::pair<std::string, std::string> SplitGrpcMethod(absl::string_view full_method) {
  absl::string_view m = full_method;
  if (!m.empty() && m.front() == '/') m.remove_prefix(1);
  size_t slash = m.rfind('/');
  if (slash == absl::string_view::npos) {
    return {"", std::string(m)};
  }
  return {std::string(m.substr(0, slash)), std::string(m.substr(slash + 1))};
}

grpc::experimental::Interceptor* TracingServerInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  // Health probes (every second from each prober) and reflection are plumbing: tracing them
  // would bury the calls people look for under traces of their own.
  const absl::string_view method = info->method() != nullptr ? info->method() : "";
  if (absl::StartsWith(method, "/grpc.health.v1.Health/") ||
      absl::StartsWith(method, "/grpc.reflection.")) {
    return nullptr;
  }
  return new TracingServerInterceptor(tracer_, info);
}

grpc::experimental::Interceptor* TracingClientInterceptorFactory::CreateClientInterceptor(
    grpc::experimental::ClientRpcInfo* info) {
  return new TracingClientInterceptor(tracer_, info);
}

std::optional<SpanContext> ServerSpanContext(const grpc::ServerContextBase* ctx) {
  return ServerSpanRegistry::Get().Find(ctx);
}

std::string ResponseTraceParent(const grpc::ClientContext& ctx) {
  const auto& md = ctx.GetServerInitialMetadata();
  auto it = md.find(kTraceParentHeader);
  if (it == md.end()) return "";
  return ToString(it->second);
}

}  // namespace moot::tracing
