// Where finished spans go: SpanExporter (called on the request path) and SpanSink (the storage
// a batching exporter writes to off the request path).
#pragma once

#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "libs/tracing/span.h"

namespace moot::tracing {

// Receives every finished, sampled span. Export is called on the request path: it must be
// thread-safe and must never block for long (queue and return).
class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  virtual void Export(Span span) = 0;
};

// Durable storage for spans, written in batches from a background thread. Thread-compatible:
// a BatchingExporter calls it from one thread at a time.
class SpanSink {
 public:
  virtual ~SpanSink() = default;
  // Writes `spans`; an error means (some of) the batch was lost.
  virtual absl::Status Write(const std::vector<Span>& spans) = 0;
};

// Keeps every span in memory; for tests. Usable as a direct exporter or as a sink.
class InMemorySpanSink : public SpanSink, public SpanExporter {
 public:
  absl::Status Write(const std::vector<Span>& spans) override {
    absl::MutexLock lock(&mu_);
    spans_.insert(spans_.end(), spans.begin(), spans.end());
    ++batches_;
    return absl::OkStatus();
  }
  void Export(Span span) override {
    absl::MutexLock lock(&mu_);
    spans_.push_back(std::move(span));
  }
  std::vector<Span> spans() const {
    absl::MutexLock lock(&mu_);
    return spans_;
  }
  int size() const {
    absl::MutexLock lock(&mu_);
    return static_cast<int>(spans_.size());
  }
  // Number of Write() calls (batches).
  int batches() const {
    absl::MutexLock lock(&mu_);
    return batches_;
  }
  void Clear() {
    absl::MutexLock lock(&mu_);
    spans_.clear();
    batches_ = 0;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<Span> spans_ ABSL_GUARDED_BY(mu_);
  int batches_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace moot::tracing
