#pragma once
// NMSP services and sub-services as a 64-bit mask. Bit i is the i-th leaf of the public
// Catalyst 9800 YANG grouping `nmsp-services` (Cisco-IOS-XE-wireless-nmsp-oper), so a mask
// read from a 9800's operational data means the same thing here.

#include <cstdint>
#include <optional>
#include <string_view>

#include "proto/enums.h"

namespace nmsp::proto {

// Leaf order of the Catalyst 9800 YANG grouping `nmsp-services`: value == bit.
#define NMSP_SERVICES(X)                                             \
  X(RssiMs, 0, "rssi-ms")                                            \
  X(RssiRfid, 1, "rssi-rfid")                                        \
  X(RssiRogue, 2, "rssi-rogue")                                      \
  X(RssiInterferer, 3, "rssi-interferer")                            \
  X(RssiHs, 4, "rssi-hs")                                            \
  X(RssiMsAssociatedOnly, 5, "rssi-ms-associated-only")              \
  X(SpectrumInterferer, 6, "spectrum-interferer")                    \
  X(SpectrumAirQuality, 7, "spectrum-air-quality")                   \
  X(SpectrumAggregateInterferer, 8, "spectrum-aggregate-interferer") \
  X(InfoMs, 9, "info-ms")                                            \
  X(InfoRfid, 10, "info-rfid")                                       \
  X(InfoRogue, 11, "info-rogue")                                     \
  X(InfoHs, 12, "info-hs")                                           \
  X(StatsMs, 13, "stats-ms")                                         \
  X(StatsRfid, 14, "stats-rfid")                                     \
  X(StatsRogue, 15, "stats-rogue")                                   \
  X(Attach, 16, "attach")                                            \
  X(Location, 17, "location")                                        \
  X(Fmchs, 18, "fmchs")                                              \
  X(ApMonitor, 19, "ap-monitor")                                     \
  X(Wips, 20, "wips")                                                \
  X(OnDemand, 21, "on-demand")                                       \
  X(ApInfo, 22, "ap-info")
NMSP_DEFINE_ENUM(Service, uint8_t, "service", NMSP_SERVICES)

inline constexpr uint8_t kServiceCount = EnumTable<Service>::kEntries.size();

using ServiceMask = uint64_t;

constexpr ServiceMask bit(Service s) {
  return ServiceMask{1} << static_cast<uint8_t>(s);
}
/// Every service bit this implementation knows (bits 0..22).
inline constexpr ServiceMask kKnownServices = (ServiceMask{1} << kServiceCount) - 1;

/// YANG leaf name, e.g. "rssi-ms"; nullopt for an unknown bit index.
constexpr std::optional<std::string_view> serviceName(uint8_t bit_index) {
  return enumName(static_cast<Service>(bit_index));
}
/// Inverse of serviceName.
constexpr std::optional<Service> serviceFromName(std::string_view name) {
  return enumFromName<Service>(name);
}

}  // namespace nmsp::proto
