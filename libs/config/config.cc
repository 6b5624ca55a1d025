#include "libs/config/config.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "libs/status/errors.h"

namespace moot::config {
namespace {

constexpr absl::string_view kReason = "CONFIG_INVALID";

size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Values are quoted in messages and cut short so that a huge argument cannot flood the log.
std::string Quote(absl::string_view value) {
  if (value.size() > 64) {
    return absl::StrCat("\"", value.substr(0, 64), "...\"");
  }
  return absl::StrCat("\"", value, "\"");
}

struct Problem {
  std::string field;
  std::string text;
};

}  // namespace

Environment EnvironmentFrom(const char* const* environ) {
  Environment env;
  if (environ == nullptr) {
    return env;
  }
  for (const char* const* e = environ; *e != nullptr; ++e) {
    absl::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq == absl::string_view::npos) {
      continue;
    }
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

std::string ClosestMatch(absl::string_view name, const std::vector<std::string>& known) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const std::string& k : known) {
    size_t d = EditDistance(name, k);
    if (d < best_distance) {
      best_distance = d;
      best = k;
    }
  }
  size_t limit = std::max<size_t>(2, name.size() / 3);
  return best_distance <= limit ? best : "";
}

const Config::Entry* Config::Find(absl::string_view name) const {
  auto it = entries_.find(name);
  if (it == entries_.end() || it->second.source == Source::kUnset) {
    return nullptr;
  }
  return &it->second;
}

bool Config::Has(absl::string_view name) const { return Find(name) != nullptr; }

int64_t Config::GetInt(absl::string_view name) const {
  const Entry* e = Find(name);
  const int64_t* v = e ? std::get_if<int64_t>(&e->value) : nullptr;
  return v ? *v : 0;
}

std::string Config::GetString(absl::string_view name) const {
  const Entry* e = Find(name);
  const std::string* v = e ? std::get_if<std::string>(&e->value) : nullptr;
  return v ? *v : std::string();
}

bool Config::GetBool(absl::string_view name) const {
  const Entry* e = Find(name);
  const bool* v = e ? std::get_if<bool>(&e->value) : nullptr;
  return v ? *v : false;
}

absl::Duration Config::GetDuration(absl::string_view name) const {
  const Entry* e = Find(name);
  const absl::Duration* v = e ? std::get_if<absl::Duration>(&e->value) : nullptr;
  return v ? *v : absl::ZeroDuration();
}

Source Config::GetSource(absl::string_view name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? Source::kUnset : it->second.source;
}

std::string Config::Describe() const {
  std::string out;
  for (const auto& [name, e] : entries_) {
    absl::string_view source = "unset";
    switch (e.source) {
      case Source::kUnset:
        break;
      case Source::kDefault:
        source = "default";
        break;
      case Source::kEnvironment:
        source = "environment";
        break;
      case Source::kFlag:
        source = "flag";
        break;
    }
    std::string value = e.source == Source::kUnset ? "" : (e.secret ? "<redacted>" : e.text);
    absl::StrAppend(&out, name, "=", value, " (", source, ")\n");
  }
  return out;
}

