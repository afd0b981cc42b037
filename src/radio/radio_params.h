#pragma once
// The physics of a site: what the venue file's simulator-only "radio" object sets (venue-wide,
// with per-floor overrides of the environment terms). Defaults and formulas: docs/simulator.md,
// "Radio model".

#include <cstdint>

#include "proto/messages.h"

namespace nmsp::radio {

/// The terms a floor's own "radio" object may override.
struct FloorEnvironment {
  double path_loss_exponent = 3.0;
  double shadowing_sigma_db = 4.0;
  double shadowing_correlation_m = 6.0;  // static shadowing correlation falls to 1/e here
  double fading_sigma_db = 3.0;
  bool operator==(const FloorEnvironment&) const = default;
};

struct RadioParams {
  FloorEnvironment environment;      // every floor's, unless it overrides
  double ref_loss_2_4ghz_db = 40.0;  // path loss at 1 m, antenna gains included
  double ref_loss_5ghz_db = 46.5;
  double ref_loss_6ghz_db = 47.5;
  double device_tx_spread_db = 3.0;  // each device's offset: uniform in ±spread
  double ap_calibration_db = 2.0;    // each AP's gain error: uniform in ±calibration
  double slab_db = 14.0;             // a floor slab, unless the floor says "slab_db"
  double wall_factor_5ghz = 1.3;     // walls attenuate 5/6 GHz this much more than 2.4 GHz
  double max_wall_loss_db = 25.0;    // walls of one path add up to at most this
  int sensitivity_dbm = -92;         // weaker reports are not made
  int max_aps = 16;                  // strongest APs reported per emission (controller cap)
  double hear_probability = 0.9;     // an AP in range catches a given emission
  int noise_floor_dbm = -95;         // SNR = RSSI - noise floor
  bool operator==(const RadioParams&) const = default;

  double refLossDb(proto::Band band) const {
    switch (band) {
      case proto::Band::Band2_4GHz:
        return ref_loss_2_4ghz_db;
      case proto::Band::Band6GHz:
        return ref_loss_6ghz_db;
      default:
        return ref_loss_5ghz_db;
    }
  }
};

}  // namespace nmsp::radio
