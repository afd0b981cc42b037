#include "store/statements.h"

#include <nlohmann/json.hpp>
#include <unordered_map>

namespace nmsp::store::statements {
namespace {

using sql::ColumnType;
using sql::DbResult;
using sql::Row;
using sql::Value;

// --- locations ---------------------------------------------------------------------------

constexpr std::string_view kLocationColumns =
    "device, kind, ts_ms, venue, floor, x_m, y_m, uncertainty_m, aps_used";
const std::vector<ColumnType> kLocationTypes = {
    ColumnType::Integer, ColumnType::Integer, ColumnType::Integer, ColumnType::Text,
    ColumnType::Text,    ColumnType::Real,    ColumnType::Real,    ColumnType::Real,
    ColumnType::Integer, ColumnType::Integer /* stored_ms */};

const sql::BulkStatement kHistoryInsert{
    "INSERT INTO location_history (device, kind, ts_ms, venue, floor, x_m, y_m, uncertainty_m, "
    "aps_used, stored_ms)",
    kLocationTypes, "ON CONFLICT (device, ts_ms) DO NOTHING"};

// A fix older than the one stored (another MSE's, or a late batch) never moves a device back.
const sql::BulkStatement kCurrentUpsert{
    "INSERT INTO location_current (device, kind, ts_ms, venue, floor, x_m, y_m, uncertainty_m, "
    "aps_used, stored_ms)",
    kLocationTypes,
    "ON CONFLICT (device) DO UPDATE SET kind = excluded.kind, ts_ms = excluded.ts_ms, "
    "venue = excluded.venue, floor = excluded.floor, x_m = excluded.x_m, y_m = excluded.y_m, "
    "uncertainty_m = excluded.uncertainty_m, aps_used = excluded.aps_used, "
    "stored_ms = excluded.stored_ms WHERE excluded.ts_ms >= location_current.ts_ms"};

void appendLocation(std::vector<Value>& out, const LocationRecord& r, uint64_t stored_ms) {
  out.push_back(sql::integer(macToInteger(r.device)));
  out.push_back(sql::integer(static_cast<int64_t>(r.kind)));
  out.push_back(sql::integer(static_cast<int64_t>(r.ts_ms)));
  out.push_back(sql::text(r.venue));
  out.push_back(sql::text(r.floor));
  out.push_back(sql::real(r.x_m));
  out.push_back(sql::real(r.y_m));
  out.push_back(sql::real(r.uncertainty_m));
  out.push_back(sql::integer(r.aps_used));
  out.push_back(sql::integer(static_cast<int64_t>(stored_ms)));
}

LocationRecord locationFromRow(const Row& row) {
  LocationRecord r;
  r.device = macFromInteger(row.integer(0));
  r.kind = static_cast<proto::DeviceKind>(row.integer(1));
  r.ts_ms = static_cast<uint64_t>(row.integer(2));
  r.venue = row.text(3);
  r.floor = row.text(4);
  r.x_m = row.real(5);
  r.y_m = row.real(6);
  r.uncertainty_m = row.real(7);
  r.aps_used = static_cast<uint32_t>(row.integer(8));
  return r;
}

std::vector<LocationRecord> locationsFromRows(const std::vector<Row>& rows) {
  std::vector<LocationRecord> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    out.push_back(locationFromRow(row));
  }
  return out;
}

// The last record per device (locations: the latest fix; ties go to the later one), in the
// order of first appearance. PostgreSQL refuses an upsert that touches one row twice.
template <class Record, class Newer>
std::vector<const Record*> latestPerDevice(const std::vector<const Record*>& records, Newer newer) {
  std::unordered_map<int64_t, size_t> index;
  std::vector<const Record*> out;
  index.reserve(records.size());
  for (const Record* r : records) {
    auto [it, added] = index.try_emplace(macToInteger(r->device), out.size());
    if (added) {
      out.push_back(r);
    } else if (newer(*r, *out[it->second])) {
      out[it->second] = r;
    }
  }
  return out;
}

// --- device info and statistics ------------------------------------------------------------

constexpr std::string_view kInfoColumns =
    "device, kind, ip_addresses, ssid, vlan, username, assoc_state, band, serving_ap, "
    "battery_pct, telemetry, updated_ms";
const sql::BulkStatement kInfoUpsert{
    "INSERT INTO device_info (device, kind, ip_addresses, ssid, vlan, username, assoc_state, "
    "band, serving_ap, battery_pct, telemetry, updated_ms)",
    {ColumnType::Integer, ColumnType::Integer, ColumnType::Text, ColumnType::Text,
     ColumnType::Integer, ColumnType::Text, ColumnType::Integer, ColumnType::Integer,
     ColumnType::Integer, ColumnType::Integer, ColumnType::Text, ColumnType::Integer},
    "ON CONFLICT (device) DO UPDATE SET kind = excluded.kind, ip_addresses = "
    "excluded.ip_addresses, ssid = excluded.ssid, vlan = excluded.vlan, username = "
    "excluded.username, assoc_state = excluded.assoc_state, band = excluded.band, serving_ap = "
    "excluded.serving_ap, battery_pct = excluded.battery_pct, telemetry = excluded.telemetry, "
    "updated_ms = excluded.updated_ms WHERE excluded.updated_ms >= device_info.updated_ms"};

constexpr std::string_view kStatisticsColumns =
    "device, kind, tx_bytes, rx_bytes, tx_packets, rx_packets, tx_retries, tx_failed, "
    "timestamp_utc_ms, updated_ms";
const sql::BulkStatement kStatisticsUpsert{
    "INSERT INTO device_statistics (device, kind, tx_bytes, rx_bytes, tx_packets, rx_packets, "
    "tx_retries, tx_failed, timestamp_utc_ms, updated_ms)",
    std::vector<ColumnType>(10, ColumnType::Integer),
    "ON CONFLICT (device) DO UPDATE SET kind = excluded.kind, tx_bytes = excluded.tx_bytes, "
    "rx_bytes = excluded.rx_bytes, tx_packets = excluded.tx_packets, rx_packets = "
    "excluded.rx_packets, tx_retries = excluded.tx_retries, tx_failed = excluded.tx_failed, "
    "timestamp_utc_ms = excluded.timestamp_utc_ms, updated_ms = excluded.updated_ms "
    "WHERE excluded.updated_ms >= device_statistics.updated_ms"};

std::string ipsToJson(const std::vector<IpAddress>& ips) {
  nlohmann::json array = nlohmann::json::array();
  for (const IpAddress& ip : ips) {
    array.push_back(ip.toString());
  }
  return array.dump();
}

std::vector<IpAddress> ipsFromJson(const std::string& text) {
  std::vector<IpAddress> out;
  auto array = nlohmann::json::parse(text, nullptr, false);
  if (!array.is_array()) {
    return out;
  }
  for (const auto& item : array) {
    if (item.is_string()) {
      if (auto ip = IpAddress::parse(item.get<std::string>())) {
        out.push_back(*ip);
      }
    }
  }
  return out;
}

std::string telemetryToJson(const std::vector<proto::Telemetry>& telemetry) {
  nlohmann::json array = nlohmann::json::array();
  for (const proto::Telemetry& t : telemetry) {
    array.push_back({{"kind", static_cast<int>(t.kind)}, {"value", t.value}});
  }
  return array.dump();
}

std::vector<proto::Telemetry> telemetryFromJson(const std::string& text) {
  std::vector<proto::Telemetry> out;
  auto array = nlohmann::json::parse(text, nullptr, false);
  if (!array.is_array()) {
    return out;
  }
  for (const auto& item : array) {
    if (item.is_object() && item.contains("kind") && item.contains("value") &&
        item["kind"].is_number_integer() && item["value"].is_number_integer()) {
      out.push_back({static_cast<proto::TelemetryKind>(item["kind"].get<int>()),
                     item["value"].get<int64_t>()});
    }
  }
  return out;
}

void appendInfo(std::vector<Value>& out, const DeviceInfoRecord& r) {
  out.push_back(sql::integer(macToInteger(r.device)));
  out.push_back(sql::integer(static_cast<int64_t>(r.kind)));
  out.push_back(sql::text(ipsToJson(r.ip_addresses)));
  out.push_back(r.ssid ? sql::text(*r.ssid) : sql::null());
  out.push_back(sql::optionalInteger(r.vlan));
  out.push_back(r.username ? sql::text(*r.username) : sql::null());
  out.push_back(sql::optionalInteger(r.assoc_state));
  out.push_back(sql::optionalInteger(r.band));
  out.push_back(r.serving_ap ? sql::integer(macToInteger(*r.serving_ap)) : sql::null());
  out.push_back(sql::optionalInteger(r.battery_pct));
  out.push_back(sql::text(telemetryToJson(r.telemetry)));
  out.push_back(sql::integer(static_cast<int64_t>(r.updated_ms)));
}

DeviceInfoRecord infoFromRow(const Row& row) {
  DeviceInfoRecord r;
  r.device = macFromInteger(row.integer(0));
  r.kind = static_cast<proto::DeviceKind>(row.integer(1));
  r.ip_addresses = ipsFromJson(row.text(2));
  r.ssid = row.optionalText(3);
  r.vlan = row.optionalInteger<uint16_t>(4);
  r.username = row.optionalText(5);
  r.assoc_state = row.optionalInteger<proto::AssocState>(6);
  r.band = row.optionalInteger<proto::Band>(7);
  if (!row.isNull(8)) {
    r.serving_ap = macFromInteger(row.integer(8));
  }
  r.battery_pct = row.optionalInteger<uint8_t>(9);
  r.telemetry = telemetryFromJson(row.text(10));
  r.updated_ms = static_cast<uint64_t>(row.integer(11));
  return r;
}

void appendStatistics(std::vector<Value>& out, const DeviceStatisticsRecord& r) {
  out.push_back(sql::integer(macToInteger(r.device)));
  out.push_back(sql::integer(static_cast<int64_t>(r.kind)));
  for (const auto* counter : {&r.tx_bytes, &r.rx_bytes, &r.tx_packets, &r.rx_packets, &r.tx_retries,
                              &r.tx_failed, &r.timestamp_utc_ms}) {
    out.push_back(sql::optionalInteger(*counter));
  }
  out.push_back(sql::integer(static_cast<int64_t>(r.updated_ms)));
}

DeviceStatisticsRecord statisticsFromRow(const Row& row) {
  DeviceStatisticsRecord r;
  r.device = macFromInteger(row.integer(0));
  r.kind = static_cast<proto::DeviceKind>(row.integer(1));
  size_t column = 2;
  for (auto* counter : {&r.tx_bytes, &r.rx_bytes, &r.tx_packets, &r.rx_packets, &r.tx_retries,
                        &r.tx_failed, &r.timestamp_utc_ms}) {
    *counter = row.optionalInteger<uint64_t>(column++);
  }
  r.updated_ms = static_cast<uint64_t>(row.integer(column));
  return r;
}

template <class Record, class FromRow>
DbResult<std::optional<Record>> one(sql::Connection& c, const std::string& sql,
                                    const std::vector<Value>& params, FromRow from_row) {
  auto rows = c.query(sql, params);
  if (!rows) {
    return Unexpected{rows.error()};
  }
  if (rows->empty()) {
    return std::optional<Record>();
  }
  return std::optional<Record>(from_row(rows->front()));
}

std::string select(std::string_view columns, std::string_view rest) {
  return "SELECT " + std::string(columns) + " " + std::string(rest);
}

}  // namespace

