#include "libs/tracing/grpc_interceptors.h"

#include <future>
#include <memory>
#include <set>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "libs/testing/test_util.h"
#include "moot/bench/v1/echo.grpc.pb.h"

namespace moot::tracing {
namespace {

using bench::v1::EchoRequest;
using bench::v1::EchoResponse;
using bench::v1::EchoService;

// Echo that records the span context its handler sees, fails on "fail", and on "nested" makes
// a second call through `nested_stub` (set once the server is up).
class EchoImpl : public EchoService::Service {
 public:
  grpc::Status Echo(grpc::ServerContext* ctx, const EchoRequest* req, EchoResponse* resp) override {
    {
      absl::MutexLock lock(&mu_);
      seen_current_ = CurrentSpanContext();
      seen_by_context_ = ServerSpanContext(ctx);
    }
    if (req->payload() == "fail") {
      return grpc::Status(grpc::StatusCode::INTERNAL, "broken");
    }
    if (req->payload() == "nested" && nested_stub != nullptr) {
      grpc::ClientContext nested_ctx;
      EchoRequest nested_req;
      nested_req.set_payload("inner");
      EchoResponse nested_resp;
      grpc::Status s = nested_stub->Echo(&nested_ctx, nested_req, &nested_resp);
      if (!s.ok()) return s;
    }
    resp->set_payload(req->payload());
    return grpc::Status::OK;
  }
  std::optional<SpanContext> seen_current() {
    absl::MutexLock lock(&mu_);
    return seen_current_;
  }
  std::optional<SpanContext> seen_by_context() {
    absl::MutexLock lock(&mu_);
    return seen_by_context_;
  }
  EchoService::Stub* nested_stub = nullptr;

 private:
  absl::Mutex mu_;
  std::optional<SpanContext> seen_current_ ABSL_GUARDED_BY(mu_);
  std::optional<SpanContext> seen_by_context_ ABSL_GUARDED_BY(mu_);
};

class TracingInterceptorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service_);
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> server_ics;
    server_ics.push_back(std::make_unique<TracingServerInterceptorFactory>(server_tracer_));
    // The server's own outgoing calls are traced by the server's tracer.
    builder.experimental().SetInterceptorCreators(std::move(server_ics));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port, 0);
    address_ = "127.0.0.1:" + std::to_string(port);

    traced_stub_ = EchoService::NewStub(TracedChannel(client_tracer_));
    nested_stub_ = EchoService::NewStub(TracedChannel(server_tracer_));
    service_.nested_stub = nested_stub_.get();
    plain_stub_ =
        EchoService::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  std::shared_ptr<grpc::Channel> TracedChannel(Tracer& tracer) {
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> ics;
    ics.push_back(std::make_unique<TracingClientInterceptorFactory>(tracer));
    return grpc::experimental::CreateCustomChannelWithInterceptors(
        address_, grpc::InsecureChannelCredentials(), grpc::ChannelArguments(), std::move(ics));
  }

  std::vector<Span> SpansOfKind(SpanKind kind) {
    std::vector<Span> out;
    for (const Span& s : sink_.spans()) {
      if (s.kind == kind) out.push_back(s);
    }
    return out;
  }

  grpc::Status Call(EchoService::Stub& stub, const std::string& payload, grpc::ClientContext* ctx) {
    EchoRequest req;
    req.set_payload(payload);
    EchoResponse resp;
    return stub.Echo(ctx, req, &resp);
  }

  time::FakeClock clock_;
  ids::UlidGenerator ids_{clock_};
  InMemorySpanSink sink_;
  Tracer client_tracer_{"gateway", clock_, ids_, sink_};
  Tracer server_tracer_{"echo", clock_, ids_, sink_};
  EchoImpl service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  std::unique_ptr<EchoService::Stub> traced_stub_;
  std::unique_ptr<EchoService::Stub> nested_stub_;
  std::unique_ptr<EchoService::Stub> plain_stub_;
};

