#pragma once
// A venue: one building, its floors and the managed APs on them (docs/simulator.md, "Venue
// file", a contract shared by the simulator, the MSE's maps and `nmsp locate`). Metres, origin at
// a floor's top-left corner, x along its width, y along its length.
//
// Members this library does not know are kept in `extra` at every level and written back. Some
// of them are read by the radio simulator only (walls, slabs, rooms, stairs, path-loss
// parameters): they model what a location engine is not told, so nothing here exposes them.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/mac_address.h"

namespace nmsp::venue {

inline constexpr double kDefaultApHeightM = 3.0;

struct Ap {
  MacAddress mac;
  std::string name;
  double x_m = 0;
  double y_m = 0;
  double z_m = kDefaultApHeightM;  // mounting height above its own floor
  nlohmann::json extra = nlohmann::json::object();
};

struct Floor {
  std::string id;  // unique in the venue; the "floor" of location records
  std::string name;
  double elevation_m = 0;  // height of this floor above the ground floor
  double width_m = 0;      // extent along x
  double length_m = 0;     // extent along y
  std::vector<Ap> aps;
  nlohmann::json extra = nlohmann::json::object();
};

struct Venue {
  std::string name;
  std::vector<Floor> floors;
  nlohmann::json extra = nlohmann::json::object();
};

/// Where an AP sits in a venue (indexes into `floors` and the floor's `aps`).
struct ApRef {
  size_t floor = 0;
  size_t ap = 0;
};

const Floor* findFloor(const Venue& venue, std::string_view id);
std::optional<ApRef> findAp(const Venue& venue, const MacAddress& mac);
size_t apCount(const Venue& venue);

}  // namespace nmsp::venue
