#pragma once
// Random valid messages of every type, for the round-trip property test (fixed seed).

#include <random>
#include <string>

#include "proto/messages.h"

namespace nmsp::proto::testing {

class RandomMessages {
 public:
  explicit RandomMessages(uint32_t seed) : rng_(seed) {}

  /// A random valid message of alternative `index` of Message (not UnknownMessage).
  Message make(size_t index);

 private:
  uint64_t u64() { return std::uniform_int_distribution<uint64_t>()(rng_); }
  int64_t between(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool coin() { return between(0, 1) == 1; }
  template <class T>
  T pick(int64_t lo, int64_t hi) {
    return static_cast<T>(between(lo, hi));
  }
  std::string text(size_t min, size_t max);
  MacAddress mac();
  IpAddress ip();
  ServiceInterval interval() { return {pick<Service>(0, 22), pick<uint16_t>(1, 180)}; }
  ServiceResult serviceResult() { return {pick<Service>(0, 22), pick<ResultCode>(0, 8)}; }
  DeviceMeasurement measurement();
  DeviceInfo info();
  DeviceStatistics statistics();
  ApInfo apInfo();
  Attachment attachment();
  DeviceLocation location();
  template <class T, class F>
  std::vector<T> list(size_t max, F make) {
    std::vector<T> out(static_cast<size_t>(between(0, static_cast<int64_t>(max))));
    for (auto& item : out) {
      item = make();
    }
    return out;
  }
  template <class T>
  std::optional<T> maybe(T value) {
    return coin() ? std::optional<T>(std::move(value)) : std::nullopt;
  }

  std::mt19937_64 rng_;
};

}  // namespace nmsp::proto::testing
