#include "libs/tracing/batching_exporter.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "libs/testing/test_util.h"

namespace moot::tracing {
namespace {

Span NamedSpan(int i) {
  Span s;
  s.name = "span" + std::to_string(i);
  return s;
}

// A sink that blocks in Write until released, to fill the queue deterministically.
class BlockingSink : public SpanSink {
 public:
  absl::Status Write(const std::vector<Span>& spans) override {
    if (!entered_.HasBeenNotified()) entered_.Notify();  // Only the worker thread writes.
    release_.WaitForNotification();
    written += static_cast<int>(spans.size());
    return absl::OkStatus();
  }
  absl::Notification entered_;
  absl::Notification release_;
  std::atomic<int> written{0};
};

class FailingSink : public SpanSink {
 public:
  absl::Status Write(const std::vector<Span>&) override { return absl::UnavailableError("down"); }
};

TEST(BatchingExporterTest, WritesFullBatchesWithoutWaitingForInterval) {
  InMemorySpanSink sink;
  BatchingExporter exporter(
      sink, {.max_queue_size = 100, .max_batch_size = 5, .flush_interval = absl::Hours(1)});
  for (int i = 0; i < 10; ++i) exporter.Export(NamedSpan(i));
  ASSERT_TRUE(moot::testing::WaitFor([&] { return sink.size() == 10; }));
  EXPECT_EQ(sink.spans()[0].name, "span0");
  EXPECT_EQ(sink.spans()[9].name, "span9");
  EXPECT_EQ(exporter.written(), 10);
  EXPECT_EQ(exporter.dropped(), 0);
  exporter.Stop();
}

// Spans that arrive while a full batch is being written do not go out as an early partial batch
// (which left the next span waiting a whole interval: CI saw 9 of 10 spans written).
TEST(BatchingExporterTest, SpansArrivingDuringAWriteWaitForAFullBatch) {
  BlockingSink sink;
  BatchingExporter exporter(
      sink, {.max_queue_size = 100, .max_batch_size = 5, .flush_interval = absl::Hours(1)});
  for (int i = 0; i < 5; ++i) exporter.Export(NamedSpan(i));
  sink.entered_.WaitForNotification();  // The first batch is being written.
  for (int i = 5; i < 9; ++i) exporter.Export(NamedSpan(i));
  sink.release_.Notify();
  ASSERT_TRUE(moot::testing::WaitFor([&] { return sink.written.load() == 5; }));
  EXPECT_FALSE(
      moot::testing::WaitFor([&] { return sink.written.load() > 5; }, absl::Milliseconds(200)));
  exporter.Export(NamedSpan(9));  // Completes the second batch.
  EXPECT_TRUE(moot::testing::WaitFor([&] { return sink.written.load() == 10; }));
  exporter.Stop();
}

TEST(BatchingExporterTest, PartialBatchWaitsForIntervalOrFlush) {
  InMemorySpanSink sink;
  BatchingExporter exporter(
      sink, {.max_queue_size = 100, .max_batch_size = 50, .flush_interval = absl::Hours(1)});
  exporter.Export(NamedSpan(1));
  exporter.Export(NamedSpan(2));
  EXPECT_EQ(sink.size(), 0);  // Neither a full batch nor an elapsed interval.
  ASSERT_TRUE(exporter.Flush());
  EXPECT_EQ(sink.size(), 2);
  EXPECT_EQ(sink.batches(), 1);
}

TEST(BatchingExporterTest, IntervalFlushesPartialBatch) {
  InMemorySpanSink sink;
  BatchingExporter exporter(
      sink,
      {.max_queue_size = 100, .max_batch_size = 50, .flush_interval = absl::Milliseconds(20)});
  exporter.Export(NamedSpan(1));
  EXPECT_TRUE(moot::testing::WaitFor([&] { return sink.size() == 1; }, absl::Seconds(5)));
}

TEST(BatchingExporterTest, DropsAndCountsWhenQueueIsFullWithoutBlocking) {
  BlockingSink sink;
  std::atomic<int64_t> reported{0};
  BatchingExporter exporter(sink, {.max_queue_size = 3,
                                   .max_batch_size = 1,
                                   .flush_interval = absl::Hours(1),
                                   .on_dropped = [&](int64_t n) { reported += n; }});
  exporter.Export(NamedSpan(0));        // Taken by the worker, which then blocks in Write.
  sink.entered_.WaitForNotification();  // The queue is empty again, the worker is stuck.
  for (int i = 1; i <= 10; ++i) exporter.Export(NamedSpan(i));  // 3 fit, 7 are dropped.
  EXPECT_EQ(exporter.dropped(), 7);
  EXPECT_EQ(reported.load(), 7);
  sink.release_.Notify();
  exporter.Stop();
  EXPECT_EQ(sink.written.load(), 4);
  EXPECT_EQ(exporter.written(), 4);
}

TEST(BatchingExporterTest, StopFlushesPromptlyAndLaterSpansAreDropped) {
  InMemorySpanSink sink;
  BatchingExporter exporter(
      sink, {.max_queue_size = 100, .max_batch_size = 50, .flush_interval = absl::Hours(1)});
  for (int i = 0; i < 7; ++i) exporter.Export(NamedSpan(i));
  absl::Time start = absl::Now();
  exporter.Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));  // Not the hour-long interval.
  EXPECT_EQ(sink.size(), 7);
  exporter.Export(NamedSpan(99));
  EXPECT_EQ(exporter.dropped(), 1);
  exporter.Stop();  // Idempotent.
  EXPECT_EQ(sink.size(), 7);
}

TEST(BatchingExporterTest, CountsFailedBatches) {
  FailingSink sink;
  BatchingExporter exporter(
      sink, {.max_queue_size = 100, .max_batch_size = 2, .flush_interval = absl::Hours(1)});
  for (int i = 0; i < 5; ++i) exporter.Export(NamedSpan(i));
  ASSERT_TRUE(exporter.Flush());
  EXPECT_EQ(exporter.failed(), 5);
  EXPECT_EQ(exporter.written(), 0);
}

TEST(BatchingExporterTest, ManyThreadsExportConcurrently) {
  InMemorySpanSink sink;
  BatchingExporter exporter(
      sink,
      {.max_queue_size = 100000, .max_batch_size = 64, .flush_interval = absl::Milliseconds(5)});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) exporter.Export(NamedSpan(i));
    });
  }
  for (auto& t : threads) t.join();
  exporter.Stop();
  EXPECT_EQ(sink.size(), 4000);
  EXPECT_EQ(exporter.dropped(), 0);
}

}  // namespace
}  // namespace moot::tracing
