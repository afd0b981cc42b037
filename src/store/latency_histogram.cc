#include "store/latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace nmsp::store {

void LatencyHistogram::add(std::chrono::steady_clock::duration latency, uint64_t count) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(latency).count();
  const size_t bucket =
      std::min<size_t>(static_cast<size_t>(std::max<int64_t>(ms, 0)), kBuckets - 1);
  counts_[bucket].fetch_add(count, std::memory_order_relaxed);
}

LatencyHistogram::Snapshot LatencyHistogram::snapshot() const {
  Snapshot s;
  for (size_t i = 0; i < kBuckets; ++i) {
    s.counts[i] = counts_[i].load(std::memory_order_relaxed);
  }
  return s;
}

uint64_t LatencyHistogram::Snapshot::total() const {
  uint64_t sum = 0;
  for (uint64_t c : counts) {
    sum += c;
  }
  return sum;
}

uint64_t LatencyHistogram::Snapshot::quantileMs(double q) const {
  const uint64_t n = total();
  if (n == 0) {
    return 0;
  }
  const auto rank = static_cast<uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * n));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts[i];
    if (seen >= std::max<uint64_t>(rank, 1)) {
      return i + 1;
    }
  }
  return kBuckets;
}

LatencyHistogram::Snapshot LatencyHistogram::Snapshot::since(const Snapshot& earlier) const {
  Snapshot d;
  for (size_t i = 0; i < kBuckets; ++i) {
    d.counts[i] = counts[i] - earlier.counts[i];
  }
  return d;
}

}  // namespace nmsp::store
