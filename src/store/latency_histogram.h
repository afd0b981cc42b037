#pragma once
// Submit-to-commit latencies of stored records, in whole milliseconds up to 4 s (longer ones
// share the last bucket). One writer thread adds; any thread may read a snapshot.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace nmsp::store {

class LatencyHistogram {
 public:
  static constexpr size_t kBuckets = 4096;  // bucket i: [i, i+1) ms; the last: >= 4095 ms

  void add(std::chrono::steady_clock::duration latency, uint64_t count = 1);

  struct Snapshot {
    std::array<uint64_t, kBuckets> counts{};
    uint64_t total() const;
    /// The smallest latency (ms, bucket's upper edge) at or below which a fraction `q`
    /// (0..1) of the samples lie; 0 without samples.
    uint64_t quantileMs(double q) const;
    /// This snapshot minus an earlier one of the same histogram.
    Snapshot since(const Snapshot& earlier) const;
  };
  Snapshot snapshot() const;

 private:
  std::array<std::atomic<uint64_t>, kBuckets> counts_{};
};

}  // namespace nmsp::store
