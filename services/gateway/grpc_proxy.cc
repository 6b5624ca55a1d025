#include "services/gateway/grpc_proxy.h"

#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/client_callback.h"
#include "libs/log/logger.h"
#include "libs/status/grpc_status.h"
#include "libs/tracing/grpc_interceptors.h"

namespace moot::gateway {

bool IsReservedMetadataKey(absl::string_view key) {
  return key.empty() || key[0] == ':' || absl::StartsWith(key, "grpc-") || key == "content-type" ||
         key == "te" || key == "user-agent" || key == "host" || key == "accept-encoding" ||
         key == "content-length";
}

namespace {

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) {
    return out;
  }
  out.reserve(buffer.Length());
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

std::string RefToString(grpc::string_ref ref) { return std::string(ref.data(), ref.size()); }

}  // namespace

// One proxied call: the server side (this reactor) and the backend side (Upstream), with the
// state both share under mu_. Deletes itself when both sides are done.
class ProxyCall : public grpc::ServerGenericBidiReactor {
 public:
  ProxyCall(GrpcProxy* proxy, grpc::GenericCallbackServerContext* ctx)
      : proxy_(proxy), ctx_(ctx), upstream_(this), start_(proxy->clock_.Now()) {
    absl::MutexLock lock(&mu_);
    std::vector<absl::string_view> authorization;
    std::vector<absl::string_view> api_keys;
    std::optional<std::string> traceparent;
    for (const auto& [key, value] : ctx_->client_metadata()) {
      absl::string_view k(key.data(), key.size());
      absl::string_view v(value.data(), value.size());
      if (k == moot::auth::kAuthorizationHeader) {
        authorization.push_back(v);
      } else if (k == moot::auth::kApiKeyHeader) {
        api_keys.push_back(v);
      } else if (k == moot::tracing::kTraceParentHeader) {
        traceparent = std::string(v);
      }
    }
    StartSpanLocked(traceparent);
    absl::StatusOr<AdmittedCall> admitted =
        proxy_->policy_.Admit(ctx_->method(), authorization, api_keys);
    if (!admitted.ok()) {
      FinishLocked(moot::status::ToGrpcStatus(admitted.status()));
      return;
    }
    call_ = *std::move(admitted);
    stub_ = proxy_->backends_.Stub(call_.backend);
    if (stub_ == nullptr) {
      FinishLocked(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                absl::StrCat("backend ", call_.backend, " is not configured")));
      return;
    }
    StartRead(&request_);
  }

  // --- Server side (the caller) ---------------------------------------------------------------

  void OnReadDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    if (finished_ || backend_done_) {
      return;
    }
    if (!ok) {
      // The caller half-closed (or went away; OnCancel handles that).
      if (cancelled_) {
        return;
      }
      if (!backend_started_) {
        StartBackendLocked();
      }
      upstream_.StartWritesDone();
      ReleaseWriteHoldLocked();
      return;
    }
    absl::Status checked = proxy_->policy_.CheckRequest(call_, Flatten(request_));
    if (!checked.ok()) {
      FinishLocked(moot::status::ToGrpcStatus(checked));
      CancelBackendLocked();
      return;
    }
    if (!backend_started_) {
      StartBackendLocked();
    }
    upstream_.StartWrite(&request_);
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    if (finished_ || backend_done_) {
      return;
    }
    if (!ok) {
      // The caller is gone: stop the backend too.
      CancelBackendLocked();
      return;
    }
    upstream_.StartRead(&response_);
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    if (backend_started_) {
      CancelBackendLocked();  // The backend's OnDone finishes this side.
    } else {
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the caller cancelled the call"));
    }
  }

  void OnDone() override {
    bool destroy = false;
    {
      absl::MutexLock lock(&mu_);
      server_done_ = true;
      if (!finished_) {
        // Cannot happen (OnDone follows Finish), but never leak the backend call.
        finished_ = true;
      }
      if (backend_started_ && !backend_done_) {
        CancelBackendLocked();
      }
      destroy = !backend_started_ || backend_done_;
    }
    if (destroy) {
      delete this;
    }
  }

  // --- Backend side ---------------------------------------------------------------------------

  void OnBackendInitialMetadata(bool ok) {
    absl::MutexLock lock(&mu_);
    if (!ok || finished_ || initial_metadata_sent_) {
      return;
    }
    for (const auto& [key, value] : client_ctx_.GetServerInitialMetadata()) {
      if (!IsReservedMetadataKey(absl::string_view(key.data(), key.size()))) {
        ctx_->AddInitialMetadata(RefToString(key), RefToString(value));
      }
    }
    initial_metadata_sent_ = true;
    StartSendInitialMetadata();
  }

  void OnBackendReadDone(bool ok) {
    absl::MutexLock lock(&mu_);
    if (!ok || finished_) {
      ReleaseReadHoldLocked();  // The stream ended; the status arrives in OnBackendDone.
      return;
    }
    initial_metadata_sent_ = true;
    StartWrite(&response_);
  }

  void OnBackendWriteDone(bool ok) {
    absl::MutexLock lock(&mu_);
    if (!ok || finished_) {
      // The backend stopped accepting messages; its status arrives in OnBackendDone.
      ReleaseWriteHoldLocked();
      return;
    }
    StartRead(&request_);
  }

  void OnBackendDone(const grpc::Status& status) {
    bool destroy = false;
    {
      absl::MutexLock lock(&mu_);
      backend_done_ = true;
      if (!finished_) {
        for (const auto& [key, value] : client_ctx_.GetServerTrailingMetadata()) {
          if (!IsReservedMetadataKey(absl::string_view(key.data(), key.size()))) {
            ctx_->AddTrailingMetadata(RefToString(key), RefToString(value));
          }
        }
        FinishLocked(status);
      }
      destroy = server_done_;
    }
    if (destroy) {
      delete this;
    }
  }

 private:
  class Upstream : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    explicit Upstream(ProxyCall* call) : call_(call) {}
    void OnReadInitialMetadataDone(bool ok) override { call_->OnBackendInitialMetadata(ok); }
    void OnReadDone(bool ok) override { call_->OnBackendReadDone(ok); }
    void OnWriteDone(bool ok) override { call_->OnBackendWriteDone(ok); }
    void OnDone(const grpc::Status& status) override { call_->OnBackendDone(status); }

   private:
    ProxyCall* call_;
  };

  void StartSpanLocked(const std::optional<std::string>& traceparent)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::optional<moot::tracing::SpanContext> parent;
    if (traceparent.has_value()) {
      absl::StatusOr<moot::tracing::SpanContext> parsed =
          moot::tracing::SpanContext::FromHeaders(*traceparent, "");
      if (parsed.ok()) {
        parent = *std::move(parsed);
      }
    }
    forwarded_traceparent_ = traceparent;
    if (proxy_->tracer_ == nullptr) {
      return;
    }
    auto [service, method] = moot::tracing::SplitGrpcMethod(ctx_->method());
    span_ = proxy_->tracer_->StartSpan(absl::StrCat(service, "/", method),
                                       moot::tracing::SpanKind::kServer, parent);
    span_.SetAttribute(moot::tracing::attr::kRpcSystem, moot::tracing::kRpcSystemGrpc);
    span_.SetAttribute(moot::tracing::attr::kRpcService, service);
    span_.SetAttribute(moot::tracing::attr::kRpcMethod, method);
    forwarded_traceparent_ = span_.context().TraceParentHeader();
  }

  void StartBackendLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    backend_started_ = true;
    absl::Time requested = absl::InfiniteFuture();
    std::chrono::system_clock::time_point caller_deadline = ctx_->deadline();
    // Anything beyond a year is "no deadline" (gRPC reports none as the time_point maximum).
    if (caller_deadline < std::chrono::system_clock::now() + std::chrono::hours(24 * 365)) {
      requested = absl::FromChrono(caller_deadline);
    }
    absl::Time deadline =
        proxy_->policy_.BackendDeadline(call_.method, requested, proxy_->clock_.Now());
    if (deadline != absl::InfiniteFuture()) {
      client_ctx_.set_deadline(absl::ToChronoTime(deadline));
    }
    bool exchange_api_key = proxy_->options_.token_signer != nullptr &&
                            absl::StartsWith(call_.principal.subject, "apikey:");
    for (const auto& [key, value] : ctx_->client_metadata()) {
      absl::string_view k(key.data(), key.size());
      if (IsReservedMetadataKey(k) || k == moot::tracing::kTraceParentHeader ||
          (exchange_api_key &&
           (k == moot::auth::kApiKeyHeader || k == moot::auth::kAuthorizationHeader))) {
        continue;
      }
      client_ctx_.AddMetadata(std::string(k), RefToString(value));
    }
    if (exchange_api_key) {
      moot::auth::TokenSpec spec;
      spec.principal = call_.principal;
      spec.issuer = proxy_->options_.token_issuer;
      spec.audience = proxy_->options_.token_audience;
      spec.issued_at = proxy_->clock_.Now();
      spec.lifetime = proxy_->options_.token_lifetime;
      absl::StatusOr<std::string> token = proxy_->options_.token_signer->SignToken(spec);
      if (token.ok()) {
        client_ctx_.AddMetadata(std::string(moot::auth::kAuthorizationHeader),
                                absl::StrCat("Bearer ", *token));
      }
    }
    if (forwarded_traceparent_.has_value()) {
      client_ctx_.AddMetadata(moot::tracing::kTraceParentHeader, *forwarded_traceparent_);
    }
    stub_->PrepareBidiStreamingCall(&client_ctx_, call_.method.path, grpc::StubOptions(),
                                    &upstream_);
    // Two holds: one for the writes and one for the reads this object starts from outside the
    // backend's reactions; each is released when that direction is over.
    upstream_.AddMultipleHolds(2);
    upstream_.StartRead(&response_);
    upstream_.StartCall();
  }

  void ReleaseWriteHoldLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (backend_started_ && !write_hold_released_) {
      write_hold_released_ = true;
      upstream_.RemoveHold();
    }
  }
  void ReleaseReadHoldLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (backend_started_ && !read_hold_released_) {
      read_hold_released_ = true;
      upstream_.RemoveHold();
    }
  }
  void CancelBackendLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (backend_started_ && !backend_done_) {
      client_ctx_.TryCancel();
      ReleaseWriteHoldLocked();
      ReleaseReadHoldLocked();
    }
  }

  void FinishLocked(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) {
      return;
    }
    finished_ = true;
    absl::Duration elapsed = proxy_->clock_.Now() - start_;
    if (!span_.ended()) {
      span_.SetAttribute(moot::tracing::attr::kRpcGrpcStatusCode,
                         absl::StrCat(static_cast<int>(status.error_code())));
      if (!call_.principal.tenant.empty()) {
        span_.SetAttribute(moot::tracing::attr::kMootTenant, call_.principal.tenant);
      }
      span_.End(moot::status::FromGrpcStatus(status));
    }
    moot::log::Write(
        status.ok() ? moot::log::Level::kDebug : moot::log::Level::kInfo, "call",
        {{"method", ctx_->method()},
         {"code",
          std::string(moot::status::CodeName(static_cast<absl::StatusCode>(status.error_code())))},
         {"backend", call_.backend},
         {"tenant", call_.principal.tenant},
         {"ms", absl::StrCat(absl::ToInt64Milliseconds(elapsed))}});
    Finish(status);
  }

  GrpcProxy* const proxy_;
  grpc::GenericCallbackServerContext* const ctx_;
  Upstream upstream_;
  const absl::Time start_;

  absl::Mutex mu_;
  AdmittedCall call_ ABSL_GUARDED_BY(mu_);
  grpc::GenericStub* stub_ ABSL_GUARDED_BY(mu_) = nullptr;
  grpc::ClientContext client_ctx_;
  grpc::ByteBuffer request_;   // Read from the caller, then written to the backend.
  grpc::ByteBuffer response_;  // Read from the backend, then written to the caller.
  moot::tracing::ScopedSpan span_ ABSL_GUARDED_BY(mu_);
  std::optional<std::string> forwarded_traceparent_ ABSL_GUARDED_BY(mu_);
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool backend_started_ ABSL_GUARDED_BY(mu_) = false;
  bool backend_done_ ABSL_GUARDED_BY(mu_) = false;
  bool server_done_ ABSL_GUARDED_BY(mu_) = false;
  bool initial_metadata_sent_ ABSL_GUARDED_BY(mu_) = false;
  bool write_hold_released_ ABSL_GUARDED_BY(mu_) = false;
  bool read_hold_released_ ABSL_GUARDED_BY(mu_) = false;
};

GrpcProxy::GrpcProxy(const CallPolicy& policy, const BackendChannels& backends,
                     const moot::time::Clock& clock, moot::tracing::Tracer* tracer,
                     GrpcProxyOptions options)
    : policy_(policy),
      backends_(backends),
      clock_(clock),
      tracer_(tracer),
      options_(std::move(options)) {}

grpc::ServerGenericBidiReactor* GrpcProxy::CreateReactor(grpc::GenericCallbackServerContext* ctx) {
  return new ProxyCall(this, ctx);
}

}  // namespace moot::gateway
