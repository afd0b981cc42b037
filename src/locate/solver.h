#pragma once
// The position fit on one floor (docs/accuracy.md "Method"): robust weighted non-linear least
// squares over (x, y, b), b the transmitter's offset, Levenberg-Marquardt from the best of a few
// starting points, Cauchy loss on the dB residuals, a Gaussian prior on b, clamped to the floor.
#include <cstddef>
#include <optional>
#include <span>

namespace nmsp::locate {

/// One AP's report prepared for a floor: the model is
///   level_db = b - 5 n log10(max((x - ap_x)^2 + (y - ap_y)^2 + dz2, 1))
/// where level_db is the RSSI minus the AP's reference level plus the slab loss to its floor.
struct SolverLink {
  double ap_x = 0;
  double ap_y = 0;
  double dz2 = 0;       // squared height difference between the device and the antenna
  double exponent = 3;  // n
  double level_db = 0;
};

struct SolverSettings {
  double sigma_db = 5.0;         // expected spread of a residual (shadowing and fading)
  double cauchy_scale_db = 6.0;  // residuals well beyond this count less (walls, bad APs)
  int max_iterations = 12;
};

struct SolveInput {
  std::span<const SolverLink> links;
  double width_m = 0;  // the floor outline: 0 <= x <= width, 0 <= y <= length
  double length_m = 0;
  double b_prior = -5;  // prior of b (dB) and its standard deviation
  double b_sigma = 8;
  std::optional<std::pair<double, double>> hint;  // e.g. the tracked position
};

struct SolveResult {
  double x = 0, y = 0, b = 0;
  double cost = 0;                   // robust cost in units of sigma^2 (prior included)
  double cxx = 0, cxy = 0, cyy = 0;  // covariance of (x, y), m^2
  double residual_sigma_db = 0;      // the fit's own estimate of sigma
  int iterations = 0;
};

/// Needs at least one link; meaningful with three or more.
SolveResult solveOnFloor(const SolveInput& input, const SolverSettings& settings = {});

}  // namespace nmsp::locate
