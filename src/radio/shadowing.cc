#include "radio/shadowing.h"

#include <cmath>

#include "radio/random.h"

namespace nmsp::radio {

double shadowingField(uint64_t field_key, double x_m, double y_m, double correlation_m) {
  const double step = correlation_m * kLatticePerCorrelation;
  const double u = x_m / step + unitFromHash(hashOf(field_key, 1));
  const double v = y_m / step + unitFromHash(hashOf(field_key, 2));
  const double iu = std::floor(u);
  const double iv = std::floor(v);
  auto smooth = [](double t) { return t * t * (3 - 2 * t); };
  const double su = smooth(u - iu);
  const double sv = smooth(v - iv);
  const auto i = static_cast<int64_t>(iu);
  const auto j = static_cast<int64_t>(iv);
  auto node = [&](int64_t a, int64_t b) {
    return gaussianFromHash(hashOf(field_key, static_cast<uint64_t>(a), static_cast<uint64_t>(b)));
  };
  const double w00 = (1 - su) * (1 - sv);
  const double w10 = su * (1 - sv);
  const double w01 = (1 - su) * sv;
  const double w11 = su * sv;
  const double sum =
      w00 * node(i, j) + w10 * node(i + 1, j) + w01 * node(i, j + 1) + w11 * node(i + 1, j + 1);
  // The normalisation keeps unit variance everywhere, and a convex combination of values within
  // ±limit divided by a norm <= 1 could exceed the limit: clamp to keep the bound exact.
  const double value = sum / std::sqrt(w00 * w00 + w10 * w10 + w01 * w01 + w11 * w11);
  return std::fmax(-kGaussianLimit, std::fmin(kGaussianLimit, value));
}

}  // namespace nmsp::radio
