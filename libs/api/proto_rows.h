// Rows that hold a resource as a serialized proto: decoding a stored message, turning a keyset
// query's rows into a page, and the ALREADY_EXISTS error of a duplicate insert. Shared by the
// SQL stores of every service (libs/sql).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "libs/sql/database.h"

namespace moot::api {

// A page of stored resources and the keyset cursor to continue after.
template <typename T>
struct Page {
  std::vector<T> items;
  std::string last_key;  // Set only when more rows may follow.
};

// Parses the serialized proto in `row`'s `column` into `out`. DATA_LOSS when the bytes do not
// parse, the column's error when it is missing or not bytes.
absl::Status DecodeColumn(const sql::Row& row, size_t column, google::protobuf::Message* out);

// The same, returning the message.
template <typename Message>
absl::StatusOr<Message> Decode(const sql::Row& row, size_t column) {
  Message message;
  if (absl::Status status = DecodeColumn(row, column, &message); !status.ok()) {
    return status;
  }
  return message;
}

// Turns up to `limit + 1` rows of (key TEXT, data BYTEA) into a page of at most `limit` items;
// the extra row only says that more follow (then last_key is the key of the page's last item).
template <typename Message>
absl::StatusOr<Page<Message>> ReadPage(const sql::Result& result, int limit) {
  Page<Message> page;
  for (size_t i = 0; i < result.rows.size() && static_cast<int>(i) < limit; ++i) {
    absl::StatusOr<Message> message = Decode<Message>(result.rows[i], 1);
    if (!message.ok()) {
      return message.status();
    }
    page.items.push_back(*std::move(message));
    page.last_key = result.rows[i].String(0);
  }
  if (static_cast<int>(result.rows.size()) <= limit) {
    page.last_key.clear();
  }
  return page;
}

// Maps the ALREADY_EXISTS of a unique violation to ALREADY_EXISTS naming `resource_name`
// (reason ALREADY_EXISTS, metadata {"resource": name}); any other status passes through.
absl::Status NameAlreadyExists(absl::Status status, absl::string_view resource_name);

}  // namespace moot::api
