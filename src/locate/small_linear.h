#pragma once
// Small dense linear systems (up to 4 unknowns) for the engine's fits: Gaussian elimination
// with partial pivoting, in place, and the symmetric 3 x 3 case by LDL'. Internal to src/locate.
#include <array>
#include <cmath>
#include <cstddef>
#include <utility>

namespace nmsp::locate::detail {

/// Solves a x = b for x (n <= N); false when a is singular (a pivot below `tiny`).
template <size_t N>
bool solveLinear(std::array<std::array<double, N>, N> a, std::array<double, N> b, size_t n,
                 std::array<double, N>& x, double tiny = 1e-12) {
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    for (size_t row = col + 1; row < n; ++row) {
      if (std::abs(a[row][col]) > std::abs(a[pivot][col])) {
        pivot = row;
      }
    }
    if (std::abs(a[pivot][col]) < tiny) {
      return false;
    }
    std::swap(a[col], a[pivot]);
    std::swap(b[col], b[pivot]);
    for (size_t row = col + 1; row < n; ++row) {
      const double f = a[row][col] / a[col][col];
      for (size_t k = col; k < n; ++k) {
        a[row][k] -= f * a[col][k];
      }
      b[row] -= f * b[col];
    }
  }
  for (size_t i = n; i-- > 0;) {
    double s = b[i];
    for (size_t k = i + 1; k < n; ++k) {
      s -= a[i][k] * x[k];
    }
    x[i] = s / a[i][i];
  }
  return true;
}

/// Solves a x = b for a symmetric 3 x 3 `a` (its upper triangle is read) by a = L D L' without
/// pivoting: for the positive definite normal equations of the position fit, a third of
/// solveLinear<3>'s work. False when a pivot of D is below `tiny` in magnitude.
inline bool solveSymmetric3(const std::array<std::array<double, 3>, 3>& a,
                            const std::array<double, 3>& b, std::array<double, 3>& x, double tiny) {
  const double d0 = a[0][0];
  if (std::abs(d0) < tiny) {
    return false;
  }
  const double l10 = a[0][1] / d0, l20 = a[0][2] / d0;
  const double d1 = a[1][1] - l10 * a[0][1];
  if (std::abs(d1) < tiny) {
    return false;
  }
  const double l21 = (a[1][2] - l10 * a[0][2]) / d1;
  const double d2 = a[2][2] - l20 * a[0][2] - l21 * l21 * d1;
  if (std::abs(d2) < tiny) {
    return false;
  }
  const double y0 = b[0], y1 = b[1] - l10 * y0, y2 = b[2] - l20 * y0 - l21 * y1;
  x[2] = y2 / d2;
  x[1] = y1 / d1 - l21 * x[2];
  x[0] = y0 / d0 - l10 * x[1] - l20 * x[2];
  return true;
}

}  // namespace nmsp::locate::detail
