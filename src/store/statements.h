#pragma once
// Every statement the store runs, written once for both engines, and the mapping between
// records and rows. Each function does its work on the connection it is given; the callers
// choose the thread and the transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/records.h"
#include "store/sql_connection.h"

namespace nmsp::store::statements {

/// What one writer transaction carries (the records stay where the writer keeps them).
struct Batch {
  std::vector<const LocationRecord*> locations;
  std::vector<const DeviceInfoRecord*> infos;
  std::vector<const DeviceStatisticsRecord*> statistics;
  bool empty() const { return locations.empty() && infos.empty() && statistics.empty(); }
  size_t size() const { return locations.size() + infos.size() + statistics.size(); }
};

/// Appends every location to the history (a row already there, same device and time, is kept),
/// and moves each device's current location forward (never back to an older fix, whichever MSE
/// wrote it). Device info and statistics replace older ones. No transaction of its own.
sql::DbResult<void> writeBatch(sql::Connection& c, const Batch& batch, uint64_t stored_ms);

/// Deletes at most `limit` history rows stored before `cutoff_ms`; the number deleted.
sql::DbResult<uint64_t> pruneHistory(sql::Connection& c, uint64_t cutoff_ms, uint64_t limit);

sql::DbResult<std::optional<LocationRecord>> currentLocation(sql::Connection& c,
                                                             const MacAddress& device);
/// Ordered by device.
sql::DbResult<std::vector<LocationRecord>> currentLocations(sql::Connection& c,
                                                            const LocationFilter& filter);
/// The device's fixes with from_ms <= ts_ms < to_ms, oldest first, at most `limit`.
sql::DbResult<std::vector<LocationRecord>> locationHistory(sql::Connection& c,
                                                           const MacAddress& device,
                                                           uint64_t from_ms, uint64_t to_ms,
                                                           uint32_t limit);
/// Current locations counted per venue, floor and kind.
sql::DbResult<std::vector<FloorKindCount>> locationCounts(sql::Connection& c);

sql::DbResult<std::optional<DeviceInfoRecord>> deviceInfo(sql::Connection& c,
                                                          const MacAddress& device);
sql::DbResult<std::optional<DeviceStatisticsRecord>> deviceStatistics(sql::Connection& c,
                                                                      const MacAddress& device);

/// Replaces the venue `venue.id` (and its floors) or adds it. No transaction of its own.
sql::DbResult<void> putVenue(sql::Connection& c, const VenueRecord& venue, uint64_t now_ms);
/// False if there was no such venue.
sql::DbResult<bool> deleteVenue(sql::Connection& c, const std::string& id);
/// Ordered by id; floors in the order they were given.
sql::DbResult<std::vector<VenueRecord>> venues(sql::Connection& c);

sql::DbResult<void> putController(sql::Connection& c, const ControllerRecord& controller,
                                  uint64_t now_ms);
sql::DbResult<bool> deleteController(sql::Connection& c, const std::string& host, uint16_t port);
/// Ordered by host, then port.
sql::DbResult<std::vector<ControllerRecord>> controllers(sql::Connection& c);

/// A MAC address as the 48-bit integer of its bytes (big-endian), as the tables hold it.
int64_t macToInteger(const MacAddress& mac);
MacAddress macFromInteger(int64_t value);

}  // namespace nmsp::store::statements
