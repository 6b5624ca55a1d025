#include "libs/redis/redis_client.h"

#include <hiredis/hiredis.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::redis {
namespace {

timeval TimevalOf(absl::Duration d) {
  if (d < absl::Milliseconds(1)) {
    d = absl::Milliseconds(1);
  }
  timeval tv = absl::ToTimeval(d);
  return tv;
}

absl::Status Unavailable(absl::string_view message) {
  return status::WithReason(absl::UnavailableError(absl::StrCat("redis: ", message)),
                            "REDIS_UNAVAILABLE");
}

// Maps an error reply ("WRONGTYPE Operation against a key...") to a status.
absl::Status ErrorReplyToStatus(absl::string_view text) {
  const size_t space = text.find(' ');
  const std::string code(text.substr(0, space));
  const std::string message = absl::StrCat("redis: ", text);
  absl::flat_hash_map<std::string, std::string> md = {{"redis_error", code}};
  if (code == "NOAUTH" || code == "WRONGPASS" ||
      (code == "ERR" && absl::StrContains(text, "password"))) {
    return status::WithReason(absl::UnauthenticatedError(message), "REDIS_AUTH_FAILED", md);
  }
  if (code == "NOPERM") {
    return status::WithReason(absl::PermissionDeniedError(message), "REDIS_NO_PERMISSION", md);
  }
  if (code == "LOADING" || code == "BUSY" || code == "MASTERDOWN" || code == "TRYAGAIN" ||
      code == "CLUSTERDOWN" || code == "READONLY") {
    return status::WithReason(absl::UnavailableError(message), "REDIS_UNAVAILABLE", md);
  }
  if (code == "OOM") {
    return status::WithReason(absl::ResourceExhaustedError(message), "REDIS_OOM", md);
  }
  if (code == "BUSYGROUP") {
    return status::WithReason(absl::AlreadyExistsError(message), "REDIS_ERROR", md);
  }
  if (code == "NOGROUP" || absl::StrContains(text, "no such key")) {
    return status::WithReason(absl::NotFoundError(message), "REDIS_ERROR", md);
  }
  if (code == "WRONGTYPE") {
    return status::WithReason(absl::FailedPreconditionError(message), "REDIS_ERROR", md);
  }
  return status::WithReason(absl::InvalidArgumentError(message), "REDIS_ERROR", md);
}

Reply Convert(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) {
        out.elements.push_back(Convert(r->element[i]));
      }
      break;
    default:
      out.type = Reply::Type::kNil;
      break;
  }
  return out;
}

absl::Status Malformed(absl::string_view what) {
  return status::WithReason(absl::InternalError(absl::StrCat("redis: unexpected reply to ", what)),
                            "REDIS_BAD_REPLY");
}

absl::StatusOr<std::vector<StreamEntry>> ParseEntries(const Reply& reply, absl::string_view what) {
  std::vector<StreamEntry> out;
  if (reply.is_nil()) {
    return out;
  }
  if (!reply.is_array()) {
    return Malformed(what);
  }
  for (const Reply& e : reply.elements) {
    if (e.is_nil()) {
      continue;  // XCLAIM before Redis 7 returns nil for deleted entries.
    }
    MOOT_ASSIGN_OR_RETURN(StreamEntry entry, ParseStreamEntry(e));
    out.push_back(std::move(entry));
  }
  return out;
}

std::string Millis(absl::Duration d) {
  return std::to_string(std::max<int64_t>(0, absl::ToInt64Milliseconds(d)));
}

}  // namespace

const std::string* StreamEntry::Field(absl::string_view field) const {
  for (const auto& [k, v] : fields) {
    if (k == field) {
      return &v;
    }
  }
  return nullptr;
}

absl::StatusOr<StreamEntry> ParseStreamEntry(const Reply& reply) {
  if (!reply.is_array() || reply.elements.size() != 2 || !reply.elements[0].is_string()) {
    return Malformed("stream entry");
  }
  StreamEntry entry;
  entry.id = reply.elements[0].str;
  const Reply& fields = reply.elements[1];
  if (fields.is_nil()) {
    return entry;  // Pending entry whose stream entry was deleted.
  }
  if (!fields.is_array() || fields.elements.size() % 2 != 0) {
    return Malformed("stream entry fields");
  }
  for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    entry.fields.emplace_back(fields.elements[i].str, fields.elements[i + 1].str);
  }
  return entry;
}

