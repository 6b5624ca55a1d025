// The declaration of a process's configuration keys: name, type, default, limits, help.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace moot::config {

enum class ValueType { kInt, kString, kBool, kDuration, kEnum };

// "int", "string", "bool", "duration", "enum".
absl::string_view TypeName(ValueType type);

// A parsed value. kEnum values are held as their canonical std::string.
using Value = std::variant<int64_t, std::string, bool, absl::Duration>;

// The flag form of a key: "MOOT_GRPC_PORT" -> "grpc-port".
std::string FlagName(absl::string_view key_name);

// One configuration key. Built with the factories and chained setters:
//   Key::Int("MOOT_ADMIN_PORT", 9090).Range(0, 65535).Help("Loopback admin HTTP port.")
class Key {
 public:
  using Validator = std::function<absl::Status(const Value&)>;

  // A key without a default is unset (Config::Has() is false) unless given or Required().
  static Key Int(absl::string_view name, std::optional<int64_t> default_value = std::nullopt);
  static Key String(absl::string_view name,
                    std::optional<std::string> default_value = std::nullopt);
  static Key Bool(absl::string_view name, std::optional<bool> default_value = std::nullopt);
  static Key Duration(absl::string_view name,
                      std::optional<absl::Duration> default_value = std::nullopt);
  // Values are matched case-insensitively and stored in the spelling given here.
  static Key Enum(absl::string_view name, std::vector<std::string> values,
                  std::optional<std::string> default_value = std::nullopt);

  // Must be given (and, for strings, non-empty); clears any default.
  Key& Required();
  // Inclusive limits for kInt keys.
  Key& Range(int64_t min, int64_t max);
  // Inclusive limits for kDuration keys (default: non-negative, unbounded).
  Key& DurationRange(absl::Duration min, absl::Duration max);
  // An extra check run on the parsed value; a non-OK status's message says what is wrong.
  Key& Validate(Validator validator);
  Key& Help(absl::string_view help);
  // Never shown in Config::Describe() (secrets, URLs with passwords).
  Key& Secret();

  // Writes the final value into `*target` when Load() succeeds (target must outlive the
  // schema's Load call). A bound int also gets the int range as limits.
  Key& BindTo(int64_t* target);
  Key& BindTo(int* target);
  Key& BindTo(std::string* target);
  Key& BindTo(bool* target);
  Key& BindTo(absl::Duration* target);

  const std::string& name() const { return name_; }
  ValueType type() const { return type_; }
  const std::optional<Value>& default_value() const { return default_value_; }
  bool required() const { return required_; }
  bool secret() const { return secret_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& enum_values() const { return enum_values_; }
  int64_t min_int() const { return min_int_; }
  int64_t max_int() const { return max_int_; }

  // Parses and checks `raw` (limits, enum values, validator). Errors say why, without the key
  // name (the caller adds it).
  absl::StatusOr<Value> Parse(absl::string_view raw) const;
  // Checks a value (limits, validator); used for defaults too.
  absl::Status Check(const Value& value) const;
  // Writes `value` to the bound target, if any.
  void Apply(const Value& value) const;
  // The value as text, as a user would write it.
  std::string Format(const Value& value) const;

 private:
  Key(absl::string_view name, ValueType type) : name_(name), type_(type) {}

  std::string name_;
  ValueType type_;
  std::optional<Value> default_value_;
  bool required_ = false;
  bool secret_ = false;
  std::string help_;
  std::vector<std::string> enum_values_;
  int64_t min_int_ = INT64_MIN;
  int64_t max_int_ = INT64_MAX;
  absl::Duration min_duration_ = absl::ZeroDuration();
  absl::Duration max_duration_ = absl::InfiniteDuration();
  std::vector<Validator> validators_;
  std::function<void(const Value&)> bind_;
};

// The keys one process declares. Names must look like MOOT_[A-Z0-9_]+ and be unique; Load()
// reports a schema that breaks this as an error.
class ConfigSchema {
 public:
  ConfigSchema& Add(Key key);
  // A MOOT_* environment variable that this process tolerates but does not read (e.g. the
  // MOOT_SOURCE_DIR CTest sets for tests).
  ConfigSchema& Ignore(absl::string_view env_name);

  const std::vector<Key>& keys() const { return keys_; }
  const Key* Find(absl::string_view name) const;
  const Key* FindByFlag(absl::string_view flag) const;
  bool IsIgnored(absl::string_view env_name) const { return ignored_.contains(env_name); }

  // Problems with the schema itself (bad or duplicate names, invalid defaults).
  absl::Status Validate() const;

  // The usage text: every key with its flag, type, default, limits and help.
  std::string Help(absl::string_view program = "") const;

 private:
  std::vector<Key> keys_;
  absl::flat_hash_set<std::string> ignored_;
};

}  // namespace moot::config
