#pragma once
// Reconnect delays: exponential (initial, doubling) capped at a maximum, with "equal jitter"
// (a random point in [d/2, d]) so that many MSEs restarted together do not reconnect in step,
// while the delay never exceeds the cap (an operator fixing the auth list sees the MSE come
// up within the cap).

#include <chrono>
#include <cstdint>
#include <random>

namespace nmsp::mse {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, uint64_t seed);

  /// The delay before the next attempt; each call doubles the base up to the cap.
  std::chrono::milliseconds next();
  /// Back to the initial delay (after a session that became active).
  void reset() { attempt_ = 0; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  uint32_t attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace nmsp::mse
