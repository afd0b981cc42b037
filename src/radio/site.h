#pragma once
// The simulator-only parts of a venue file: walls, slabs, rooms, stairs and the "radio"
// parameters. They model what a location engine is not told, so they are read here and only
// here (docs/simulator.md lists the keys). Inside these objects unknown keys are refused: a
// misspelt parameter must not be ignored in silence.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "radio/radio_params.h"
#include "venue/venue.h"

namespace nmsp::radio {

struct Wall {
  double x1_m = 0, y1_m = 0, x2_m = 0, y2_m = 0;
  double attenuation_db = 0;  // at 2.4 GHz
};

/// A walking destination: a rectangle, entered and left through its door (if it has one).
struct Room {
  std::string name;
  double x_m = 0, y_m = 0, width_m = 0, length_m = 0;
  std::optional<std::pair<double, double>> door;  // (x, y) on the room's edge
};

/// A staircase joining floors at one (x, y); devices climb between any two of its floors.
struct Stairs {
  std::string name;
  double x_m = 0, y_m = 0;
  std::vector<uint32_t> floors;  // indexes into the venue's floors
};

struct FloorSite {
  FloorEnvironment environment;
  double slab_db = 0;  // the slab at this floor's level (crossed between it and the one below)
  std::vector<Wall> walls;
  std::vector<Room> rooms;
};

struct Site {
  RadioParams params;
  std::vector<FloorSite> floors;  // parallel to venue.floors
  std::vector<Stairs> stairs;
};

/// Reads the simulator-only members of a valid venue; errors name the JSON path
/// ("floors[0].walls[3].attenuation_db: expected number 0..100, got -3").
Result<Site, std::string> siteFromVenue(const venue::Venue& venue);

}  // namespace nmsp::radio
