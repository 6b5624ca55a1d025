#include "services/gateway/http_server.h"

#include <httplib.h>

#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "libs/auth/access.h"
#include "libs/log/logger.h"
#include "libs/status/errors.h"
#include "libs/tracing/trace_context.h"
#include "services/gateway/connect_error.h"
#include "services/gateway/json_transcoder.h"

namespace moot::gateway {
namespace {

constexpr char kJson[] = "application/json";

void SendError(httplib::Response& response, const absl::Status& status, int http_status = 0) {
  response.status = http_status != 0 ? http_status : HttpStatusForCode(status.code());
  response.set_content(ConnectErrorJson(status), kJson);
}

std::vector<absl::string_view> HeaderValues(const httplib::Request& request, const char* name) {
  std::vector<absl::string_view> values;
  auto range = request.headers.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) {
    values.push_back(it->second);
  }
  return values;
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) {
    return out;
  }
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

// The span of one HTTP request: a child of the caller's traceparent when it sent a valid one.
moot::tracing::ScopedSpan StartHttpSpan(moot::tracing::Tracer* tracer,
                                        const httplib::Request& request, absl::string_view name) {
  if (tracer == nullptr) {
    return moot::tracing::ScopedSpan();
  }
  std::optional<moot::tracing::SpanContext> parent;
  if (request.has_header("traceparent")) {
    absl::StatusOr<moot::tracing::SpanContext> parsed = moot::tracing::SpanContext::FromHeaders(
        request.get_header_value("traceparent"), request.get_header_value("tracestate"));
    if (parsed.ok()) {
      parent = *std::move(parsed);
    }
  }
  moot::tracing::ScopedSpan span =
      tracer->StartSpan(name, moot::tracing::SpanKind::kServer, parent);
  span.SetAttribute("http.method", request.method);
  span.SetAttribute("http.target", request.path);
  return span;
}

void EndHttpSpan(moot::tracing::ScopedSpan& span, httplib::Response& response,
                 const absl::Status& status) {
  if (!span.context().trace_id.empty()) {
    response.set_header("traceparent", span.context().TraceParentHeader());
  }
  span.SetAttribute("http.status_code", absl::StrCat(response.status));
  span.End(status);
}

}  // namespace

HttpServer::HttpServer(HttpServerDeps deps, HttpServerOptions options)
    : deps_(std::move(deps)),
      options_(std::move(options)),
      stub_(deps_.gateway_channel),
      server_(std::make_unique<httplib::Server>()) {
  server_->new_task_queue = [threads = options_.threads] {
    return new httplib::ThreadPool(static_cast<size_t>(std::max(1, threads)));
  };
  // Small request/response pairs on keep-alive connections: without TCP_NODELAY, Nagle's
  // algorithm and delayed ACKs add tens of milliseconds to every call.
  server_->set_tcp_nodelay(true);
  // An idle keep-alive connection gives its thread back after a second.
  server_->set_keep_alive_timeout(1);
  // Leave room for the JSON form of a message at the limit; the policy checks the binary size.
  server_->set_payload_max_length(static_cast<size_t>(options_.max_request_bytes) * 4 + 4096);
  server_->Get("/healthz", [this](const httplib::Request& req, httplib::Response& res) {
    HandleHealth(req, res);
  });
  server_->Get(
      R"(/api/v2/trace/([^/]+))",
      [this](const httplib::Request& req, httplib::Response& res) { HandleTrace(req, res); });
  server_->Get("/api/v2/traces", [this](const httplib::Request& req, httplib::Response& res) {
    HandleTraces(req, res);
  });
  if (deps_.ical != nullptr) {
    server_->Get(R"(/ical/([^/]+)/([^/]+)\.ics)",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   HandleIcal(req, res, req.matches[1].str(), req.matches[2].str());
                 });
    server_->Get(R"(/ical/([^/]+)\.ics)",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   HandleIcal(req, res, req.matches[1].str(), "");
                 });
  }
  server_->Post(R"(/([^/]+)/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    HandleUnary(req, res);
  });
  server_->set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) {
      return;
    }
    moot::tracing::ScopedSpan span = StartHttpSpan(deps_.tracer, req, "HTTP " + req.method);
    absl::Status status =
        res.status == 413
            ? absl::ResourceExhaustedError("request body too large")
            : absl::NotFoundError(absl::StrCat("no such endpoint: ", req.method, " ", req.path));
    res.set_content(ConnectErrorJson(status), kJson);
    EndHttpSpan(span, res, status);
  });
}

HttpServer::~HttpServer() { Stop(); }

