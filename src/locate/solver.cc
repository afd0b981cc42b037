#include "locate/solver.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "locate/small_linear.h"

namespace nmsp::locate {
namespace {

constexpr double kLn10 = 2.302585092994046;
constexpr size_t kMaxStarts = 8;

double clampTo(double v, double hi) {
  return std::clamp(v, 0.0, std::max(hi, 0.0));
}

// Two doubles in one register (SSE2 on x86-64, NEON on AArch64, plain code elsewhere): the
// level loop does two links at a time with GCC/Clang's vector extensions (g++ -O2 leaves such
// loops scalar, and the libm log was 40 % of a fit).
using Pair = double __attribute__((vector_size(16)));
using PairBits = uint64_t __attribute__((vector_size(16)));

Pair loadPair(const double* p) {
  Pair v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

void storePair(double* p, Pair v) {
  std::memcpy(p, &v, sizeof v);
}

// Where `mask` (all ones or all zeros per lane) is set, a, else b.
Pair select(PairBits mask, Pair a, Pair b) {
  return std::bit_cast<Pair>((mask & std::bit_cast<PairBits>(a)) |
                             (~mask & std::bit_cast<PairBits>(b)));
}

// ln(v) for v >= 1 in both lanes, in simple operations: v = m 2^k with m in [sqrt(1/2),
// sqrt(2)), ln m = 2 atanh(s) with s = (m - 1) / (m + 1), |s| <= 0.172, by its series to s^11
// (absolute error below 2e-11, far below what a level in dB needs). Infinity and NaN come back
// unchanged.
Pair logAtLeastOne(Pair v) {
  constexpr double kLn2 = 0.6931471805599453;
  constexpr double kSqrt2 = 1.4142135623730951;
  const Pair one = {1.0, 1.0};
  const auto bits = std::bit_cast<PairBits>(v);
  Pair m = std::bit_cast<Pair>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
  // The biased exponent as a double without an integer conversion: 2^52 + e - (2^52 + 1023).
  Pair k = std::bit_cast<Pair>((bits >> 52) | 0x4330000000000000ULL) - 4503599627371519.0;
  const auto high = std::bit_cast<PairBits>(m > kSqrt2);
  m = select(high, 0.5 * m, m);
  k = select(high, k + 1.0, k);
  const Pair s = (m - 1.0) / (m + one);
  const Pair z = s * s;
  const Pair z2 = z * z;  // Estrin's scheme: a shorter chain of dependent operations
  const Pair series =
      (1.0 + z * (1.0 / 3)) + z2 * ((1.0 / 5 + z * (1.0 / 7)) + z2 * (1.0 / 9 + z * (1.0 / 11)));
  const Pair r = k * kLn2 + 2.0 * s * series;
  return select(std::bit_cast<PairBits>(v <= std::numeric_limits<double>::max()), r, v);
}

// The model at one point (x, y, b), per link in structure-of-arrays form: the offsets from the
// AP, the squared distance d2, the level g = -5 n log10(max(d2, 1)) (within 1 m the model's
// level is flat), the residual e and q = 1 + (e/c)^2, the Cauchy loss's argument.
struct Point {
  double x = 0, y = 0, b = 0, cost = 0;
  double *ex = nullptr, *ey = nullptr, *d2 = nullptr, *g = nullptr, *e = nullptr, *q = nullptr;
};

// A solve's links as columns (simple loops over them), the constants of the cost, and two
// points (the current one and a trial). Up to kInlineLinks links the storage is on the stack.
class Workspace {
 public:
  Workspace(const SolveInput& in, const SolverSettings& s)
      : n(in.links.size()),
        stride((n + 1) & ~size_t{1}),
        inv_var(1.0 / (s.sigma_db * s.sigma_db)),
        prior_w(1.0 / (in.b_sigma * in.b_sigma)),
        inv_c2(1.0 / (s.cauchy_scale_db * s.cauchy_scale_db)),
        loss_scale(0.5 * s.cauchy_scale_db * s.cauchy_scale_db * inv_var),
        b_prior(in.b_prior),
        b_sigma(in.b_sigma) {
    double* mem = inline_.data();
    if (stride > kInlineLinks) {
      heap_.resize(stride * kColumns);
      mem = heap_.data();
    }
    auto take = [&] {
      double* c = mem;
      mem += stride;
      return c;
    };
    ap_x = take();
    ap_y = take();
    dz2 = take();
    slope = take();
    level = take();
    for (Point* p : {&first, &second}) {
      p->ex = take();
      p->ey = take();
      p->d2 = take();
      p->g = take();
      p->e = take();
      p->q = take();
    }
    for (size_t i = 0; i < n; ++i) {
      const SolverLink& l = in.links[i];
      ap_x[i] = l.ap_x;
      ap_y[i] = l.ap_y;
      dz2[i] = l.dz2;
      slope[i] = -5.0 / kLn10 * l.exponent;
      level[i] = l.level_db;
    }
    if (stride > n) {  // the pair loops' last lane: a harmless link 1 m away, slope 0
      ap_x[n] = ap_y[n] = slope[n] = level[n] = 0;
      dz2[n] = 1;
    }
  }
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  // The levels g of every link at (x, y).
  void place(Point& p, double x, double y) const {
    p.x = x;
    p.y = y;
    for (size_t i = 0; i < n; i += 2) {
      const Pair ex = x - loadPair(ap_x + i);
      const Pair ey = y - loadPair(ap_y + i);
      const Pair d2 = ex * ex + ey * ey + loadPair(dz2 + i);
      storePair(p.ex + i, ex);
      storePair(p.ey + i, ey);
      storePair(p.d2 + i, d2);
      const Pair one = {1.0, 1.0};
      const Pair beyond = select(std::bit_cast<PairBits>(d2 > 1.0), d2, one);
      storePair(p.g + i, loadPair(slope + i) * logAtLeastOne(beyond));
    }
  }

  // The b that minimises the quadratic cost at a placed point, with its prior.
  double bestOffset(const Point& p) const {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) {
      sum += level[i] - p.g[i];
    }
    return (b_prior * prior_w + sum * inv_var) / (prior_w + double(n) * inv_var);
  }

  // The residuals at offset b of a placed point and its cost: the sum of the Cauchy losses
  // c^2/2 ln(1 + (e/c)^2) / sigma^2 plus the prior's term. The sum of the logs is the log of the
  // product of the q, one log per eight links (eight q stay far below the double range).
  double settle(Point& p, double b) const {
    p.b = b;
    for (size_t i = 0; i < n; i += 2) {
      const Pair e = loadPair(level + i) - b - loadPair(p.g + i);
      storePair(p.e + i, e);
      storePair(p.q + i, 1.0 + e * e * inv_c2);
    }
    if (stride > n) {
      p.q[n] = std::numeric_limits<double>::infinity();  // the pad link: no weight
    }
    double logs = 0;
    for (size_t i = 0; i < n; i += 8) {
      double prod = 1;
      for (size_t k = i; k < std::min(i + 8, n); ++k) {
        prod *= p.q[k];
      }
      logs += std::log(prod);
    }
    const double pb = (b - b_prior) / b_sigma;
    p.cost = loss_scale * logs + 0.5 * pb * pb;
    return p.cost;
  }

  // J' W J and J' W e at a settled point, J the model's Jacobian in (x, y, b), W the Cauchy
  // loss's IRLS weights times `w_scale` (the pad link's q is infinite: weight 0).
  void normalEquations(const Point& p, double w_scale, std::array<std::array<double, 3>, 3>& a,
                       std::array<double, 3>& g) const {
    Pair a00{}, a01{}, a02{}, a11{}, a12{}, a22{}, g0{}, g1{}, g2{};
    for (size_t i = 0; i < n; i += 2) {
      const Pair d2 = loadPair(p.d2 + i);
      const Pair k =
          select(std::bit_cast<PairBits>(d2 > 1.0), 2.0 * loadPair(slope + i) / d2, Pair{});
      const Pair dx = k * loadPair(p.ex + i);
      const Pair dy = k * loadPair(p.ey + i);
      const Pair w = w_scale / loadPair(p.q + i);
      const Pair e = loadPair(p.e + i);
      const Pair wdx = w * dx, wdy = w * dy;
      a00 += wdx * dx;
      a01 += wdx * dy;
      a02 += wdx;
      a11 += wdy * dy;
      a12 += wdy;
      a22 += w;
      g0 += wdx * e;
      g1 += wdy * e;
      g2 += w * e;
    }
    const auto sum = [](Pair v) { return v[0] + v[1]; };
    a = {{{sum(a00), sum(a01), sum(a02)},
          {sum(a01), sum(a11), sum(a12)},
          {sum(a02), sum(a12), sum(a22)}}};
    g = {sum(g0), sum(g1), sum(g2)};
  }

  size_t n;
  size_t stride;  // a column's length: n rounded up to pairs
  double inv_var, prior_w, inv_c2, loss_scale, b_prior, b_sigma;
  double *ap_x = nullptr, *ap_y = nullptr, *dz2 = nullptr, *slope = nullptr, *level = nullptr;
  Point first, second;  // the current point and a trial

 private:
  static constexpr size_t kInlineLinks = 32;
  static constexpr size_t kColumns = 5 + 2 * 6;
  std::array<double, kInlineLinks * kColumns> inline_;
  std::vector<double> heap_;
};

struct Fit {
  double x, y, b, cost;
  int iterations;
};

// From (x, y) with b in closed form; `settled`: ws.first already holds that point.
Fit levenbergMarquardt(Workspace& ws, const SolveInput& in, const SolverSettings& s, double x,
                       double y, bool settled) {
  Point* cur = &ws.first;
  Point* next = &ws.second;
  if (!settled) {
    ws.place(*cur, x, y);
    ws.settle(*cur, ws.bestOffset(*cur));
  }
  double lambda = 1e-3;
  int it = 0;
  for (; it < s.max_iterations; ++it) {
    std::array<std::array<double, 3>, 3> a{};
    std::array<double, 3> g{};
    ws.normalEquations(*cur, ws.inv_var, a, g);
    a[2][2] += ws.prior_w;
    g[2] -= ws.prior_w * (cur->b - in.b_prior);
    bool improved = false;
    for (int attempt = 0; attempt < 6 && !improved; ++attempt) {
      auto damped = a;
      for (size_t k = 0; k < 3; ++k) {
        damped[k][k] += lambda * std::max(a[k][k], 1e-9) + 1e-9;
      }
      std::array<double, 3> step{};
      if (!detail::solveSymmetric3(damped, g, step, 1e-15)) {
        lambda *= 10;
        continue;
      }
      // Steps above 10 m are cut to 10 m: the model is far from linear over such distances.
      const double len2 = step[0] * step[0] + step[1] * step[1];
      const double cut = len2 > 100.0 ? 10.0 / std::sqrt(len2) : 1.0;
      ws.place(*next, clampTo(cur->x + step[0] * cut, in.width_m),
               clampTo(cur->y + step[1] * cut, in.length_m));
      ws.settle(*next, cur->b + step[2] * cut);
      if (next->cost <= cur->cost) {
        const double mx = next->x - cur->x, my = next->y - cur->y;
        const double gain = cur->cost - next->cost;
        std::swap(cur, next);
        improved = true;
        // Converged: a short step that was nearly Gauss-Newton's (a heavily damped step is short
        // because of the damping, not because the minimum is near).
        const bool undamped = lambda <= 1e-2;
        lambda = std::max(lambda * 0.3, 1e-7);
        if (mx * mx + my * my < 0.02 * 0.02 && gain < 1e-3 && undamped) {
          return Fit{cur->x, cur->y, cur->b, cur->cost, it + 1};
        }
      } else {
        lambda *= 10;
      }
    }
    if (!improved) {
      break;
    }
  }
  return Fit{cur->x, cur->y, cur->b, cur->cost, it};
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
  // Score the starts with b solved in closed form; run the fit from the best two. The best
  // start's point stays in work.first (the first fit begins there).
  std::array<std::pair<double, size_t>, kMaxStarts> scored{};
  Workspace work(in, s);
  size_t kept = n_starts;
  for (size_t i = 0; i < n_starts; ++i) {
    auto& [sx, sy] = starts[i];
    sx = clampTo(sx, in.width_m);
    sy = clampTo(sy, in.length_m);
    work.place(work.second, sx, sy);
    scored[i] = {work.settle(work.second, work.bestOffset(work.second)), i};
    if (kept == n_starts || scored[i].first < scored[kept].first) {
      std::swap(work.first, work.second);
      kept = i;
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
    const Fit f = levenbergMarquardt(work, in, s, sx, sy, k == 0 && scored[0].second == kept);
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
  Point& at = work.first;
  work.place(at, best.x, best.y);
  work.settle(at, best.b);
  std::array<std::array<double, 3>, 3> a{};
  std::array<double, 3> unused{};
  work.normalEquations(at, 1.0, a, unused);
  double sum_we2 = 0;
  for (size_t i = 0; i < work.n; ++i) {
    sum_we2 += at.e[i] * at.e[i] / at.q[i];
  }
  const double sum_w = a[2][2];
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
  if (detail::solveSymmetric3(a, {1, 0, 0}, col0, 1e-18) &&
      detail::solveSymmetric3(a, {0, 1, 0}, col1, 1e-18)) {
    result.cxx = sigma2 * col0[0];
    result.cxy = sigma2 * col0[1];
    result.cyy = sigma2 * col1[1];
  } else {
    result.cxx = result.cyy = 60.0 * 60.0;
  }
  return result;
}

}  // namespace nmsp::locate