int64_t macToInteger(const MacAddress& mac) {
  int64_t value = 0;
  for (uint8_t b : mac.bytes) {
    value = (value << 8) | b;
  }
  return value;
}

MacAddress macFromInteger(int64_t value) {
  MacAddress mac;
  for (size_t i = mac.bytes.size(); i-- > 0;) {
    mac.bytes[i] = static_cast<uint8_t>(value & 0xff);
    value >>= 8;
  }
  return mac;
}

DbResult<void> writeBatch(sql::Connection& c, const Batch& batch, uint64_t stored_ms) {
  std::vector<Value> values;
  if (!batch.locations.empty()) {
    values.reserve(batch.locations.size() * kLocationTypes.size());
    for (const LocationRecord* r : batch.locations) {
      appendLocation(values, *r, stored_ms);
    }
    if (auto done = c.bulk(kHistoryInsert, values); !done) {
      return done;
    }
    values.clear();
    auto latest = latestPerDevice(
        batch.locations,
        [](const LocationRecord& a, const LocationRecord& b) { return a.ts_ms >= b.ts_ms; });
    for (const LocationRecord* r : latest) {
      appendLocation(values, *r, stored_ms);
    }
    if (auto done = c.bulk(kCurrentUpsert, values); !done) {
      return done;
    }
  }
  auto later = [](const auto& a, const auto& b) { return a.updated_ms >= b.updated_ms; };
  if (!batch.infos.empty()) {
    values.clear();
    for (const DeviceInfoRecord* r : latestPerDevice(batch.infos, later)) {
      appendInfo(values, *r);
    }
    if (auto done = c.bulk(kInfoUpsert, values); !done) {
      return done;
    }
  }
  if (!batch.statistics.empty()) {
    values.clear();
    for (const DeviceStatisticsRecord* r : latestPerDevice(batch.statistics, later)) {
      appendStatistics(values, *r);
    }
    if (auto done = c.bulk(kStatisticsUpsert, values); !done) {
      return done;
    }
  }
  return {};
}

