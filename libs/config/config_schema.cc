#include "libs/config/config_schema.h"

#include <algorithm>
#include <climits>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace moot::config {
namespace {

bool ValidKeyName(absl::string_view name) {
  if (name.size() <= 5 || name.substr(0, 5) != "MOOT_") {
    return false;
  }
  for (char c : name) {
    if (!(absl::ascii_isupper(static_cast<unsigned char>(c)) ||
          absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return name.back() != '_';
}

absl::StatusOr<bool> ParseBool(absl::string_view raw) {
  std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(raw));
  if (v == "true" || v == "1" || v == "yes" || v == "on") {
    return true;
  }
  if (v == "false" || v == "0" || v == "no" || v == "off") {
    return false;
  }
  return absl::InvalidArgumentError("not a boolean (use true or false)");
}

}  // namespace

absl::string_view TypeName(ValueType type) {
  switch (type) {
    case ValueType::kInt:
      return "int";
    case ValueType::kString:
      return "string";
    case ValueType::kBool:
      return "bool";
    case ValueType::kDuration:
      return "duration";
    case ValueType::kEnum:
      return "enum";
  }
  return "unknown";
}

std::string FlagName(absl::string_view key_name) {
  absl::string_view rest = key_name;
  if (rest.substr(0, 5) == "MOOT_") {
    rest.remove_prefix(5);
  }
  return absl::StrReplaceAll(absl::AsciiStrToLower(rest), {{"_", "-"}});
}

Key Key::Int(absl::string_view name, std::optional<int64_t> default_value) {
  Key k(name, ValueType::kInt);
  if (default_value) {
    k.default_value_ = *default_value;
  }
  return k;
}

Key Key::String(absl::string_view name, std::optional<std::string> default_value) {
  Key k(name, ValueType::kString);
  if (default_value) {
    k.default_value_ = *std::move(default_value);
  }
  return k;
}

Key Key::Bool(absl::string_view name, std::optional<bool> default_value) {
  Key k(name, ValueType::kBool);
  if (default_value) {
    k.default_value_ = *default_value;
  }
  return k;
}

Key Key::Duration(absl::string_view name, std::optional<absl::Duration> default_value) {
  Key k(name, ValueType::kDuration);
  if (default_value) {
    k.default_value_ = *default_value;
  }
  return k;
}

Key Key::Enum(absl::string_view name, std::vector<std::string> values,
              std::optional<std::string> default_value) {
  Key k(name, ValueType::kEnum);
  k.enum_values_ = std::move(values);
  if (default_value) {
    k.default_value_ = *std::move(default_value);
  }
  return k;
}

Key& Key::Required() {
  required_ = true;
  default_value_.reset();
  return *this;
}

Key& Key::Range(int64_t min, int64_t max) {
  min_int_ = min;
  max_int_ = max;
  return *this;
}

Key& Key::DurationRange(absl::Duration min, absl::Duration max) {
  min_duration_ = min;
  max_duration_ = max;
  return *this;
}

Key& Key::Validate(Validator validator) {
  validators_.push_back(std::move(validator));
  return *this;
}

Key& Key::Help(absl::string_view help) {
  help_ = std::string(help);
  return *this;
}

Key& Key::Secret() {
  secret_ = true;
  return *this;
}

Key& Key::BindTo(int64_t* target) {
  bind_ = [target](const Value& v) {
    if (const auto* i = std::get_if<int64_t>(&v)) {
      *target = *i;
    }
  };
  return *this;
}

Key& Key::BindTo(int* target) {
  min_int_ = std::max<int64_t>(min_int_, INT_MIN);
  max_int_ = std::min<int64_t>(max_int_, INT_MAX);
  bind_ = [target](const Value& v) {
    if (const auto* i = std::get_if<int64_t>(&v)) {
      *target = static_cast<int>(*i);
    }
  };
  return *this;
}

Key& Key::BindTo(std::string* target) {
  bind_ = [target](const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) {
      *target = *s;
    }
  };
  return *this;
}

Key& Key::BindTo(bool* target) {
  bind_ = [target](const Value& v) {
    if (const auto* b = std::get_if<bool>(&v)) {
      *target = *b;
    }
  };
  return *this;
}

Key& Key::BindTo(absl::Duration* target) {
  bind_ = [target](const Value& v) {
    if (const auto* d = std::get_if<absl::Duration>(&v)) {
      *target = *d;
    }
  };
  return *this;
}

absl::StatusOr<Value> Key::Parse(absl::string_view raw) const {
  Value value;
  switch (type_) {
    case ValueType::kInt: {
      int64_t i = 0;
      if (!absl::SimpleAtoi(raw, &i)) {
        return absl::InvalidArgumentError("not an integer");
      }
      value = i;
      break;
    }
    case ValueType::kString:
      value = std::string(raw);
      break;
    case ValueType::kBool: {
      absl::StatusOr<bool> b = ParseBool(raw);
      if (!b.ok()) {
        return b.status();
      }
      value = *b;
      break;
    }
    case ValueType::kDuration: {
      absl::Duration d;
      absl::string_view trimmed = absl::StripAsciiWhitespace(raw);
      if (!trimmed.empty() && trimmed != "0" &&
          trimmed.find_first_not_of("0123456789.-+") == absl::string_view::npos) {
        return absl::InvalidArgumentError("a duration needs a unit, e.g. 10s or 250ms");
      }
      if (trimmed == "inf" || trimmed == "-inf" || !absl::ParseDuration(trimmed, &d)) {
        return absl::InvalidArgumentError(
            "not a duration (use a number with a unit, e.g. 250ms, 10s, 1m30s)");
      }
      value = d;
      break;
    }
    case ValueType::kEnum: {
      std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(raw));
      bool found = false;
      for (const std::string& e : enum_values_) {
        if (absl::AsciiStrToLower(e) == lower) {
          value = e;
          found = true;
          break;
        }
      }
      if (!found) {
        return absl::InvalidArgumentError(
            absl::StrCat("not one of ", absl::StrJoin(enum_values_, ", ")));
      }
      break;
    }
  }
  if (absl::Status s = Check(value); !s.ok()) {
    return s;
  }
  return value;
}

