#include "libs/tracing/trace_context.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "libs/status/errors.h"

namespace moot::tracing {
namespace {

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

int HexValue(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

bool IsLowerHexOfLength(absl::string_view s, size_t len) {
  return s.size() == len && std::all_of(s.begin(), s.end(), IsLowerHex);
}

bool AllZero(absl::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '0'; });
}

bool IsLcAlpha(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsKeyChar(char c) {
  return IsLcAlpha(c) || IsDigit(c) || c == '_' || c == '-' || c == '*' || c == '/';
}
// nblk-chr = %x21-2B / %x2D-3C / %x3E-7E (printable ASCII but ',' and '=').
bool IsNonBlankValueChar(char c) { return c >= 0x21 && c <= 0x7E && c != ',' && c != '='; }

bool IsOptionalWhitespace(char c) { return c == ' ' || c == '\t'; }

absl::string_view TrimOws(absl::string_view s) {
  while (!s.empty() && IsOptionalWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOptionalWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

bool IsValidTraceId(absl::string_view hex) { return IsLowerHexOfLength(hex, 32) && !AllZero(hex); }

bool IsValidSpanId(absl::string_view hex) { return IsLowerHexOfLength(hex, 16) && !AllZero(hex); }

absl::StatusOr<TraceParent> ParseTraceParent(absl::string_view header) {
  constexpr size_t kV0Length = 55;  // 2 + 1 + 32 + 1 + 16 + 1 + 2
  if (header.size() < kV0Length) {
    return status::InvalidArgument(kTraceParentHeader, "too short");
  }
  absl::string_view version = header.substr(0, 2);
  if (!IsLowerHexOfLength(version, 2)) {
    return status::InvalidArgument(kTraceParentHeader, "version is not two lower-case hex digits");
  }
  if (version == "ff") {
    return status::InvalidArgument(kTraceParentHeader, "version ff is invalid");
  }
  if (version == "00" && header.size() != kV0Length) {
    return status::InvalidArgument(kTraceParentHeader, "version 00 must be 55 characters");
  }
  // Later versions may append fields, but only after a '-'.
  if (header.size() > kV0Length && header[kV0Length] != '-') {
    return status::InvalidArgument(kTraceParentHeader, "unexpected data after trace-flags");
  }
  if (header[2] != '-' || header[35] != '-' || header[52] != '-') {
    return status::InvalidArgument(kTraceParentHeader, "misplaced '-' delimiters");
  }
  TraceParent tp;
  tp.version = static_cast<uint8_t>(HexValue(version[0]) * 16 + HexValue(version[1]));
  absl::string_view trace_id = header.substr(3, 32);
  absl::string_view span_id = header.substr(36, 16);
  absl::string_view flags = header.substr(53, 2);
  if (!IsLowerHexOfLength(trace_id, 32)) {
    return status::InvalidArgument(kTraceParentHeader, "trace-id is not 32 lower-case hex digits");
  }
  if (AllZero(trace_id)) {
    return status::InvalidArgument(kTraceParentHeader, "trace-id is all zeros");
  }
  if (!IsLowerHexOfLength(span_id, 16)) {
    return status::InvalidArgument(kTraceParentHeader, "parent-id is not 16 lower-case hex digits");
  }
  if (AllZero(span_id)) {
    return status::InvalidArgument(kTraceParentHeader, "parent-id is all zeros");
  }
  if (!IsLowerHexOfLength(flags, 2)) {
    return status::InvalidArgument(kTraceParentHeader,
                                   "trace-flags is not two lower-case hex digits");
  }
  tp.trace_id = std::string(trace_id);
  tp.span_id = std::string(span_id);
  tp.flags = static_cast<uint8_t>(HexValue(flags[0]) * 16 + HexValue(flags[1]));
  if (tp.version != 0) {
    // Only the sampled bit is defined; unknown flags of a future version are not propagated.
    tp.flags &= kSampledFlag;
  }
  return tp;
}

std::string FormatTraceParent(const TraceParent& tp) {
  return absl::StrFormat("00-%s-%s-%02x", tp.trace_id, tp.span_id, tp.flags);
}

bool TraceState::IsValidKey(absl::string_view key) {
  size_t at = key.find('@');
  if (at == absl::string_view::npos) {
    // simple-key = lcalpha 0*255(lcalpha / DIGIT / "_" / "-" / "*" / "/")
    return !key.empty() && key.size() <= 256 && IsLcAlpha(key[0]) &&
           std::all_of(key.begin() + 1, key.end(), IsKeyChar);
  }
  // multi-tenant-key = tenant-id "@" system-id
  absl::string_view tenant = key.substr(0, at);
  absl::string_view system = key.substr(at + 1);
  bool tenant_ok = !tenant.empty() && tenant.size() <= 241 &&
                   (IsLcAlpha(tenant[0]) || IsDigit(tenant[0])) &&
                   std::all_of(tenant.begin() + 1, tenant.end(), IsKeyChar);
  bool system_ok = !system.empty() && system.size() <= 14 && IsLcAlpha(system[0]) &&
                   std::all_of(system.begin() + 1, system.end(), IsKeyChar);
  return tenant_ok && system_ok;
}

bool TraceState::IsValidValue(absl::string_view value) {
  // value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr
  if (value.empty() || value.size() > 256 || !IsNonBlankValueChar(value.back())) {
    return false;
  }
  return std::all_of(value.begin(), value.end(),
                     [](char c) { return c == ' ' || IsNonBlankValueChar(c); });
}

absl::StatusOr<TraceState> TraceState::Parse(absl::string_view header) {
  TraceState state;
  for (absl::string_view raw : absl::StrSplit(header, ',')) {
    absl::string_view member = TrimOws(raw);
    if (member.empty()) {
      continue;
    }
    size_t eq = member.find('=');
    if (eq == absl::string_view::npos) {
      return status::InvalidArgument(kTraceStateHeader, "list-member without '='");
    }
    absl::string_view key = member.substr(0, eq);
    absl::string_view value = member.substr(eq + 1);
    if (!IsValidKey(key)) {
      return status::InvalidArgument(kTraceStateHeader, "invalid key");
    }
    if (!IsValidValue(value)) {
      return status::InvalidArgument(kTraceStateHeader, "invalid value");
    }
    if (state.members_.size() >= kMaxMembers) {
      return status::InvalidArgument(kTraceStateHeader, "more than 32 list-members");
    }
    for (const auto& [k, v] : state.members_) {
      if (k == key) {
        return status::InvalidArgument(kTraceStateHeader, "duplicate key");
      }
    }
    state.members_.emplace_back(std::string(key), std::string(value));
  }
  return state;
}

std::string TraceState::Format() const {
  std::string out;
  for (const auto& [k, v] : members_) {
    if (!out.empty()) out.push_back(',');
    absl::StrAppend(&out, k, "=", v);
  }
  return out;
}

std::string TraceState::Get(absl::string_view key) const {
  for (const auto& [k, v] : members_) {
    if (k == key) return v;
  }
  return "";
}

absl::Status TraceState::Set(absl::string_view key, absl::string_view value) {
  if (!IsValidKey(key)) {
    return status::InvalidArgument(kTraceStateHeader, "invalid key");
  }
  if (!IsValidValue(value)) {
    return status::InvalidArgument(kTraceStateHeader, "invalid value");
  }
  Erase(key);
  members_.insert(members_.begin(), {std::string(key), std::string(value)});
  if (members_.size() > kMaxMembers) {
    members_.pop_back();
  }
  return absl::OkStatus();
}

void TraceState::Erase(absl::string_view key) {
  members_.erase(std::remove_if(members_.begin(), members_.end(),
                                [&](const auto& m) { return m.first == key; }),
                 members_.end());
}

absl::StatusOr<SpanContext> SpanContext::FromHeaders(absl::string_view traceparent,
                                                     absl::string_view tracestate) {
  absl::StatusOr<TraceParent> tp = ParseTraceParent(traceparent);
  if (!tp.ok()) {
    return tp.status();
  }
  absl::StatusOr<TraceState> state = TraceState::Parse(tracestate);
  return FromTraceParent(*tp, state.ok() ? *std::move(state) : TraceState());
}

}  // namespace moot::tracing
