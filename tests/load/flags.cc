#include "tests/load/flags.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/status/errors.h"

namespace moot::load {

absl::StatusOr<Flags> Flags::Parse(int argc, const char* const* argv,
                                   const std::set<std::string>& known) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (!absl::ConsumePrefix(&arg, "--")) {
      return moot::status::InvalidArgument(arg, "expected --name=value");
    }
    std::string name;
    std::string value = "true";
    const size_t eq = arg.find('=');
    if (eq == absl::string_view::npos) {
      name = std::string(arg);
    } else {
      name = std::string(arg.substr(0, eq));
      value = std::string(arg.substr(eq + 1));
    }
    if (known.count(name) == 0) {
      return moot::status::InvalidArgument(absl::StrCat("--", name), "unknown flag");
    }
    flags.values_[name].push_back(std::move(value));
  }
  return flags;
}

std::string Flags::Get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> Flags::GetAll(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

absl::StatusOr<int64_t> Flags::GetInt(const std::string& name, int64_t fallback) const {
  if (!Has(name)) {
    return fallback;
  }
  int64_t v = 0;
  if (!absl::SimpleAtoi(Get(name), &v)) {
    return moot::status::InvalidArgument(absl::StrCat("--", name), "not an integer");
  }
  return v;
}

absl::StatusOr<double> Flags::GetDouble(const std::string& name, double fallback) const {
  if (!Has(name)) {
    return fallback;
  }
  std::string s = Get(name);
  absl::string_view view = s;
  absl::ConsumeSuffix(&view, "/s");
  double v = 0;
  if (!absl::SimpleAtod(view, &v)) {
    return moot::status::InvalidArgument(absl::StrCat("--", name), "not a number");
  }
  return v;
}

absl::StatusOr<absl::Duration> Flags::GetDuration(const std::string& name,
                                                  absl::Duration fallback) const {
  if (!Has(name)) {
    return fallback;
  }
  const std::string s = Get(name);
  double secs = 0;
  if (absl::SimpleAtod(s, &secs)) {
    return absl::Seconds(secs);
  }
  absl::Duration d;
  if (!absl::ParseDuration(s, &d) || d < absl::ZeroDuration()) {
    return moot::status::InvalidArgument(absl::StrCat("--", name), "not a duration like 20s");
  }
  return d;
}

}  // namespace moot::load
