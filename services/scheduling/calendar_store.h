// Storage of a tenant's local closure days (CalendarService) over libs/sql, and the holiday
// calendar of a tenant built from them: the England and Wales bank holidays plus its closures.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/proto_rows.h"
#include "libs/calendar/calendar.h"
#include "libs/sql/database.h"
#include "moot/scheduling/v1/calendar.pb.h"

namespace moot::scheduling {

class CalendarStore {
 public:
  // Schema migrations, component "scheduling_calendar".
  static std::vector<sql::Migration> Migrations();

  // ALREADY_EXISTS naming the closure when the tenant already has that day.
  static absl::Status InsertClosure(sql::Connection& tx, const std::string& tenant,
                                    const v1::Closure& closure);
  // NOT_FOUND naming `name` when absent.
  static absl::StatusOr<v1::Closure> GetClosure(sql::Connection& conn, const std::string& tenant,
                                                const std::string& date, const std::string& name);
  static absl::Status DeleteClosure(sql::Connection& tx, const std::string& tenant,
                                    const std::string& date);
  // Closures in date order after `after_key` (a date, exclusive).
  static absl::StatusOr<api::Page<v1::Closure>> ListClosures(sql::Connection& conn,
                                                             const std::string& tenant,
                                                             const std::string& after_key,
                                                             int limit);
  // Every closure of the tenant, in date order.
  static absl::StatusOr<std::vector<v1::Closure>> AllClosures(sql::Connection& conn,
                                                              const std::string& tenant);
  // The tenant's calendar: national bank holidays plus its closure days. An empty tenant gives
  // the national calendar.
  static absl::StatusOr<calendar::HolidayCalendar> TenantCalendar(sql::Connection& conn,
                                                                  const std::string& tenant);
};

}  // namespace moot::scheduling
