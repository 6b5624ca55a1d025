#include "libs/metrics/metrics.h"

#include <utility>

#include "absl/status/status.h"
#include "libs/status/grpc_status.h"
#include "prometheus/text_serializer.h"

namespace moot::metrics {
namespace {

std::pair<std::string, std::string> SplitMethod(absl::string_view full_method) {
  absl::string_view m = full_method;
  if (!m.empty() && m.front() == '/') m.remove_prefix(1);
  size_t slash = m.rfind('/');
  if (slash == absl::string_view::npos) {
    return {"", std::string(m)};
  }
  return {std::string(m.substr(0, slash)), std::string(m.substr(slash + 1))};
}

std::string CodeLabel(grpc::StatusCode code) {
  int value = static_cast<int>(code);
  if (value < 0 || value > 16) {
    return "UNKNOWN";
  }
  return std::string(status::CodeName(static_cast<absl::StatusCode>(value)));
}

}  // namespace

const prometheus::Histogram::BucketBoundaries& Metrics::DurationBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("moot_rpc_requests_total")
                    .Help("gRPC calls handled, by service, method and status code.")
                    .Register(*registry_)),
      duration_(prometheus::BuildHistogram()
                    .Name("moot_rpc_duration_seconds")
                    .Help("Time from receiving a gRPC call to sending its status.")
                    .Register(*registry_)),
      outbox_depth_family_(prometheus::BuildGauge()
                               .Name("moot_outbox_depth")
                               .Help("Outbox rows written but not yet relayed to Redis.")
                               .Register(*registry_)),
      consumer_lag_(prometheus::BuildGauge()
                        .Name("moot_consumer_lag")
                        .Help("Stream entries not yet delivered to a consumer group.")
                        .Register(*registry_)),
      events_relayed_(prometheus::BuildCounter()
                          .Name("moot_events_relayed_total")
                          .Help("Events moved from the outbox to a Redis stream.")
                          .Register(*registry_)),
      spans_dropped_family_(prometheus::BuildCounter()
                                .Name("moot_spans_dropped_total")
                                .Help("Spans dropped because the export queue was full.")
                                .Register(*registry_)),
      outbox_depth_(outbox_depth_family_.Add({})),
      spans_dropped_(spans_dropped_family_.Add({})) {}

Metrics::MethodSeries& Metrics::SeriesFor(absl::string_view full_method) {
  auto it = methods_.find(full_method);
  if (it != methods_.end()) {
    return it->second;
  }
  std::string key(full_method);
  auto [service, method] = SplitMethod(full_method);
  if (static_cast<int>(methods_.size()) >= kMaxMethods) {
    key = "/other/other";
    service = "other";
    method = "other";
    it = methods_.find(key);
    if (it != methods_.end()) {
      return it->second;
    }
  }
  MethodSeries& series = methods_[key];
  series.service = service;
  series.method = method;
  series.duration = &duration_.Add({{"service", service}, {"method", method}}, DurationBuckets());
  return series;
}

void Metrics::RecordRpc(absl::string_view full_method, grpc::StatusCode code,
                        absl::Duration duration) {
  prometheus::Counter* counter = nullptr;
  prometheus::Histogram* histogram = nullptr;
  {
    absl::MutexLock lock(&mu_);
    MethodSeries& series = SeriesFor(full_method);
    histogram = series.duration;
    auto it = series.requests.find(static_cast<int>(code));
    if (it == series.requests.end()) {
      prometheus::Counter& c = requests_.Add(
          {{"service", series.service}, {"method", series.method}, {"code", CodeLabel(code)}});
      it = series.requests.emplace(static_cast<int>(code), &c).first;
    }
    counter = it->second;
  }
  counter->Increment();
  histogram->Observe(absl::ToDoubleSeconds(duration));
}

void Metrics::SetOutboxDepth(int64_t depth) { outbox_depth_.Set(static_cast<double>(depth)); }

void Metrics::SetConsumerLag(absl::string_view stream, absl::string_view group, int64_t lag) {
  consumer_lag_.Add({{"stream", std::string(stream)}, {"group", std::string(group)}})
      .Set(static_cast<double>(lag));
}

void Metrics::AddEventsRelayed(absl::string_view stream, int64_t n) {
  if (n > 0) {
    events_relayed_.Add({{"stream", std::string(stream)}}).Increment(static_cast<double>(n));
  }
}

void Metrics::AddSpansDropped(int64_t n) {
  if (n > 0) {
    spans_dropped_.Increment(static_cast<double>(n));
  }
}

std::string Metrics::Serialize() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace moot::metrics
