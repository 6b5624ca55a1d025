// A Target that is several calls made one after the other, e.g. "GetMeeting with agenda":
// GetMeeting, then ListAgendaItems. One call of the sequence succeeds only if every step does;
// its latency covers all of them. A step that fails ends the sequence with that step's code.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/load/target.h"

namespace moot::load {

class SequenceTarget : public Target {
 public:
  // At least one step. Codes and their names are those of the first step's kind of target
  // (all steps should be of one kind, e.g. gRPC).
  explicit SequenceTarget(std::vector<std::unique_ptr<Target>> steps);
  void Start(DoneFn done) override;
  bool IsOk(int code) const override { return steps_.front()->IsOk(code); }
  std::string CodeName(int code) const override { return steps_.front()->CodeName(code); }
  size_t size() const { return steps_.size(); }

 private:
  // Starts step `index`; `bytes` is what the earlier steps returned.
  void StartStep(size_t index, size_t bytes, DoneFn done);

  std::vector<std::unique_ptr<Target>> steps_;
};

}  // namespace moot::load
