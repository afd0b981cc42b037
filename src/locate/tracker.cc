#include "locate/tracker.h"

#include <algorithm>
#include <cmath>

namespace nmsp::locate {
namespace {

struct Sym2 {
  double xx, xy, yy;
  double det() const { return xx * yy - xy * xy; }
};

Sym2 add(const Sym2& a, const Sym2& b) {
  return {a.xx + b.xx, a.xy + b.xy, a.yy + b.yy};
}

struct Updated {
  double x, y;
  Sym2 p;
  double log_likelihood;
};

// Kalman update of position (x, y) with covariance p by fix z with covariance r.
Updated kalman(double x, double y, const Sym2& p, const Fix& z, const Sym2& r) {
  const Sym2 s = add(p, r);
  const double det = std::max(s.det(), 1e-12);
  const Sym2 s_inv{s.yy / det, -s.xy / det, s.xx / det};
  const double vx = z.x - x;
  const double vy = z.y - y;
  // K = P S^-1
  const double kxx = p.xx * s_inv.xx + p.xy * s_inv.xy;
  const double kxy = p.xx * s_inv.xy + p.xy * s_inv.yy;
  const double kyx = p.xy * s_inv.xx + p.yy * s_inv.xy;
  const double kyy = p.xy * s_inv.xy + p.yy * s_inv.yy;
  Updated u;
  u.x = x + kxx * vx + kxy * vy;
  u.y = y + kyx * vx + kyy * vy;
  // (I - K) P
  u.p.xx = (1 - kxx) * p.xx - kxy * p.xy;
  u.p.xy = (1 - kxx) * p.xy - kxy * p.yy;
  u.p.yy = -kyx * p.xy + (1 - kyy) * p.yy;
  const double nis = vx * (s_inv.xx * vx + s_inv.xy * vy) + vy * (s_inv.xy * vx + s_inv.yy * vy);
  u.log_likelihood = -0.5 * nis - 0.5 * std::log(det);
  return u;
}

}  // namespace

void updateTrack(Track& track, const Fix& fix, const TrackerSettings& settings) {
  const Sym2 r{fix.cxx, fix.cxy, fix.cyy};
  if (!track.valid) {
    track.x = static_cast<float>(fix.x);
    track.y = static_cast<float>(fix.y);
    track.pxx = static_cast<float>(r.xx);
    track.pxy = static_cast<float>(r.xy);
    track.pyy = static_cast<float>(r.yy);
    track.p_moving = 0.3f;
    track.ts_ms = fix.ts_ms;
    track.valid = true;
    return;
  }
  const double dt = fix.ts_ms > track.ts_ms ? double(fix.ts_ms - track.ts_ms) / 1000.0 : 0.0;
  const Sym2 p{track.pxx, track.pxy, track.pyy};
  const double drift = settings.still_drift_m2_per_s * dt;
  const double move = std::max(settings.walk_speed_mps * dt, settings.min_move_m);
  // A move of up to `move` metres in any direction: about a uniform disc, variance move^2/4 per
  // axis.
  const double move_var = move * move / 4.0;
  const Updated still = kalman(track.x, track.y, add(p, {drift, 0, drift}), fix, r);
  const Updated moved = kalman(track.x, track.y, add(p, {move_var, 0, move_var}), fix, r);
  // Prior of a move: more likely right after one, and after a long gap.
  const double gap_factor = 1.0 - std::exp(-dt / 120.0);
  const double prior = std::clamp(0.05 + 0.6 * track.p_moving + 0.3 * gap_factor, 0.02, 0.9);
  const double l0 = std::log(1 - prior) + still.log_likelihood;
  const double l1 = std::log(prior) + moved.log_likelihood;
  const double m = std::max(l0, l1);
  const double w1 = std::exp(l1 - m) / (std::exp(l0 - m) + std::exp(l1 - m));
  const double w0 = 1 - w1;
  const double x = w0 * still.x + w1 * moved.x;
  const double y = w0 * still.y + w1 * moved.y;
  auto spread = [&](const Updated& u, double w) {
    const double dx = u.x - x, dy = u.y - y;
    return Sym2{w * (u.p.xx + dx * dx), w * (u.p.xy + dx * dy), w * (u.p.yy + dy * dy)};
  };
  const Sym2 mixed = add(spread(still, w0), spread(moved, w1));
  track.x = static_cast<float>(x);
  track.y = static_cast<float>(y);
  track.pxx = static_cast<float>(mixed.xx);
  track.pxy = static_cast<float>(mixed.xy);
  track.pyy = static_cast<float>(mixed.yy);
  track.p_moving = static_cast<float>(w1);
  track.ts_ms = std::max(track.ts_ms, fix.ts_ms);
}

}  // namespace nmsp::locate
