// An exporter that queues spans in memory and writes them to a SpanSink in batches from a
// background thread, so the request path never waits on storage.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/tracing/span_exporter.h"

namespace moot::tracing {

struct BatchingExporterOptions {
  // Spans held at most; when full, new spans are dropped and counted.
  int max_queue_size = 4096;
  // A batch is written as soon as this many spans are queued...
  int max_batch_size = 256;
  // ...or when this much time has passed since the last write.
  absl::Duration flush_interval = absl::Seconds(1);
  // Called (from the exporting thread, without locks held) with the number of spans just dropped
  // because the queue was full or the exporter stopped; e.g. to bump moot_spans_dropped_total.
  std::function<void(int64_t)> on_dropped;
};

// Thread-safe. Starts its thread at construction; Stop() (or destruction) writes what is left
// and joins.
class BatchingExporter : public SpanExporter {
 public:
  // `sink` must outlive the exporter.
  BatchingExporter(SpanSink& sink, BatchingExporterOptions options = {});
  ~BatchingExporter() override;
  BatchingExporter(const BatchingExporter&) = delete;
  BatchingExporter& operator=(const BatchingExporter&) = delete;

  // Queues `span`; never blocks on the sink. Drops (and counts) it when the queue is full or the
  // exporter has stopped.
  void Export(Span span) override;

  // Blocks until every span queued before the call has been handed to the sink (or `timeout`
  // passes; returns false then).
  bool Flush(absl::Duration timeout = absl::Seconds(5));

  // Writes the queue out, stops the thread and joins it. Idempotent.
  void Stop();

  // Spans dropped because the queue was full or the exporter had stopped.
  int64_t dropped() const;
  // Spans in batches the sink reported as failed.
  int64_t failed() const;
  // Spans handed to the sink successfully.
  int64_t written() const;

 private:
  void Run();
  bool ShouldWake() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  SpanSink& sink_;
  const BatchingExporterOptions options_;

  mutable absl::Mutex mu_;
  absl::CondVar wake_;     // Signalled for the worker: batch full, flush or stop.
  absl::CondVar written_;  // Signalled by the worker after each write.
  std::deque<Span> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int flush_requests_ ABSL_GUARDED_BY(mu_) = 0;
  // Spans accepted into the queue and spans taken out and finished, for Flush().
  int64_t enqueued_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t completed_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t failed_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t written_count_ ABSL_GUARDED_BY(mu_) = 0;

  absl::Mutex stop_mu_;  // Serializes Stop().
  std::thread thread_;
};

}  // namespace moot::tracing
