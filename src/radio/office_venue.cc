#include "radio/office_venue.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "radio/random.h"

namespace nmsp::radio {
namespace {

using nlohmann::json;

double rounded(double v) {
  return std::round(v * 100) / 100;
}  // centimetres in the file

json wall(double x1, double y1, double x2, double y2, double db, const char* material) {
  return {{"x1_m", rounded(x1)}, {"y1_m", rounded(y1)},           {"x2_m", rounded(x2)},
          {"y2_m", rounded(y2)}, {"attenuation_db", rounded(db)}, {"material", material}};
}

class Layout {
 public:
  Layout(const OfficeSpec& spec, Rng& rng) : spec_(spec), rng_(rng) {}

  json walls = json::array();
  json rooms = json::array();

  void partition(double x1, double y1, double x2, double y2) {
    if (rng_.chance(spec_.concrete_probability)) {
      walls.push_back(wall(x1, y1, x2, y2,
                           rng_.uniform(spec_.concrete_min_db, spec_.concrete_max_db), "concrete"));
    } else {
      walls.push_back(wall(x1, y1, x2, y2, rng_.uniform(spec_.drywall_min_db, spec_.drywall_max_db),
                           "drywall"));
    }
  }

  // A row of rooms between y0 and y1 whose doors open onto the corridor edge at door_y.
  void roomRow(double y0, double y1, double door_y, int floor, int& room_number) {
    constexpr double kDoorHalfWidthM = 0.5;
    double x = 0;
    double corridor_wall_from = 0;
    while (x < spec_.width_m - 0.1) {
      double w = rng_.uniform(spec_.room_width_min_m, spec_.room_width_max_m);
      if (spec_.width_m - (x + w) < spec_.room_width_min_m) {
        w = spec_.width_m - x;  // the last room takes the rest
      }
      const double door_x = x + w / 2;
      rooms.push_back({{"name", fmt::format("{}-{:03}", floor, ++room_number)},
                       {"x_m", rounded(x)},
                       {"y_m", rounded(y0)},
                       {"width_m", rounded(w)},
                       {"length_m", rounded(y1 - y0)},
                       {"door", {{"x_m", rounded(door_x)}, {"y_m", rounded(door_y)}}}});
      // The corridor wall, with a gap at the door.
      partition(corridor_wall_from, door_y, door_x - kDoorHalfWidthM, door_y);
      corridor_wall_from = door_x + kDoorHalfWidthM;
      x += w;
      if (x < spec_.width_m - 0.1 && !rng_.chance(spec_.open_plan_probability)) {
        partition(x, y0, x, y1);
      }
    }
    partition(corridor_wall_from, door_y, spec_.width_m, door_y);
  }

 private:
  const OfficeSpec& spec_;
  Rng& rng_;
};

}  // namespace

venue::Venue makeOfficeVenue(const OfficeSpec& spec) {
  Rng rng(hashOf(spec.layout_seed, 0x6f6666696365ULL));  // "office"
  venue::Venue venue;
  venue.name = spec.name;
  const auto bands =
      std::max<uint32_t>(1, static_cast<uint32_t>(std::lround(spec.length_m / spec.band_length_m)));
  const double band = spec.length_m / bands;
  const double first_corridor_y = band / 2;
  for (uint32_t f = 0; f < spec.floors; ++f) {
    venue::Floor floor;
    floor.id = std::to_string(f + 1);
    floor.name = f == 0 ? "Ground floor" : fmt::format("Floor {}", f + 1);
    floor.elevation_m = f * spec.floor_height_m;
    floor.width_m = spec.width_m;
    floor.length_m = spec.length_m;
    const bool shifted = spec.stagger_floors && f % 2 == 1;
    const double x0 = (spec.width_m - (spec.ap_columns - 1) * spec.ap_spacing_x_m) / 2 +
                      (shifted ? spec.ap_spacing_x_m / 4 : 0);
    const double y0 = (spec.length_m - (spec.ap_rows - 1) * spec.ap_spacing_y_m) / 2 +
                      (shifted ? spec.ap_spacing_y_m / 4 : 0);
    uint32_t index = 0;
    for (uint32_t r = 0; r < spec.ap_rows; ++r) {
      for (uint32_t c = 0; c < spec.ap_columns; ++c, ++index) {
        venue::Ap ap;
        ap.mac = MacAddress{{0x00, 0x2b, spec.mac_prefix, static_cast<uint8_t>(f),
                             static_cast<uint8_t>(index >> 8), static_cast<uint8_t>(index)}};
        ap.name = fmt::format("AP-{}-{:02}", floor.id, index + 1);
        ap.x_m = rounded(std::clamp(
            x0 + c * spec.ap_spacing_x_m + rng.uniform(-spec.ap_jitter_m, spec.ap_jitter_m), 0.5,
            spec.width_m - 0.5));
        ap.y_m = rounded(std::clamp(
            y0 + r * spec.ap_spacing_y_m + rng.uniform(-spec.ap_jitter_m, spec.ap_jitter_m), 0.5,
            spec.length_m - 0.5));
        floor.aps.push_back(std::move(ap));
      }
    }
    Layout layout(spec, rng);
    int room_number = 0;
    for (uint32_t b = 0; b < bands; ++b) {
      const double top = b * band;
      const double mid = top + band / 2;
      const double half = spec.corridor_width_m / 2;
      layout.roomRow(top, mid - half, mid - half, static_cast<int>(f + 1), room_number);
      layout.roomRow(mid + half, top + band, mid + half, static_cast<int>(f + 1), room_number);
      if (b > 0) {  // bands are separated by a structural wall
        layout.walls.push_back(wall(0, top, spec.width_m, top,
                                    rng.uniform(spec.concrete_min_db, spec.concrete_max_db),
                                    "concrete"));
      }
    }
    floor.extra["walls"] = std::move(layout.walls);
    floor.extra["rooms"] = std::move(layout.rooms);
    venue.floors.push_back(std::move(floor));
  }
  if (spec.stairs && spec.floors > 1) {
    json ids = json::array();
    for (const auto& floor : venue.floors) {
      ids.push_back(floor.id);
    }
    venue.extra["stairs"] = json::array(
        {{{"name", "west"}, {"x_m", 1.5}, {"y_m", rounded(first_corridor_y)}, {"floors", ids}},
         {{"name", "east"},
          {"x_m", rounded(spec.width_m - 1.5)},
          {"y_m", rounded(first_corridor_y)},
          {"floors", ids}}});
  }
  if (!spec.radio.empty()) {
    venue.extra["radio"] = spec.radio;
  }
  return venue;
}

OfficeSpec catalyst9800ScaleSpec() {
  OfficeSpec spec;
  spec.name = "9800-80 scale";
  spec.floors = 10;
  spec.width_m = 420;
  spec.length_m = 280;
  spec.ap_columns = 30;
  spec.ap_rows = 20;
  spec.ap_spacing_x_m = 14;
  spec.ap_spacing_y_m = 14;
  spec.band_length_m = 28;
  return spec;
}

}  // namespace nmsp::radio
