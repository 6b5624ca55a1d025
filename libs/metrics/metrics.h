// The process's Prometheus registry and the metrics Moot's libraries and services update.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace moot::metrics {

// Owns the registry and Moot's standard families:
//   moot_rpc_requests_total{service,method,code}   counter (RED: rate and errors)
//   moot_rpc_duration_seconds{service,method}      histogram (RED: duration)
//   moot_outbox_depth                              gauge, outbox rows not yet relayed
//   moot_consumer_lag{stream,group}                gauge, entries not yet delivered to a group
//   moot_events_relayed_total{stream}              counter, events moved outbox -> stream
//   moot_spans_dropped_total                       counter, spans the exporter could not queue
// Thread-safe. Services register their own families on registry().
class Metrics {
 public:
  // At most this many distinct (service, method) pairs get their own series; later ones (e.g.
  // unknown methods a client made up) are counted under service="other", method="other".
  static constexpr int kMaxMethods = 512;

  Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  prometheus::Registry& registry() { return *registry_; }
  std::shared_ptr<prometheus::Registry> shared_registry() { return registry_; }

  // Records one finished RPC. `full_method` is gRPC's "/pkg.Service/Method"; the code label is
  // the canonical name, e.g. "OK", "NOT_FOUND".
  void RecordRpc(absl::string_view full_method, grpc::StatusCode code, absl::Duration duration);

  void SetOutboxDepth(int64_t depth);
  void SetConsumerLag(absl::string_view stream, absl::string_view group, int64_t lag);
  void AddEventsRelayed(absl::string_view stream, int64_t n = 1);
  void AddSpansDropped(int64_t n = 1);

  // The registry in the Prometheus text exposition format.
  std::string Serialize() const;

  // Histogram buckets of moot_rpc_duration_seconds, in seconds.
  static const prometheus::Histogram::BucketBoundaries& DurationBuckets();

 private:
  struct MethodSeries {
    std::string service;  // Label values ("other" past kMaxMethods).
    std::string method;
    prometheus::Histogram* duration = nullptr;
    absl::flat_hash_map<int, prometheus::Counter*> requests;  // By status code.
  };
  MethodSeries& SeriesFor(absl::string_view full_method) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Gauge>& outbox_depth_family_;
  prometheus::Family<prometheus::Gauge>& consumer_lag_;
  prometheus::Family<prometheus::Counter>& events_relayed_;
  prometheus::Family<prometheus::Counter>& spans_dropped_family_;
  prometheus::Gauge& outbox_depth_;
  prometheus::Counter& spans_dropped_;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, MethodSeries> methods_ ABSL_GUARDED_BY(mu_);
};

}  // namespace moot::metrics
