#pragma once
// Generated office buildings for benchmarks, tests and the accuracy sets (data/venues): floors
// of corridors with rooms on both sides, APs on a regular ceiling grid, interior walls of
// drywall and some concrete, and stairs at the corridor ends. The layout is a pure function of
// the spec (its own seed), written out as an ordinary venue file with simulator-only extras.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "venue/venue.h"

namespace nmsp::radio {

struct OfficeSpec {
  std::string name = "office";
  uint32_t floors = 1;
  double floor_height_m = 4.0;
  double width_m = 50;
  double length_m = 30;
  uint32_t ap_columns = 4;  // APs per floor: columns x rows, centred on the floor
  uint32_t ap_rows = 3;
  double ap_spacing_x_m = 14;
  double ap_spacing_y_m = 12;
  double ap_jitter_m = 1.0;    // each AP off the grid by up to this much (x and y)
  bool stagger_floors = true;  // odd floors' grid shifted by a quarter spacing
  uint8_t mac_prefix = 0x01;   // APs are 00:2b:<prefix>:<floor>:<index>
  double corridor_width_m = 3.0;
  double band_length_m = 30;  // a corridor with rooms on both sides per this much length
  double room_width_min_m = 6;
  double room_width_max_m = 10;
  double open_plan_probability = 0.25;  // a partition left out (two rooms as one)
  double drywall_min_db = 3, drywall_max_db = 5;
  double concrete_probability = 0.15;
  double concrete_min_db = 10, concrete_max_db = 14;
  bool stairs = true;  // at both ends of the first corridor (several floors)
  uint64_t layout_seed = 1;
  nlohmann::json radio = nlohmann::json::object();  // the venue's "radio" parameters
};

venue::Venue makeOfficeVenue(const OfficeSpec& spec);

/// A Catalyst 9800-80's scale for the benchmarks: 10 floors of 420 x 280 m, 30 x 20 APs 14 m
/// apart on each (6,000 APs), corridors every 28 m.
OfficeSpec catalyst9800ScaleSpec();

}  // namespace nmsp::radio
