#pragma once
// The MSE's live location path (docs/storage.md, "The live path"): every device measurement
// report the MSE decodes goes to the location engine (src/locate) of the venue whose APs heard
// it, and every location it gives becomes a LocationRecord submitted to the store.
//
//   LocationPipeline pipeline(std::move(venues), store);       // store may be null
//   pipeline.onMeasurement(report, now_ms);  // per decoded report, on the io thread
//   pipeline.tick(now_ms);                   // about once a second: calibration, eviction, rate
//
// Per report, not on a timer: a report is located in the call that receives it (one engine
// update: at most 16 readings, microseconds; docs/benchmarks.md) and its record is queued at once,
// so the latency from receiving to storing is the store's batching window, and the work per
// report is bounded. Kind `ap` reports (AP neighbour RSSI) feed the engine's calibration: after
// any arrived, the model is refitted before the next device report is located (at most once a
// second; else on the next tick()), and by the engine itself each time their number doubles. So
// AP reports that precede the device reports give the model `nmsp locate` builds in its
// calibration pass. The engine and its parameters are those of `nmsp locate`
// (locate::Engine with default EngineSettings): fed the same reports in the same order, the
// live path gives the same locations.
//
// Not thread-safe: one owner, the MSE's io thread. Never blocks: Store::submit() only queues
// (bounded; a record that does not fit is dropped and counted by the store).

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/location_control.h"
#include "common/mac_address.h"
#include "live/venues.h"
#include "locate/engine.h"
#include "proto/messages.h"
#include "store/store.h"

namespace nmsp::live {

struct PipelineCounters {
  uint64_t reports = 0;             // device measurement reports (every kind)
  uint64_t ap_reports = 0;          // kind `ap`
  uint64_t no_venue = 0;            // heard by no AP of any venue (or no venue loaded)
  uint64_t locations = 0;           // location records made
  uint64_t presence_only = 0;       // of those, presence-only (fewer than 3 APs)
  uint64_t submit_refused = 0;      // Store::submit() returned 0 (dropped at once)
  uint64_t infos = 0;               // device info reports (Info Notification entries)
  uint64_t info_refused = 0;        // of those, refused at once by Store::submit()
  uint64_t statistics = 0;          // device statistics reports
  uint64_t statistics_refused = 0;  // of those, refused at once by Store::submit()
};

/// The store's rows for what a controller reported, stamped with the MSE's clock (`now_ms`,
/// UTC ms) as updated_ms. The one conversion from the protocol's types.
store::DeviceInfoRecord deviceInfoRecord(const proto::DeviceInfo& info, uint64_t now_ms);
store::DeviceStatisticsRecord deviceStatisticsRecord(const proto::DeviceStatistics& statistics,
                                                     uint64_t now_ms);

class LocationPipeline {
 public:
  /// `store` may be null (records are then only kept in memory); it must outlive the pipeline.
  LocationPipeline(std::vector<LoadedVenue> venues, store::Store* store,
                   locate::EngineSettings settings = {});

  /// One decoded device report (Measurement Notification or Response element). The engine
  /// uses the readings' own times; `now_ms` (the MSE's UTC clock) only paces the calibration
  /// refits.
  void onMeasurement(const proto::DeviceMeasurement& report, uint64_t now_ms);
  /// One decoded device info / statistics report (Info / Statistics Notification element):
  /// submitted to the store as a DeviceInfoRecord / DeviceStatisticsRecord (updated_ms =
  /// `now_ms`), whether or not the MSE locates; nothing without a store.
  void onInfo(const proto::DeviceInfo& info, uint64_t now_ms);
  void onStatistics(const proto::DeviceStatistics& statistics, uint64_t now_ms);
  /// Housekeeping, about once a second (`now_ms`: the MSE's clock): refits calibration after
  /// new AP reports, every 10 s forgets devices not heard for EngineSettings::stale_ms before the
  /// newest report of their venue (the reports' time scale, not the MSE's clock: a replayed set
  /// with old or relative times is tracked as `nmsp locate` tracks it), samples the locate rate.
  void tick(uint64_t now_ms);

  /// The latest location of a device (the newest over the venues), if an engine holds one.
  std::optional<api::DeviceLocation> current(const MacAddress& device) const;
  /// Venues, counters and rate for `show location summary` (the store's part is added by the
  /// caller, off the io thread). The rate: locations per second from the oldest tick sample kept
  /// (about 10 s before) to `now_ms`.
  api::LocationSummary summary(uint64_t now_ms) const;

  const PipelineCounters& counters() const { return counters_; }
  bool locating() const { return !venues_.empty(); }
  size_t venueCount() const { return venues_.size(); }
  const locate::Engine& engine(size_t venue) const { return venues_[venue].engine; }

 private:
  struct VenueState {
    std::string id;
    locate::Engine engine;
    bool calibration_due = false;  // AP reports arrived since the last refit
    uint64_t refitted_ms = 0;      // MSE clock of the last refit (0: none yet)
    uint64_t newest_ts_ms = 0;     // the newest reading time seen (the reports' clock)
  };
  void refit(VenueState& venue, uint64_t now_ms);
  /// The venue whose APs heard most of the report's readings; for kind `ap` the venue of the
  /// heard AP first. nullopt: none.
  std::optional<size_t> venueOf(const proto::DeviceMeasurement& report) const;
  api::DeviceLocation toView(const VenueState& venue, const MacAddress& device,
                             proto::DeviceKind kind, const locate::Location& where) const;

  std::vector<VenueState> venues_;
  store::Store* store_;
  std::unordered_map<MacAddress, uint32_t> ap_venue_;
  PipelineCounters counters_;
  // (now_ms, locations) at each tick, the last 11 (10 s of rate at a 1 s tick).
  std::deque<std::pair<uint64_t, uint64_t>> rate_samples_;
  uint64_t last_evict_ms_ = 0;
  std::vector<locate::Reading> readings_;  // scratch
};

}  // namespace nmsp::live
