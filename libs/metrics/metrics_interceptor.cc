#include "libs/metrics/metrics_interceptor.h"

#include <string>

namespace moot::metrics {
namespace {

using grpc::experimental::InterceptionHookPoints;

class MetricsServerInterceptor : public grpc::experimental::Interceptor {
 public:
  MetricsServerInterceptor(Metrics& metrics, const time::Clock& clock,
                           grpc::experimental::ServerRpcInfo* info)
      : metrics_(metrics),
        clock_(clock),
        method_(info->method() != nullptr ? info->method() : ""),
        start_(clock.Now()) {}

  ~MetricsServerInterceptor() override {
    if (!recorded_) {
      Record(grpc::StatusCode::CANCELLED);
    }
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      start_ = clock_.Now();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) &&
        !recorded_) {
      Record(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Record(grpc::StatusCode code) {
    recorded_ = true;
    metrics_.RecordRpc(method_, code, clock_.Now() - start_);
  }

  Metrics& metrics_;
  const time::Clock& clock_;
  std::string method_;
  absl::Time start_;
  bool recorded_ = false;
};

}  // namespace

grpc::experimental::Interceptor* MetricsServerInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new MetricsServerInterceptor(metrics_, clock_, info);
}

}  // namespace moot::metrics
