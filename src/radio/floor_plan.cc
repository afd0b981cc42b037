#include "radio/floor_plan.h"

#include <algorithm>
#include <cmath>

namespace nmsp::radio {
namespace {

// Index of the first cumulative weight above u * total.
size_t pickWeighted(const std::vector<double>& cumulative, Rng& rng) {
  const double u = rng.uniform() * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
  return std::min(static_cast<size_t>(it - cumulative.begin()), cumulative.size() - 1);
}

float within(double lo, double extent, double margin, Rng& rng) {
  const double m = std::min(margin, extent / 4);
  return static_cast<float>(rng.uniform(lo + m, lo + extent - m));
}

}  // namespace

FloorPlan::FloorPlan(const venue::Venue& venue, const Site& site) : stairs_(site.stairs) {
  double total = 0;
  for (size_t f = 0; f < venue.floors.size(); ++f) {
    const venue::Floor& vf = venue.floors[f];
    FloorInfo info{vf.elevation_m, vf.width_m, vf.length_m, site.floors[f].rooms, {}, {}};
    double rooms = 0;
    for (const Room& room : info.rooms) {
      rooms += room.width_m * room.length_m;
      info.room_area_cumulative.push_back(rooms);
    }
    total += vf.width_m * vf.length_m;
    floor_area_cumulative_.push_back(total);
    floors_.push_back(std::move(info));
  }
  for (uint32_t s = 0; s < stairs_.size(); ++s) {
    for (uint32_t f : stairs_[s].floors) {
      floors_[f].stairs.push_back(s);
    }
  }
}

uint32_t FloorPlan::nearestFloor(double elevation_m) const {
  uint32_t best = 0;
  for (uint32_t f = 1; f < floors_.size(); ++f) {
    if (std::abs(floors_[f].elevation_m - elevation_m) <
        std::abs(floors_[best].elevation_m - elevation_m)) {
      best = f;
    }
  }
  return best;
}

uint32_t FloorPlan::randomFloor(Rng& rng) const {
  return static_cast<uint32_t>(pickWeighted(floor_area_cumulative_, rng));
}

Place FloorPlan::randomPlace(uint32_t floor, double margin_m, Rng& rng) const {
  const FloorInfo& info = floors_[floor];
  if (info.rooms.empty()) {
    return Place{within(0, info.width_m, margin_m, rng), within(0, info.length_m, margin_m, rng),
                 floor};
  }
  const Room& room = info.rooms[pickWeighted(info.room_area_cumulative, rng)];
  return Place{within(room.x_m, room.width_m, margin_m, rng),
               within(room.y_m, room.length_m, margin_m, rng), floor};
}

const Room* FloorPlan::roomAt(const Place& place) const {
  for (const Room& room : floors_[place.floor].rooms) {
    if (place.x_m >= room.x_m && place.x_m <= room.x_m + room.width_m && place.y_m >= room.y_m &&
        place.y_m <= room.y_m + room.length_m) {
      return &room;
    }
  }
  return nullptr;
}

}  // namespace nmsp::radio
