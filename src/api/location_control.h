#pragma once
// What the MSE's location commands (`show location <mac>`, `show location summary`) need from
// the live location path (src/live). Like MseControl, every method is for a thread other than
// the MSE's io thread (the shell's): each waits, bounded, for the io thread or the store's reader.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/mac_address.h"
#include "common/result.h"
#include "proto/messages.h"

namespace nmsp::api {

/// One device's latest location.
struct DeviceLocation {
  MacAddress device;
  proto::DeviceKind kind = proto::DeviceKind::Client;
  std::string venue;  // venue id (the venue file's name without .json)
  std::string floor;  // floor id in the venue file
  double x_m = 0;
  double y_m = 0;
  double uncertainty_m = 0;
  uint32_t aps_used = 0;
  uint64_t last_seen_ms = 0;   // UTC ms: time of the newest report the fix used
  bool presence_only = false;  // fewer than 3 APs: the strongest AP's position (engine only)
  bool from_store = false;     // not tracked in memory: the store's current-location row
};

struct VenueLocationStatus {
  std::string id;
  std::string name;
  uint32_t floors = 0;
  uint32_t aps = 0;
  uint64_t tracked = 0;            // devices the engine holds
  uint32_t calibrated_floors = 0;  // floors whose path-loss model comes from AP-to-AP reports
};

struct FloorKindDevices {
  std::string venue;
  std::string floor;
  proto::DeviceKind kind = proto::DeviceKind::Client;
  uint64_t devices = 0;
};

struct LocationSummary {
  std::vector<VenueLocationStatus> venues;  // empty: no venue, nothing is located
  // Since the MSE started.
  uint64_t reports = 0;        // device measurement reports received (every kind)
  uint64_t ap_reports = 0;     // of those, kind `ap` (calibration)
  uint64_t no_venue = 0;       // of those, not heard by any AP of a venue (or no venue)
  uint64_t locations = 0;      // location records made
  uint64_t presence_only = 0;  // of those, presence-only
  double locate_rate = 0;      // locations per second over the last 10 s
  // Devices per floor and kind, from the store's current-location table.
  std::vector<FloorKindDevices> counts;
  std::string counts_error;  // why `counts` could not be read, or empty
  // The store.
  std::string store_backend;  // "sqlite", "postgresql"
  std::string store_target;   // file, or URI without password
  bool store_connected = false;
  uint64_t store_queued = 0;
  uint64_t store_queued_bytes = 0;
  uint64_t store_queue_limit_bytes = 0;
  uint64_t store_written = 0;
  uint64_t store_dropped = 0;
  uint64_t store_failed = 0;
  uint64_t store_lag_ms = 0;
  uint64_t stored_p50_ms = 0;  // receive -> stored (committed), every record so far
  uint64_t stored_p99_ms = 0;
  uint64_t stored_samples = 0;
  std::string store_error;  // last database error, or empty
};

/// `show devices` when the MSE locates: the engine's current location of each device asked.
struct EngineLocations {
  bool locating = false;  // the MSE has a venue (else `locations` is empty)
  std::vector<std::optional<DeviceLocation>> locations;  // in the order asked; nullopt: none
};

class LocationControl {
 public:
  virtual ~LocationControl() = default;
  /// The engine's current location of the device, or the store's when the engine does not hold
  /// it; nullopt if neither has one. Error text for the operator (a timeout, the store down).
  virtual Result<std::optional<DeviceLocation>, std::string> location(const MacAddress& device) = 0;
  virtual Result<LocationSummary, std::string> locationSummary() = 0;
  /// The engine's current locations of `devices` (in memory only: no store read), in one wait
  /// for the io thread. Error text for the operator (a timeout).
  virtual Result<EngineLocations, std::string> engineLocations(
      const std::vector<MacAddress>& devices) = 0;
};

}  // namespace nmsp::api
