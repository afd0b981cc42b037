#pragma once
// Text of `show devices [kind]` and `show device <mac>` from the table's snapshots (the exact
// shapes are in docs/operator-commands.md, "MSE commands").

#include <optional>
#include <string>

#include "devices/device_table.h"

namespace nmsp::devices {

/// Rows shown by `show devices` at most; the rest is counted on the last line.
inline constexpr size_t kShowDevicesLimit = 1000;

std::string formatDevices(const DevicesSummary& summary);
std::string formatDevice(const DeviceDetail& detail);
/// "% Device f4:8c:50:53:bc:09 is not known".
std::string formatUnknownDevice(const MacAddress& mac);

}  // namespace nmsp::devices