// ---------------------------------------------------------------------------------------------
// URL

namespace {

absl::StatusOr<std::string> PercentDecode(absl::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      if (i + 2 >= in.size()) {
        return status::InvalidArgument("redis_url", "bad percent-encoding");
      }
      int v = 0;
      for (int k = 1; k <= 2; ++k) {
        const char c = in[i + k];
        v <<= 4;
        if (c >= '0' && c <= '9') {
          v |= c - '0';
        } else if (c >= 'a' && c <= 'f') {
          v |= c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
          v |= c - 'A' + 10;
        } else {
          return status::InvalidArgument("redis_url", "bad percent-encoding");
        }
      }
      out.push_back(static_cast<char>(v));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<RedisOptions> ParseRedisUrl(absl::string_view url) {
  constexpr absl::string_view kScheme = "redis://";
  if (!absl::StartsWith(url, kScheme)) {
    return status::InvalidArgument("redis_url", "must start with redis://");
  }
  absl::string_view rest = url.substr(kScheme.size());
  RedisOptions options;
  // Path: /db
  if (size_t slash = rest.find('/'); slash != absl::string_view::npos) {
    absl::string_view db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!db.empty()) {
      int n = 0;
      if (!absl::SimpleAtoi(db, &n) || n < 0) {
        return status::InvalidArgument("redis_url", "database must be a non-negative number");
      }
      options.db = n;
    }
  }
  // Credentials: [user]:password@ (the last '@' ends them; passwords may contain '@').
  if (size_t at = rest.rfind('@'); at != absl::string_view::npos) {
    absl::string_view cred = rest.substr(0, at);
    rest = rest.substr(at + 1);
    size_t colon = cred.find(':');
    if (colon == absl::string_view::npos) {
      return status::InvalidArgument("redis_url", "credentials must be [user]:password");
    }
    MOOT_ASSIGN_OR_RETURN(options.username, PercentDecode(cred.substr(0, colon)));
    MOOT_ASSIGN_OR_RETURN(options.password, PercentDecode(cred.substr(colon + 1)));
  }
  // host[:port]
  absl::string_view host = rest;
  if (!rest.empty() && rest.front() == '[') {  // [::1]:6379
    size_t close = rest.find(']');
    if (close == absl::string_view::npos) {
      return status::InvalidArgument("redis_url", "unterminated IPv6 address");
    }
    host = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      return status::InvalidArgument("redis_url", "expected :port after the address");
    }
  } else {
    size_t colon = rest.rfind(':');
    host = rest.substr(0, colon);
    rest = colon == absl::string_view::npos ? absl::string_view() : rest.substr(colon);
  }
  if (!rest.empty()) {
    int port = 0;
    if (!absl::SimpleAtoi(rest.substr(1), &port) || port <= 0 || port > 65535) {
      return status::InvalidArgument("redis_url", "port must be 1-65535");
    }
    options.port = port;
  }
  if (host.empty()) {
    return status::InvalidArgument("redis_url", "missing host");
  }
  options.host = std::string(host);
  return options;
}

// ---------------------------------------------------------------------------------------------
// Connections

struct RedisClient::Conn {
  redisContext* ctx = nullptr;
  absl::Duration timeout = absl::ZeroDuration();
  bool broken = false;

  ~Conn() {
    if (ctx != nullptr) {
      redisFree(ctx);
    }
  }

  bool SetTimeout(absl::Duration d) {
    if (d == timeout) {
      return true;
    }
    if (redisSetTimeout(ctx, TimevalOf(d)) != REDIS_OK) {
      broken = true;
      return false;
    }
    timeout = d;
    return true;
  }

  // True when the idle socket shows no sign of the peer having closed it.
  bool LooksAlive() const {
    if (ctx == nullptr || ctx->err != 0 || broken) {
      return false;
    }
    pollfd p{ctx->fd, POLLIN, 0};
    int n = ::poll(&p, 1, 0);
    // Readable while idle means EOF, a reset, or unsolicited data: not safe to reuse.
    return n == 0;
  }

