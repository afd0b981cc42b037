#pragma once
// Versioned schema (docs/storage.md, "Schema" and "Migrations"). The schema_version table has
// one row per applied step; the database's version is the highest. migrate() applies the steps
// above it in order, each in its own write transaction together with its schema_version row, so
// a step is either wholly there or not at all. A database whose version is above the newest
// step known here belongs to a newer nmsp: it is refused, and nothing is changed.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "store/sql_connection.h"

namespace nmsp::store {

struct Migration {
  int version = 0;  // 1, 2, ... in order
  std::string_view description;
  /// Statements for both engines; "{SQLITE:text}" is there only on SQLite, "{POSTGRES:text}"
  /// only on PostgreSQL (storage options: WITHOUT ROWID, fillfactor, BRIN).
  std::string_view sql;
};

/// This build's steps, oldest first.
std::span<const Migration> migrations();
/// The version this build writes: the last step's.
int latestSchemaVersion();

struct MigrationError {
  std::string message;
  bool transient = false;  // the database could not be reached or was busy: try again later
};

/// Brings the database up to the last of `steps` and returns its version. Several MSEs may
/// run this at once on one PostgreSQL database: an advisory lock makes them take turns.
Result<int, MigrationError> migrate(sql::Connection& connection, std::span<const Migration> steps,
                                    uint64_t now_ms);

}  // namespace nmsp::store
