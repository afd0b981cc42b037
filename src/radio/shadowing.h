#pragma once
// Static shadowing: for each AP and floor a unit-variance Gaussian random field over the floor,
// the same every time it is read at the same place (a device standing still sees a stable
// offset per AP) and decorrelated a few metres away. Gaussian values on a square lattice
// (spacing = correlation distance x kLatticePerCorrelation, offset at random per field) are
// blended with smoothstep weights and renormalised to unit variance; the correlation then
// falls to 1/e at the correlation distance and to about 0 at 2 lattice steps.

#include <cstdint>

namespace nmsp::radio {

inline constexpr double kLatticePerCorrelation = 1.2;

/// The field `field_key` (a hash of seed, AP and floor) at (x, y), in units of sigma: within
/// ±kGaussianLimit.
double shadowingField(uint64_t field_key, double x_m, double y_m, double correlation_m);

}  // namespace nmsp::radio
