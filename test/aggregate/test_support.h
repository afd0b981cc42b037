#pragma once
// Helpers of the aggregate tests: MACs, AP reports, decoding the frames a stream produced.

#include <gtest/gtest.h>

#include <vector>

#include "aggregate/aggregator.h"
#include "proto/codec.h"

namespace nmsp::aggregate::testing {

inline MacAddress mac(uint32_t prefix, uint32_t n) {
  MacAddress m;
  m.bytes = {static_cast<uint8_t>(prefix >> 16), static_cast<uint8_t>(prefix >> 8),
             static_cast<uint8_t>(prefix),       static_cast<uint8_t>(n >> 16),
             static_cast<uint8_t>(n >> 8),       static_cast<uint8_t>(n)};
  return m;
}
inline MacAddress device(uint32_t n) {
  return mac(0xf48c50, n);
}
inline MacAddress apMac(uint32_t n) {
  return mac(0x002b01, n);
}

inline proto::ApRssi report(uint32_t ap, int rssi, uint64_t ts, uint8_t slot = 0) {
  proto::ApRssi r;
  r.ap_mac = apMac(ap);
  r.slot = slot;
  r.rssi_dbm = static_cast<int8_t>(rssi);
  r.snr_db = 20;
  r.timestamp_utc_ms = ts;
  return r;
}

inline proto::Frame decode(const SharedFrame& frame) {
  auto decoded = proto::decodeFrame(*frame);
  EXPECT_TRUE(decoded.has_value());
  return decoded ? *decoded : proto::Frame{};
}

template <class Notification>
std::vector<Notification> decodeAll(const std::vector<SharedFrame>& frames) {
  std::vector<Notification> out;
  for (const auto& f : frames) {
    auto frame = decode(f);
    EXPECT_TRUE(std::holds_alternative<Notification>(frame.message));
    if (auto* n = std::get_if<Notification>(&frame.message)) {
      out.push_back(*n);
    }
  }
  return out;
}

}  // namespace nmsp::aggregate::testing
