#include "libs/service/redis_stream_writer.h"

#include "libs/status/macros.h"

namespace moot::service {
namespace {

std::vector<std::string> XAddCommand(
    absl::string_view stream, int64_t maxlen,
    const std::vector<std::pair<std::string, std::string>>& fields) {
  std::vector<std::string> argv = {"XADD", std::string(stream)};
  if (maxlen > 0) {
    argv.insert(argv.end(), {"MAXLEN", "~", std::to_string(maxlen)});
  }
  argv.emplace_back("*");
  for (const auto& [field, value] : fields) {
    argv.push_back(field);
    argv.push_back(value);
  }
  return argv;
}

}  // namespace

absl::Status RedisStreamWriter::XAdd(
    absl::string_view stream, int64_t maxlen,
    const std::vector<std::pair<std::string, std::string>>& fields) {
  return redis_.XAdd(stream, fields, maxlen > 0 ? maxlen : 0).status();
}

absl::Status RedisStreamWriter::XAddBatch(
    absl::string_view stream, int64_t maxlen,
    const std::vector<std::vector<std::pair<std::string, std::string>>>& entries) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(entries.size());
  for (const auto& fields : entries) {
    commands.push_back(XAddCommand(stream, maxlen, fields));
  }
  MOOT_ASSIGN_OR_RETURN(auto replies, redis_.Pipeline(commands));
  for (const auto& reply : replies) {
    if (!reply.ok()) {
      return reply.status();
    }
  }
  return absl::OkStatus();
}

}  // namespace moot::service