DbResult<uint64_t> pruneHistory(sql::Connection& c, uint64_t cutoff_ms, uint64_t limit) {
  return c.execute(
      "DELETE FROM location_history WHERE (device, ts_ms) IN (SELECT device, ts_ms FROM "
      "location_history WHERE stored_ms < $1 LIMIT $2)",
      {sql::integer(static_cast<int64_t>(cutoff_ms)), sql::integer(static_cast<int64_t>(limit))});
}

DbResult<std::optional<LocationRecord>> currentLocation(sql::Connection& c,
                                                        const MacAddress& device) {
  return one<LocationRecord>(c, select(kLocationColumns, "FROM location_current WHERE device = $1"),
                             {sql::integer(macToInteger(device))}, locationFromRow);
}

DbResult<std::vector<LocationRecord>> currentLocations(sql::Connection& c,
                                                       const LocationFilter& filter) {
  auto rows = c.query(
      select(kLocationColumns,
             "FROM location_current WHERE ($1 = '' OR venue = $1) AND ($2 = '' OR floor = $2) "
             "AND ($3 = 0 OR kind = $3) ORDER BY device LIMIT $4"),
      {sql::text(filter.venue.value_or("")), sql::text(filter.floor.value_or("")),
       sql::integer(filter.kind ? static_cast<int64_t>(*filter.kind) : 0),
       sql::integer(filter.limit)});
  if (!rows) {
    return Unexpected{rows.error()};
  }
  return locationsFromRows(*rows);
}