TEST_F(TracingInterceptorsTest, OneCallYieldsClientAndServerSpansInOneTrace) {
  grpc::ClientContext ctx;
  ASSERT_TRUE(Call(*traced_stub_, "hi", &ctx).ok());
  ASSERT_TRUE(moot::testing::WaitFor([&] { return sink_.size() == 2; }));
  std::vector<Span> clients = SpansOfKind(SpanKind::kClient);
  std::vector<Span> servers = SpansOfKind(SpanKind::kServer);
  ASSERT_EQ(clients.size(), 1u);
  ASSERT_EQ(servers.size(), 1u);
  const Span& client = clients[0];
  const Span& server = servers[0];
  EXPECT_EQ(client.trace_id, server.trace_id);
  EXPECT_EQ(server.parent_span_id, client.span_id);
  EXPECT_EQ(client.parent_span_id, "");
  EXPECT_EQ(client.service_name, "gateway");
  EXPECT_EQ(server.service_name, "echo");
  for (const Span* s : {&client, &server}) {
    EXPECT_EQ(s->name, "moot.bench.v1.EchoService/Echo");
    EXPECT_EQ(s->attributes.at("rpc.system"), "grpc");
    EXPECT_EQ(s->attributes.at("rpc.service"), "moot.bench.v1.EchoService");
    EXPECT_EQ(s->attributes.at("rpc.method"), "Echo");
    EXPECT_EQ(s->attributes.at("rpc.grpc.status_code"), "0");
    EXPECT_EQ(s->status_code, SpanStatusCode::kOk);
  }
  EXPECT_THAT(server.attributes.at("net.sock.peer.addr"), ::testing::HasSubstr("127.0.0.1"));
  // The handler saw the server span, both through the thread and through its ServerContext.
  ASSERT_TRUE(service_.seen_current().has_value());
  EXPECT_EQ(service_.seen_current()->span_id, server.span_id);
  ASSERT_TRUE(service_.seen_by_context().has_value());
  EXPECT_EQ(service_.seen_by_context()->span_id, server.span_id);
  // The response names the server span.
  EXPECT_EQ(ResponseTraceParent(ctx), "00-" + server.trace_id + "-" + server.span_id + "-01");
}

TEST_F(TracingInterceptorsTest, MalformedIncomingTraceparentStartsNewTrace) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("traceparent", "00-NOT-A-VALID-HEADER");
  ASSERT_TRUE(Call(*plain_stub_, "hi", &ctx).ok());
  ASSERT_TRUE(moot::testing::WaitFor([&] { return sink_.size() == 1; }));
  Span server = sink_.spans()[0];
  EXPECT_EQ(server.kind, SpanKind::kServer);
  EXPECT_TRUE(IsValidTraceId(server.trace_id));
  EXPECT_EQ(server.parent_span_id, "");
  EXPECT_EQ(ResponseTraceParent(ctx), "00-" + server.trace_id + "-" + server.span_id + "-01");
}

TEST_F(TracingInterceptorsTest, ValidIncomingTraceparentIsContinued) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ctx.AddMetadata("tracestate", "rojo=00f067aa0ba902b7");
  ASSERT_TRUE(Call(*plain_stub_, "hi", &ctx).ok());
  ASSERT_TRUE(moot::testing::WaitFor([&] { return sink_.size() == 1; }));
  Span server = sink_.spans()[0];
  EXPECT_EQ(server.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(server.parent_span_id, "00f067aa0ba902b7");
  ASSERT_TRUE(service_.seen_current().has_value());
  EXPECT_EQ(service_.seen_current()->trace_state.Get("rojo"), "00f067aa0ba902b7");
}

