#pragma once
// Benchmark input: one notification interval of the Catalyst 9800-80 worst case, 64,000 clients
// each heard by 16 APs (1,024,000 RSSI observations) out of a pool of 6,000 AP MACs, one burst
// (device-measurement) per device. Shared by bench_aggregate and bench_end_to_end.

#include <cstdint>
#include <vector>

#include "common/mac_address.h"
#include "proto/messages.h"

namespace nmsp::bench {

constexpr uint32_t kWorstCaseDevices = 64'000;
constexpr uint32_t kWorstCaseAps = 16;
constexpr uint32_t kWorstCaseApPool = 6'000;

inline MacAddress macOf(uint32_t oui, uint32_t n) {
  return MacAddress{{static_cast<uint8_t>(oui >> 16), static_cast<uint8_t>(oui >> 8),
                     static_cast<uint8_t>(oui), static_cast<uint8_t>(n >> 16),
                     static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)}};
}

struct WorstCaseInterval {
  std::vector<proto::DeviceMeasurement> bursts;
  WorstCaseInterval() {
    bursts.resize(kWorstCaseDevices);
    for (uint32_t d = 0; d < kWorstCaseDevices; ++d) {
      auto& m = bursts[d];
      m.mac = macOf(0xf48c50, d);
      for (uint32_t k = 0; k < kWorstCaseAps; ++k) {
        proto::ApRssi r;
        r.ap_mac = macOf(0x002b01, (d * 7 + k * 13) % kWorstCaseApPool);
        r.slot = static_cast<uint8_t>(k % 2);
        r.band = k % 2 ? proto::Band::Band5GHz : proto::Band::Band2_4GHz;
        r.rssi_dbm = static_cast<int8_t>(-40 - static_cast<int>((d + k * 3) % 50));
        r.snr_db = 25;
        r.timestamp_utc_ms = 1'764'000'000'000 + d;
        m.aps.push_back(r);
      }
    }
  }
};

/// Built once per program (about 70 MB).
inline const WorstCaseInterval& worstCaseInterval() {
  static const WorstCaseInterval i;
  return i;
}

}  // namespace nmsp::bench