absl::Status Key::Check(const Value& value) const {
  switch (type_) {
    case ValueType::kInt: {
      const auto* i = std::get_if<int64_t>(&value);
      if (i == nullptr) {
        return absl::InvalidArgumentError("not an integer");
      }
      if (*i < min_int_ || *i > max_int_) {
        return absl::InvalidArgumentError(
            absl::StrCat("out of range [", min_int_, "..", max_int_, "]"));
      }
      break;
    }
    case ValueType::kDuration: {
      const auto* d = std::get_if<absl::Duration>(&value);
      if (d == nullptr) {
        return absl::InvalidArgumentError("not a duration");
      }
      if (*d < min_duration_ || *d > max_duration_) {
        return absl::InvalidArgumentError(absl::StrCat("out of range [",
                                                       absl::FormatDuration(min_duration_), "..",
                                                       absl::FormatDuration(max_duration_), "]"));
      }
      break;
    }
    case ValueType::kBool:
      if (!std::holds_alternative<bool>(value)) {
        return absl::InvalidArgumentError("not a boolean");
      }
      break;
    case ValueType::kString:
      if (!std::holds_alternative<std::string>(value)) {
        return absl::InvalidArgumentError("not a string");
      }
      if (required_ && std::get<std::string>(value).empty()) {
        return absl::InvalidArgumentError("must not be empty");
      }
      break;
    case ValueType::kEnum: {
      const auto* s = std::get_if<std::string>(&value);
      if (s == nullptr ||
          std::find(enum_values_.begin(), enum_values_.end(), *s) == enum_values_.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("not one of ", absl::StrJoin(enum_values_, ", ")));
      }
      break;
    }
  }
  for (const Validator& v : validators_) {
    if (absl::Status s = v(value); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

void Key::Apply(const Value& value) const {
  if (bind_) {
    bind_(value);
  }
}

std::string Key::Format(const Value& value) const {
  if (const auto* i = std::get_if<int64_t>(&value)) {
    return absl::StrCat(*i);
  }
  if (const auto* s = std::get_if<std::string>(&value)) {
    return *s;
  }
  if (const auto* b = std::get_if<bool>(&value)) {
    return *b ? "true" : "false";
  }
  return absl::FormatDuration(std::get<absl::Duration>(value));
}

ConfigSchema& ConfigSchema::Add(Key key) {
  keys_.push_back(std::move(key));
  return *this;
}

ConfigSchema& ConfigSchema::Ignore(absl::string_view env_name) {
  ignored_.insert(std::string(env_name));
  return *this;
}

const Key* ConfigSchema::Find(absl::string_view name) const {
  for (const Key& k : keys_) {
    if (k.name() == name) {
      return &k;
    }
  }
  return nullptr;
}

const Key* ConfigSchema::FindByFlag(absl::string_view flag) const {
  for (const Key& k : keys_) {
    if (FlagName(k.name()) == flag) {
      return &k;
    }
  }
  return nullptr;
}

absl::Status ConfigSchema::Validate() const {
  absl::flat_hash_set<std::string> seen;
  for (const Key& k : keys_) {
    if (!ValidKeyName(k.name())) {
      return absl::InvalidArgumentError(absl::StrCat("config schema: key name \"", k.name(),
                                                     "\" must look like MOOT_[A-Z0-9_]+"));
    }
    if (!seen.insert(k.name()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("config schema: key ", k.name(), " is declared twice"));
    }
    if (k.type() == ValueType::kEnum && k.enum_values().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("config schema: enum key ", k.name(), " has no values"));
    }
    if (k.default_value()) {
      if (absl::Status s = k.Check(*k.default_value()); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("config schema: default of ", k.name(), " is invalid: ", s.message()));
      }
    }
  }
  return absl::OkStatus();
}

std::string ConfigSchema::Help(absl::string_view program) const {
  std::string out;
  if (!program.empty()) {
    absl::StrAppend(&out, "Usage: ", program, " [--flag=value ...]\n\n");
  }
  absl::StrAppend(&out,
                  "Configuration is read from environment variables; a flag overrides its "
                  "variable.\nUnknown MOOT_* variables and unknown flags are errors.\n\n");
  for (const Key& k : keys_) {
    std::string type(TypeName(k.type()));
    if (k.type() == ValueType::kEnum) {
      type = absl::StrCat(absl::StrJoin(k.enum_values(), "|"));
    }
    absl::StrAppend(&out, "  ", k.name(), ", --", FlagName(k.name()), "=<", type, ">");
    if (k.required()) {
      absl::StrAppend(&out, "  (required)");
    } else if (k.default_value()) {
      absl::StrAppend(&out, "  (default: ", k.secret() ? "<secret>" : k.Format(*k.default_value()),
                      ")");
    } else {
      absl::StrAppend(&out, "  (default: unset)");
    }
    if (k.type() == ValueType::kInt && (k.min_int() != INT64_MIN || k.max_int() != INT64_MAX)) {
      absl::StrAppend(&out, "  [", k.min_int(), "..", k.max_int(), "]");
    }
    absl::StrAppend(&out, "\n");
    if (!k.help().empty()) {
      absl::StrAppend(&out, "      ", k.help(), "\n");
    }
  }
  return out;
}

}  // namespace moot::config