DbResult<std::vector<LocationRecord>> locationHistory(sql::Connection& c, const MacAddress& device,
                                                      uint64_t from_ms, uint64_t to_ms,
                                                      uint32_t limit) {
  auto rows =
      c.query(select(kLocationColumns,
                     "FROM location_history WHERE device = $1 AND ts_ms >= $2 AND "
                     "ts_ms < $3 ORDER BY ts_ms LIMIT $4"),
              {sql::integer(macToInteger(device)), sql::integer(static_cast<int64_t>(from_ms)),
               sql::integer(static_cast<int64_t>(to_ms)), sql::integer(limit)});
  if (!rows) {
    return Unexpected{rows.error()};
  }
  return locationsFromRows(*rows);
}

DbResult<std::vector<FloorKindCount>> locationCounts(sql::Connection& c) {
  auto rows = c.query(
      "SELECT venue, floor, kind, COUNT(*) FROM location_current GROUP BY venue, floor, kind "
      "ORDER BY venue, floor, kind",
      {});
  if (!rows) {
    return Unexpected{rows.error()};
  }
  std::vector<FloorKindCount> out;
  for (const Row& row : *rows) {
    out.push_back({row.text(0), row.text(1), static_cast<proto::DeviceKind>(row.integer(2)),
                   static_cast<uint64_t>(row.integer(3))});
  }
  return out;
}

DbResult<std::optional<DeviceInfoRecord>> deviceInfo(sql::Connection& c, const MacAddress& device) {
  return one<DeviceInfoRecord>(c, select(kInfoColumns, "FROM device_info WHERE device = $1"),
                               {sql::integer(macToInteger(device))}, infoFromRow);
}

DbResult<std::optional<DeviceStatisticsRecord>> deviceStatistics(sql::Connection& c,
                                                                 const MacAddress& device) {
  return one<DeviceStatisticsRecord>(
      c, select(kStatisticsColumns, "FROM device_statistics WHERE device = $1"),
      {sql::integer(macToInteger(device))}, statisticsFromRow);
}

DbResult<void> putVenue(sql::Connection& c, const VenueRecord& venue, uint64_t now_ms) {
  auto upserted = c.execute(
      "INSERT INTO venues (id, name, json, updated_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (id) "
      "DO UPDATE SET name = excluded.name, json = excluded.json, updated_ms = excluded.updated_ms",
      {sql::text(venue.id), sql::text(venue.name), sql::text(venue.json),
       sql::integer(static_cast<int64_t>(now_ms))});
  if (!upserted) {
    return Unexpected{upserted.error()};
  }
  if (auto cleared = c.execute("DELETE FROM floors WHERE venue = $1", {sql::text(venue.id)});
      !cleared) {
    return Unexpected{cleared.error()};
  }
  int64_t position = 0;
  for (const FloorRecord& floor : venue.floors) {
    auto added = c.execute(
        "INSERT INTO floors (venue, id, name, position, elevation_m, width_m, length_m) VALUES "
        "($1, $2, $3, $4, $5, $6, $7)",
        {sql::text(venue.id), sql::text(floor.id), sql::text(floor.name), sql::integer(position++),
         sql::real(floor.elevation_m), sql::real(floor.width_m), sql::real(floor.length_m)});
    if (!added) {
      return Unexpected{added.error()};
    }
  }
  return {};
}