  absl::StatusOr<Reply> Run(const std::vector<std::string>& argv) {
    std::vector<const char*> args;
    std::vector<size_t> lens;
    args.reserve(argv.size());
    lens.reserve(argv.size());
    for (const std::string& a : argv) {
      args.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(ctx, static_cast<int>(args.size()), args.data(), lens.data()));
    if (r == nullptr) {
      broken = true;
      std::string why = ctx->errstr[0] != '\0' ? ctx->errstr : "connection error";
      if (ctx->err == REDIS_ERR_IO && absl::StrContains(why, "temporarily unavailable")) {
        why = "command timed out";
      }
      return Unavailable(why);
    }
    Reply reply = Convert(r);
    freeReplyObject(r);
    if (reply.type == Reply::Type::kError) {
      return ErrorReplyToStatus(reply.str);
    }
    return reply;
  }

  // Sends every command, then reads every reply: one round trip for the lot. A connection
  // error fails the whole call (and marks the connection broken); error replies come back per
  // command.
  absl::StatusOr<std::vector<absl::StatusOr<Reply>>> RunPipeline(
      const std::vector<std::vector<std::string>>& commands) {
    for (const auto& argv : commands) {
      std::vector<const char*> args;
      std::vector<size_t> lens;
      for (const std::string& a : argv) {
        args.push_back(a.data());
        lens.push_back(a.size());
      }
      if (redisAppendCommandArgv(ctx, static_cast<int>(args.size()), args.data(), lens.data()) !=
          REDIS_OK) {
        broken = true;
        return Unavailable("cannot queue a pipelined command");
      }
    }
    std::vector<absl::StatusOr<Reply>> replies;
    replies.reserve(commands.size());
    for (size_t i = 0; i < commands.size(); ++i) {
      void* raw = nullptr;
      if (redisGetReply(ctx, &raw) != REDIS_OK || raw == nullptr) {
        broken = true;
        return Unavailable(ctx->errstr[0] != '\0' ? ctx->errstr : "connection error");
      }
      auto* r = static_cast<redisReply*>(raw);
      Reply reply = Convert(r);
      freeReplyObject(r);
      if (reply.type == Reply::Type::kError) {
        replies.push_back(ErrorReplyToStatus(reply.str));
      } else {
        replies.push_back(std::move(reply));
      }
    }
    return replies;
  }
};

RedisClient::RedisClient(RedisOptions options, const time::Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

RedisClient::~RedisClient() {
  absl::MutexLock lock(&mu_);
  idle_.clear();
}

absl::StatusOr<std::unique_ptr<RedisClient::Conn>> RedisClient::Connect() {
  auto conn = std::make_unique<Conn>();
  conn->ctx = redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                      TimevalOf(options_.connect_timeout));
  if (conn->ctx == nullptr) {
    return Unavailable("cannot allocate a connection");
  }
  if (conn->ctx->err != 0) {
    return Unavailable(absl::StrCat("cannot connect to ", options_.host, ":", options_.port, ": ",
                                    conn->ctx->errstr));
  }
  if (!conn->SetTimeout(options_.connect_timeout)) {
    return Unavailable("cannot set socket timeouts");
  }
  if (!options_.password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!options_.username.empty()) {
      auth.push_back(options_.username);
    }
    auth.push_back(options_.password);
    absl::StatusOr<Reply> r = conn->Run(auth);
    if (!r.ok()) {
      if (absl::IsUnavailable(r.status())) {
        return r.status();
      }
      return status::WithReason(
          absl::UnauthenticatedError(absl::StrCat("redis: AUTH failed: ", r.status().message())),
          "REDIS_AUTH_FAILED");
    }
  }
  if (options_.db != 0) {
    MOOT_RETURN_IF_ERROR(conn->Run({"SELECT", std::to_string(options_.db)}).status());
  }
  return conn;
}

void RedisClient::RecordConnectFailure() {
  absl::MutexLock lock(&mu_);
  --open_;
  ++consecutive_failures_;
  const double base = absl::ToDoubleSeconds(options_.initial_backoff) *
                      std::pow(2.0, std::min(consecutive_failures_ - 1, 30));
  const double capped = std::min(base, absl::ToDoubleSeconds(options_.max_backoff));
  const double jittered = capped * absl::Uniform(bitgen_, 0.75, 1.25);
  next_attempt_ = clock_.Now() + absl::Seconds(jittered);
}

