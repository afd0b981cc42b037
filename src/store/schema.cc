#include "store/schema.h"

#include <algorithm>
#include <string>

namespace nmsp::store {
namespace {

// Version 1. Devices (and serving APs) are 48-bit MAC addresses as integers (docs/storage.md
// shows how to print them); kinds, bands and association states are the protocol's codes;
// times are UTC milliseconds. Every device's current row is rewritten every few seconds: on
// PostgreSQL it has room on its page (fillfactor 50) and no index but its key, so that the
// update is a HOT one (no index write). (A BRIN index on history's stored_ms would cost less
// upkeep, but pruning frees pages that new rows refill, and a refilled range keeps its old
// minimum: every prune step would scan them all. A B-tree stays exact.)
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE location_current (
  device BIGINT PRIMARY KEY,
  kind SMALLINT NOT NULL,
  ts_ms BIGINT NOT NULL,
  venue TEXT NOT NULL,
  floor TEXT NOT NULL,
  x_m DOUBLE PRECISION NOT NULL,
  y_m DOUBLE PRECISION NOT NULL,
  uncertainty_m DOUBLE PRECISION NOT NULL,
  aps_used INTEGER NOT NULL,
  stored_ms BIGINT NOT NULL
) {POSTGRES:WITH (fillfactor = 50)};
CREATE TABLE location_history (
  device BIGINT NOT NULL,
  ts_ms BIGINT NOT NULL,
  kind SMALLINT NOT NULL,
  venue TEXT NOT NULL,
  floor TEXT NOT NULL,
  x_m DOUBLE PRECISION NOT NULL,
  y_m DOUBLE PRECISION NOT NULL,
  uncertainty_m DOUBLE PRECISION NOT NULL,
  aps_used INTEGER NOT NULL,
  stored_ms BIGINT NOT NULL,
  PRIMARY KEY (device, ts_ms)
) {SQLITE:WITHOUT ROWID};
CREATE INDEX location_history_stored ON location_history (stored_ms);
CREATE TABLE device_info (
  device BIGINT PRIMARY KEY,
  kind SMALLINT NOT NULL,
  ip_addresses TEXT NOT NULL,
  ssid TEXT,
  vlan INTEGER,
  username TEXT,
  assoc_state SMALLINT,
  band SMALLINT,
  serving_ap BIGINT,
  battery_pct SMALLINT,
  telemetry TEXT NOT NULL,
  updated_ms BIGINT NOT NULL
);
CREATE TABLE device_statistics (
  device BIGINT PRIMARY KEY,
  kind SMALLINT NOT NULL,
  tx_bytes BIGINT,
  rx_bytes BIGINT,
  tx_packets BIGINT,
  rx_packets BIGINT,
  tx_retries BIGINT,
  tx_failed BIGINT,
  timestamp_utc_ms BIGINT,
  updated_ms BIGINT NOT NULL
);
CREATE TABLE venues (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  json TEXT NOT NULL,
  updated_ms BIGINT NOT NULL
);
CREATE TABLE floors (
  venue TEXT NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  elevation_m DOUBLE PRECISION NOT NULL,
  width_m DOUBLE PRECISION NOT NULL,
  length_m DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (venue, id)
);
CREATE TABLE controllers (
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  services BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL,
  PRIMARY KEY (host, port)
);
CREATE TABLE controller_intervals (
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  class TEXT NOT NULL,
  seconds INTEGER NOT NULL,
  PRIMARY KEY (host, port, class),
  FOREIGN KEY (host, port) REFERENCES controllers (host, port) ON DELETE CASCADE
);
)sql";

constexpr Migration kMigrations[] = {
    {1, "locations, devices, venues, controllers", kVersion1},
};

// pg_advisory_xact_lock key: "nmsp" in ASCII, so that it means something in pg_locks.
constexpr std::string_view kLockKey = "1852666736";

// Keeps the text of "{SQLITE:text}" on SQLite and of "{POSTGRES:text}" on PostgreSQL, drops it
// on the other engine.
std::string dialectSql(std::string_view sql, sql::Dialect dialect) {
  std::string out;
  size_t at = 0;
  for (size_t open = sql.find('{'); open != std::string_view::npos; open = sql.find('{', at)) {
    const size_t colon = sql.find(':', open);
    const size_t close = sql.find('}', open);
    out.append(sql.substr(at, open - at));
    at = close + 1;
    const std::string_view engine = sql.substr(open + 1, colon - open - 1);
    const bool ours = engine == (dialect == sql::Dialect::Sqlite ? "SQLITE" : "POSTGRES");
    if (ours) {
      out.append(sql.substr(colon + 1, close - colon - 1));
    }
  }
  out.append(sql.substr(at));
  return out;
}

MigrationError failed(const sql::DbError& e, std::string_view doing) {
  return MigrationError{std::string(doing) + ": " + e.message, e.transient};
}

// One step (or, with step == nullptr, only the check) in one transaction. Returns the version
// found before the step.
Result<int, MigrationError> stepOnce(sql::Connection& c, const Migration* step, int latest,
                                     uint64_t now_ms) {
  auto work = [&]() -> sql::DbResult<int> {
    if (c.dialect() == sql::Dialect::Postgres) {
      auto locked = c.query("SELECT pg_advisory_xact_lock(" + std::string(kLockKey) + ")", {});
      if (!locked) {
        return Unexpected{locked.error()};
      }
    }
    if (auto made = c.script("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY "
                             "KEY, description TEXT NOT NULL, applied_ms BIGINT NOT NULL)");
        !made) {
      return Unexpected{made.error()};
    }
    auto rows = c.query("SELECT COALESCE(MAX(version), 0) FROM schema_version", {});
    if (!rows) {
      return Unexpected{rows.error()};
    }
    const int found = rows->empty() ? 0 : static_cast<int>((*rows)[0].integer(0));
    if (found > latest || step == nullptr || found >= step->version) {
      return found;  // nothing to do here (the caller decides about a newer database)
    }
    if (auto applied = c.script(dialectSql(step->sql, c.dialect())); !applied) {
      return Unexpected{sql::DbError{"step " + std::to_string(step->version) + " (" +
                                         std::string(step->description) +
                                         "): " + applied.error().message,
                                     applied.error().transient}};
    }
    auto noted = c.execute(
        "INSERT INTO schema_version (version, description, applied_ms) VALUES ($1, $2, $3)",
        {sql::integer(step->version), sql::text(std::string(step->description)),
         sql::integer(static_cast<int64_t>(now_ms))});
    if (!noted) {
      return Unexpected{noted.error()};
    }
    return found;
  };
  auto result = sql::inTransaction(c, work);
  if (!result) {
    return Unexpected{failed(result.error(), "schema migration")};
  }
  return *result;
}

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

int latestSchemaVersion() {
  return kMigrations[std::size(kMigrations) - 1].version;
}

Result<int, MigrationError> migrate(sql::Connection& connection, std::span<const Migration> steps,
                                    uint64_t now_ms) {
  const int latest = steps.empty() ? 0 : steps.back().version;
  auto found = stepOnce(connection, nullptr, latest, now_ms);
  if (!found) {
    return found;
  }
  if (*found > latest) {
    return Unexpected{MigrationError{
        "the database's schema is version " + std::to_string(*found) +
            ", newer than this nmsp's (version " + std::to_string(latest) +
            "); it was written by a newer nmsp: upgrade nmsp or use another database",
        false}};
  }
  int version = *found;
  for (const Migration& step : steps) {
    if (step.version <= version) {
      continue;
    }
    auto before = stepOnce(connection, &step, latest, now_ms);
    if (!before) {
      return before;
    }
    if (*before > latest) {  // another MSE upgraded it meanwhile to a version we do not know
      return migrate(connection, steps, now_ms);
    }
    version = std::max(*before, step.version);
  }
  return version;
}

}  // namespace nmsp::store
