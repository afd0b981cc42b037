#pragma once
// The controller's per-device store and aggregation (docs/data-path.md). Pure: no sockets, no
// threads, no clocks (every call takes the store time `now_ms`), deterministic.
//
// Ingest: observe() (RSSI), info(), statistics(), attachment(), apInfo().
// Store: per device the latest RSSI per AP radio within the class's expiry, at most 16 (the
// strongest), optionally averaged with the class's half-life; the device's latest info and
// statistics; the AP table. Bounded (Limits): the least recently seen device is evicted.
// Streams: one per (service, interval) that some MSE subscribes to. collect(now) encodes what
// each due stream carries ONCE into frames (transaction id 0) for every MSE of that stream.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "aggregate/frames.h"
#include "aggregate/settings.h"
#include "common/mac_address.h"
#include "common/mac_table.h"
#include "proto/codec.h"
#include "proto/messages.h"
#include "proto/services.h"

namespace nmsp::aggregate {

struct Limits {
  size_t max_devices = 200'000;   // a 9800-80: 64,000 clients, plus tags and rogues
  size_t max_aps = 16'384;        // AP table entries (a 9800-80 has 6,000 APs)
  size_t max_pending = 1u << 21;  // entries per service log (32 bytes each: 64 MiB)
  size_t max_pending_attachments = 65'536;
  size_t max_frame_size = proto::kDefaultMaxFrameSize;
};

/// One stream: what an MSE subscribed to `service` every `interval_s` receives. Attach and
/// ap-info streams are event driven (interval 0: whatever is pending at each collect).
struct StreamKey {
  proto::Service service = proto::Service::RssiMs;
  uint16_t interval_s = 2;
  auto operator<=>(const StreamKey&) const = default;
};

/// The frames one due stream produced at one collect (transaction id 0 in every header).
struct StreamOutput {
  StreamKey key;
  std::vector<SharedFrame> frames;
  uint64_t entries = 0;       // device entries / attachments / APs in the frames
  uint64_t observations = 0;  // AP reports (measurement streams)
  uint64_t lost = 0;          // log entries this stream lost to the pending bound since last time
};

struct AggregatorCounters {
  uint64_t observations = 0;           // observe() calls
  uint64_t observations_capped = 0;    // not stored: 16 stronger live readings held (with
                                       // half-life 0 they are still sent)
  uint64_t observations_filtered = 0;  // kept in the store, not logged (notify threshold)
  uint64_t devices_created = 0;
  uint64_t devices_evicted = 0;      // least recently seen, at max_devices
  uint64_t pending_dropped = 0;      // log entries dropped oldest-first at max_pending
  uint64_t attachments_dropped = 0;  // pending attachments dropped oldest-first
  uint64_t aps_refused = 0;          // new APs beyond max_aps
  uint64_t oversize = 0;             // entries too large for any frame
  uint64_t frames_encoded = 0;
  uint64_t bytes_encoded = 0;
};

class Aggregator {
 public:
  explicit Aggregator(AggregationSettings settings = {}, Limits limits = {});
  ~Aggregator();
  Aggregator(const Aggregator&) = delete;
  Aggregator& operator=(const Aggregator&) = delete;

  /// New settings apply to readings from now on (validate() them first).
  void setSettings(const AggregationSettings& settings) { settings_ = settings; }
  const AggregationSettings& settings() const { return settings_; }
  const Limits& limits() const { return limits_; }

  // --- ingest --------------------------------------------------------------------------------
  /// One AP's report of a device; its timestamp travels unchanged. False if the store keeps 16
  /// stronger live readings (with half-life 0 the observation is sent all the same).
  bool observe(const MacAddress& device, proto::DeviceKind kind, const proto::ApRssi& ap,
               uint64_t now_ms);
  void observe(const proto::DeviceMeasurement& measurement, uint64_t now_ms);
  void info(const proto::DeviceInfo& info, uint64_t now_ms);
  void statistics(const proto::DeviceStatistics& statistics, uint64_t now_ms);
  void attachment(const proto::Attachment& attachment);
  /// Adds or replaces an AP; true when it changed (then it is pending for ap-info streams).
  bool apInfo(const proto::ApInfo& ap);

