#include "libs/tracing/tracer.h"

#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/log/logger.h"
#include "libs/tracing/event_context.h"
#include "libs/tracing/redis_stream_sink.h"
#include "libs/tracing/zipkin_json.h"
#include "nlohmann/json.hpp"

namespace moot::tracing {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::SizeIs;

class TracerTest : public ::testing::Test {
 protected:
  time::FakeClock clock_{absl::FromUnixSeconds(1700000000)};
  ids::SequentialIdGenerator ids_;
  InMemorySpanSink sink_;
  Tracer tracer_{"scheduling", clock_, ids_, sink_};
};

TEST_F(TracerTest, RootSpanStartsNewTraceAndEndsOnDestruction) {
  {
    ScopedSpan span = tracer_.StartSpan("work", SpanKind::kInternal);
    EXPECT_TRUE(IsValidTraceId(span.context().trace_id));
    EXPECT_TRUE(IsValidSpanId(span.context().span_id));
    EXPECT_TRUE(span.context().sampled());
    clock_.Advance(absl::Milliseconds(7));
    EXPECT_EQ(sink_.size(), 0);
  }
  ASSERT_EQ(sink_.size(), 1);
  Span s = sink_.spans()[0];
  EXPECT_EQ(s.name, "work");
  EXPECT_EQ(s.service_name, "scheduling");
  EXPECT_EQ(s.parent_span_id, "");
  EXPECT_EQ(s.start, absl::FromUnixSeconds(1700000000));
  EXPECT_EQ(s.duration, absl::Milliseconds(7));
  EXPECT_EQ(s.status_code, SpanStatusCode::kUnset);
}

TEST_F(TracerTest, ChildJoinsParentTraceAndEndRecordsStatusOnce) {
  ScopedSpan parent = tracer_.StartSpan("parent", SpanKind::kServer);
  ScopedSpan child = tracer_.StartSpan("child", SpanKind::kClient, parent.context());
  child.End(absl::NotFoundError("no such meeting"));
  child.End(absl::OkStatus());  // Ignored: already ended.
  parent.End(absl::OkStatus());
  ASSERT_THAT(sink_.spans(), SizeIs(2));
  Span c = sink_.spans()[0];
  Span p = sink_.spans()[1];
  EXPECT_EQ(c.trace_id, p.trace_id);
  EXPECT_EQ(c.parent_span_id, p.span_id);
  EXPECT_NE(c.span_id, p.span_id);
  EXPECT_EQ(c.status_code, SpanStatusCode::kError);
  EXPECT_EQ(c.status_message, "no such meeting");
  EXPECT_EQ(p.status_code, SpanStatusCode::kOk);
}

TEST_F(TracerTest, UnsampledParentPropagatesButIsNotExported) {
  SpanContext parent = *SpanContext::FromHeaders(
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", "vendor=x");
  {
    ScopedSpan span = tracer_.StartSpan("quiet", SpanKind::kServer, parent);
    EXPECT_FALSE(span.context().sampled());
    EXPECT_EQ(span.context().trace_state.Get("vendor"), "x");
  }
  EXPECT_EQ(sink_.size(), 0);
}

TEST_F(TracerTest, MovedFromSpanDoesNotExportTwice) {
  ScopedSpan a = tracer_.StartSpan("a", SpanKind::kInternal);
  ScopedSpan b = std::move(a);
  a.End();
  EXPECT_EQ(sink_.size(), 0);
  b.End();
  EXPECT_EQ(sink_.size(), 1);
}

TEST(CurrentSpanTest, ScopedCurrentSpanNestsAndRestoresPerThread) {
  EXPECT_FALSE(CurrentSpanContext().has_value());
  SpanContext outer{"4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"};
  SpanContext inner{"4bf92f3577b34da6a3ce929d0e0e4736", "1111111111111111"};
  {
    ScopedCurrentSpan a(outer);
    {
      ScopedCurrentSpan b(inner);
      EXPECT_EQ(CurrentSpanContext()->span_id, "1111111111111111");
      std::thread([] { EXPECT_FALSE(CurrentSpanContext().has_value()); }).join();
    }
    EXPECT_EQ(CurrentSpanContext()->span_id, "00f067aa0ba902b7");
  }
  EXPECT_FALSE(CurrentSpanContext().has_value());
}

Span SampleSpan() {
  Span s;
  s.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  s.span_id = "00f067aa0ba902b7";
  s.parent_span_id = "1111111111111111";
  s.name = "moot.bench.v1.EchoService/Echo";
  s.kind = SpanKind::kServer;
  s.start = absl::FromUnixMicros(1700000000123456);
  s.duration = absl::Microseconds(1500);
  s.status_code = SpanStatusCode::kError;
  s.status_message = "boom";
  s.attributes = {{"rpc.system", "grpc"}, {"rpc.grpc.status_code", "13"}};
  s.service_name = "scheduling";
  return s;
}

TEST(ZipkinJsonTest, WritesZipkinV2Fields) {
  nlohmann::json j = nlohmann::json::parse(ToZipkinJson(SampleSpan()));
  EXPECT_EQ(j["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(j["id"], "00f067aa0ba902b7");
  EXPECT_EQ(j["parentId"], "1111111111111111");
  EXPECT_EQ(j["name"], "moot.bench.v1.EchoService/Echo");
  EXPECT_EQ(j["kind"], "SERVER");
  EXPECT_EQ(j["timestamp"], 1700000000123456);
  EXPECT_EQ(j["duration"], 1500);
  EXPECT_EQ(j["localEndpoint"]["serviceName"], "scheduling");
  EXPECT_EQ(j["tags"]["rpc.system"], "grpc");
  EXPECT_EQ(j["tags"]["rpc.grpc.status_code"], "13");
  EXPECT_EQ(j["tags"]["otel.status_code"], "ERROR");
  EXPECT_EQ(j["tags"]["error"], "boom");
}

TEST(ZipkinJsonTest, RootInternalSpanOmitsParentAndKind) {
  Span s = SampleSpan();
  s.parent_span_id.clear();
  s.kind = SpanKind::kInternal;
  s.status_code = SpanStatusCode::kUnset;
  nlohmann::json j = nlohmann::json::parse(ToZipkinJson(s));
  EXPECT_FALSE(j.contains("parentId"));
  EXPECT_FALSE(j.contains("kind"));
  EXPECT_FALSE(j["tags"].contains("error"));
}

TEST(ZipkinJsonTest, InvalidUtf8IsReplacedNotThrown) {
  Span s = SampleSpan();
  s.name = "bad\xff\xfe";
  s.attributes["x"] = std::string("\xc3\x28", 2);
  std::string json = ToZipkinJson(s);
  EXPECT_TRUE(nlohmann::json::accept(json));
}

TEST(ZipkinJsonTest, RoundTripsAndRejectsGarbage) {
  Span s = SampleSpan();
  absl::StatusOr<Span> back = FromZipkinJson(ToZipkinJson(s));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->trace_id, s.trace_id);
  EXPECT_EQ(back->parent_span_id, s.parent_span_id);
  EXPECT_EQ(back->kind, SpanKind::kServer);
  EXPECT_EQ(back->start, s.start);
  EXPECT_EQ(back->duration, s.duration);
  EXPECT_EQ(back->status_code, SpanStatusCode::kError);
  EXPECT_EQ(back->status_message, "boom");
  EXPECT_EQ(back->attributes, s.attributes);
  EXPECT_EQ(back->service_name, "scheduling");
  EXPECT_FALSE(FromZipkinJson("{").ok());
  EXPECT_FALSE(FromZipkinJson("[]").ok());
  EXPECT_FALSE(FromZipkinJson(R"({"traceId":5,"id":"00f067aa0ba902b7"})").ok());
  EXPECT_FALSE(FromZipkinJson(std::string(100000, '[')).ok());
}

class FakeStreamWriter : public StreamWriter {
 public:
  absl::Status XAdd(absl::string_view stream, int64_t maxlen,
                    const std::vector<std::pair<std::string, std::string>>& fields) override {
    if (fail_after_ >= 0 && static_cast<int>(entries.size()) >= fail_after_) {
      return absl::UnavailableError("redis down");
    }
    streams.emplace_back(stream);
    maxlens.push_back(maxlen);
    entries.push_back(fields);
    return absl::OkStatus();
  }
  int fail_after_ = -1;
  std::vector<std::string> streams;
  std::vector<int64_t> maxlens;
  std::vector<std::vector<std::pair<std::string, std::string>>> entries;
};

TEST(RedisStreamSinkTest, WritesOneCappedEntryPerSpan) {
  FakeStreamWriter writer;
  RedisStreamSink sink(writer, {.stream = "moot:spans", .maxlen = 5000});
  ASSERT_TRUE(sink.Write({SampleSpan(), SampleSpan()}).ok());
  ASSERT_THAT(writer.entries, SizeIs(2));
  EXPECT_THAT(writer.streams, ElementsAre("moot:spans", "moot:spans"));
  EXPECT_THAT(writer.maxlens, ElementsAre(5000, 5000));
  EXPECT_THAT(writer.entries[0][0], Pair("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"));
  EXPECT_EQ(writer.entries[0][1].first, "span");
  EXPECT_EQ(writer.entries[0][1].second, ToZipkinJson(SampleSpan()));
}

TEST(RedisStreamSinkTest, StopsAtFirstFailure) {
  FakeStreamWriter writer;
  writer.fail_after_ = 1;
  RedisStreamSink sink(writer);
  absl::Status status = sink.Write({SampleSpan(), SampleSpan(), SampleSpan()});
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(writer.entries, SizeIs(1));
  EXPECT_THAT(writer.maxlens, ElementsAre(100000));
}

TEST_F(TracerTest, EventCarriesTraceFromProducerToConsumer) {
  events::v1::Event event;
  event.set_id("01HEVENT");
  event.set_type("agenda.published");
  event.set_tenant("wm");
  std::string producer_trace;
  std::string producer_span;
  {
    ScopedSpan handler = tracer_.StartSpan("handler", SpanKind::kServer);
    producer_trace = handler.context().trace_id;
    producer_span = handler.context().span_id;
    ScopedCurrentSpan current(handler.context());
    InjectCurrentIntoEvent(&event);
  }
  EXPECT_EQ(event.traceparent(), "00-" + producer_trace + "-" + producer_span + "-01");
  sink_.Clear();
  { ScopedSpan consumer = StartConsumerSpan(tracer_, event, "moot:events:agenda"); }
  ASSERT_EQ(sink_.size(), 1);
  Span c = sink_.spans()[0];
  EXPECT_EQ(c.kind, SpanKind::kConsumer);
  EXPECT_EQ(c.trace_id, producer_trace);
  EXPECT_EQ(c.parent_span_id, producer_span);
  EXPECT_EQ(c.name, "agenda.published process");
  EXPECT_EQ(c.attributes.at("messaging.system"), "redis");
  EXPECT_EQ(c.attributes.at("messaging.destination.name"), "moot:events:agenda");
  EXPECT_EQ(c.attributes.at("messaging.message.id"), "01HEVENT");
}

TEST_F(TracerTest, EventWithMalformedTraceparentStartsNewTrace) {
  events::v1::Event event;
  event.set_id("e1");
  event.set_type("meeting.scheduled");
  event.set_traceparent("00-zzzz");
  EXPECT_FALSE(ExtractFromEvent(event).has_value());
  {
    ScopedSpan span = StartConsumerSpan(tracer_, event, "s");
    EXPECT_TRUE(IsValidTraceId(span.context().trace_id));
  }
  ASSERT_EQ(sink_.size(), 1);
  EXPECT_EQ(sink_.spans()[0].parent_span_id, "");
  InjectIntoEvent(std::nullopt, &event);
  EXPECT_EQ(event.traceparent(), "");
}

}  // namespace
}  // namespace moot::tracing

namespace moot::tracing {
namespace {

TEST(CurrentSpanTest, LogLinesCarryTheCurrentTraceId) {
  SpanContext outer{.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736", .span_id = "00f067aa0ba902b7"};
  SpanContext inner{.trace_id = "0af7651916cd43dd8448eb211c80319c", .span_id = "b7ad6b7169203331"};
  EXPECT_EQ(log::ThreadTraceId(), "");
  {
    ScopedCurrentSpan a(outer);
    EXPECT_EQ(log::ThreadTraceId(), outer.trace_id);
    {
      ScopedCurrentSpan b(inner);
      EXPECT_EQ(log::ThreadTraceId(), inner.trace_id);
    }
    EXPECT_EQ(log::ThreadTraceId(), outer.trace_id);
  }
  EXPECT_EQ(log::ThreadTraceId(), "");
}

}  // namespace
}  // namespace moot::tracing