absl::StatusOr<int> HttpServer::Start() {
  absl::MutexLock lock(&mu_);
  if (started_) {
    return absl::FailedPreconditionError("the HTTP server was already started");
  }
  int port = options_.port == 0
                 ? server_->bind_to_any_port(options_.host)
                 : (server_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port <= 0) {
    return moot::status::WithReason(absl::UnavailableError(absl::StrCat(
                                        "cannot listen on ", options_.host, ":", options_.port)),
                                    "HTTP_BIND_FAILED");
  }
  port_ = port;
  started_ = true;
  listener_.Start(server_.get());
  return port;
}

void HttpServer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (!started_ || stopped_) {
      return;
    }
    stopped_ = true;
  }
  listener_.Stop();
}

int HttpServer::port() const {
  absl::MutexLock lock(&mu_);
  return port_;
}

void HttpServer::HandleUnary(const httplib::Request& request, httplib::Response& response) {
  std::string path = request.path;
  moot::tracing::ScopedSpan span = StartHttpSpan(deps_.tracer, request, "POST " + path);
  absl::Status status = [&]() -> absl::Status {
    absl::StatusOr<MethodInfo> method = deps_.registry->Find(path);
    if (!method.ok()) {
      SendError(response, method.status(), 404);
      return method.status();
    }
    if (!method->unary()) {
      absl::Status streaming = moot::status::WithReason(
          absl::UnimplementedError(absl::StrCat(
              "method ", path, " streams; over HTTP/JSON only unary methods are served")),
          "STREAMING_NOT_SUPPORTED");
      SendError(response, streaming, 404);
      return streaming;
    }
    std::string content_type = absl::AsciiStrToLower(request.get_header_value("Content-Type"));
    if (!absl::StartsWith(content_type, kJson)) {
      absl::Status unsupported = moot::status::InvalidArgument(
          "Content-Type", absl::StrCat("expected application/json, got \"", content_type, "\""),
          "UNSUPPORTED_MEDIA_TYPE");
      SendError(response, unsupported, 415);
      return unsupported;
    }
    if (static_cast<int64_t>(request.body.size()) > options_.max_request_bytes * 4) {
      absl::Status too_large = moot::status::WithReason(
          absl::ResourceExhaustedError(
              absl::StrCat("request body of ", request.body.size(), " bytes is too large")),
          "REQUEST_TOO_LARGE");
      SendError(response, too_large);
      return too_large;
    }
    absl::StatusOr<std::string> binary = JsonToBinary(method->input_type(), request.body);
    if (!binary.ok()) {
      SendError(response, binary.status());
      return binary.status();
    }

    grpc::ClientContext context;
    for (const char* header : {"authorization", "x-api-key"}) {
      for (absl::string_view value : HeaderValues(request, header)) {
        context.AddMetadata(header, std::string(value));
      }
    }
    if (!span.context().trace_id.empty()) {
      context.AddMetadata(moot::tracing::kTraceParentHeader, span.context().TraceParentHeader());
    } else if (request.has_header("traceparent")) {
      context.AddMetadata(moot::tracing::kTraceParentHeader,
                          request.get_header_value("traceparent"));
    }
    int64_t timeout_ms = 0;
    if (absl::SimpleAtoi(request.get_header_value("Connect-Timeout-Ms"), &timeout_ms) &&
        timeout_ms > 0) {
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::milliseconds(std::min<int64_t>(timeout_ms, 1 << 30)));
    }
    grpc::Slice slice(*binary);
    grpc::ByteBuffer request_buffer(&slice, 1);
    grpc::ByteBuffer response_buffer;
    grpc::Status call_status;
    absl::Notification done;
    stub_.UnaryCall(&context, path, grpc::StubOptions(), &request_buffer, &response_buffer,
                    [&](grpc::Status s) {
                      call_status = std::move(s);
                      done.Notify();
                    });
    done.WaitForNotification();
    if (!call_status.ok()) {
      absl::StatusCode code = static_cast<absl::StatusCode>(call_status.error_code());
      response.status = HttpStatusForCode(code);
      response.set_content(
          ConnectErrorJson(code, call_status.error_message(), call_status.error_details()), kJson);
      return absl::Status(code, call_status.error_message());
    }
    absl::StatusOr<std::string> json =
        BinaryToJson(method->output_type(), Flatten(response_buffer));
    if (!json.ok()) {
      SendError(response, json.status());
      return json.status();
    }
    response.status = 200;
    response.set_content(*json, kJson);
    return absl::OkStatus();
  }();
  EndHttpSpan(span, response, status);
}

