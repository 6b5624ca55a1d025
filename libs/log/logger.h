// Structured logging: one JSON object per line on stderr, with the trace id when there is one.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace moot::log {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Parses "debug", "info", "warning"/"warn", "error" (case-insensitive); false if unknown.
bool ParseLevel(absl::string_view text, Level* level);

// Process-wide settings, set once by main() before threads start.
void SetServiceName(absl::string_view service);
void SetMinLevel(Level level);

// The trace id logged with every line written by this thread (set by the tracing interceptor
// for the duration of a call; empty clears it).
void SetThreadTraceId(absl::string_view trace_id);
std::string ThreadTraceId();

using Field = std::pair<absl::string_view, std::string>;

// Writes {"ts": RFC 3339 UTC, "level", "service", "msg", "trace_id"?, fields...} and a newline,
// atomically with respect to other log lines. Never throws; strings are JSON-escaped. Callers
// must not log secrets, tokens or exempt content.
void Write(Level level, absl::string_view message, std::initializer_list<Field> fields = {});

inline void Debug(absl::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kDebug, m, f);
}
inline void Info(absl::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, m, f);
}
inline void Warning(absl::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kWarning, m, f);
}
inline void Error(absl::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kError, m, f);
}

// Formats one line without writing it (used by Write and by tests).
std::string FormatLine(absl::string_view timestamp, Level level, absl::string_view service,
                       absl::string_view trace_id, absl::string_view message,
                       std::initializer_list<Field> fields);

// Escapes `text` as the inside of a JSON string (quotes, backslashes, control characters;
// invalid UTF-8 bytes become U+FFFD).
std::string JsonEscape(absl::string_view text);

}  // namespace moot::log