DbResult<bool> deleteVenue(sql::Connection& c, const std::string& id) {
  if (auto floors = c.execute("DELETE FROM floors WHERE venue = $1", {sql::text(id)}); !floors) {
    return Unexpected{floors.error()};
  }
  auto deleted = c.execute("DELETE FROM venues WHERE id = $1", {sql::text(id)});
  if (!deleted) {
    return Unexpected{deleted.error()};
  }
  return *deleted > 0;
}

DbResult<std::vector<VenueRecord>> venues(sql::Connection& c) {
  auto venue_rows = c.query("SELECT id, name, json FROM venues ORDER BY id", {});
  if (!venue_rows) {
    return Unexpected{venue_rows.error()};
  }
  auto floor_rows = c.query(
      "SELECT venue, id, name, elevation_m, width_m, length_m FROM floors ORDER BY venue, "
      "position",
      {});
  if (!floor_rows) {
    return Unexpected{floor_rows.error()};
  }
  std::vector<VenueRecord> out;
  std::unordered_map<std::string, size_t> index;
  for (const Row& row : *venue_rows) {
    index[row.text(0)] = out.size();
    out.push_back({row.text(0), row.text(1), row.text(2), {}});
  }
  for (const Row& row : *floor_rows) {
    if (auto it = index.find(row.text(0)); it != index.end()) {
      out[it->second].floors.push_back(
          {row.text(1), row.text(2), row.real(3), row.real(4), row.real(5)});
    }
  }
  return out;
}

DbResult<void> putController(sql::Connection& c, const ControllerRecord& controller,
                             uint64_t now_ms) {
  const std::vector<Value> key = {sql::text(controller.host), sql::integer(controller.port)};
  auto upserted = c.execute(
      "INSERT INTO controllers (host, port, services, updated_ms) VALUES ($1, $2, $3, $4) ON "
      "CONFLICT (host, port) DO UPDATE SET services = excluded.services, updated_ms = "
      "excluded.updated_ms",
      {key[0], key[1], sql::integer(static_cast<int64_t>(controller.services)),
       sql::integer(static_cast<int64_t>(now_ms))});
  if (!upserted) {
    return Unexpected{upserted.error()};
  }
  if (auto cleared =
          c.execute("DELETE FROM controller_intervals WHERE host = $1 AND port = $2", key);
      !cleared) {
    return Unexpected{cleared.error()};
  }
  for (const auto& [name, seconds] : controller.intervals_s) {
    auto added = c.execute(
        "INSERT INTO controller_intervals (host, port, class, seconds) VALUES ($1, $2, $3, $4)",
        {key[0], key[1], sql::text(name), sql::integer(seconds)});
    if (!added) {
      return Unexpected{added.error()};
    }
  }
  return {};
}

DbResult<bool> deleteController(sql::Connection& c, const std::string& host, uint16_t port) {
  const std::vector<Value> key = {sql::text(host), sql::integer(port)};
  if (auto intervals =
          c.execute("DELETE FROM controller_intervals WHERE host = $1 AND port = $2", key);
      !intervals) {
    return Unexpected{intervals.error()};
  }
  auto deleted = c.execute("DELETE FROM controllers WHERE host = $1 AND port = $2", key);
  if (!deleted) {
    return Unexpected{deleted.error()};
  }
  return *deleted > 0;
}

DbResult<std::vector<ControllerRecord>> controllers(sql::Connection& c) {
  auto rows = c.query("SELECT host, port, services FROM controllers ORDER BY host, port", {});
  if (!rows) {
    return Unexpected{rows.error()};
  }
  auto interval_rows = c.query(
      "SELECT host, port, class, seconds FROM controller_intervals ORDER BY host, port, class", {});
  if (!interval_rows) {
    return Unexpected{interval_rows.error()};
  }
  std::vector<ControllerRecord> out;
  for (const Row& row : *rows) {
    ControllerRecord r;
    r.host = row.text(0);
    r.port = static_cast<uint16_t>(row.integer(1));
    r.services = static_cast<proto::ServiceMask>(row.integer(2));
    for (const Row& interval : *interval_rows) {
      if (interval.text(0) == r.host && interval.integer(1) == r.port) {
        r.intervals_s.emplace_back(interval.text(2), static_cast<uint32_t>(interval.integer(3)));
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace nmsp::store::statements
