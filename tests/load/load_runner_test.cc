#include "tests/load/load_runner.h"

#include <deque>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "libs/time/clock.h"

namespace moot::load {
namespace {

// A clock that moves 1 us every time it is read and can be pushed forward; thread-safe.
class TickingClock : public moot::time::Clock {
 public:
  explicit TickingClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    now_ += absl::Microseconds(1);
    return now_;
  }
  void AdvanceTo(absl::Time t) {
    absl::MutexLock lock(&mu_);
    if (now_ < t) {
      now_ = t;
    }
  }

 private:
  mutable absl::Mutex mu_;
  mutable absl::Time now_ ABSL_GUARDED_BY(mu_);
};

// Completes calls on its own thread with code `code_for(n)` for the n-th call; with `hold`,
// keeps them until destruction (a target that never answers).
class FakeTarget : public Target {
 public:
  explicit FakeTarget(std::function<int(int64_t)> code_for, bool hold = false)
      : code_for_(std::move(code_for)), hold_(hold), worker_([this] { Work(); }) {}
  ~FakeTarget() override {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    worker_.join();
    for (auto& [n, done] : queue_) {
      done(14, 0);  // UNAVAILABLE: shut down.
    }
  }
  void Start(DoneFn done) override {
    absl::MutexLock lock(&mu_);
    queue_.emplace_back(started_++, std::move(done));
  }
  bool IsOk(int code) const override { return code == 0; }
  std::string CodeName(int code) const override {
    return code == 0 ? "OK" : "E" + std::to_string(code);
  }
  int64_t started() {
    absl::MutexLock lock(&mu_);
    return started_;
  }

 private:
  void Work() {
    while (true) {
      std::pair<int64_t, DoneFn> call;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](FakeTarget* t) { return t->stop_ || (!t->hold_ && !t->queue_.empty()); }, this));
        if (stop_) {
          return;
        }
        call = std::move(queue_.front());
        queue_.pop_front();
      }
      call.second(code_for_(call.first), 100);
    }
  }

  std::function<int(int64_t)> code_for_;
  const bool hold_;
  absl::Mutex mu_;
  std::deque<std::pair<int64_t, DoneFn>> queue_;
  int64_t started_ = 0;
  bool stop_ = false;
  std::thread worker_;
};

const absl::Time kStart = absl::FromUnixSeconds(1700000000);

TEST(RunLoadTest, RateModeSendsExactlyTheOfferedCallsInTheWindowAndCountsErrorsByCode) {
  TickingClock clock(kStart);
  FakeTarget target([](int64_t n) { return n % 10 == 9 ? 14 : 0; });
  RunOptions o;
  o.mode = LoadMode::kRate;
  o.rate = 1000;
  o.warmup = absl::Milliseconds(500);
  o.duration = absl::Seconds(2);
  int window_events = 0;
  o.on_measure_start = [&] { ++window_events; };
  o.on_measure_end = [&] { ++window_events; };
  // Waiting is reading the clock, which ticks: every thread moves time forward as it reads.
  const RunResult r = RunLoad(target, o, clock, [&](absl::Time t) {
    while (clock.Now() < t) {
      std::this_thread::yield();
    }
  });
  EXPECT_EQ(window_events, 2);
  EXPECT_EQ(r.sent, 2000);  // Offered 1000/s for 2 s, warm-up excluded.
  EXPECT_EQ(r.completed, 2000);
  EXPECT_EQ(r.ok + r.error_count, 2000);
  EXPECT_EQ(r.errors.at("E14"), r.error_count);
  EXPECT_EQ(r.error_count, 200);  // Every 10th call; 2500 sends start at index 0.
  EXPECT_EQ(r.latency_ns.count(), r.ok);
  EXPECT_EQ(r.unfinished, 0);
  // Responses arriving in the window: the fake answers at once, give or take the clock's ticks.
  EXPECT_NEAR(r.achieved_rate(), 1000.0, 50.0);
  EXPECT_LE(r.ok_in_window, r.done_in_window);
  EXPECT_EQ(target.started(), 2500);
}

TEST(RunLoadTest, RateModeCountsSendsBeyondMaxInflightAsOverloadInsteadOfBlocking) {
  TickingClock clock(kStart);
  FakeTarget target([](int64_t) { return 0; }, /*hold=*/true);
  RunOptions o;
  o.mode = LoadMode::kRate;
  o.rate = 100;
  o.warmup = absl::ZeroDuration();
  o.duration = absl::Seconds(1);
  o.max_inflight = 10;
  o.drain_timeout = absl::Milliseconds(20);
  const RunResult r = RunLoad(target, o, clock, [&](absl::Time t) { clock.AdvanceTo(t); });
  EXPECT_EQ(r.sent, 100);
  EXPECT_EQ(target.started(), 10);
  EXPECT_EQ(r.errors.at("LOADGEN_OVERLOAD"), 90);
  EXPECT_EQ(r.unfinished, 10);
  EXPECT_EQ(r.ok, 0);
  EXPECT_EQ(r.ok_rate(), 0);  // Nothing answered in the window.
}

TEST(RunLoadTest, MaxModeKeepsCallsInFlightUntilTheEndAndDrains) {
  TickingClock clock(kStart);
  FakeTarget target([](int64_t) { return 0; });
  RunOptions o;
  o.mode = LoadMode::kMax;
  o.concurrency = 4;
  o.warmup = absl::Milliseconds(1);
  o.duration = absl::Milliseconds(50);
  // Waiting is reading the clock, which ticks: time moves only as the lanes and sleepers read it.
  const RunResult r = RunLoad(target, o, clock, [&](absl::Time t) {
    while (clock.Now() < t) {
      std::this_thread::yield();
    }
  });
  EXPECT_GT(r.ok, 0);
  EXPECT_EQ(r.error_count, 0);
  EXPECT_EQ(r.unfinished, 0);
  EXPECT_EQ(r.completed, r.sent);
  EXPECT_EQ(r.latency_ns.count(), r.ok);
  EXPECT_EQ(r.response_bytes, 100);
}

}  // namespace
}  // namespace moot::load
