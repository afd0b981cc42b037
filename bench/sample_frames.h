#pragma once
// Frames shared by the benchmarks: a Measurement Notification of `devices` x `aps` records,
// the controller's highest-volume message.

#include <cstdint>
#include <utility>

#include "proto/messages.h"

namespace nmsp::bench {

inline proto::Frame measurementNotification(int devices, int aps) {
  proto::MeasurementNotification n;
  for (int d = 0; d < devices; ++d) {
    proto::DeviceMeasurement m;
    m.mac.bytes = {0x3c, 0x22, 0xfb, 0x10, static_cast<uint8_t>(d >> 8), static_cast<uint8_t>(d)};
    m.kind = proto::DeviceKind::Client;
    for (int a = 0; a < aps; ++a) {
      proto::ApRssi r;
      r.ap_mac.bytes = {0x70, 0xdb, 0x98, 0x2a, 0x11, static_cast<uint8_t>(a)};
      r.slot = static_cast<uint8_t>(a % 2);
      r.band = a % 2 == 0 ? proto::Band::Band2_4GHz : proto::Band::Band5GHz;
      r.rssi_dbm = static_cast<int8_t>(-40 - a * 5);
      r.snr_db = static_cast<int8_t>(40 - a * 4);
      r.timestamp_utc_ms = 1763942400000 + static_cast<uint64_t>(d);
      m.aps.push_back(r);
    }
    n.devices.push_back(m);
  }
  return proto::Frame{1, 0, 3, std::move(n)};
}

}  // namespace nmsp::bench
