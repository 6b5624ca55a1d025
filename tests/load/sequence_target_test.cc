#include "tests/load/sequence_target.h"

#include <atomic>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace moot::load {
namespace {

// Answers every call on a thread of its own with `code` and `bytes`; counts its calls.
class StepTarget : public Target {
 public:
  StepTarget(int code, size_t bytes) : code_(code), bytes_(bytes) {}
  ~StepTarget() override {
    absl::MutexLock lock(&mu_);
    for (std::thread& t : threads_) {
      t.join();
    }
  }
  void Start(DoneFn done) override {
    ++calls;
    absl::MutexLock lock(&mu_);
    threads_.emplace_back([this, done = std::move(done)] { done(code_, bytes_); });
  }
  bool IsOk(int code) const override { return code == 0; }
  std::string CodeName(int code) const override { return code == 0 ? "OK" : "FAIL"; }
  std::atomic<int> calls{0};

 private:
  const int code_;
  const size_t bytes_;
  absl::Mutex mu_;
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mu_);
};

struct Outcome {
  int code = -1;
  size_t bytes = 0;
};

Outcome RunOnce(SequenceTarget& target) {
  Outcome out;
  absl::Notification done;
  target.Start([&](int code, size_t bytes) {
    out = {code, bytes};
    done.Notify();
  });
  done.WaitForNotification();
  return out;
}

TEST(SequenceTargetTest, RunsEveryStepInOrderAndAddsTheirBytes) {
  struct Case {
    std::vector<std::pair<int, size_t>> steps;  // (code, bytes) of each step
    int code;
    size_t bytes;
    std::vector<int> calls;  // calls each step received
  };
  const std::vector<Case> cases = {
      {{{0, 100}}, 0, 100, {1}},
      {{{0, 100}, {0, 2000}}, 0, 2100, {1, 1}},
      {{{0, 100}, {5, 7}, {0, 9}}, 5, 107, {1, 1, 0}},  // Stops at the failing step.
      {{{14, 0}, {0, 9}}, 14, 0, {1, 0}},
  };
  for (const Case& c : cases) {
    std::vector<StepTarget*> raw;
    std::vector<std::unique_ptr<Target>> steps;
    for (const auto& [code, bytes] : c.steps) {
      auto step = std::make_unique<StepTarget>(code, bytes);
      raw.push_back(step.get());
      steps.push_back(std::move(step));
    }
    SequenceTarget target(std::move(steps));
    Outcome out = RunOnce(target);
    EXPECT_EQ(out.code, c.code);
    EXPECT_EQ(out.bytes, c.bytes);
    for (size_t i = 0; i < raw.size(); ++i) {
      EXPECT_EQ(raw[i]->calls.load(), c.calls[i]) << "step " << i;
    }
    EXPECT_EQ(target.IsOk(out.code), c.code == 0);
  }
}

TEST(SequenceTargetTest, ManyConcurrentSequencesAllComplete) {
  std::vector<std::unique_ptr<Target>> steps;
  steps.push_back(std::make_unique<StepTarget>(0, 1));
  steps.push_back(std::make_unique<StepTarget>(0, 2));
  SequenceTarget target(std::move(steps));
  std::atomic<int> finished{0};
  std::atomic<int> ok{0};
  absl::Notification all;
  constexpr int kCalls = 50;
  for (int i = 0; i < kCalls; ++i) {
    target.Start([&](int code, size_t bytes) {
      if (code == 0 && bytes == 3) {
        ++ok;
      }
      if (++finished == kCalls) {
        all.Notify();
      }
    });
  }
  all.WaitForNotification();
  EXPECT_EQ(ok.load(), kCalls);
}

}  // namespace
}  // namespace moot::load
