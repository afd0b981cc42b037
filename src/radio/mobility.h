#pragma once
// How one device moves: it stays put (dwells), then walks to a new place at its own speed,
// through the door of the room it leaves and of the room it enters, sometimes via stairs to
// another floor, and dwells again. Positions are computed from the current leg when asked;
// nothing is updated per tick. About 100 bytes per device.

#include <array>
#include <cstdint>

#include "measurement/truth.h"
#include "radio/floor_plan.h"
#include "radio/random.h"

namespace nmsp::radio {

struct MotionParams {
  double walk_speed_min_mps = 1.0;  // each walker's speed: uniform in [min, max]
  double walk_speed_max_mps = 1.5;
  double stair_user_fraction = 0.1;       // walkers who ever change floors (where stairs are)
  double floor_change_probability = 0.3;  // a stair user's trip goes to another floor
  double stair_climb_mps = 0.3;           // vertical speed on stairs
  double room_margin_m = 0.5;             // destinations keep this far from room walls
};

/// How long a walker stays at each place: log-uniform in [min_s, max_s].
struct DwellRange {
  double min_s = 10;
  double max_s = 300;
};

/// Where a device is at one time.
struct Whereabouts {
  double x_m = 0;
  double y_m = 0;
  double elevation_m = 0;  // of the floor level under the device (between levels on stairs)
  uint32_t floor = 0;      // the floor nearest to that level
  measurement::Motion motion = measurement::Motion::Still;
};

class Mobility {
 public:
  Mobility() = default;
  /// A device that never moves.
  static Mobility still(const Place& place, double elevation_m);
  /// A walker that stays at `place` until `dwell_until_ms`, then moves on (to other floors
  /// too if `uses_stairs`).
  static Mobility walker(const Place& place, double elevation_m, float speed_mps,
                         uint64_t dwell_until_ms, bool uses_stairs);

  /// Runs the device's plan up to `t_ms` (never backwards): finishes legs, draws new trips.
  void advance(uint64_t t_ms, const FloorPlan& plan, const MotionParams& params,
               const DwellRange& dwell, Rng& rng);
  /// Where it is at `t_ms` (after advance(t_ms)).
  Whereabouts at(uint64_t t_ms, const FloorPlan& plan) const;

  bool moving() const { return state_ == State::Moving; }

 private:
  struct Waypoint {
    float x_m, y_m, elevation_m;
    uint32_t floor;
  };
  // current, door, stairs on this floor, stairs on the other, door, destination
  static constexpr size_t kMaxWaypoints = 6;
  enum class State : uint8_t { Still, Dwelling, Moving };

  void planTrip(uint64_t start_ms, const FloorPlan& plan, const MotionParams& params, Rng& rng);
  void push(const Place& place, const FloorPlan& plan);
  uint64_t legEnd(uint64_t start_ms, const MotionParams& params) const;

  std::array<Waypoint, kMaxWaypoints> points_{};
  uint64_t leg_start_ms_ = 0;
  uint64_t leg_end_ms_ = 0;  // while moving; while dwelling: when the dwell ends
  float speed_mps_ = 1;
  uint8_t count_ = 1;
  uint8_t leg_ = 0;  // moving from points_[leg_] to points_[leg_ + 1]
  State state_ = State::Still;
  bool uses_stairs_ = false;
};

}  // namespace nmsp::radio
