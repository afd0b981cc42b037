#pragma once
// Where devices can go: the floors' rectangles, their rooms (walking destinations entered
// through their doors) and the stairs between floors. Built from the venue and its
// simulator-only parts.

#include <cstdint>
#include <span>
#include <vector>

#include "radio/random.h"
#include "radio/site.h"
#include "venue/venue.h"

namespace nmsp::radio {

/// A point on a floor (x, y in metres on the floor plan).
struct Place {
  float x_m = 0;
  float y_m = 0;
  uint32_t floor = 0;
};

class FloorPlan {
 public:
  FloorPlan(const venue::Venue& venue, const Site& site);

  size_t floorCount() const { return floors_.size(); }
  double elevation(uint32_t floor) const { return floors_[floor].elevation_m; }
  /// The floor whose level is nearest to `elevation_m` (ties: the first in venue order).
  uint32_t nearestFloor(double elevation_m) const;

  /// A floor chosen in proportion to its area.
  uint32_t randomFloor(Rng& rng) const;
  /// A point in one of the floor's rooms (chosen in proportion to area), or anywhere on the
  /// floor if it has no rooms; `margin_m` from the walls where the room is large enough.
  Place randomPlace(uint32_t floor, double margin_m, Rng& rng) const;
  /// The first room holding the place, or nullptr.
  const Room* roomAt(const Place& place) const;

  /// Stairs that reach `floor` (indexes into stairs()).
  std::span<const uint32_t> stairsAt(uint32_t floor) const { return floors_[floor].stairs; }
  const Stairs& stairs(uint32_t index) const { return stairs_[index]; }

 private:
  struct FloorInfo {
    double elevation_m = 0, width_m = 0, length_m = 0;
    std::vector<Room> rooms;
    std::vector<double> room_area_cumulative;
    std::vector<uint32_t> stairs;
  };
  std::vector<FloorInfo> floors_;
  std::vector<double> floor_area_cumulative_;
  std::vector<Stairs> stairs_;
};

}  // namespace nmsp::radio
