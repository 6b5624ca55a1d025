#include "services/scheduling/calendar_store.h"

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::scheduling {

std::vector<sql::Migration> CalendarStore::Migrations() {
  return {
      {.version = 1,
       .name = "closures",
       .sql = "CREATE TABLE closures ("
              " tenant_id TEXT NOT NULL,"
              " day TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, day));"},
  };
}

absl::Status CalendarStore::InsertClosure(sql::Connection& tx, const std::string& tenant,
                                          const v1::Closure& closure) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO closures (tenant_id, day, data) VALUES ($1, $2, $3)",
                 {tenant, closure.date(), sql::Bytes{closure.SerializeAsString()}})
          .status(),
      closure.name());
}

absl::StatusOr<v1::Closure> CalendarStore::GetClosure(sql::Connection& conn,
                                                      const std::string& tenant,
                                                      const std::string& date,
                                                      const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM closures WHERE tenant_id = $1 AND day = $2", {tenant, date}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  return api::Decode<v1::Closure>(result.rows[0], 0);
}

absl::Status CalendarStore::DeleteClosure(sql::Connection& tx, const std::string& tenant,
                                          const std::string& date) {
  return tx.Execute("DELETE FROM closures WHERE tenant_id = $1 AND day = $2", {tenant, date})
      .status();
}

absl::StatusOr<api::Page<v1::Closure>> CalendarStore::ListClosures(sql::Connection& conn,
                                                                   const std::string& tenant,
                                                                   const std::string& after_key,
                                                                   int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT day, data FROM closures WHERE tenant_id = $1 AND day > $2"
                   " ORDER BY day LIMIT $3",
                   {tenant, after_key, static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::Closure>(result, limit);
}

absl::StatusOr<std::vector<v1::Closure>> CalendarStore::AllClosures(sql::Connection& conn,
                                                                    const std::string& tenant) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM closures WHERE tenant_id = $1 ORDER BY day", {tenant}));
  std::vector<v1::Closure> out;
  for (const auto& row : result.rows) {
    MOOT_ASSIGN_OR_RETURN(v1::Closure closure, api::Decode<v1::Closure>(row, 0));
    out.push_back(std::move(closure));
  }
  return out;
}

absl::StatusOr<calendar::HolidayCalendar> CalendarStore::TenantCalendar(sql::Connection& conn,
                                                                        const std::string& tenant) {
  calendar::HolidayCalendar cal;
  if (tenant.empty()) {
    return cal;
  }
  MOOT_ASSIGN_OR_RETURN(std::vector<v1::Closure> closures, AllClosures(conn, tenant));
  for (const v1::Closure& closure : closures) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(closure.date(), &day)) {
      return absl::DataLossError(absl::StrCat("stored closure date ", closure.date()));
    }
    MOOT_RETURN_IF_ERROR(cal.AddClosure(day, closure.description()));
  }
  return cal;
}

}  // namespace moot::scheduling
