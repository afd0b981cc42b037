#pragma once
// Ground truth of simulated sets: where a device really was at a time (docs/simulator.md,
// "Ground-truth files"). The accuracy evaluation of the location engine joins these with
// `nmsp locate` output on (device, ts_ms).

#include <cstdint>
#include <optional>
#include <string>

#include "common/mac_address.h"
#include "proto/messages.h"

namespace nmsp::measurement {

enum class Motion : uint8_t { Still = 1, Walking = 2, Stairs = 3 };

struct TruthRecord {
  uint64_t ts_ms = 0;
  MacAddress device;
  std::optional<proto::DeviceKind> kind;
  std::string floor;  // floor id of the venue; on stairs the floor nearest in height
  double x_m = 0;
  double y_m = 0;
  std::optional<double> z_m;  // device height above that floor's level
  std::optional<Motion> motion;
  std::string extra;  // unknown members, as in Observation
};

std::string_view motionName(Motion motion);  // "still", "walking", "stairs"
std::optional<Motion> motionFromName(std::string_view name);

}  // namespace nmsp::measurement
