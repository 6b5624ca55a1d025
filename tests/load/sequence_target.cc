#include "tests/load/sequence_target.h"

#include <utility>

namespace moot::load {

SequenceTarget::SequenceTarget(std::vector<std::unique_ptr<Target>> steps)
    : steps_(std::move(steps)) {}

void SequenceTarget::Start(DoneFn done) { StartStep(0, 0, std::move(done)); }

void SequenceTarget::StartStep(size_t index, size_t bytes, DoneFn done) {
  Target& step = *steps_[index];
  step.Start(
      [this, index, bytes, &step, done = std::move(done)](int code, size_t response_bytes) mutable {
        const size_t total = bytes + response_bytes;
        if (!step.IsOk(code) || index + 1 == steps_.size()) {
          done(code, total);
          return;
        }
        // Runs on the previous step's completion thread, never inside Start(), as Target asks.
        StartStep(index + 1, total, std::move(done));
      });
}

}  // namespace moot::load
