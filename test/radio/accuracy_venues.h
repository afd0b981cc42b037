#pragma once
// The specs of the venues of the accuracy sets (issue 7): data/venues/accuracy-a.json and
// accuracy-b.json are makeOfficeVenue() of these, printed by print_venues and checked by
// accuracy_venues_test.

#include "radio/office_venue.h"

namespace nmsp::radio::test {

// (a) One floor 50 x 30 m, 12 APs about 14 m apart, exponent 3, 4 dB static shadowing, 3 dB
// fading, ±3 dB transmit differences, ±2 dB AP calibration errors, interior walls.
inline OfficeSpec accuracyVenueA() {
  OfficeSpec spec;
  spec.name = "accuracy-a: one floor, 50 x 30 m, 12 APs";
  spec.floors = 1;
  spec.width_m = 50;
  spec.length_m = 30;
  spec.ap_columns = 4;
  spec.ap_rows = 3;
  spec.ap_spacing_x_m = 14;
  spec.ap_spacing_y_m = 12;
  spec.mac_prefix = 0x0a;
  spec.band_length_m = 30;
  spec.layout_seed = 1;
  spec.radio = {{"path_loss_exponent", 3.0},      {"shadowing_sigma_db", 4.0},
                {"shadowing_correlation_m", 6.0}, {"fading_sigma_db", 3.0},
                {"device_tx_spread_db", 3.0},     {"ap_calibration_db", 2.0}};
  return spec;
}

// (b) Three floors 60 x 40 m, 15 APs a floor, exponent 3.3, 5 dB shadowing, 14 dB per slab,
// stairs at both ends of the corridor.
inline OfficeSpec accuracyVenueB() {
  OfficeSpec spec;
  spec.name = "accuracy-b: three floors, 60 x 40 m, 15 APs a floor";
  spec.floors = 3;
  spec.floor_height_m = 4;
  spec.width_m = 60;
  spec.length_m = 40;
  spec.ap_columns = 5;
  spec.ap_rows = 3;
  spec.ap_spacing_x_m = 12;
  spec.ap_spacing_y_m = 13;
  spec.mac_prefix = 0x0b;
  spec.band_length_m = 40;
  spec.layout_seed = 2;
  spec.radio = {
      {"path_loss_exponent", 3.3}, {"shadowing_sigma_db", 5.0}, {"shadowing_correlation_m", 6.0},
      {"fading_sigma_db", 3.0},    {"slab_db", 14.0},           {"device_tx_spread_db", 3.0},
      {"ap_calibration_db", 2.0}};
  return spec;
}

}  // namespace nmsp::radio::test
