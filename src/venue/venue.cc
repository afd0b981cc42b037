#include "venue/venue.h"

namespace nmsp::venue {

const Floor* findFloor(const Venue& venue, std::string_view id) {
  for (const auto& floor : venue.floors) {
    if (floor.id == id) {
      return &floor;
    }
  }
  return nullptr;
}

std::optional<ApRef> findAp(const Venue& venue, const MacAddress& mac) {
  for (size_t f = 0; f < venue.floors.size(); ++f) {
    const auto& aps = venue.floors[f].aps;
    for (size_t a = 0; a < aps.size(); ++a) {
      if (aps[a].mac == mac) {
        return ApRef{f, a};
      }
    }
  }
  return std::nullopt;
}

size_t apCount(const Venue& venue) {
  size_t n = 0;
  for (const auto& floor : venue.floors) {
    n += floor.aps.size();
  }
  return n;
}

}  // namespace nmsp::venue
