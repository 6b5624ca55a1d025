// A thread-safe client for Redis over hiredis: a small pool of connections with timeouts,
// AUTH, reconnection with exponential backoff and jitter, typed replies, and helpers for the
// Stream commands Moot's events use.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/time/clock.h"

struct redisContext;

namespace moot::redis {

// Where and how to connect.
struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string username;  // ACL user; empty means the default user (AUTH <password>).
  std::string password;  // Empty: no AUTH.
  int db = 0;            // SELECTed after connecting when not 0.
  // Bound on establishing a connection (TCP connect + AUTH + SELECT).
  absl::Duration connect_timeout = absl::Seconds(2);
  // Bound on one command's round trip (blocking commands add their BLOCK time to it).
  absl::Duration command_timeout = absl::Seconds(2);
  // Reconnect backoff after failed connection attempts: starts at initial_backoff, doubles per
  // consecutive failure up to max_backoff, with +-25% jitter. While backing off, calls that need
  // a new connection fail fast with UNAVAILABLE instead of waiting.
  absl::Duration initial_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(5);
  // Connections kept open; a call waits (up to command_timeout) when all are busy.
  int max_connections = 4;
};

// Parses "redis://[[user]:password@]host[:port][/db]" (password percent-decoded), e.g.
// "redis://:secret@127.0.0.1:6379". Timeouts and pool size keep their defaults.
// Errors: INVALID_ARGUMENT naming what is wrong.
absl::StatusOr<RedisOptions> ParseRedisUrl(absl::string_view url);

// One Redis reply (RESP2).
struct Reply {
  enum class Type { kNil, kStatus, kString, kInteger, kArray, kError };
  Type type = Type::kNil;
  int64_t integer = 0;          // kInteger.
  std::string str;              // kString, kStatus, kError.
  std::vector<Reply> elements;  // kArray.

  bool is_nil() const { return type == Type::kNil; }
  bool is_array() const { return type == Type::kArray; }
  bool is_string() const { return type == Type::kString || type == Type::kStatus; }
};

// One entry of a stream: its id and field/value pairs in order.
struct StreamEntry {
  std::string id;
  std::vector<std::pair<std::string, std::string>> fields;
  // The value of `field`, or nullptr when absent.
  const std::string* Field(absl::string_view field) const;
};

// One entry of a consumer group's pending entries list (XPENDING extended form).
struct PendingEntry {
  std::string id;
  std::string consumer;
  absl::Duration idle;
  int64_t delivery_count = 0;
};

// A consumer group as XINFO GROUPS reports it.
struct GroupInfo {
  std::string name;
  int64_t consumers = 0;
  int64_t pending = 0;
  std::string last_delivered_id;
  int64_t entries_read = -1;  // -1 when Redis does not know.
  int64_t lag = -1;           // Entries not yet delivered to the group; -1 when unknown.
};

// Result of XAUTOCLAIM.
struct AutoClaimResult {
  std::string next_start;  // "0-0" when the scan is complete.
  std::vector<StreamEntry> entries;
  std::vector<std::string> deleted_ids;  // Pending ids whose entries no longer exist.
};

// A pool of hiredis connections to one Redis. Thread-safe. Never crashes and never blocks
// beyond its timeouts. Errors of every call:
//   UNAVAILABLE       Redis cannot be reached, timed out, closed the connection, is loading,
//                     or the client is backing off after failed reconnects (reason
//                     REDIS_UNAVAILABLE). A connection that failed is dropped; the next call
//                     opens a new one.
//   UNAUTHENTICATED   wrong or missing password (reason REDIS_AUTH_FAILED).
//   PERMISSION_DENIED the ACL user may not run the command (REDIS_NO_PERMISSION).
//   RESOURCE_EXHAUSTED Redis is out of memory (maxmemory with noeviction; REDIS_OOM).
//   ALREADY_EXISTS    BUSYGROUP; NOT_FOUND: NOGROUP; FAILED_PRECONDITION: WRONGTYPE;
//   INVALID_ARGUMENT  any other error reply (bad syntax, bad argument).
// Error replies carry ErrorInfo metadata {"redis_error": <first word of the reply>}.
// A command that failed with UNAVAILABLE may or may not have run on the server.
class RedisClient {
 public:
  explicit RedisClient(RedisOptions options, const time::Clock& clock = time::Clock::Real());
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  const RedisOptions& options() const { return options_; }

  // Runs one command, e.g. {"SET", "k", "v"}. Arguments are binary-safe.
  absl::StatusOr<Reply> Command(const std::vector<std::string>& argv);
  // As above, allowing `extra_timeout` beyond command_timeout (for blocking commands).
  absl::StatusOr<Reply> Command(const std::vector<std::string>& argv, absl::Duration extra_timeout);