TEST_F(TracingInterceptorsTest, CallerSuppliedTraceparentBecomesClientSpanParent) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(Call(*traced_stub_, "hi", &ctx).ok());
  ASSERT_TRUE(moot::testing::WaitFor([&] { return sink_.size() == 2; }));
  Span client = SpansOfKind(SpanKind::kClient).at(0);
  Span server = SpansOfKind(SpanKind::kServer).at(0);
  EXPECT_EQ(client.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(client.parent_span_id, "00f067aa0ba902b7");
  EXPECT_EQ(server.parent_span_id, client.span_id);  // Replaced, not sent twice.
}

TEST_F(TracingInterceptorsTest, NestedCallFromHandlerIsChildOfServerSpan) {
  grpc::ClientContext ctx;
  ASSERT_TRUE(Call(*traced_stub_, "nested", &ctx).ok());
  // Outer CLIENT + outer SERVER + nested CLIENT + nested SERVER.
  ASSERT_TRUE(moot::testing::WaitFor([&] { return sink_.size() == 4; }));
  std::vector<Span> all = sink_.spans();
  std::set<std::string> traces;
  for (const Span& s : all) traces.insert(s.trace_id);
  EXPECT_EQ(traces.size(), 1u);
  std::vector<Span> clients = SpansOfKind(SpanKind::kClient);
  std::vector<Span> servers = SpansOfKind(SpanKind::kServer);
  ASSERT_EQ(clients.size(), 2u);
  ASSERT_EQ(servers.size(), 2u);
  auto find = [&](const std::string& id) -> const Span* {
    for (const Span& s : all) {
      if (s.span_id == id) return &s;
    }
    return nullptr;
  };
  const Span* nested_client = nullptr;
  for (const Span& c : clients) {
    if (c.service_name == "echo") nested_client = &c;
  }
  ASSERT_NE(nested_client, nullptr);
  const Span* parent = find(nested_client->parent_span_id);
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(parent->kind, SpanKind::kServer);
  // ...and that server span is the outer one: its parent is the gateway's CLIENT span.
  const Span* outer_client = find(parent->parent_span_id);
  ASSERT_NE(outer_client, nullptr);
  EXPECT_EQ(outer_client->kind, SpanKind::kClient);
  EXPECT_EQ(outer_client->service_name, "gateway");
}

TEST_F(TracingInterceptorsTest, ErrorStatusIsRecordedOnBothSpans) {
  grpc::ClientContext ctx;
  grpc::Status s = Call(*traced_stub_, "fail", &ctx);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INTERNAL);
  ASSERT_TRUE(moot::testing::WaitFor([&] { return sink_.size() == 2; }));
  for (const Span& span : sink_.spans()) {
    EXPECT_EQ(span.attributes.at("rpc.grpc.status_code"), "13");
    EXPECT_EQ(span.status_code, SpanStatusCode::kError);
    EXPECT_EQ(span.status_message, "broken");
  }
  EXPECT_FALSE(ResponseTraceParent(ctx).empty());
}

TEST_F(TracingInterceptorsTest, HealthProbesAreNotTraced) {
  grpc::GenericStub stub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  grpc::ByteBuffer request;  // An empty HealthCheckRequest: the server as a whole.
  grpc::Slice empty("");
  request = grpc::ByteBuffer(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  ASSERT_TRUE(done.get_future().get().ok());
  EXPECT_TRUE(SpansOfKind(SpanKind::kServer).empty());

  grpc::ClientContext echo_context;
  ASSERT_TRUE(Call(*plain_stub_, "x", &echo_context).ok());
  EXPECT_EQ(SpansOfKind(SpanKind::kServer).size(), 1u);
}

TEST(SplitGrpcMethodTest, SplitsServiceAndMethod) {
  EXPECT_EQ(SplitGrpcMethod("/moot.bench.v1.EchoService/Echo"),
            (std::pair<std::string, std::string>("moot.bench.v1.EchoService", "Echo")));
  EXPECT_EQ(SplitGrpcMethod("weird"), (std::pair<std::string, std::string>("", "weird")));
  EXPECT_EQ(SplitGrpcMethod(""), (std::pair<std::string, std::string>("", "")));
}

}  // namespace
}  // namespace moot::tracing
