// The database a store or logic test runs on, so that the same tests run against both drivers
// (design.md §6: "each store is written once ...; the same store tests run against both").
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "libs/sql/database.h"

namespace moot::testing {

// SQLite in memory (one connection) by default. With MOOT_TEST_DATABASE=postgres in the
// environment (CTest's `<test>_pg` variants, label pg), a fresh schema of one PostgreSQL server
// that the test binary starts on first use and stops at exit; each call gets its own empty
// schema, so tests stay independent. UNAVAILABLE when PostgreSQL cannot start here.
absl::StatusOr<std::unique_ptr<sql::Database>> OpenTestDatabase();

// "sqlite" or "postgres": what OpenTestDatabase() opens in this process.
const char* TestDatabaseKind();

}  // namespace moot::testing
