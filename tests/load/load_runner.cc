#include "tests/load/load_runner.h"

#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace moot::load {
namespace {

constexpr char kOverload[] = "LOADGEN_OVERLOAD";

// Shared with every call's callback, so a late callback never touches freed memory.
struct State {
  State(Target& t, const moot::time::Clock& c, absl::Time ms, absl::Time me)
      : target(t), clock(c), measure_start(ms), measure_end(me) {}

  Target& target;
  const moot::time::Clock& clock;
  const absl::Time measure_start;
  const absl::Time measure_end;

  absl::Mutex mu;
  int64_t inflight ABSL_GUARDED_BY(mu) = 0;
  RunResult result ABSL_GUARDED_BY(mu);
  std::map<int, int64_t> codes ABSL_GUARDED_BY(mu);

  bool InWindow(absl::Time t) const { return t >= measure_start && t < measure_end; }

  // Records one finished call that was due (or sent) at `t0`.
  void Finish(absl::Time t0, int code, size_t bytes) {
    const absl::Time done = clock.Now();
    absl::MutexLock lock(&mu);
    --inflight;
    const bool ok = target.IsOk(code);
    if (InWindow(done)) {
      ++result.done_in_window;
      result.ok_in_window += ok ? 1 : 0;
    }
    if (!InWindow(t0)) {
      return;
    }
    ++result.completed;
    if (ok) {
      ++result.ok;
      result.response_bytes = static_cast<int64_t>(bytes);
      result.latency_ns.Record(absl::ToInt64Nanoseconds(LatencyFromIntended(t0, done)));
    } else {
      ++codes[code];
    }
  }
};

// One closed-loop lane: sends, waits for the answer, sends again until `end`.
void LaunchLane(const std::shared_ptr<State>& state, absl::Time end) {
  const absl::Time start = state->clock.Now();
  if (start >= end) {
    return;
  }
  {
    absl::MutexLock lock(&state->mu);
    ++state->inflight;
    if (state->InWindow(start)) {
      ++state->result.sent;
    }
  }
  state->target.Start([state, start, end](int code, size_t bytes) {
    state->Finish(start, code, bytes);
    LaunchLane(state, end);
  });
}

}  // namespace

double RunResult::achieved_rate() const {
  const double s = absl::ToDoubleSeconds(measured);
  return s > 0 ? static_cast<double>(done_in_window) / s : 0;
}

double RunResult::ok_rate() const {
  const double s = absl::ToDoubleSeconds(measured);
  return s > 0 ? static_cast<double>(ok_in_window) / s : 0;
}

RunResult RunLoad(Target& target, const RunOptions& options, const moot::time::Clock& clock,
                  const SleepUntilFn& sleep_until) {
  const absl::Time t0 = clock.Now();
  const absl::Time measure_start = t0 + options.warmup;
  const absl::Time end = measure_start + options.duration;
  auto state = std::make_shared<State>(target, clock, measure_start, end);

  std::thread window([&] {
    sleep_until(measure_start);
    if (options.on_measure_start) {
      options.on_measure_start();
    }
    sleep_until(end);
    if (options.on_measure_end) {
      options.on_measure_end();
    }
  });

  if (options.mode == LoadMode::kMax) {
    for (int i = 0; i < std::max(1, options.concurrency); ++i) {
      LaunchLane(state, end);
    }
    sleep_until(end);
  } else {
    const OpenLoopSchedule schedule(t0, options.rate);
    RunOpenLoop(
        clock, sleep_until, schedule, end,
        [&](int64_t, absl::Time intended) {
          {
            absl::MutexLock lock(&state->mu);
            const bool in_window = state->InWindow(intended);
            if (in_window) {
              ++state->result.sent;
            }
            if (state->inflight >= options.max_inflight) {
              if (in_window) {
                ++state->result.completed;
                ++state->result.errors[kOverload];
              }
              return;
            }
            ++state->inflight;
          }
          target.Start(
              [state, intended](int code, size_t bytes) { state->Finish(intended, code, bytes); });
        },
        options.tick);
  }
  window.join();

  RunResult out;
  {
    absl::MutexLock lock(&state->mu);
    state->mu.AwaitWithTimeout(
        absl::Condition(
            +[](State* s) ABSL_NO_THREAD_SAFETY_ANALYSIS { return s->inflight == 0; }, state.get()),
        options.drain_timeout);
    out = state->result;
    out.unfinished = state->inflight;
    for (const auto& [code, n] : state->codes) {
      out.errors[target.CodeName(code)] += n;
    }
  }
  for (const auto& [name, n] : out.errors) {
    out.error_count += n;
  }
  out.measured = options.duration;
  return out;
}

}  // namespace moot::load
