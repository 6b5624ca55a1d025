// Injectable generation of ids: sortable unique ids for events and resources, and tokens.
#pragma once

#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "libs/time/clock.h"

namespace moot::ids {

// Makes ids. Thread-safe.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A 26-character ULID (Crockford base32: 48-bit milliseconds, 80 random bits). Ids made by
  // one generator sort in creation order, even within one millisecond (monotonic ULID).
  virtual std::string NewId() = 0;
  // `n` random bytes as lower-case hex (trace ids, secrets, API keys).
  virtual std::string RandomHex(int n) = 0;
};

// Ids from the given clock and a seeded random source.
class UlidGenerator : public IdGenerator {
 public:
  explicit UlidGenerator(const time::Clock& clock = time::Clock::Real());
  std::string NewId() override;
  std::string RandomHex(int n) override;

 private:
  const time::Clock& clock_;
  absl::Mutex mu_;
  absl::BitGen bitgen_ ABSL_GUARDED_BY(mu_);
  int64_t last_ms_ ABSL_GUARDED_BY(mu_) = -1;
  uint64_t last_hi_ ABSL_GUARDED_BY(mu_) = 0;  // Top 16 of the 80 random bits.
  uint64_t last_lo_ ABSL_GUARDED_BY(mu_) = 0;  // Low 64 of the 80 random bits.
};

// Deterministic ids for tests: "<prefix>0000000001", "<prefix>0000000002", ...
class SequentialIdGenerator : public IdGenerator {
 public:
  explicit SequentialIdGenerator(std::string prefix = "id") : prefix_(std::move(prefix)) {}
  std::string NewId() override;
  std::string RandomHex(int n) override;

 private:
  absl::Mutex mu_;
  std::string prefix_;
  int64_t next_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace moot::ids
