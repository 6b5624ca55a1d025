// MOOT_RETURN_IF_ERROR and MOOT_ASSIGN_OR_RETURN: early returns for absl::Status and StatusOr.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define MOOT_STATUS_CONCAT_INNER_(a, b) a##b
#define MOOT_STATUS_CONCAT_(a, b) MOOT_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status) and returns it from the enclosing function if not OK.
#define MOOT_RETURN_IF_ERROR(expr)                                       \
  do {                                                                   \
    ::absl::Status moot_status_macro_value_ = (expr);                    \
    if (!moot_status_macro_value_.ok()) return moot_status_macro_value_; \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns the status, else moves the value
// into `lhs`, which may be a declaration: MOOT_ASSIGN_OR_RETURN(auto x, Foo());
#define MOOT_ASSIGN_OR_RETURN(lhs, rexpr) \
  MOOT_ASSIGN_OR_RETURN_IMPL_(MOOT_STATUS_CONCAT_(moot_statusor_, __LINE__), lhs, rexpr)

#define MOOT_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr)  \
  auto statusor = (rexpr);                                 \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = *std::move(statusor)
