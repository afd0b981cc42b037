#pragma once
// The MSE's in-memory device table (docs/data-path.md): every controller's reports merged by
// device MAC (a device heard by APs of two controllers is one device), with per device the
// latest RSSI per AP radio and its time, the latest info and statistics, the last attachment,
// first and last seen; and the AP table from AP Info. Bounded: the least recently seen device
// is evicted (counted). Pure: time is passed in; owned by the MSE's io thread. The query
// helpers return plain snapshots that the show commands format (device_views.h).

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/mac_address.h"
#include "common/mac_table.h"
#include "proto/messages.h"

namespace nmsp::devices {

struct Limits {
  size_t max_devices = 200'000;
  size_t max_aps = 16'384;
  size_t max_controllers = 256;  // names interned for "via"
};

using ControllerId = uint16_t;

/// One AP radio's latest report of a device.
struct ApReport {
  MacAddress ap;
  uint8_t slot = 0;
  proto::Band band = proto::Band::Band2_4GHz;
  uint8_t antenna = 0;
  int8_t rssi_dbm = 0;
  int8_t snr_db = 0;
  uint64_t ts_ms = 0;        // the observation's time (from the protocol)
  uint64_t received_ms = 0;  // when the MSE received it
  ControllerId via = 0;
};

struct DeviceRecord {
  MacAddress mac;
  proto::DeviceKind kind = proto::DeviceKind::Client;
  uint64_t first_seen_ms = 0;
  uint64_t last_seen_ms = 0;
  uint8_t ap_count = 0;
  std::array<ApReport, proto::kMaxApsPerDevice> aps{};  // [0, ap_count): latest per AP radio
  std::optional<proto::DeviceInfo> info;
  uint64_t info_ms = 0;
  std::optional<proto::DeviceStatistics> statistics;
  uint64_t statistics_ms = 0;
  std::optional<proto::Attachment> attachment;
  uint32_t controllers = 0;  // bit i: heard via controller i (i < 32)
};

struct TableCounters {
  uint64_t measurements = 0;  // device entries received
  uint64_t observations = 0;  // AP reports received
  uint64_t infos = 0;
  uint64_t statistics = 0;
  uint64_t attachments = 0;
  uint64_t ap_infos = 0;
  uint64_t devices_evicted = 0;
  uint64_t aps_refused = 0;  // new APs beyond max_aps
};

/// Where the MSE's location engine has a device now. DeviceTable never fills it: the caller
/// does (from the live location path) before formatting `show devices`.
struct RowLocation {
  std::string floor;  // the venue file's floor id
  double x_m = 0;
  double y_m = 0;
  double uncertainty_m = 0;
};

/// `show devices [kind]`: counts per kind and the rows (by MAC), at most `limit` of them.
struct DeviceRow {
  MacAddress mac;
  proto::DeviceKind kind = proto::DeviceKind::Client;
  uint8_t aps = 0;
  std::optional<int8_t> best_rssi_dbm;
  std::optional<MacAddress> best_ap;
  std::vector<std::string> via;  // controller names
  uint64_t last_seen_ms = 0;
  std::optional<RowLocation> location;  // see RowLocation; nullopt: not located (yet)
};
struct DevicesSummary {
  std::optional<proto::DeviceKind> kind;  // the filter
  size_t total = 0;                       // all kinds
  std::array<size_t, 6> by_kind{};        // by DeviceKind value - 1
  size_t matching = 0;                    // rows of the filter
  std::vector<DeviceRow> rows;            // first `limit` of the matching, by MAC
  size_t capacity = 0;
  uint64_t evicted = 0;
  /// The MSE locates (has a venue): `show devices` adds the location columns (set by the
  /// caller, with the rows' `location`).
  bool locating = false;
};

/// `show device <mac>`: everything known, AP reports strongest first.
struct DeviceDetail {
  DeviceRecord record;
  std::vector<ApReport> aps;                   // strongest first
  std::vector<std::string> via_names;          // by ControllerId
  std::map<MacAddress, std::string> ap_names;  // from AP Info, for the APs listed
};

class DeviceTable {
 public:
  explicit DeviceTable(Limits limits = {});

  /// The id of a controller (its name as the MSE shows it); interned, at most max_controllers
  /// (further names share the last id).
  ControllerId controller(std::string_view name);
  const std::vector<std::string>& controllerNames() const { return controller_names_; }

  void onMeasurement(ControllerId via, const proto::DeviceMeasurement& measurement,
                     uint64_t now_ms);
  void onInfo(ControllerId via, const proto::DeviceInfo& info, uint64_t now_ms);
  void onStatistics(ControllerId via, const proto::DeviceStatistics& statistics, uint64_t now_ms);
  void onAttachment(ControllerId via, const proto::Attachment& attachment, uint64_t now_ms);
  void onApInfo(const proto::ApInfo& ap);

  const DeviceRecord* find(const MacAddress& mac) const { return table_.find(mac); }
  const proto::ApInfo* findAp(const MacAddress& mac) const;
  size_t size() const { return table_.size(); }
  size_t apCount() const { return aps_.size(); }
  const TableCounters& counters() const { return counters_; }
  size_t memoryBytes() const;

  DevicesSummary summary(std::optional<proto::DeviceKind> kind, size_t limit) const;
  std::optional<DeviceDetail> detail(const MacAddress& mac) const;

 private:
  DeviceRecord& touch(ControllerId via, const MacAddress& mac, proto::DeviceKind kind,
                      uint64_t now_ms);

  Limits limits_;
  MacTable<DeviceRecord> table_;
  std::map<MacAddress, proto::ApInfo> aps_;
  std::vector<std::string> controller_names_;
  TableCounters counters_;
};

}  // namespace nmsp::devices