absl::StatusOr<Config> Load(const ConfigSchema& schema, const Environment& env,
                            const std::vector<std::string>& args) {
  if (absl::Status s = schema.Validate(); !s.ok()) {
    return moot::status::WithReason(s, "CONFIG_SCHEMA_INVALID");
  }
  std::vector<std::string> key_names;
  std::vector<std::string> flag_names;
  for (const Key& k : schema.keys()) {
    key_names.push_back(k.name());
    flag_names.push_back(FlagName(k.name()));
  }

  Config config;
  std::vector<Problem> problems;
  // Raw text per key and where it came from; flags are applied after the environment.
  std::map<std::string, std::pair<std::string, Source>> raw;

  for (const auto& [name, value] : env) {
    if (name.rfind("MOOT_", 0) != 0) {
      continue;
    }
    if (schema.Find(name) != nullptr) {
      raw[name] = {value, Source::kEnvironment};
    } else if (!schema.IsIgnored(name)) {
      std::string text = absl::StrCat("unknown environment variable ", name);
      if (std::string near = ClosestMatch(name, key_names); !near.empty()) {
        absl::StrAppend(&text, " (did you mean ", near, "?)");
      }
      problems.push_back({name, text});
    }
  }

  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      config.help_requested_ = true;
      continue;
    }
    if (!absl::ConsumePrefix(&arg, "--") || arg.empty()) {
      problems.push_back(
          {std::string(args[i]), absl::StrCat("unexpected argument ", Quote(args[i]),
                                              " (settings are given as --name=value)")});
      continue;
    }
    absl::string_view flag = arg;
    std::string value;
    bool has_value = false;
    if (size_t eq = arg.find('='); eq != absl::string_view::npos) {
      flag = arg.substr(0, eq);
      value = std::string(arg.substr(eq + 1));
      has_value = true;
    }
    const Key* key = schema.FindByFlag(flag);
    if (key == nullptr) {
      std::string text = absl::StrCat("unknown flag --", flag);
      if (std::string near = ClosestMatch(flag, flag_names); !near.empty()) {
        absl::StrAppend(&text, " (did you mean --", near, "?)");
      }
      problems.push_back({absl::StrCat("--", flag), text});
      continue;
    }
    if (!has_value) {
      if (key->type() == ValueType::kBool) {
        value = "true";
      } else if (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) {
        value = args[++i];
      } else {
        problems.push_back(
            {key->name(), absl::StrCat("flag --", flag, " (", key->name(), ") needs a value")});
        continue;
      }
    }
    raw[key->name()] = {value, Source::kFlag};
  }

  for (const Key& k : schema.keys()) {
    Config::Entry entry;
    entry.secret = k.secret();
    auto it = raw.find(k.name());
    if (it != raw.end()) {
      const auto& [text, source] = it->second;
      absl::StatusOr<Value> v = k.Parse(text);
      if (!v.ok()) {
        std::string where =
            source == Source::kFlag ? absl::StrCat(" (from --", FlagName(k.name()), ")") : "";
        std::string shown = k.secret() ? "<redacted>" : Quote(text);
        problems.push_back(
            {k.name(), absl::StrCat(k.name(), "=", shown, where, ": ", v.status().message())});
        continue;
      }
      entry.value = *std::move(v);
      entry.source = source;
    } else if (k.default_value()) {
      entry.value = *k.default_value();
      entry.source = Source::kDefault;
    } else if (k.required()) {
      problems.push_back({k.name(), absl::StrCat(k.name(), " is required (set it or pass --",
                                                 FlagName(k.name()), "=...)")});
      continue;
    }
    if (entry.source != Source::kUnset) {
      entry.text = k.Format(entry.value);
    }
    config.entries_[k.name()] = std::move(entry);
  }

  if (config.help_requested_) {
    return config;
  }
  if (!problems.empty()) {
    std::vector<std::string> lines;
    for (const Problem& p : problems) {
      lines.push_back(p.text);
    }
    absl::Status status =
        moot::status::WithReason(absl::InvalidArgumentError(absl::StrCat(
                                     "invalid configuration: ", absl::StrJoin(lines, "; "))),
                                 kReason);
    for (const Problem& p : problems) {
      status = moot::status::WithFieldViolation(status, p.field, p.text);
    }
    return status;
  }
  for (const Key& k : schema.keys()) {
    auto it = config.entries_.find(k.name());
    if (it != config.entries_.end() && it->second.source != Source::kUnset) {
      k.Apply(it->second.value);
    }
  }
  return config;
}

absl::StatusOr<Config> Load(const ConfigSchema& schema, const char* const* environ, int argc,
                            const char* const* argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc && argv != nullptr; ++i) {
    if (argv[i] != nullptr) {
      args.emplace_back(argv[i]);
    }
  }
  return Load(schema, EnvironmentFrom(environ), args);
}

}  // namespace moot::config
