#include "libs/tracing/batching_exporter.h"

#include <algorithm>
#include <utility>

namespace moot::tracing {

BatchingExporter::BatchingExporter(SpanSink& sink, BatchingExporterOptions options)
    : sink_(sink), options_(std::move(options)) {
  thread_ = std::thread([this] { Run(); });
}

BatchingExporter::~BatchingExporter() { Stop(); }

void BatchingExporter::Export(Span span) {
  bool dropped = false;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ || static_cast<int>(queue_.size()) >= std::max(1, options_.max_queue_size)) {
      ++dropped_;
      dropped = true;
    } else {
      queue_.push_back(std::move(span));
      ++enqueued_;
      if (static_cast<int>(queue_.size()) >= options_.max_batch_size) {
        wake_.Signal();
      }
    }
  }
  if (dropped && options_.on_dropped) {
    options_.on_dropped(1);
  }
}

bool BatchingExporter::ShouldWake() const {
  return stopping_ || flush_requests_ > 0 ||
         static_cast<int>(queue_.size()) >= options_.max_batch_size;
}

void BatchingExporter::Run() {
  const int batch_size = std::max(1, options_.max_batch_size);
  absl::MutexLock lock(&mu_);
  while (true) {
    bool interval_elapsed = false;
    if (!ShouldWake()) {
      absl::Time deadline = absl::Now() + options_.flush_interval;
      while (!ShouldWake()) {
        if (wake_.WaitWithDeadline(&mu_, deadline)) {
          interval_elapsed = true;
          break;
        }
      }
    }
    // Full batches go at once; a partial batch only when the interval elapsed or on a flush or
    // stop (re-checked after every write, as spans and flush requests arrive meanwhile). Writing
    // a partial batch early would leave the rest waiting a whole interval.
    while (!queue_.empty() && (interval_elapsed || stopping_ || flush_requests_ > 0 ||
                               static_cast<int>(queue_.size()) >= batch_size)) {
      std::vector<Span> batch;
      int n = std::min<int>(batch_size, static_cast<int>(queue_.size()));
      batch.reserve(n);
      for (int i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      mu_.Unlock();
      absl::Status status = sink_.Write(batch);
      mu_.Lock();
      if (status.ok()) {
        written_count_ += n;
      } else {
        failed_ += n;
      }
      completed_ += n;
      written_.SignalAll();
    }
    if (queue_.empty()) {
      flush_requests_ = 0;  // Everything enqueued before each request is written.
    }
    written_.SignalAll();
    if (stopping_) {
      return;
    }
  }
}

bool BatchingExporter::Flush(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&mu_);
  const int64_t target = enqueued_;
  if (completed_ >= target) {
    return true;
  }
  ++flush_requests_;
  wake_.Signal();
  while (completed_ < target) {
    if (written_.WaitWithDeadline(&mu_, deadline)) {
      return completed_ >= target;
    }
  }
  return true;
}

void BatchingExporter::Stop() {
  absl::MutexLock stop_lock(&stop_mu_);
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    wake_.Signal();
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

int64_t BatchingExporter::dropped() const {
  absl::MutexLock lock(&mu_);
  return dropped_;
}

int64_t BatchingExporter::failed() const {
  absl::MutexLock lock(&mu_);
  return failed_;
}

int64_t BatchingExporter::written() const {
  absl::MutexLock lock(&mu_);
  return written_count_;
}

}  // namespace moot::tracing
