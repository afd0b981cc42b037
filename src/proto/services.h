#pragma once
// NMSP services and sub-services as a 64-bit mask. Bit i is the i-th leaf of the public
// Catalyst 9800 YANG grouping `nmsp-services` (Cisco-IOS-XE-wireless-nmsp-oper), so a mask
// read from a 9800's operational data means the same thing here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nmsp::proto {

enum class Service : uint8_t {
  RssiMs = 0,
  RssiRfid = 1,
  RssiRogue = 2,
  RssiInterferer = 3,
  RssiHs = 4,
  RssiMsAssociatedOnly = 5,
  SpectrumInterferer = 6,
  SpectrumAirQuality = 7,
  SpectrumAggregateInterferer = 8,
  InfoMs = 9,
  InfoRfid = 10,
  InfoRogue = 11,
  InfoHs = 12,
  StatsMs = 13,
  StatsRfid = 14,
  StatsRogue = 15,
  Attach = 16,
  Location = 17,
  Fmchs = 18,
  ApMonitor = 19,
  Wips = 20,
  OnDemand = 21,
  ApInfo = 22,
};
inline constexpr uint8_t kServiceCount = 23;

using ServiceMask = uint64_t;

constexpr ServiceMask bit(Service s) {
  return ServiceMask{1} << static_cast<uint8_t>(s);
}
/// Every service bit this implementation knows (bits 0..22).
inline constexpr ServiceMask kKnownServices = (ServiceMask{1} << kServiceCount) - 1;

/// YANG leaf name, e.g. "rssi-ms"; nullopt for an unknown bit index.
std::optional<std::string_view> serviceName(uint8_t bit_index);
/// Inverse of serviceName.
std::optional<Service> serviceFromName(std::string_view name);

}  // namespace nmsp::proto
