#include "radio/random.h"

#include <algorithm>
#include <array>

namespace nmsp::radio {
namespace {

// Acklam's rational approximation of the normal quantile (relative error < 1.2e-9).
double normalQuantile(double p) {
  constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                          1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                          6.680131188771972e+01, -1.328068155288572e+01};
  constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                          -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                          3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  if (p < kLow) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - kLow) {
    const double q = std::sqrt(-2 * std::log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

constexpr size_t kTableBits = 12;
constexpr size_t kTableSize = size_t{1} << kTableBits;

// Quantiles at the cell midpoints (i + 0.5) / 4096: the table's mean is 0 by symmetry.
const std::array<double, kTableSize>& gaussianTable() {
  static const auto table = [] {
    std::array<double, kTableSize> t{};
    for (size_t i = 0; i < kTableSize; ++i) {
      const double p = (static_cast<double>(i) + 0.5) / static_cast<double>(kTableSize);
      t[i] = std::clamp(normalQuantile(p), -kGaussianLimit, kGaussianLimit);
    }
    return t;
  }();
  return table;
}

}  // namespace

double gaussianFromHash(uint64_t h) {
  return gaussianTable()[h >> (64 - kTableBits)];
}

}  // namespace nmsp::radio
