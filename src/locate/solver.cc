#include "locate/solver.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "locate/small_linear.h"

namespace nmsp::locate {
namespace {

constexpr double kLn10 = 2.302585092994046;
constexpr size_t kMaxStarts = 8;

struct Evaluation {
  double cost = 0;  // sum of rho(e) / sigma^2 plus the prior's term
};

// Cauchy: c^2/2 ln(1 + (e/c)^2), in single precision: glibc's double log1p was a third of a
// fit's time, and the loss needs no more than 7 digits.
double rho(double e, double c) {
  return 0.5 * c * c * double(std::log(static_cast<float>(1.0 + (e / c) * (e / c))));
}

double clampTo(double v, double hi) {
  return std::clamp(v, 0.0, std::max(hi, 0.0));
}

// The level the model predicts without b, and its gradient in x and y.
struct Term {
  double g = 0;  // -5 n log10(d2)
  double dx = 0, dy = 0;
};

Term term(const SolverLink& l, double x, double y) {
  const double ex = x - l.ap_x;
  const double ey = y - l.ap_y;
  const double d2 = ex * ex + ey * ey + l.dz2;
  Term t;
  if (d2 <= 1.0) {
    return t;  // within 1 m: the model's level is flat
  }
  t.g = -5.0 / kLn10 * l.exponent * std::log(d2);
  const double k = -10.0 * l.exponent / (kLn10 * d2);
  t.dx = k * ex;
  t.dy = k * ey;
  return t;
}

// Up to this many links, a fit keeps the model's levels at its current point (one log per link
// and iteration instead of two).
constexpr size_t kCachedLinks = 32;
using Levels = std::array<double, kCachedLinks>;

// The level -5 n log10(d2) of every link at (x, y), into `out` (links <= kCachedLinks).
void levels(const SolveInput& in, double x, double y, Levels& out) {
  for (size_t i = 0; i < in.links.size(); ++i) {
    out[i] = term(in.links[i], x, y).g;
  }
}

double costFromLevels(const SolveInput& in, const SolverSettings& s, const Levels& g, double b) {
  const double inv_var = 1.0 / (s.sigma_db * s.sigma_db);
  double total = 0;
  for (size_t i = 0; i < in.links.size(); ++i) {
    total += rho(in.links[i].level_db - b - g[i], s.cauchy_scale_db) * inv_var;
  }
  const double pb = (b - in.b_prior) / in.b_sigma;
  return total + 0.5 * pb * pb;
}

double cost(const SolveInput& in, const SolverSettings& s, double x, double y, double b) {
  const double inv_var = 1.0 / (s.sigma_db * s.sigma_db);
  double total = 0;
  for (const auto& l : in.links) {
    total += rho(l.level_db - b - term(l, x, y).g, s.cauchy_scale_db) * inv_var;
  }
  const double pb = (b - in.b_prior) / in.b_sigma;
  return total + 0.5 * pb * pb;
}

// The b that minimises the quadratic cost at (x, y), with its prior.
double bestOffset(const SolveInput& in, const SolverSettings& s, double x, double y) {
  const double inv_var = 1.0 / (s.sigma_db * s.sigma_db);
  const double prior_w = 1.0 / (in.b_sigma * in.b_sigma);
  double num = in.b_prior * prior_w;
  double den = prior_w;
  for (const auto& l : in.links) {
    num += (l.level_db - term(l, x, y).g) * inv_var;
    den += inv_var;
  }
  return num / den;
}

struct Fit {
  double x, y, b, cost;
  int iterations;
};

Fit levenbergMarquardt(const SolveInput& in, const SolverSettings& s, double x, double y) {
  const bool cached = in.links.size() <= kCachedLinks;
  Levels g_current{}, g_next{};
  if (cached) {
    levels(in, x, y, g_current);
  }
  double b = bestOffset(in, s, x, y);
  double current = cached ? costFromLevels(in, s, g_current, b) : cost(in, s, x, y, b);
  double lambda = 1e-3;
  const double inv_var = 1.0 / (s.sigma_db * s.sigma_db);
  const double prior_w = 1.0 / (in.b_sigma * in.b_sigma);
  const double c2 = s.cauchy_scale_db * s.cauchy_scale_db;
  int it = 0;
  for (; it < s.max_iterations; ++it) {
    std::array<std::array<double, 3>, 3> a{};
    std::array<double, 3> g{};
    for (size_t i = 0; i < in.links.size(); ++i) {
      const auto& l = in.links[i];
      Term t;
      if (cached) {
        // The gradient needs no log: d2 again, the level from the cache.
        const double ex = x - l.ap_x, ey = y - l.ap_y;
        const double d2 = ex * ex + ey * ey + l.dz2;
        t.g = g_current[i];
        if (d2 > 1.0) {
          const double k = -10.0 * l.exponent / (kLn10 * d2);
          t.dx = k * ex;
          t.dy = k * ey;
        }
      } else {
        t = term(l, x, y);
      }
      const double e = l.level_db - b - t.g;
      const double w = inv_var / (1.0 + e * e / c2);  // IRLS weight of the Cauchy loss
      const std::array<double, 3> j{t.dx, t.dy, 1.0};
      for (size_t r = 0; r < 3; ++r) {
        for (size_t c = 0; c < 3; ++c) {
          a[r][c] += w * j[r] * j[c];
        }
        g[r] += w * j[r] * e;
      }
    }
    a[2][2] += prior_w;
    g[2] -= prior_w * (b - in.b_prior);
    bool improved = false;
    for (int attempt = 0; attempt < 6 && !improved; ++attempt) {
      auto damped = a;
      for (size_t k = 0; k < 3; ++k) {
        damped[k][k] += lambda * std::max(a[k][k], 1e-9) + 1e-9;
      }
      std::array<double, 3> step{};
      if (!detail::solveLinear<3>(damped, g, 3, step, 1e-15)) {
        lambda *= 10;
        continue;
      }
      // Steps above 10 m are cut to 10 m: the model is far from linear over such distances.
      const double len = std::hypot(step[0], step[1]);
      const double cut = len > 10.0 ? 10.0 / len : 1.0;
      const double nx = clampTo(x + step[0] * cut, in.width_m);
      const double ny = clampTo(y + step[1] * cut, in.length_m);
      const double nb = b + step[2] * cut;
      double next;
      if (cached) {
        levels(in, nx, ny, g_next);
        next = costFromLevels(in, s, g_next, nb);
      } else {
        next = cost(in, s, nx, ny, nb);
      }
      if (next <= current) {
        if (cached) {
          g_current = g_next;
        }
        const double moved = std::hypot(nx - x, ny - y);
        x = nx;
        y = ny;
        b = nb;
        improved = true;
        // Converged: a short step that was nearly Gauss-Newton's (a heavily damped step is short
        // because of the damping, not because the minimum is near).
        const bool undamped = lambda <= 1e-2;
        lambda = std::max(lambda * 0.3, 1e-7);
        const double gain = current - next;
        current = next;
        if (moved < 0.02 && gain < 1e-3 && undamped) {
          return Fit{x, y, b, current, it + 1};
        }
      } else {
        lambda *= 10;
      }
    }
    if (!improved) {
      break;
    }
  }
  return Fit{x, y, b, current, it};
}

}  // namespace

SolveResult solveOnFloor(const SolveInput& in, const SolverSettings& s) {
  SolveResult result;
  if (in.links.empty()) {
    return result;
  }
  // Starting points: the strongest APs, the weighted centroid of the strongest four, the hint
  // (a coarse grid over the places a device heard this way can be).
  std::array<std::pair<double, double>, kMaxStarts> starts{};
  size_t n_starts = 0;
  std::array<size_t, 4> top{};
  size_t n_top = 0;
  for (size_t i = 0; i < in.links.size(); ++i) {
    // Rank by level_db + 10 n log10(min height) ~ the closest AP by the model.
    size_t pos = n_top;
    while (pos > 0 && in.links[top[pos - 1]].level_db < in.links[i].level_db) {
      --pos;
    }
    if (pos < top.size()) {
      for (size_t k = std::min(n_top, top.size() - 1); k > pos; --k) {
        top[k] = top[k - 1];
      }
      top[pos] = i;
      n_top = std::min(n_top + 1, top.size());
    }
  }
  double wx = 0, wy = 0, ws = 0;
  const double strongest = in.links[top[0]].level_db;
  for (size_t k = 0; k < n_top; ++k) {
    const auto& l = in.links[top[k]];
    const double w = std::pow(10.0, (l.level_db - strongest) / 10.0 / l.exponent * 2.0);
    wx += w * l.ap_x;
    wy += w * l.ap_y;
    ws += w;
    if (k < 3) {
      starts[n_starts++] = {l.ap_x, l.ap_y};
    }
  }
  starts[n_starts++] = {wx / ws, wy / ws};
  if (in.hint) {
    starts[n_starts++] = *in.hint;
  }
  // Outside the APs' hull (a corner room) every start above is far from the device: one more
  // start, from the strongest AP away from the others' centroid, at the distance the model
  // gives for its reading with the prior offset.
  if (in.links.size() >= 2) {
    const auto& s0 = in.links[top[0]];
    double cx = 0, cy = 0;
    for (const auto& l : in.links) {
      cx += l.ap_x;
      cy += l.ap_y;
    }
    cx /= double(in.links.size());
    cy /= double(in.links.size());
    const double away = std::hypot(s0.ap_x - cx, s0.ap_y - cy);
    const double range2 = std::pow(10.0, (in.b_prior - s0.level_db) / (5.0 * s0.exponent)) - s0.dz2;
    if (away > 1.0 && range2 > 1.0) {
      const double r = std::sqrt(range2);
      starts[n_starts++] = {s0.ap_x + (s0.ap_x - cx) / away * r,
                            s0.ap_y + (s0.ap_y - cy) / away * r};
    }
  }
  // Score the starts with b solved in closed form; run the fit from the best two.
  std::array<std::pair<double, size_t>, kMaxStarts> scored{};
  for (size_t i = 0; i < n_starts; ++i) {
    auto& [sx, sy] = starts[i];
    sx = clampTo(sx, in.width_m);
    sy = clampTo(sy, in.length_m);
    if (in.links.size() <= kCachedLinks) {
      Levels g;
      levels(in, sx, sy, g);
      const double inv_var = 1.0 / (s.sigma_db * s.sigma_db);
      const double prior_w = 1.0 / (in.b_sigma * in.b_sigma);
      double num = in.b_prior * prior_w, den = prior_w;
      for (size_t k = 0; k < in.links.size(); ++k) {
        num += (in.links[k].level_db - g[k]) * inv_var;
        den += inv_var;
      }
      scored[i] = {costFromLevels(in, s, g, num / den), i};
    } else {
      scored[i] = {cost(in, s, sx, sy, bestOffset(in, s, sx, sy)), i};
    }
  }
  std::sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(n_starts));
  Fit best{0, 0, 0, INFINITY, 0};
  int iterations = 0;
  for (size_t k = 0; k < std::min<size_t>(2, n_starts); ++k) {
    // The second start only when it begins below where the first ended (another basin).
    if (k > 0 && scored[k].first >= best.cost) {
      break;
    }
    const auto& [sx, sy] = starts[scored[k].second];
    const Fit f = levenbergMarquardt(in, s, sx, sy);
    iterations += f.iterations;
    if (f.cost < best.cost) {
      best = f;
    }
  }
  result.x = best.x;
  result.y = best.y;
  result.b = best.b;
  result.cost = best.cost;
  result.iterations = iterations;

