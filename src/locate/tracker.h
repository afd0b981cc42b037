#pragma once
// Per-device tracking on a floor (docs/accuracy.md "Tracking"): a two-hypothesis filter on the
// position. Between two fixes the device either stood still (the position drifts by a few
// centimetres) or moved (by up to walking speed times the time elapsed); each fix weighs the
// two by how well they explain it, so a still device averages its fixes and a walking one
// follows them without lag.
#include <cstdint>

namespace nmsp::locate {

struct TrackerSettings {
  double still_drift_m2_per_s = 0.002;  // variance a still device's position gains per second
  double walk_speed_mps = 1.5;          // the fastest expected walking speed
  double min_move_m = 1.0;              // a move is at least this large
};

struct Track {
  float x = 0, y = 0;
  float pxx = 0, pxy = 0, pyy = 0;  // covariance, m^2
  float p_moving = 0.2f;            // probability the device was moving at the last fix
  uint64_t ts_ms = 0;
  bool valid = false;
};

struct Fix {
  double x = 0, y = 0;
  double cxx = 0, cxy = 0, cyy = 0;  // its covariance
  uint64_t ts_ms = 0;
};

/// Folds a fix into the track (starts it if not valid). Times going backwards count as 0 s.
void updateTrack(Track& track, const Fix& fix, const TrackerSettings& settings = {});

}  // namespace nmsp::locate
