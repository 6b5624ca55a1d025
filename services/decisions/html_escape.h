// HTML escaping for the register's public renderings (minutes, the action tracker).
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace moot::decisions {

// `text` with & < > " ' replaced by their character references, safe in element content and in
// quoted attribute values.
std::string HtmlEscape(absl::string_view text);

}  // namespace moot::decisions