absl::StatusOr<std::unique_ptr<RedisClient::Conn>> RedisClient::Acquire() {
  const int max_conns = std::max(1, options_.max_connections);
  while (true) {
    std::unique_ptr<Conn> conn;
    {
      absl::MutexLock lock(&mu_);
      auto available = [this, max_conns]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !idle_.empty() || open_ < max_conns;
      };
      if (!mu_.AwaitWithTimeout(absl::Condition(&available), options_.command_timeout)) {
        return Unavailable("all connections are busy");
      }
      if (!idle_.empty()) {
        conn = std::move(idle_.back());
        idle_.pop_back();
      } else {
        const absl::Time now = clock_.Now();
        if (consecutive_failures_ > 0 && now < next_attempt_) {
          return Unavailable(absl::StrCat("reconnecting after ", consecutive_failures_,
                                          " failed attempts; next in ",
                                          absl::FormatDuration(next_attempt_ - now)));
        }
        ++open_;
      }
    }
    if (conn != nullptr) {
      if (conn->LooksAlive()) {
        return conn;
      }
      absl::MutexLock lock(&mu_);
      --open_;
      continue;  // Dropped a dead idle connection; open a new one (or reuse another).
    }
    absl::StatusOr<std::unique_ptr<Conn>> fresh = Connect();
    if (!fresh.ok()) {
      RecordConnectFailure();
      return fresh.status();
    }
    absl::MutexLock lock(&mu_);
    consecutive_failures_ = 0;
    return fresh;
  }
}

void RedisClient::Release(std::unique_ptr<Conn> conn) {
  absl::MutexLock lock(&mu_);
  if (conn->broken || conn->ctx->err != 0) {
    --open_;
    return;  // Freed by unique_ptr.
  }
  idle_.push_back(std::move(conn));
}

absl::StatusOr<Reply> RedisClient::Command(const std::vector<std::string>& argv) {
  return Command(argv, absl::ZeroDuration());
}

absl::StatusOr<Reply> RedisClient::Command(const std::vector<std::string>& argv,
                                           absl::Duration extra_timeout) {
  if (argv.empty()) {
    return status::InvalidArgument("argv", "a command needs at least its name");
  }
  MOOT_ASSIGN_OR_RETURN(std::unique_ptr<Conn> conn, Acquire());
  absl::StatusOr<Reply> reply;
  if (!conn->SetTimeout(options_.command_timeout + std::max(extra_timeout, absl::ZeroDuration()))) {
    reply = Unavailable("cannot set socket timeouts");
  } else {
    reply = conn->Run(argv);
  }
  Release(std::move(conn));
  return reply;
}

absl::StatusOr<std::vector<absl::StatusOr<Reply>>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  for (const auto& argv : commands) {
    if (argv.empty()) {
      return status::InvalidArgument("commands", "a command needs at least its name");
    }
  }
  if (commands.empty()) {
    return std::vector<absl::StatusOr<Reply>>();
  }
  MOOT_ASSIGN_OR_RETURN(std::unique_ptr<Conn> conn, Acquire());
  absl::StatusOr<std::vector<absl::StatusOr<Reply>>> replies;
  if (!conn->SetTimeout(options_.command_timeout)) {
    replies = Unavailable("cannot set socket timeouts");
  } else {
    replies = conn->RunPipeline(commands);
  }
  Release(std::move(conn));
  return replies;
}

