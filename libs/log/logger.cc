#include "libs/log/logger.h"

#include <unistd.h>

#include <atomic>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace moot::log {
namespace {

absl::Mutex g_mu;
std::string* g_service = new std::string("moot");  // Guarded by g_mu once threads run.
std::atomic<int> g_min_level{static_cast<int>(Level::kInfo)};
thread_local std::string t_trace_id;

absl::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
  }
  return "info";
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid.
size_t Utf8Length(absl::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
  } else {
    return 0;
  }
  if (i + n > s.size()) {
    return 0;
  }
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
      return 0;
    }
  }
  return n;
}

}  // namespace

bool ParseLevel(absl::string_view text, Level* level) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "debug") {
    *level = Level::kDebug;
  } else if (lower == "info") {
    *level = Level::kInfo;
  } else if (lower == "warning" || lower == "warn") {
    *level = Level::kWarning;
  } else if (lower == "error") {
    *level = Level::kError;
  } else {
    return false;
  }
  return true;
}

void SetServiceName(absl::string_view service) {
  absl::MutexLock lock(&g_mu);
  *g_service = std::string(service);
}

void SetMinLevel(Level level) { g_min_level.store(static_cast<int>(level)); }

void SetThreadTraceId(absl::string_view trace_id) { t_trace_id = std::string(trace_id); }

std::string ThreadTraceId() { return t_trace_id; }

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20) {
            absl::StrAppendFormat(&out, "\\u%04x", c);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    const size_t n = Utf8Length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.data() + i, n);
      i += n;
    }
  }
  return out;
}

std::string FormatLine(absl::string_view timestamp, Level level, absl::string_view service,
                       absl::string_view trace_id, absl::string_view message,
                       std::initializer_list<Field> fields) {
  std::string line = absl::StrCat("{\"ts\":\"", timestamp, "\",\"level\":\"", LevelName(level),
                                  "\",\"service\":\"", JsonEscape(service), "\",\"msg\":\"",
                                  JsonEscape(message), "\"");
  if (!trace_id.empty()) {
    absl::StrAppend(&line, ",\"trace_id\":\"", JsonEscape(trace_id), "\"");
  }
  for (const auto& [key, value] : fields) {
    absl::StrAppend(&line, ",\"", JsonEscape(key), "\":\"", JsonEscape(value), "\"");
  }
  line += "}\n";
  return line;
}

void Write(Level level, absl::string_view message, std::initializer_list<Field> fields) {
  if (static_cast<int>(level) < g_min_level.load()) {
    return;
  }
  const std::string ts = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone());
  std::string line;
  {
    absl::MutexLock lock(&g_mu);
    line = FormatLine(ts, level, *g_service, t_trace_id, message, fields);
  }
  // One write(2) per line keeps lines whole when several threads log at once.
  size_t off = 0;
  while (off < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + off, line.size() - off);
    if (n <= 0) {
      break;
    }
    off += static_cast<size_t>(n);
  }
}

}  // namespace moot::log
