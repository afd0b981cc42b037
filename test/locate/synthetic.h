#pragma once
// Synthetic geometry for the engine's tests: venues with APs on a grid, and RSSI from the
// engine's own default model (exponent 3, -20 dBm at 1 m, 15 dB per slab) plus optional noise.
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "locate/engine.h"
#include "locate/path_loss.h"
#include "venue/venue.h"

namespace nmsp::locate::testing {

inline MacAddress apMac(size_t floor, size_t i) {
  MacAddress m;
  m.bytes = {0x00, 0x2b, 0x0f, static_cast<uint8_t>(floor), 0x00, static_cast<uint8_t>(i)};
  return m;
}

inline MacAddress deviceMac(uint32_t i) {
  MacAddress m;
  m.bytes = {0xf4,
             0x8c,
             0x50,
             static_cast<uint8_t>(i >> 16),
             static_cast<uint8_t>(i >> 8),
             static_cast<uint8_t>(i)};
  return m;
}

struct ApPlace {
  double x, y;
};

/// A venue of `floors` floors (4 m apart, 50 x 30 m) with the same APs on each.
inline venue::Venue makeVenue(const std::vector<ApPlace>& aps, size_t floors = 1, double width = 50,
                              double length = 30) {
  venue::Venue v;
  v.name = "synthetic";
  for (size_t f = 0; f < floors; ++f) {
    venue::Floor floor;
    floor.id = std::to_string(f + 1);
    floor.name = "Floor " + floor.id;
    floor.elevation_m = 4.0 * double(f);
    floor.width_m = width;
    floor.length_m = length;
    for (size_t i = 0; i < aps.size(); ++i) {
      venue::Ap ap;
      ap.mac = apMac(f, i);
      ap.name = "AP-" + floor.id + "-" + std::to_string(i);
      ap.x_m = aps[i].x;
      ap.y_m = aps[i].y;
      floor.aps.push_back(ap);
    }
    v.floors.push_back(std::move(floor));
  }
  return v;
}

/// n x m grid of APs spaced evenly inside width x length.
inline std::vector<ApPlace> grid(size_t n, size_t m, double width = 50, double length = 30) {
  std::vector<ApPlace> out;
  for (size_t j = 0; j < m; ++j) {
    for (size_t i = 0; i < n; ++i) {
      out.push_back(
          {width * (double(i) + 0.5) / double(n), length * (double(j) + 0.5) / double(m)});
    }
  }
  return out;
}

/// The readings of a device at (x, y) at height `z_abs` (above the ground floor), every AP of
/// the venue, from the default model with transmit offset `b` and Gaussian noise `sigma_db`.
inline std::vector<Reading> readingsAt(const venue::Venue& v, double x, double y, double z_abs,
                                       uint64_t ts, double b = -5, double sigma_db = 0,
                                       std::mt19937* rng = nullptr, int sensitivity = -95) {
  std::vector<Reading> out;
  std::normal_distribution<double> noise(0.0, sigma_db);
  for (const auto& floor : v.floors) {
    for (const auto& ap : floor.aps) {
      const double az = floor.elevation_m + ap.z_m;
      const double d = std::sqrt((x - ap.x_m) * (x - ap.x_m) + (y - ap.y_m) * (y - ap.y_m) +
                                 (z_abs - az) * (z_abs - az));
      int slabs = 0;
      for (const auto& other : v.floors) {
        if (other.elevation_m > std::min(z_abs, az) && other.elevation_m <= std::max(z_abs, az)) {
          ++slabs;
        }
      }
      double rssi = kDefaultRefDbm24 + b - 10.0 * kDefaultExponent * std::log10(std::max(d, 1.0)) -
                    kDefaultSlabDb * slabs;
      if (sigma_db > 0 && rng != nullptr) {
        rssi += noise(*rng);
      }
      const int r = static_cast<int>(std::lround(rssi));
      if (r >= sensitivity) {
        out.push_back(Reading{ap.mac, r, proto::Band::Band2_4GHz, ts});
      }
    }
  }
  return out;
}

}  // namespace nmsp::locate::testing