  // PING; OK when Redis answers PONG.
  absl::Status Ping();

  // Sends `commands` in one round trip on one connection and returns each reply (an error reply
  // is that command's status). UNAVAILABLE for the whole call when the connection fails.
  absl::StatusOr<std::vector<absl::StatusOr<Reply>>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

  // --- Streams -------------------------------------------------------------------------------

  // XADD stream [MAXLEN ~ max_len] id field value ...; returns the entry id. max_len <= 0 means
  // uncapped.
  absl::StatusOr<std::string> XAdd(absl::string_view stream,
                                   const std::vector<std::pair<std::string, std::string>>& fields,
                                   int64_t max_len = 0, absl::string_view id = "*");

  // XGROUP CREATE stream group start_id MKSTREAM. An existing group (BUSYGROUP) is OK.
  absl::Status XGroupCreate(absl::string_view stream, absl::string_view group,
                            absl::string_view start_id = "0");

  // XREADGROUP GROUP group consumer COUNT count [BLOCK ms] STREAMS stream id. `id` ">" reads new
  // entries; "0" re-reads this consumer's pending ones. `block` zero means do not block (never
  // "block forever"). Returns no entries when the block time passes. Pending entries whose
  // stream entry was deleted come back with no fields.
  absl::StatusOr<std::vector<StreamEntry>> XReadGroup(absl::string_view group,
                                                      absl::string_view consumer,
                                                      absl::string_view stream, int64_t count,
                                                      absl::Duration block,
                                                      absl::string_view id = ">");

  // XACK stream group id...; returns how many were acknowledged.
  absl::StatusOr<int64_t> XAck(absl::string_view stream, absl::string_view group,
                               const std::vector<std::string>& ids);

  // XPENDING stream group IDLE min_idle start end count [consumer]: pending entries idle for at
  // least `min_idle`, with their delivery counts.
  absl::StatusOr<std::vector<PendingEntry>> XPending(
      absl::string_view stream, absl::string_view group, absl::Duration min_idle, int64_t count,
      absl::string_view start = "-", absl::string_view end = "+", absl::string_view consumer = "");

  // XCLAIM stream group consumer min_idle id...: takes over entries idle for at least
  // `min_idle` (each claim increments the entry's delivery count). Entries another consumer
  // claimed first, or that were deleted, are not returned.
  absl::StatusOr<std::vector<StreamEntry>> XClaim(absl::string_view stream, absl::string_view group,
                                                  absl::string_view consumer,
                                                  absl::Duration min_idle,
                                                  const std::vector<std::string>& ids);

  // XAUTOCLAIM stream group consumer min_idle start COUNT count.
  absl::StatusOr<AutoClaimResult> XAutoClaim(absl::string_view stream, absl::string_view group,
                                             absl::string_view consumer, absl::Duration min_idle,
                                             absl::string_view start, int64_t count);

  // XRANGE / XREVRANGE stream start end [COUNT count] (count <= 0: all).
  absl::StatusOr<std::vector<StreamEntry>> XRange(absl::string_view stream,
                                                  absl::string_view start = "-",
                                                  absl::string_view end = "+", int64_t count = 0);
  absl::StatusOr<std::vector<StreamEntry>> XRevRange(absl::string_view stream,
                                                     absl::string_view end = "+",
                                                     absl::string_view start = "-",
                                                     int64_t count = 0);

  // XLEN stream (0 when the stream does not exist).
  absl::StatusOr<int64_t> XLen(absl::string_view stream);

  // XINFO GROUPS stream. NOT_FOUND (reason REDIS_ERROR, "no such key") when there is no stream.
  absl::StatusOr<std::vector<GroupInfo>> XInfoGroups(absl::string_view stream);

 private:
  struct Conn;

  absl::StatusOr<std::unique_ptr<Conn>> Acquire();
  void Release(std::unique_ptr<Conn> conn);
  absl::StatusOr<std::unique_ptr<Conn>> Connect();
  void RecordConnectFailure() ABSL_LOCKS_EXCLUDED(mu_);

  const RedisOptions options_;
  const time::Clock& clock_;

  absl::Mutex mu_;
  std::vector<std::unique_ptr<Conn>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // Connections idle, in use or being opened.
  int consecutive_failures_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time next_attempt_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::BitGen bitgen_ ABSL_GUARDED_BY(mu_);
};

// Parses a stream entry reply ([id, [field, value, ...]]). Exposed for tests.
absl::StatusOr<StreamEntry> ParseStreamEntry(const Reply& reply);

}  // namespace moot::redis
