#include "proto/services.h"

#include <array>

namespace nmsp::proto {
namespace {

// Leaf order of the Catalyst 9800 YANG grouping `nmsp-services`: index == bit.
constexpr std::array<std::string_view, kServiceCount> kServiceNames = {
    "rssi-ms",
    "rssi-rfid",
    "rssi-rogue",
    "rssi-interferer",
    "rssi-hs",
    "rssi-ms-associated-only",
    "spectrum-interferer",
    "spectrum-air-quality",
    "spectrum-aggregate-interferer",
    "info-ms",
    "info-rfid",
    "info-rogue",
    "info-hs",
    "stats-ms",
    "stats-rfid",
    "stats-rogue",
    "attach",
    "location",
    "fmchs",
    "ap-monitor",
    "wips",
    "on-demand",
    "ap-info",
};

}  // namespace

std::optional<std::string_view> serviceName(uint8_t bit_index) {
  if (bit_index >= kServiceCount) {
    return std::nullopt;
  }
  return kServiceNames[bit_index];
}

std::optional<Service> serviceFromName(std::string_view name) {
  for (uint8_t i = 0; i < kServiceCount; ++i) {
    if (kServiceNames[i] == name) {
      return static_cast<Service>(i);
    }
  }
  return std::nullopt;
}

}  // namespace nmsp::proto
