#include "radio/mobility.h"

#include <algorithm>
#include <cmath>

namespace nmsp::radio {
namespace {

constexpr double kMsPerS = 1000.0;

}  // namespace

Mobility Mobility::still(const Place& place, double elevation_m) {
  Mobility m;
  m.points_[0] = {place.x_m, place.y_m, static_cast<float>(elevation_m), place.floor};
  return m;
}

Mobility Mobility::walker(const Place& place, double elevation_m, float speed_mps,
                          uint64_t dwell_until_ms, bool uses_stairs) {
  Mobility m = still(place, elevation_m);
  m.speed_mps_ = speed_mps;
  m.uses_stairs_ = uses_stairs;
  m.state_ = State::Dwelling;
  m.leg_end_ms_ = dwell_until_ms;
  return m;
}

void Mobility::push(const Place& place, const FloorPlan& plan) {
  const Waypoint& last = points_[count_ - 1];
  if (last.x_m == place.x_m && last.y_m == place.y_m && last.floor == place.floor) {
    return;  // no zero-length legs
  }
  points_[count_++] = {place.x_m, place.y_m, static_cast<float>(plan.elevation(place.floor)),
                       place.floor};
}

void Mobility::planTrip(uint64_t start_ms, const FloorPlan& plan, const MotionParams& params,
                        Rng& rng) {
  const Waypoint here = points_[count_ - 1];
  const Place from{here.x_m, here.y_m, here.floor};
  points_[0] = here;
  count_ = 1;
  uint32_t floor = here.floor;
  const auto stairs_here = plan.stairsAt(floor);
  const Stairs* stairs = nullptr;
  if (uses_stairs_ && !stairs_here.empty() && rng.chance(params.floor_change_probability)) {
    stairs = &plan.stairs(stairs_here[rng.below(static_cast<uint32_t>(stairs_here.size()))]);
    const auto others = static_cast<uint32_t>(stairs->floors.size() - 1);
    uint32_t pick = rng.below(others);
    for (uint32_t f : stairs->floors) {  // the pick-th floor other than this one
      if (f != floor && pick-- == 0) {
        floor = f;
        break;
      }
    }
  }
  const Place to = plan.randomPlace(floor, params.room_margin_m, rng);
  const Room* from_room = plan.roomAt(from);
  const Room* to_room = plan.roomAt(to);
  if (stairs != nullptr || from_room != to_room) {
    if (from_room != nullptr && from_room->door) {
      push({static_cast<float>(from_room->door->first), static_cast<float>(from_room->door->second),
            here.floor},
           plan);
    }
    if (stairs != nullptr) {
      const auto sx = static_cast<float>(stairs->x_m);
      const auto sy = static_cast<float>(stairs->y_m);
      push({sx, sy, here.floor}, plan);
      push({sx, sy, floor}, plan);
    }
    if (to_room != nullptr && to_room->door) {
      push({static_cast<float>(to_room->door->first), static_cast<float>(to_room->door->second),
            floor},
           plan);
    }
  }
  push(to, plan);
  leg_ = 0;
  state_ = count_ > 1 ? State::Moving : State::Dwelling;
  leg_start_ms_ = start_ms;
  leg_end_ms_ = count_ > 1 ? legEnd(start_ms, params) : start_ms + 1000;  // drew this spot
}

uint64_t Mobility::legEnd(uint64_t start_ms, const MotionParams& params) const {
  const Waypoint& a = points_[leg_];
  const Waypoint& b = points_[leg_ + 1];
  const double seconds =
      a.floor != b.floor
          ? std::abs(b.elevation_m - a.elevation_m) / params.stair_climb_mps
          : std::hypot(b.x_m - a.x_m, b.y_m - a.y_m) / static_cast<double>(speed_mps_);
  return start_ms + std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(seconds * kMsPerS)));
}

void Mobility::advance(uint64_t t_ms, const FloorPlan& plan, const MotionParams& params,
                       const DwellRange& dwell, Rng& rng) {
  while (state_ != State::Still && t_ms >= leg_end_ms_) {
    if (state_ == State::Dwelling) {
      planTrip(leg_end_ms_, plan, params, rng);
      continue;
    }
    const uint64_t arrived = leg_end_ms_;
    if (++leg_ + 1 < count_) {
      leg_start_ms_ = arrived;
      leg_end_ms_ = legEnd(arrived, params);
      continue;
    }
    points_[0] = points_[count_ - 1];
    count_ = 1;
    leg_ = 0;
    state_ = State::Dwelling;
    leg_end_ms_ =
        arrived + static_cast<uint64_t>(rng.logUniform(dwell.min_s, dwell.max_s) * kMsPerS);
  }
}

Whereabouts Mobility::at(uint64_t t_ms, const FloorPlan& plan) const {
  if (state_ != State::Moving) {
    const Waypoint& p = points_[0];
    return {p.x_m, p.y_m, p.elevation_m, p.floor, measurement::Motion::Still};
  }
  const Waypoint& a = points_[leg_];
  const Waypoint& b = points_[leg_ + 1];
  const double span = static_cast<double>(leg_end_ms_ - leg_start_ms_);
  const double u =
      std::clamp(static_cast<double>(t_ms - std::min(t_ms, leg_start_ms_)) / span, 0.0, 1.0);
  Whereabouts w;
  w.x_m = a.x_m + (b.x_m - a.x_m) * u;
  w.y_m = a.y_m + (b.y_m - a.y_m) * u;
  w.elevation_m = a.elevation_m + (b.elevation_m - a.elevation_m) * u;
  if (a.floor == b.floor) {
    w.floor = a.floor;
    w.motion = measurement::Motion::Walking;
  } else {
    w.floor = plan.nearestFloor(w.elevation_m);
    w.motion = measurement::Motion::Stairs;
  }
  return w;
}

}  // namespace nmsp::radio