  // --- streams -------------------------------------------------------------------------------
  /// Reference counted: the first open starts the stream (its first batch is due one interval
  /// later and carries what arrives from now on), the last close ends it.
  void openStream(const StreamKey& key, uint64_t now_ms);
  void closeStream(const StreamKey& key);
  /// One reference moves from `from` to `to` (the same service, another interval: the class
  /// interval changed). When no stream `to` is open, the new one continues where `from` was (its
  /// cursor: nothing logged since from's last collect is lost) and is due one new interval after
  /// from's last collect (at the earliest now); when `to` is open, the reference joins it.
  void moveStream(const StreamKey& from, const StreamKey& to, uint64_t now_ms);
  bool hasStream(const StreamKey& key) const;
  /// The earliest time a stream with an interval is due (nullopt: none open).
  std::optional<uint64_t> nextDueMs() const;
  /// Encodes every stream due at `now_ms` (and pending attachments / AP changes for the event
  /// driven streams), appending one StreamOutput per stream that has frames. Streams that fell
  /// more than one interval behind are due once, then one interval after now.
  void collect(uint64_t now_ms, std::vector<StreamOutput>& out);
  /// Every AP of the table as AP Info Notification frames (for a new ap-info subscriber).
  std::vector<SharedFrame> apInfoFrames();

  // --- requests (docs/protocol.md section 9: UnknownDevice when none is known) ----------------
  /// Empty request: every device, as many as fit in one frame (most recently seen first).
  proto::MeasurementResponse measurement(const proto::MeasurementRequest& request,
                                         uint64_t now_ms) const;
  proto::InfoResponse info(const proto::InfoRequest& request) const;
  proto::StatisticsResponse statistics(const proto::StatisticsRequest& request) const;

  // --- inspection ----------------------------------------------------------------------------
  size_t deviceCount() const { return table_.size(); }
  size_t apCount() const { return aps_.size(); }
  size_t pendingEntries() const;
  /// The device's current report (live readings, strongest first); nullopt if unknown.
  std::optional<proto::DeviceMeasurement> current(const MacAddress& device, uint64_t now_ms) const;
  const AggregatorCounters& counters() const { return counters_; }
  /// Bytes held by the store's own structures (devices, index, logs, AP table), approximate.
  size_t memoryBytes() const;

 private:
  struct Device;
  struct Log;
  struct Stream;

  Device& findOrCreate(const MacAddress& mac, proto::DeviceKind kind, uint64_t now_ms);
  std::vector<const Device*> recentFirst() const;  // most recently seen first
  Log* logOf(proto::Service service);
  void logRaw(const MacAddress& device, proto::DeviceKind kind, const proto::ApRssi& ap);
  void logRef(proto::Service service, Device& d, uint64_t Device::*seq);
  void fillCurrent(const Device& d, uint64_t now_ms, proto::DeviceMeasurement& out) const;
  void collectMeasurements(Stream& stream, Log& log, StreamOutput& out, uint64_t now_ms);
  template <class Notification, class Entry, class Fill>
  void collectRefs(Stream& stream, Log& log, std::vector<Entry> Notification::*member,
                   StreamOutput& out, Fill fill);
  void trim(proto::Service service);
  void count(const StreamOutput& out);

  AggregationSettings settings_;
  Limits limits_;
  MacTable<Device> table_;                        // bounded, least recently seen evicted
  std::map<uint8_t, std::unique_ptr<Log>> logs_;  // by service bit, only while streamed
  std::map<StreamKey, Stream> streams_;
  std::vector<proto::Attachment> attachments_;  // pending for the attach stream
  std::map<MacAddress, proto::ApInfo> aps_;
  std::vector<MacAddress> aps_changed_;
  uint32_t stamp_ = 0;  // dedupe of a device within one batch
  AggregatorCounters counters_;
  // Reused per collect: nothing is allocated per observation on the hot path.
  std::vector<proto::DeviceMeasurement> batch_;
};

}  // namespace nmsp::aggregate
