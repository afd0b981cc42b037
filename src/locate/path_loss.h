#pragma once
// The path-loss model the engine locates with, per floor, and its calibration from the APs'
// reports of each other (kind `ap`, docs/accuracy.md "Calibration"):
//
//   rssi = ref(floor of the hearing AP, band) + b - 10 n(floor) log10(max(d, 1 m)) - slab(f, g)
//
// `ref` is the AP-to-AP level at 1 m, `b` the transmitter's offset from an AP's transmit power
// (a free parameter of every device fit), `d` the 3D distance, `slab(f, g)` the extra loss
// between a transmitter on floor f and an AP on floor g (0 on the same floor).
#include <array>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "proto/messages.h"

namespace nmsp::locate {

/// Documented defaults, used for a floor until enough AP-to-AP reports have been seen.
inline constexpr double kDefaultExponent = 3.0;
inline constexpr double kDefaultRefDbm24 = -20.0;  // AP (20 dBm) heard at 1 m, 2.4 GHz
inline constexpr double kDefaultRefDbm5 = -26.5;
inline constexpr double kDefaultRefDbm6 = -27.5;
inline constexpr double kDefaultSlabDb = 15.0;  // per floor between transmitter and AP
inline constexpr double kMinExponent = 1.5;
inline constexpr double kMaxExponent = 6.0;
inline constexpr double kExponentShrink = 0.5;  // of the AP-to-AP slope's distance from 3

size_t bandIndex(proto::Band band);  // 0: 2.4 GHz, 1: 5 GHz, 2: 6 GHz

struct FloorModel {
  double exponent = kDefaultExponent;           // what the engine locates with
  double measured_exponent = kDefaultExponent;  // the AP-to-AP slope it comes from
  std::array<double, 3> ref_dbm{kDefaultRefDbm24, kDefaultRefDbm5, kDefaultRefDbm6};
  bool calibrated = false;  // false: the defaults
  size_t pairs = 0;         // AP pairs the fit used
};

/// The model of a whole venue: one FloorModel per floor (venue order) and the slab matrix.
struct PathLossModel {
  std::vector<FloorModel> floors;
  std::vector<double> slab_db;  // floors x floors, row: transmitter's floor, column: AP's floor

  explicit PathLossModel(size_t floor_count = 1);
  double slab(size_t tx_floor, size_t ap_floor) const {
    return slab_db[tx_floor * floors.size() + ap_floor];
  }
};

/// Where an AP is, as the calibrator and the engine need it.
struct ApSite {
  size_t floor = 0;
  double x = 0, y = 0;
  double z_abs = 0;  // antenna height above the ground floor's level
};

/// Accumulates AP-to-AP reports (bounded: one running mean per ordered AP pair and band) and
/// fits the model: per floor a robust (Huber) regression of RSSI on log10 distance with one
/// intercept per band; per floor pair the median excess loss of the cross-floor pairs.
class Calibrator {
 public:
  explicit Calibrator(std::vector<ApSite> sites, std::vector<double> floor_elevations);

  /// An AP (index `tx`) heard by an AP (index `rx`) at `rssi` dBm on `band`.
  void add(size_t tx, size_t rx, proto::Band band, int rssi);
  /// Reports seen since construction.
  uint64_t reports() const { return reports_; }
  /// The model from what has been seen (defaults where too little).
  PathLossModel fit() const;

 private:
  struct Mean {
    double sum = 0;
    uint32_t count = 0;
  };
  std::vector<ApSite> sites_;
  std::vector<double> elevations_;
  std::unordered_map<uint64_t, Mean> pairs_;  // key: (tx << 34) | (rx << 2) | band
  uint64_t reports_ = 0;
};

}  // namespace nmsp::locate
