#pragma once
// What the APs of a venue hear of one emission (a probe burst, a tag beacon, an AP's neighbour
// packet). Formula and parameters: docs/simulator.md, "Radio model". In short, for AP a:
//
//   rssi = tx + cal_a - L0(band) - 10 n log10(max(d, 1 m)) - slabs - walls
//          + clamp(shadow_a + fading)
//
// rounded to the dBm, reported if >= sensitivity and the AP caught the emission (hear
// probability), and only the max_aps strongest (ties: lower AP index). The search opens grid
// cells ring by ring, best bound first across floors, and drops an AP as soon as the best luck
// in the terms not yet drawn could not lift it to the weakest report kept: its answer equals a
// scan of every AP. Not thread-safe (a search reuses scratch space).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "proto/messages.h"
#include "radio/random.h"
#include "radio/site.h"
#include "radio/uniform_grid.h"
#include "radio/wall_index.h"
#include "venue/venue.h"

namespace nmsp::radio {

struct Emission {
  double x_m = 0;  // floor-plan coordinates (all floors of a venue share the origin)
  double y_m = 0;
  double height_m = 0;  // absolute: floor elevation + height above that floor
  uint32_t floor = 0;   // the floor whose walls and shadowing apply (nearest in height)
  proto::Band band = proto::Band::Band2_4GHz;
  double tx_dbm = 15;
  uint64_t key = 0;             // randomness of this emission (fading, misses)
  int64_t transmitter_ap = -1;  // an AP's own emission: it does not hear itself
};

/// Reports are whole dBm: nearest integer, halves up.
inline int roundDbm(double dbm) {
  return static_cast<int>(std::floor(dbm + 0.5));
}

struct Reception {
  uint32_t ap = 0;  // index in venue order (floor by floor)
  int rssi_dbm = 0;
};

/// The terms of one link, for tests and documentation.
struct LinkBudget {
  double base_db = 0;  // tx + calibration - path loss - slabs
  double shadow_db = 0;
  double fading_db = 0;
  double wall_db = 0;          // <= 0
  double luck_limit_db = 1e9;  // shadowing + fading together stay within +-this
  double total() const {
    return base_db + std::clamp(shadow_db + fading_db, -luck_limit_db, luck_limit_db) + wall_db;
  }
};

class RadioModel {
 public:
  static constexpr size_t kMaxReceptions = proto::kMaxApsPerDevice;
  using Receptions = std::array<Reception, kMaxReceptions>;

  RadioModel(const venue::Venue& venue, const Site& site, uint64_t seed);
  ~RadioModel();
  RadioModel(RadioModel&&) noexcept;

  /// The reports of an emission, strongest first; returns how many (<= params.max_aps).
  size_t receive(const Emission& emission, Receptions& out) const;
  /// The same answer by evaluating every AP (for tests of the spatial search).
  size_t receiveByScan(const Emission& emission, Receptions& out) const;
  LinkBudget linkBudget(const Emission& emission, uint32_t ap) const;

  const RadioParams& params() const { return params_; }
  size_t apCount() const { return aps_.size(); }
  size_t floorCount() const { return floors_.size(); }
  uint32_t apFloor(uint32_t ap) const { return aps_[ap].floor; }
  double apCalibrationDb(uint32_t ap) const { return aps_[ap].cal_db; }
  /// An AP's antenna, as an emission's position.
  void placeAtAp(uint32_t ap, Emission& emission) const;
  double floorElevation(uint32_t floor) const { return floors_[floor].elevation_m; }
  /// Sum of the slabs strictly between two absolute heights.
  double slabLossDb(double height_a, double height_b) const;
  size_t memoryBytes() const;

 private:
  struct ApSite {
    double x_m, y_m, height_m, cal_db;
    uint32_t floor;
    uint32_t index;  // global
  };
  struct FloorModel {
    double elevation_m = 0;
    FloorEnvironment env;
    double slab_db = 0;
    WallIndex walls;
    UniformGrid ap_grid;
    std::vector<uint32_t> aps;       // global indexes; the grid holds positions in this list
    std::vector<ApSite> cell_sites;  // the APs in the grid's cell order, read cell by cell
    double ap_height_min = 0, ap_height_max = 0;
    double max_cal_db = 0;
    double luck_limit_db = 0;           // kGaussianLimit x the spread of shadowing + fading
    bool one_height = true;             // all APs at one height: one slab loss per emission
    std::vector<uint32_t> by_distance;  // every floor, nearest in height first
  };
  class Best;         // the strongest receptions so far
  struct Search;      // one emission's search: the emission and its best receptions
  class FloorCursor;  // one floor's rings of grid cells, nearest first

  static double distance2(const Emission& e, const ApSite& ap);
  double baseDb(const Emission& e, const ApSite& ap, double distance2_m2, double slab_db) const;
  double shadowDb(const Emission& e, uint32_t ap) const;
  double fadingDb(uint64_t emission_ap_hash, const ApSite& ap) const;
  /// <= 0; once the loss reaches `enough_db` the count may stop (the AP is dropped anyway).
  double wallDb(const Emission& e, const ApSite& ap, double enough_db) const;
  Search startSearch(const Emission& e) const;
  void consider(Search& s, const ApSite& site, double reach2, double cell_base_db) const;

  RadioParams params_;
  uint64_t shadow_seed_;
  std::vector<ApSite> aps_;
  std::vector<FloorModel> floors_;
  std::vector<uint32_t> floors_by_height_;
  // Reused by every search (so a search allocates nothing); why the model is not thread-safe.
  struct Scratch;
  std::unique_ptr<Scratch> scratch_;
};

}  // namespace nmsp::radio