  // Covariance: sigma^2 (J' W J)^-1 at the solution, sigma from the residuals with a prior of
  // s.sigma_db worth four residuals; the (x, y) block of the inverse.
  const double c2 = s.cauchy_scale_db * s.cauchy_scale_db;
  std::array<std::array<double, 3>, 3> a{};
  double sum_we2 = 0, sum_w = 0;
  for (const auto& l : in.links) {
    const Term t = term(l, best.x, best.y);
    const double e = l.level_db - best.b - t.g;
    const double w = 1.0 / (1.0 + e * e / c2);
    sum_we2 += w * e * e;
    sum_w += w;
    const std::array<double, 3> j{t.dx, t.dy, 1.0};
    for (size_t r = 0; r < 3; ++r) {
      for (size_t c = 0; c < 3; ++c) {
        a[r][c] += w * j[r] * j[c];
      }
    }
  }
  constexpr double kPriorCount = 4.0;
  const double sigma2 =
      (sum_we2 + kPriorCount * s.sigma_db * s.sigma_db) / std::max(sum_w - 3.0 + kPriorCount, 1.0);
  result.residual_sigma_db = std::sqrt(sigma2);
  a[2][2] += sigma2 / (in.b_sigma * in.b_sigma);
  // Small regularisation: a position is never known better than to a metre from RSSI alone,
  // and a degenerate geometry (collinear APs) must not give an infinite variance.
  const double reg = sigma2 / (60.0 * 60.0);
  a[0][0] += reg;
  a[1][1] += reg;
  std::array<double, 3> col0{}, col1{};
  if (detail::solveLinear<3>(a, {1, 0, 0}, 3, col0, 1e-18) &&
      detail::solveLinear<3>(a, {0, 1, 0}, 3, col1, 1e-18)) {
    result.cxx = sigma2 * col0[0];
    result.cxy = sigma2 * col0[1];
    result.cyy = sigma2 * col1[1];
  } else {
    result.cxx = result.cyy = 60.0 * 60.0;
  }
  return result;
}

}  // namespace nmsp::locate
