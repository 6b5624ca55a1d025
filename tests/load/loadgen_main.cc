// loadgen: drives one gRPC method or HTTP endpoint closed-loop (--mode=max), open-loop at a fixed
// rate (--mode=rate) or once (--mode=once, prints the response), and prints one JSON object.
#include <sys/prctl.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "tests/load/flags.h"
#include "tests/load/grpc_target.h"
#include "tests/load/http_target.h"
#include "tests/load/load_runner.h"
#include "tests/load/proc_stats.h"
#include "tests/load/proto_codec.h"
#include "tests/load/sequence_target.h"

namespace moot::load {
namespace {

using nlohmann::json;

constexpr char kUsage[] = R"(loadgen: benchmark one gRPC method or HTTP endpoint.
  --target=grpc --addr=HOST:PORT --method=/pkg.Service/Method
      (--request_json=JSON | --request_json_file=F | --request_hex=HEX) [--metadata=key:value]...
      [--channels=1] [--then_method=/pkg.Service/Method
      (--then_request_json=JSON | --then_request_json_file=F)]...  (a sequence: each call makes
      the first method, then each --then_method in order; it succeeds only if all do)
  --target=http --url=http://HOST:PORT/path (--body=S | --body_file=F) [--header=Name:value]...
      [--connections=N]
  --mode=max --concurrency=N | --mode=rate --rate=R/s [--max_inflight=50000] [--tick=200us]
      | --mode=once
  --duration=20s --warmup=3s --timeout=10s [--server_pid=PID] [--label=NAME]
Prints one JSON object on stdout; exit 0 (once: 0 only if the call succeeded), 2 on bad flags.)";

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "key:value" -> (key, value), whitespace after the colon trimmed; gRPC keys lower-cased.
absl::StatusOr<std::pair<std::string, std::string>> SplitPair(const std::string& s, bool lower) {
  const size_t colon = s.find(':');
  if (colon == std::string::npos || colon == 0) {
    return absl::InvalidArgumentError(absl::StrCat("expected key:value, got ", s));
  }
  std::string key = s.substr(0, colon);
  if (lower) {
    for (char& c : key) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return std::make_pair(key, std::string(absl::StripLeadingAsciiWhitespace(s.substr(colon + 1))));
}

int Fail(const absl::Status& status) {
  std::cerr << "loadgen: " << status.message() << "\n" << kUsage << "\n";
  return 2;
}

json LatencyJson(const Histogram& h) {
  auto us = [](int64_t ns) { return std::round(static_cast<double>(ns) / 10.0) / 100.0; };
  return json{{"count", h.count()},
              {"min", us(h.min())},
              {"mean", us(static_cast<int64_t>(h.mean()))},
              {"p50", us(h.ValueAtPercentile(50))},
              {"p90", us(h.ValueAtPercentile(90))},
              {"p99", us(h.ValueAtPercentile(99))},
              {"p999", us(h.ValueAtPercentile(99.9))},
              {"max", us(h.max())}};
}

int Main(int argc, char** argv) {
  std::set<std::string> known = {
      "target",      "addr",         "method",      "request_json", "request_json_file",
      "request_hex", "metadata",     "channels",    "url",          "body",
      "body_file",   "header",       "connections", "mode",         "concurrency",
      "rate",        "max_inflight", "duration",    "warmup",       "timeout",
      "server_pid",  "label",        "tick",        "help"};
  known.insert({"then_method", "then_request_json", "then_request_json_file"});
  absl::StatusOr<Flags> parsed = Flags::Parse(argc, argv, known);
  if (!parsed.ok()) {
    return Fail(parsed.status());
  }
  const Flags& f = *parsed;
  if (f.Has("help")) {
    std::cout << kUsage << "\n";
    return 0;
  }
  absl::StatusOr<absl::Duration> duration = f.GetDuration("duration", absl::Seconds(20));
  absl::StatusOr<absl::Duration> warmup = f.GetDuration("warmup", absl::Seconds(3));
  absl::StatusOr<absl::Duration> timeout = f.GetDuration("timeout", absl::Seconds(10));
  absl::StatusOr<int64_t> concurrency = f.GetInt("concurrency", 1);
  absl::StatusOr<double> rate = f.GetDouble("rate", 0);
  absl::StatusOr<int64_t> max_inflight = f.GetInt("max_inflight", 50000);
  absl::StatusOr<int64_t> server_pid = f.GetInt("server_pid", 0);
  for (const absl::Status& s :
       {duration.status(), warmup.status(), timeout.status(), concurrency.status(), rate.status(),
        max_inflight.status(), server_pid.status()}) {
    if (!s.ok()) {
      return Fail(s);
    }
  }
  const std::string mode = f.Get("mode", "max");
  if (mode != "max" && mode != "rate" && mode != "once") {
    return Fail(absl::InvalidArgumentError("--mode must be max, rate or once"));
  }
  if (mode == "rate" && !(*rate > 0 && *rate <= 1e6)) {
    return Fail(absl::InvalidArgumentError("--rate must be in (0, 1e6] for --mode=rate"));
  }
  if (*concurrency < 1 || *concurrency > 10000) {
    return Fail(absl::InvalidArgumentError("--concurrency must be in [1, 10000]"));
  }
  if (*duration <= absl::ZeroDuration() || *duration > absl::Hours(1) || *warmup > absl::Hours(1)) {
    return Fail(absl::InvalidArgumentError("--duration must be in (0, 1h], --warmup <= 1h"));
  }

  const std::string kind = f.Get("target", "grpc");
  std::unique_ptr<Target> target;
  GrpcTarget* grpc_target = nullptr;
  std::vector<GrpcTarget*> sequence_steps;  // The --then_method steps after grpc_target.
  HttpTarget* http_target = nullptr;
  std::string endpoint;
  if (kind == "grpc") {
    GrpcTargetOptions o;
    o.address = f.Get("addr");
    o.method = f.Get("method");
    if (o.address.empty() || o.method.empty()) {
      return Fail(absl::InvalidArgumentError("--target=grpc needs --addr and --method"));
    }
    absl::StatusOr<std::string> request = std::string();
    if (f.Has("request_hex")) {
      request = HexDecode(f.Get("request_hex"));
    } else if (f.Has("request_json") || f.Has("request_json_file")) {
      absl::StatusOr<std::string> text = f.Has("request_json")
                                             ? absl::StatusOr<std::string>(f.Get("request_json"))
                                             : ReadFileToString(f.Get("request_json_file"));
      request = text.ok() ? RequestFromJson(o.method, *text) : text.status();
    }
    if (!request.ok()) {
      return Fail(request.status());
    }
    o.request = *std::move(request);
    for (const std::string& m : f.GetAll("metadata")) {
      absl::StatusOr<std::pair<std::string, std::string>> kv = SplitPair(m, /*lower=*/true);
      if (!kv.ok()) {
        return Fail(kv.status());
      }
      o.metadata.push_back(*kv);
    }
    absl::StatusOr<int64_t> channels = f.GetInt("channels", 1);
    if (!channels.ok() || *channels < 1 || *channels > 64) {
      return Fail(absl::InvalidArgumentError("--channels must be in [1, 64]"));
    }
    o.channels = static_cast<int>(*channels);
    o.timeout = *timeout;
    endpoint = o.address;
    // Further steps of a sequence: the same address, metadata and channels, their own method
    // and request (the n-th --then_method takes the n-th --then_request_json[_file]).
    const std::vector<std::string> then_methods = f.GetAll("then_method");
    std::vector<std::string> then_requests = f.GetAll("then_request_json");
    for (const std::string& file : f.GetAll("then_request_json_file")) {
      absl::StatusOr<std::string> text = ReadFileToString(file);
      if (!text.ok()) {
        return Fail(text.status());
      }
      then_requests.push_back(*std::move(text));
    }
    if (then_requests.size() != then_methods.size()) {
      return Fail(absl::InvalidArgumentError(
          "every --then_method needs one --then_request_json or --then_request_json_file"));
    }
    std::vector<GrpcTargetOptions> then_options;
    for (size_t i = 0; i < then_methods.size(); ++i) {
      GrpcTargetOptions step = o;
      step.method = then_methods[i];
      absl::StatusOr<std::string> step_request = RequestFromJson(step.method, then_requests[i]);
      if (!step_request.ok()) {
        return Fail(step_request.status());
      }
      step.request = *std::move(step_request);
      then_options.push_back(std::move(step));
    }
    auto t = std::make_unique<GrpcTarget>(std::move(o));
    grpc_target = t.get();
    if (then_options.empty()) {
      target = std::move(t);
    } else {
      std::vector<std::unique_ptr<Target>> steps;
      steps.push_back(std::move(t));
      for (GrpcTargetOptions& step : then_options) {
        auto next = std::make_unique<GrpcTarget>(std::move(step));
        sequence_steps.push_back(next.get());
        steps.push_back(std::move(next));
      }
      target = std::make_unique<SequenceTarget>(std::move(steps));
    }
  } else if (kind == "http") {
    HttpTargetOptions o;
    o.url = f.Get("url");
    absl::StatusOr<std::string> body =
        f.Has("body_file") ? ReadFileToString(f.Get("body_file")) : f.Get("body", "{}");
    if (!body.ok()) {
      return Fail(body.status());
    }
    o.body = *std::move(body);
    for (const std::string& h : f.GetAll("header")) {
      absl::StatusOr<std::pair<std::string, std::string>> kv = SplitPair(h, /*lower=*/false);
      if (!kv.ok()) {
        return Fail(kv.status());
      }
      o.headers.push_back(*kv);
    }
    const int64_t default_connections = mode == "max" ? *concurrency : 16;
    absl::StatusOr<int64_t> connections = f.GetInt("connections", default_connections);
    if (!connections.ok() || *connections < 1 || *connections > 1024) {
      return Fail(absl::InvalidArgumentError("--connections must be in [1, 1024]"));
    }
    o.connections = mode == "once" ? 1 : static_cast<int>(*connections);
    o.timeout = *timeout;
    endpoint = o.url;
    absl::StatusOr<std::unique_ptr<HttpTarget>> t = HttpTarget::Create(std::move(o));
    if (!t.ok()) {
      return Fail(t.status());
    }
    http_target = t->get();
    target = *std::move(t);
  } else {
    return Fail(absl::InvalidArgumentError("--target must be grpc or http"));
  }

  if (mode == "once") {
    json out{{"target", kind}, {"endpoint", endpoint}};
    bool ok = false;
    if (grpc_target != nullptr) {
      // Each step in turn, stopping at the first failure; the last response is printed.
      std::vector<std::pair<GrpcTarget*, std::string>> steps = {{grpc_target, f.Get("method")}};
      const std::vector<std::string> then_methods = f.GetAll("then_method");
      for (size_t i = 0; i < sequence_steps.size(); ++i) {
        steps.emplace_back(sequence_steps[i], then_methods[i]);
      }
      size_t total_bytes = 0;
      for (auto& [step, method] : steps) {
        auto [status, bytes] = step->CallOnce();
        ok = status.ok();
        total_bytes += bytes.size();
        out["method"] = method;
        out["code"] = static_cast<int>(status.error_code());
        out["code_name"] = GrpcCodeName(status.error_code());
        out["message"] = status.error_message();
        out["response_bytes"] = total_bytes;
        if (!ok) {
          break;
        }
        absl::StatusOr<std::string> text = ResponseToJson(method, bytes);
        out["response"] = text.ok() ? json::parse(*text, nullptr, false) : json(nullptr);
      }
    } else {
      auto [code, body] = http_target->CallOnce();
      ok = http_target->IsOk(code);
      out["code"] = code;
      out["code_name"] = http_target->CodeName(code);
      out["response_bytes"] = body.size();
      json parsed_body = json::parse(body, nullptr, false);
      out["response"] = parsed_body.is_discarded() ? json(body) : parsed_body;
    }
    std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << std::endl;
    return ok ? 0 : 1;
  }

  // Fine timer slack, so the open-loop pacer wakes close to each intended send time.
  prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);

  absl::Mutex sample_mu;
  double self_cpu0 = 0, self_cpu1 = 0, server_cpu0 = -1, server_cpu1 = -1;
  const pid_t pid = static_cast<pid_t>(*server_pid);
  RunOptions ro;
  ro.mode = mode == "max" ? LoadMode::kMax : LoadMode::kRate;
  ro.concurrency = static_cast<int>(*concurrency);
  ro.rate = *rate;
  ro.warmup = *warmup;
  ro.duration = *duration;
  ro.max_inflight = *max_inflight;
  absl::StatusOr<absl::Duration> tick = f.GetDuration("tick", absl::Microseconds(200));
  if (!tick.ok() || *tick > absl::Milliseconds(10)) {
    return Fail(absl::InvalidArgumentError("--tick must be a duration <= 10ms"));
  }
  ro.tick = *tick;
  ro.drain_timeout = *timeout + absl::Seconds(2);
  ro.on_measure_start = [&] {
    absl::MutexLock lock(&sample_mu);
    self_cpu0 = SelfCpuSeconds();
    if (pid > 0) {
      server_cpu0 = ProcessCpuSeconds(pid).value_or(-1);
    }
  };
  ro.on_measure_end = [&] {
    absl::MutexLock lock(&sample_mu);
    self_cpu1 = SelfCpuSeconds();
    if (pid > 0) {
      server_cpu1 = ProcessCpuSeconds(pid).value_or(-1);
    }
  };
  const RunResult r = RunLoad(*target, ro, moot::time::Clock::Real(), SleepUntilReal);

  absl::MutexLock lock(&sample_mu);
  const double calls = static_cast<double>(std::max<int64_t>(1, r.completed));
  json out{{"label", f.Get("label")},
           {"target", kind},
           {"endpoint", endpoint},
           {"mode", mode},
           {"concurrency", ro.mode == LoadMode::kMax ? json(*concurrency) : json(nullptr)},
           {"offered_rate", ro.mode == LoadMode::kRate ? json(*rate) : json(nullptr)},
           {"warmup_s", absl::ToDoubleSeconds(*warmup)},
           {"duration_s", absl::ToDoubleSeconds(*duration)},
           {"sent", r.sent},
           {"completed", r.completed},
           {"ok", r.ok},
           {"achieved_rate", std::round(r.achieved_rate() * 10) / 10},
           {"ok_rate", std::round(r.ok_rate() * 10) / 10},
           {"error_count", r.error_count},
           {"errors", r.errors},
           {"unfinished", r.unfinished},
           {"latency_us", LatencyJson(r.latency_ns)},
           {"tick_us", absl::ToDoubleMicroseconds(ro.tick)},
           {"latency_from", ro.mode == LoadMode::kRate ? "intended_send_time" : "send_time"},
           {"response_bytes", r.response_bytes},
           {"loadgen_cpu_s", self_cpu1 - self_cpu0},
           {"loadgen_cpu_us_per_call", (self_cpu1 - self_cpu0) * 1e6 / calls}};
  if (f.Has("method")) {
    out["method"] = f.Get("method");
  }
  if (!sequence_steps.empty()) {
    json methods = json::array({f.Get("method")});
    for (const std::string& m : f.GetAll("then_method")) {
      methods.push_back(m);
    }
    out["sequence"] = methods;
  }
  if (pid > 0) {
    json server{{"pid", pid}};
    if (server_cpu0 >= 0 && server_cpu1 >= 0) {
      server["cpu_s"] = server_cpu1 - server_cpu0;
      server["cpu_us_per_call"] = (server_cpu1 - server_cpu0) * 1e6 / calls;
    }
    absl::StatusOr<long long> rss = ProcessPeakRssKib(pid);
    server["peak_rss_kib"] = rss.ok() ? json(*rss) : json(nullptr);
    out["server"] = server;
  }
  std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << std::endl;
  if (r.unfinished > 0) {
    // Calls still refer to the target; do not tear it down under them.
    std::fflush(nullptr);
    std::_Exit(0);
  }
  return 0;
}

}  // namespace
}  // namespace moot::load

int main(int argc, char** argv) { return moot::load::Main(argc, argv); }
