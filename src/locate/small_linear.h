#pragma once
// Small dense linear systems (up to 4 unknowns) for the engine's fits: Gaussian elimination
// with partial pivoting, in place. Internal to src/locate.
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

}  // namespace nmsp::locate::detail
