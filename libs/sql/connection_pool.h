// A fixed set of driver connections handed out one thread at a time (internal to libs/sql).
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace moot::sql::internal {

template <typename Conn>
class ConnectionPool {
 public:
  // Returns the connection to the pool when destroyed.
  class Lease {
   public:
    Lease(ConnectionPool* pool, Conn* conn) : pool_(pool), conn_(conn) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_->Release(conn_); }
    Conn& operator*() const { return *conn_; }
    Conn* operator->() const { return conn_; }

   private:
    ConnectionPool* pool_;
    Conn* conn_;
  };

  explicit ConnectionPool(std::vector<std::unique_ptr<Conn>> conns) : all_(std::move(conns)) {
    for (auto& c : all_) {
      idle_.push_back(c.get());
    }
  }

  // Blocks until a connection is free.
  Lease Acquire() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](std::vector<Conn*>* idle) { return !idle->empty(); }, &idle_));
    Conn* conn = idle_.back();
    idle_.pop_back();
    return Lease(this, conn);
  }

 private:
  void Release(Conn* conn) {
    absl::MutexLock lock(&mu_);
    idle_.push_back(conn);
  }

  std::vector<std::unique_ptr<Conn>> all_;
  absl::Mutex mu_;
  std::vector<Conn*> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace moot::sql::internal
