#pragma once
// What the MSE keeps (docs/storage.md, "Schema"): plain records, one per table row. The
// enumerations are the protocol's (proto/messages.h) so that a kind or a band has one
// definition; the records themselves owe nothing to the codec.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/ip_address.h"
#include "common/mac_address.h"
#include "proto/messages.h"
#include "proto/services.h"

namespace nmsp::store {

/// One location update: the device's current location, and one row of its history.
struct LocationRecord {
  MacAddress device;
  proto::DeviceKind kind = proto::DeviceKind::Client;
  uint64_t ts_ms = 0;  // time of the fix (the latest observation used): "last seen"
  std::string venue;   // venue id (VenueRecord::id)
  std::string floor;   // floor id within the venue (the venue file's floors[].id)
  double x_m = 0;
  double y_m = 0;
  double uncertainty_m = 0;
  uint32_t aps_used = 0;
  bool operator==(const LocationRecord&) const = default;
};

/// The fields of proto::DeviceInfo, plus when the MSE received them.
struct DeviceInfoRecord {
  MacAddress device;
  proto::DeviceKind kind = proto::DeviceKind::Client;
  std::vector<IpAddress> ip_addresses;
  std::optional<std::string> ssid;
  std::optional<uint16_t> vlan;
  std::optional<std::string> username;
  std::optional<proto::AssocState> assoc_state;
  std::optional<proto::Band> band;
  std::optional<MacAddress> serving_ap;
  std::optional<uint8_t> battery_pct;
  std::vector<proto::Telemetry> telemetry;
  uint64_t updated_ms = 0;  // wall clock at the MSE
  bool operator==(const DeviceInfoRecord&) const = default;
};

/// The fields of proto::DeviceStatistics, plus when the MSE received them. Counters are
/// stored as 64-bit signed integers (values above 2^63-1 wrap, as the SQL types are signed).
struct DeviceStatisticsRecord {
  MacAddress device;
  proto::DeviceKind kind = proto::DeviceKind::Client;
  std::optional<uint64_t> tx_bytes;
  std::optional<uint64_t> rx_bytes;
  std::optional<uint64_t> tx_packets;
  std::optional<uint64_t> rx_packets;
  std::optional<uint64_t> tx_retries;
  std::optional<uint64_t> tx_failed;
  std::optional<uint64_t> timestamp_utc_ms;  // the controller's timestamp, if it sent one
  uint64_t updated_ms = 0;                   // wall clock at the MSE
  bool operator==(const DeviceStatisticsRecord&) const = default;
};

struct FloorRecord {
  std::string id;  // the venue file's floors[].id
  std::string name;
  double elevation_m = 0;
  double width_m = 0;
  double length_m = 0;
  bool operator==(const FloorRecord&) const = default;
};

/// A venue file as loaded: its text verbatim (extra members included) and the ids the other
/// tables refer to. The caller parses the file (src/venue) and fills `floors` from it.
struct VenueRecord {
  std::string id;  // chosen by the MSE (e.g. the file's name); unique
  std::string name;
  std::string json;  // the venue file's text
  std::vector<FloorRecord> floors;
  bool operator==(const VenueRecord&) const = default;
};

/// A controller the MSE subscribes to, and its service settings.
struct ControllerRecord {
  std::string host;
  uint16_t port = 16113;
  proto::ServiceMask services = 0;
  /// Notification intervals by class ("rssi-clients", "rssi-rfid", ...) in seconds; the class
  /// names are the caller's, stored as given.
  std::vector<std::pair<std::string, uint32_t>> intervals_s;
  bool operator==(const ControllerRecord&) const = default;
};

/// Which current locations to read (unset: any).
struct LocationFilter {
  std::optional<std::string> venue;
  std::optional<std::string> floor;
  std::optional<proto::DeviceKind> kind;
  uint32_t limit = 1000;
};

/// Devices on one floor, of one kind, in the current-location table (`show location summary`).
struct FloorKindCount {
  std::string venue;
  std::string floor;
  proto::DeviceKind kind = proto::DeviceKind::Client;
  uint64_t devices = 0;
  bool operator==(const FloorKindCount&) const = default;
};

}  // namespace nmsp::store
