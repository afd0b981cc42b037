#pragma once
// The location engine (docs/accuracy.md): per device, from the latest RSSI of each AP that heard
// it (several controllers merged by the caller), the floor, x, y on it and an uncertainty radius.
// Pure: no I/O, no threads, no clocks; the caller passes the times (the reports' own times).
//
//   Engine engine(venue);
//   engine.addApReport(heard_ap, hearing_ap, band, rssi);   // kind `ap`: calibration
//   auto where = engine.update(device, kind, readings, ts_ms); // a report batch of one device
//   engine.evictStale(now_ms);                                // bounded state
//
// Not thread-safe: one owner (the MSE's location worker, or `nmsp locate`).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/mac_address.h"
#include "locate/path_loss.h"
#include "locate/solver.h"
#include "locate/tracker.h"
#include "proto/messages.h"
#include "venue/venue.h"

namespace nmsp::locate {

struct EngineSettings {
  SolverSettings solver;
  TrackerSettings tracker;
  uint32_t min_aps = 3;         // fewer APs: a presence-only record
  uint64_t window_ms = 3000;    // readings older than the device's newest by more are not used
  size_t max_readings = 24;     // per device: the latest reading of at most this many APs
  size_t max_devices = 250000;  // beyond: the least recently heard eighth is evicted
  uint64_t stale_ms = 15 * 60 * 1000;  // evictStale() forgets devices not heard for this long
  // uncertainty_m = scale * 1.794 * sigma: 1.794 sigma holds 80 % of a 2D Gaussian; `scale` is
  // the calibration measured on the accuracy sets (docs/accuracy.md).
  double uncertainty_scale = 1.55;
  double min_uncertainty_m = 1.0;
  double presence_min_uncertainty_m = 10.0;
  double floor_switch_per_minute = 0.3;  // prior rate of floor changes (the tracker's HMM)
  double floor_evidence_weight = 0.5;    // tempers the per-fix floor likelihoods
  double device_offset_prior_db = -5.0;  // b before anything is learnt: device vs AP power
  double device_offset_sigma_db = 8.0;
};

/// One AP's latest report of a device.
struct Reading {
  MacAddress ap;
  int rssi = 0;  // dBm
  proto::Band band = proto::Band::Band2_4GHz;
  uint64_t ts_ms = 0;
};

struct Location {
  uint64_t ts_ms = 0;
  size_t floor = 0;  // index into the venue's floors
  double x_m = 0, y_m = 0;
  double uncertainty_m = 0;
  uint32_t aps_used = 0;
  bool presence_only = false;  // fewer than min_aps APs: the strongest AP's position
};

struct EngineCounters {
  uint64_t updates = 0;        // update()/locate() calls that gave a location
  uint64_t presence_only = 0;  // of those, presence-only records
  uint64_t unknown_ap = 0;     // readings from APs not in the venue (ignored)
  uint64_t evicted = 0;
  uint64_t calibrations = 0;  // refits of the path-loss model
};

class Engine {
 public:
  explicit Engine(venue::Venue venue, EngineSettings settings = {});

  const venue::Venue& venue() const { return venue_; }
  const EngineSettings& settings() const { return settings_; }
  const std::string& floorId(size_t floor) const { return venue_.floors[floor].id; }

  /// An AP-to-AP report (kind `ap`): `heard` was heard by `hearing`. The model is refitted when
  /// the number of reports has doubled since the last fit (and at recalibrate()).
  void addApReport(const MacAddress& heard, const MacAddress& hearing, proto::Band band, int rssi);
  void recalibrate();
  const PathLossModel& model() const { return model_; }

  /// Records one reading of a device (replacing that AP's previous one).
  void observe(const MacAddress& device, proto::DeviceKind kind, const Reading& reading);
  /// Locates the device from its readings within window_ms of its newest one, at time `now_ms`
  /// (the newest reading's time is typical); nullopt if no venue AP heard it.
  std::optional<Location> locate(const MacAddress& device, uint64_t now_ms);
  /// observe() each reading, then locate() at the newest reading's time. Kind `ap` goes to
  /// addApReport (with the device as the heard AP) and gives nullopt.
  std::optional<Location> update(const MacAddress& device, proto::DeviceKind kind,
                                 std::span<const Reading> readings);
  /// The last location given for the device.
  std::optional<Location> current(const MacAddress& device) const;
  /// The kind of the device's last report, if the engine holds the device.
  std::optional<proto::DeviceKind> kind(const MacAddress& device) const;

  /// Forgets devices not heard since now_ms - stale_ms; returns how many.
  size_t evictStale(uint64_t now_ms);
  size_t deviceCount() const { return devices_.size(); }
  const EngineCounters& counters() const { return counters_; }

  /// Bytes of state held per tracked device (the struct, its heap parts, the map node), for the
  /// benchmark.
  size_t bytesPerDevice() const;

 private:
  struct Slot {
    uint64_t ts_ms;
    uint32_t ap;  // index into aps_
    int8_t rssi;
    uint8_t band;
  };
  struct Device {
    std::vector<Slot> readings;
    std::vector<float> floor_logp;  // the floor HMM, log-probabilities (max 0)
    Track track;
    Location last;
    uint64_t last_heard_ms = 0;
    float offset_db = 0;   // the device's own b, learnt over its fits
    float offset_var = 0;  // 0: nothing learnt yet
    int16_t floor = -1;    // the floor it is on (-1: none yet)
    proto::DeviceKind kind = proto::DeviceKind::Client;
    bool has_location = false;
  };
  struct FloorFit {
    SolveResult fit;
    double log_likelihood = 0;
    bool done = false;
  };

  std::optional<size_t> apIndex(const MacAddress& mac) const;
  Device& device(const MacAddress& mac, proto::DeviceKind kind);
  void evictOldest();
  SolveResult solveFor(size_t floor, std::span<const Slot> used, const Device& dev);
  Location presenceOnly(std::span<const Slot> used, const Device& dev, uint64_t now_ms) const;
  size_t chooseFloor(Device& dev, std::vector<FloorFit>& fits, double dt_s) const;

  venue::Venue venue_;
  EngineSettings settings_;
  std::vector<ApSite> aps_;
  std::unordered_map<MacAddress, uint32_t> ap_index_;
  Calibrator calibrator_;
  uint64_t calibrated_at_reports_ = 0;
  PathLossModel model_;
  std::unordered_map<MacAddress, Device> devices_;
  // The offset b by device kind, learnt from well-determined fits (running mean).
  std::vector<double> kind_offset_sum_;
  std::vector<double> kind_offset_count_;
  EngineCounters counters_;
  // Scratch, reused between calls (no allocation per update once warm).
  std::vector<Slot> used_;
  std::vector<SolverLink> links_;
  std::vector<FloorFit> fits_;
};

}  // namespace nmsp::locate
