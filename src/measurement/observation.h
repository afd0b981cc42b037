#pragma once
// One RSSI observation: an AP heard a device (docs/simulator.md, "Measurement files", a contract
// used by replay, record, `nmsp simulate` and `nmsp locate`).

#include <cstdint>
#include <optional>
#include <string>

#include "common/mac_address.h"
#include "proto/messages.h"

namespace nmsp::measurement {

struct Observation {
  uint64_t ts_ms = 0;  // UTC milliseconds, or milliseconds from the start of a relative set
  MacAddress device;
  proto::DeviceKind kind = proto::DeviceKind::Client;  // Ap: `device` is an AP heard by `ap`
  MacAddress ap;
  uint8_t slot = 0;                 // the hearing AP's radio
  int8_t rssi = 0;                  // dBm
  std::optional<int8_t> snr;        // dB
  std::optional<proto::Band> band;  // absent: implied by the slot (bandForSlot)
  std::optional<uint8_t> antenna;
  // Members of the line this format does not know, kept as compact JSON members without
  // braces (`"channel":36,"note":"x"`) and written back after the known ones.
  std::string extra;
};

/// Cisco's radio slots: 0 is 2.4 GHz, 2 is 6 GHz, any other the 5 GHz radio.
proto::Band bandForSlot(uint8_t slot);

/// The observation as one AP report of the protocol, and back.
proto::ApRssi toApRssi(const Observation& observation);
Observation fromApRssi(const MacAddress& device, proto::DeviceKind kind, const proto::ApRssi& ap);

}  // namespace nmsp::measurement