void HttpServer::HandleHealth(const httplib::Request& request, httplib::Response& response) {
  moot::tracing::ScopedSpan span = StartHttpSpan(deps_.tracer, request, "GET /healthz");
  HealthSummary summary;
  if (deps_.health != nullptr) {
    summary = deps_.health->Check();
  } else {
    summary.all_serving = true;
    summary.services["gateway"] = "SERVING";
  }
  response.status = summary.all_serving ? 200 : 503;
  response.set_content(summary.ToJson(), kJson);
  EndHttpSpan(span, response, absl::OkStatus());
}

absl::Status HttpServer::AuthorizeOps(const httplib::Request& request) const {
  if (deps_.authenticator == nullptr) {
    return absl::UnavailableError("authentication is not configured");
  }
  absl::StatusOr<moot::auth::Principal> principal = deps_.authenticator->AuthenticateHeaders(
      HeaderValues(request, "authorization"), HeaderValues(request, "x-api-key"));
  if (!principal.ok()) {
    return principal.status();
  }
  return moot::auth::RequireRole(*principal, {moot::auth::Role::kOps});
}

void HttpServer::HandleTrace(const httplib::Request& request, httplib::Response& response) {
  moot::tracing::ScopedSpan span = StartHttpSpan(deps_.tracer, request, "GET /api/v2/trace");
  absl::Status status = AuthorizeOps(request);
  if (status.ok() && deps_.traces == nullptr) {
    status = absl::UnavailableError("traces are not stored (no Redis configured)");
  }
  if (status.ok()) {
    absl::StatusOr<std::string> trace = deps_.traces->Trace(request.matches[1].str());
    if (trace.ok()) {
      response.status = 200;
      response.set_content(*trace, kJson);
    }
    status = trace.status();
  }
  if (!status.ok()) {
    SendError(response, status);
  }
  EndHttpSpan(span, response, status);
}

void HttpServer::HandleTraces(const httplib::Request& request, httplib::Response& response) {
  moot::tracing::ScopedSpan span = StartHttpSpan(deps_.tracer, request, "GET /api/v2/traces");
  absl::Status status = AuthorizeOps(request);
  int limit = 10;
  if (status.ok() && request.has_param("limit") &&
      !absl::SimpleAtoi(request.get_param_value("limit"), &limit)) {
    status = moot::status::InvalidArgument("limit", "must be a number between 1 and 1000");
  }
  if (status.ok() && deps_.traces == nullptr) {
    status = absl::UnavailableError("traces are not stored (no Redis configured)");
  }
  if (status.ok()) {
    absl::StatusOr<std::string> traces = deps_.traces->RecentTraces(limit);
    if (traces.ok()) {
      response.status = 200;
      response.set_content(*traces, kJson);
    }
    status = traces.status();
  }
  if (!status.ok()) {
    SendError(response, status);
  }
  EndHttpSpan(span, response, status);
}

// A public calendar: fetched anonymously through the gateway's own gRPC edge (so the anonymous
// rate limit and the scheduling service's public filter apply), cacheable for five minutes,
// 304 Not Modified when the caller already holds the same bytes (If-None-Match).
void HttpServer::HandleIcal(const httplib::Request& request, httplib::Response& response,
                            const std::string& tenant, const std::string& body) {
  moot::tracing::ScopedSpan span = StartHttpSpan(deps_.tracer, request, "GET /ical");
  std::string traceparent;
  if (!span.context().trace_id.empty()) {
    traceparent = span.context().TraceParentHeader();
  }
  absl::StatusOr<IcalFeed> feed = deps_.ical->Render(tenant, body, traceparent);
  if (!feed.ok()) {
    // Calendar clients poll: tell a rate-limited one when to come back.
    moot::status::ErrorDetails details = moot::status::Details(feed.status());
    if (details.has_retry_info) {
      response.set_header(
          "Retry-After",
          absl::StrCat(std::max<int64_t>(
              1, absl::ToInt64Seconds(absl::Ceil(details.retry_delay, absl::Seconds(1))))));
    }
    SendError(response, feed.status());
    EndHttpSpan(span, response, feed.status());
    return;
  }
  response.set_header("ETag", feed->etag);
  response.set_header("Cache-Control", "public, max-age=300");
  bool not_modified = false;
  for (absl::string_view header : HeaderValues(request, "If-None-Match")) {
    for (absl::string_view tag : absl::StrSplit(header, ',')) {
      tag = absl::StripAsciiWhitespace(tag);
      absl::ConsumePrefix(&tag, "W/");  // Weak comparison, as RFC 9110 asks for GET.
      not_modified = not_modified || tag == "*" || tag == feed->etag;
    }
  }
  if (not_modified) {
    response.status = 304;
  } else {
    response.status = 200;
    response.set_content(feed->body, "text/calendar; charset=utf-8");
  }
  EndHttpSpan(span, response, absl::OkStatus());
}

}  // namespace moot::gateway
