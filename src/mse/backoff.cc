#include "mse/backoff.h"

#include <algorithm>

namespace nmsp::mse {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, uint64_t seed)
    : initial_(std::max(initial, std::chrono::milliseconds(1))),
      max_(std::max(max, initial_)),
      rng_(seed) {}

std::chrono::milliseconds Backoff::next() {
  // Double until the cap; stop shifting once there so the arithmetic cannot overflow.
  int64_t base = initial_.count();
  for (uint32_t i = 0; i < attempt_ && base < max_.count(); ++i) {
    base *= 2;
  }
  base = std::min(base, static_cast<int64_t>(max_.count()));
  if (base < max_.count()) {
    ++attempt_;
  }
  std::uniform_int_distribution<int64_t> jitter(base / 2, base);
  return std::chrono::milliseconds(jitter(rng_));
}

}  // namespace nmsp::mse
