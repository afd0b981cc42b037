#pragma once
// Deterministic randomness for the simulator. Two kinds, both pure functions of the seed:
// - counter-based values (`hashOf`): a hash of (seed, what, who, when), so that a number does not
//   depend on the order in which others were drawn (fading per AP is the same whether the AP
//   was found by the spatial index or by a scan of all APs);
// - `Rng`: a SplitMix64 stream per device for its behaviour (where to walk, how long to stay).
// Floating-point results are bit-identical for the same binary and C library.

#include <cmath>
#include <cstdint>

namespace nmsp::radio {

/// SplitMix64's finaliser: a bijective 64-bit mix with good avalanche.
constexpr uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

constexpr uint64_t hashOf(uint64_t a, uint64_t b) {
  return mix64(a ^ mix64(b + 0x9e3779b97f4a7c15ULL));
}
template <class... Rest>
constexpr uint64_t hashOf(uint64_t a, uint64_t b, Rest... rest) {
  return hashOf(hashOf(a, b), static_cast<uint64_t>(rest)...);
}

/// [0, 1) from the top 53 bits.
inline double unitFromHash(uint64_t h) {
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}
/// Uniform in [-spread, +spread].
inline double symmetricFromHash(uint64_t h, double spread) {
  return (2.0 * unitFromHash(h) - 1.0) * spread;
}

/// Standard normal quantile of the hash's top 12 bits (a 4096-entry table), truncated at
/// ±kGaussianLimit: bounded values let the spatial search prune safely.
inline constexpr double kGaussianLimit = 3.0;
double gaussianFromHash(uint64_t h);

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) : state_(seed) {}

  uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
  }
  double uniform() { return unitFromHash(next()); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Log-uniform in [lo, hi] (lo > 0): as many values per octave at either end.
  double logUniform(double lo, double hi) { return lo * std::exp(std::log(hi / lo) * uniform()); }
  bool chance(double p) { return uniform() < p; }
  /// Uniform integer in [0, n) (n > 0).
  uint32_t below(uint32_t n) { return static_cast<uint32_t>((next() >> 32) * n >> 32); }
  double gaussian() { return gaussianFromHash(next()); }

 private:
  uint64_t state_;
};

}  // namespace nmsp::radio
