#include "services/gateway/trace_query.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/redis/redis_client.h"
#include "libs/status/errors.h"

namespace moot::gateway {

void InMemorySpanSource::Add(SpanRecord record) {
  absl::MutexLock lock(&mu_);
  records_.push_back(std::move(record));
}

absl::StatusOr<std::vector<SpanRecord>> InMemorySpanSource::Newest(int64_t max_entries) const {
  absl::MutexLock lock(&mu_);
  std::vector<SpanRecord> out;
  for (auto it = records_.rbegin();
       it != records_.rend() && static_cast<int64_t>(out.size()) < max_entries; ++it) {
    out.push_back(*it);
  }
  return out;
}

absl::StatusOr<std::vector<SpanRecord>> RedisSpanSource::Newest(int64_t max_entries) const {
  absl::StatusOr<std::vector<moot::redis::StreamEntry>> entries =
      client_.XRevRange(stream_, "+", "-", max_entries);
  if (!entries.ok()) {
    return entries.status();
  }
  std::vector<SpanRecord> out;
  out.reserve(entries->size());
  for (const moot::redis::StreamEntry& entry : *entries) {
    const std::string* trace_id = entry.Field("trace_id");
    const std::string* span = entry.Field("span");
    if (trace_id != nullptr && span != nullptr) {
      out.push_back({*trace_id, *span});
    }
  }
  return out;
}

namespace {

bool IsHexId(absl::string_view id) {
  if (id.size() != 16 && id.size() != 32) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) { return absl::ascii_isxdigit(c); });
}

// Spans newest first -> a JSON array oldest first.
std::string JsonArray(const std::vector<const std::string*>& newest_first) {
  std::vector<absl::string_view> parts;
  for (auto it = newest_first.rbegin(); it != newest_first.rend(); ++it) {
    parts.push_back(**it);
  }
  return absl::StrCat("[", absl::StrJoin(parts, ","), "]");
}

}  // namespace

absl::StatusOr<std::string> TraceQuery::Trace(absl::string_view trace_id) const {
  if (!IsHexId(trace_id)) {
    return moot::status::InvalidArgument("trace_id", "a trace id is 16 or 32 hex digits");
  }
  std::string wanted = absl::AsciiStrToLower(trace_id);
  if (wanted.size() == 16) {
    wanted = absl::StrCat(std::string(16, '0'), wanted);
  }
  absl::StatusOr<std::vector<SpanRecord>> records = source_.Newest(scan_limit_);
  if (!records.ok()) {
    return records.status();
  }
  std::vector<const std::string*> spans;
  for (const SpanRecord& record : *records) {
    if (absl::AsciiStrToLower(record.trace_id) == wanted) {
      spans.push_back(&record.span_json);
    }
  }
  if (spans.empty()) {
    return moot::status::NotFound(absl::StrCat("traces/", wanted));
  }
  return JsonArray(spans);
}

absl::StatusOr<std::string> TraceQuery::RecentTraces(int limit) const {
  if (limit < 1 || limit > 1000) {
    return moot::status::InvalidArgument("limit", "must be between 1 and 1000");
  }
  absl::StatusOr<std::vector<SpanRecord>> records = source_.Newest(scan_limit_);
  if (!records.ok()) {
    return records.status();
  }
  std::vector<std::string> order;  // Trace ids, newest first.
  std::map<std::string, std::vector<const std::string*>> spans;
  for (const SpanRecord& record : *records) {
    auto it = spans.find(record.trace_id);
    if (it == spans.end()) {
      if (static_cast<int>(order.size()) >= limit) {
        continue;
      }
      order.push_back(record.trace_id);
      it = spans.emplace(record.trace_id, std::vector<const std::string*>{}).first;
    }
    it->second.push_back(&record.span_json);
  }
  std::vector<std::string> traces;
  for (const std::string& id : order) {
    traces.push_back(JsonArray(spans[id]));
  }
  return absl::StrCat("[", absl::StrJoin(traces, ","), "]");
}

}  // namespace moot::gateway