absl::Status RedisClient::Ping() {
  MOOT_ASSIGN_OR_RETURN(Reply r, Command({"PING"}));
  if (r.str != "PONG") {
    return Malformed("PING");
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Streams

absl::StatusOr<std::string> RedisClient::XAdd(
    absl::string_view stream, const std::vector<std::pair<std::string, std::string>>& fields,
    int64_t max_len, absl::string_view id) {
  if (fields.empty()) {
    return status::InvalidArgument("fields", "XADD needs at least one field");
  }
  std::vector<std::string> argv = {"XADD", std::string(stream)};
  if (max_len > 0) {
    argv.insert(argv.end(), {"MAXLEN", "~", std::to_string(max_len)});
  }
  argv.emplace_back(id);
  for (const auto& [k, v] : fields) {
    argv.push_back(k);
    argv.push_back(v);
  }
  MOOT_ASSIGN_OR_RETURN(Reply r, Command(argv));
  if (!r.is_string()) {
    return Malformed("XADD");
  }
  return r.str;
}

absl::Status RedisClient::XGroupCreate(absl::string_view stream, absl::string_view group,
                                       absl::string_view start_id) {
  absl::StatusOr<Reply> r = Command({"XGROUP", "CREATE", std::string(stream), std::string(group),
                                     std::string(start_id), "MKSTREAM"});
  if (!r.ok() && absl::IsAlreadyExists(r.status())) {
    return absl::OkStatus();
  }
  return r.status();
}

absl::StatusOr<std::vector<StreamEntry>> RedisClient::XReadGroup(
    absl::string_view group, absl::string_view consumer, absl::string_view stream, int64_t count,
    absl::Duration block, absl::string_view id) {
  std::vector<std::string> argv = {"XREADGROUP", "GROUP", std::string(group),
                                   std::string(consumer)};
  if (count > 0) {
    argv.insert(argv.end(), {"COUNT", std::to_string(count)});
  }
  const bool blocking = block >= absl::Milliseconds(1);
  if (blocking) {
    argv.insert(argv.end(), {"BLOCK", Millis(block)});
  }
  argv.insert(argv.end(), {"STREAMS", std::string(stream), std::string(id)});
  MOOT_ASSIGN_OR_RETURN(Reply r, Command(argv, blocking ? block : absl::ZeroDuration()));
  std::vector<StreamEntry> out;
  if (r.is_nil()) {
    return out;
  }
  // [[stream, [entries...]], ...]
  if (!r.is_array()) {
    return Malformed("XREADGROUP");
  }
  for (const Reply& s : r.elements) {
    if (!s.is_array() || s.elements.size() != 2) {
      return Malformed("XREADGROUP");
    }
    MOOT_ASSIGN_OR_RETURN(std::vector<StreamEntry> entries,
                          ParseEntries(s.elements[1], "XREADGROUP"));
    for (auto& e : entries) {
      out.push_back(std::move(e));
    }
  }
  return out;
}

absl::StatusOr<int64_t> RedisClient::XAck(absl::string_view stream, absl::string_view group,
                                          const std::vector<std::string>& ids) {
  if (ids.empty()) {
    return 0;
  }
  std::vector<std::string> argv = {"XACK", std::string(stream), std::string(group)};
  argv.insert(argv.end(), ids.begin(), ids.end());
  MOOT_ASSIGN_OR_RETURN(Reply r, Command(argv));
  if (r.type != Reply::Type::kInteger) {
    return Malformed("XACK");
  }
  return r.integer;
}

absl::StatusOr<std::vector<PendingEntry>> RedisClient::XPending(
    absl::string_view stream, absl::string_view group, absl::Duration min_idle, int64_t count,
    absl::string_view start, absl::string_view end, absl::string_view consumer) {
  std::vector<std::string> argv = {"XPENDING",         std::string(stream),
                                   std::string(group), "IDLE",
                                   Millis(min_idle),   std::string(start),
                                   std::string(end),   std::to_string(std::max<int64_t>(1, count))};
  if (!consumer.empty()) {
    argv.emplace_back(consumer);
  }
  MOOT_ASSIGN_OR_RETURN(Reply r, Command(argv));
  std::vector<PendingEntry> out;
  if (r.is_nil()) {
    return out;
  }
  if (!r.is_array()) {
    return Malformed("XPENDING");
  }
  for (const Reply& e : r.elements) {
    if (!e.is_array() || e.elements.size() != 4) {
      return Malformed("XPENDING");
    }
    PendingEntry p;
    p.id = e.elements[0].str;
    p.consumer = e.elements[1].str;
    p.idle = absl::Milliseconds(e.elements[2].integer);
    p.delivery_count = e.elements[3].integer;
    out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<std::vector<StreamEntry>> RedisClient::XClaim(absl::string_view stream,
                                                             absl::string_view group,
                                                             absl::string_view consumer,
                                                             absl::Duration min_idle,
                                                             const std::vector<std::string>& ids) {
  std::vector<StreamEntry> out;
  if (ids.empty()) {
    return out;
  }
  std::vector<std::string> argv = {"XCLAIM", std::string(stream), std::string(group),
                                   std::string(consumer), Millis(min_idle)};
  argv.insert(argv.end(), ids.begin(), ids.end());
  MOOT_ASSIGN_OR_RETURN(Reply r, Command(argv));
  return ParseEntries(r, "XCLAIM");
}

absl::StatusOr<AutoClaimResult> RedisClient::XAutoClaim(absl::string_view stream,
                                                        absl::string_view group,
                                                        absl::string_view consumer,
                                                        absl::Duration min_idle,
                                                        absl::string_view start, int64_t count) {
  MOOT_ASSIGN_OR_RETURN(
      Reply r, Command({"XAUTOCLAIM", std::string(stream), std::string(group),
                        std::string(consumer), Millis(min_idle), std::string(start), "COUNT",
                        std::to_string(std::max<int64_t>(1, count))}));
  if (!r.is_array() || r.elements.size() < 2) {
    return Malformed("XAUTOCLAIM");
  }
  AutoClaimResult out;
  out.next_start = r.elements[0].str;
  MOOT_ASSIGN_OR_RETURN(out.entries, ParseEntries(r.elements[1], "XAUTOCLAIM"));
  if (r.elements.size() > 2 && r.elements[2].is_array()) {
    for (const Reply& d : r.elements[2].elements) {
      out.deleted_ids.push_back(d.str);
    }
  }
  return out;
}

absl::StatusOr<std::vector<StreamEntry>> RedisClient::XRange(absl::string_view stream,
                                                             absl::string_view start,
                                                             absl::string_view end, int64_t count) {
  std::vector<std::string> argv = {"XRANGE", std::string(stream), std::string(start),
                                   std::string(end)};
  if (count > 0) {
    argv.insert(argv.end(), {"COUNT", std::to_string(count)});
  }
  MOOT_ASSIGN_OR_RETURN(Reply r, Command(argv));
  return ParseEntries(r, "XRANGE");
}

absl::StatusOr<std::vector<StreamEntry>> RedisClient::XRevRange(absl::string_view stream,
                                                                absl::string_view end,
                                                                absl::string_view start,
                                                                int64_t count) {
  std::vector<std::string> argv = {"XREVRANGE", std::string(stream), std::string(end),
                                   std::string(start)};
  if (count > 0) {
    argv.insert(argv.end(), {"COUNT", std::to_string(count)});
  }
  MOOT_ASSIGN_OR_RETURN(Reply r, Command(argv));
  return ParseEntries(r, "XREVRANGE");
}

absl::StatusOr<int64_t> RedisClient::XLen(absl::string_view stream) {
  MOOT_ASSIGN_OR_RETURN(Reply r, Command({"XLEN", std::string(stream)}));
  if (r.type != Reply::Type::kInteger) {
    return Malformed("XLEN");
  }
  return r.integer;
}

absl::StatusOr<std::vector<GroupInfo>> RedisClient::XInfoGroups(absl::string_view stream) {
  MOOT_ASSIGN_OR_RETURN(Reply r, Command({"XINFO", "GROUPS", std::string(stream)}));
  if (!r.is_array()) {
    return Malformed("XINFO GROUPS");
  }
  std::vector<GroupInfo> out;
  for (const Reply& g : r.elements) {
    if (!g.is_array() || g.elements.size() % 2 != 0) {
      return Malformed("XINFO GROUPS");
    }
    GroupInfo info;
    for (size_t i = 0; i + 1 < g.elements.size(); i += 2) {
      const std::string& key = g.elements[i].str;
      const Reply& v = g.elements[i + 1];
      const int64_t n = v.type == Reply::Type::kInteger ? v.integer : -1;
      if (key == "name") {
        info.name = v.str;
      } else if (key == "consumers") {
        info.consumers = n;
      } else if (key == "pending") {
        info.pending = n;
      } else if (key == "last-delivered-id") {
        info.last_delivered_id = v.str;
      } else if (key == "entries-read") {
        info.entries_read = n;
      } else if (key == "lag") {
        info.lag = n;
      }
    }
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace moot::redis
