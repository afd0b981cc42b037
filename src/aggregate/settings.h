#pragma once
// The controller's aggregation settings (IOS-XE `nmsp notification interval rssi ...`,
// `location rssi-half-life|expiry|notify-threshold ...`) and the classes they apply to, plus the
// mapping of device kinds to services (docs/data-path.md). Pure values and validation.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "proto/messages.h"
#include "proto/services.h"

namespace nmsp::aggregate {

/// `nmsp notification interval rssi clients|rfid|rogues|spectrum <s>`.
enum class IntervalClass : uint8_t { Clients, Rfid, Rogues, Spectrum };
inline constexpr std::array<std::string_view, 4> kIntervalClassNames = {"clients", "rfid", "rogues",
                                                                        "spectrum"};

/// `location rssi-half-life|expiry client|tags|rogue-aps` (notify-threshold says `rogues`).
enum class LocationClass : uint8_t { Client, Tags, Rogues };
inline constexpr std::array<std::string_view, 3> kLocationClassNames = {"client", "tags",
                                                                        "rogue-aps"};

/// Which class a device kind belongs to. Managed APs heard by APs (kind `ap`) and interferers
/// go with the clients' location settings; interferers notify at the spectrum interval.
IntervalClass intervalClassOf(proto::DeviceKind kind);
LocationClass locationClassOf(proto::DeviceKind kind);

/// The RSSI service that carries measurements of a kind: rssi-ms (client), rssi-rfid
/// (rfid-tag), rssi-rogue (rogue-ap, rogue-client), rssi-interferer (interferer), ap-monitor
/// (ap: the APs' neighbour reports).
proto::Service rssiServiceOf(proto::DeviceKind kind);
/// The info / statistics service of a kind: -ms, -rfid, -rogue (rogues and interferers);
/// nullopt for `ap` (AP Info carries what is known of APs).
std::optional<proto::Service> infoServiceOf(proto::DeviceKind kind);
std::optional<proto::Service> statsServiceOf(proto::DeviceKind kind);

/// What a stream of a service carries.
enum class StreamKind : uint8_t { Measurement, Info, Statistics, Attachment, ApInfo, None };
StreamKind streamKindOf(proto::Service service);
/// The services whose notifications this data path produces.
inline constexpr proto::ServiceMask kDataServices =
    proto::bit(proto::Service::RssiMs) | proto::bit(proto::Service::RssiRfid) |
    proto::bit(proto::Service::RssiRogue) | proto::bit(proto::Service::RssiInterferer) |
    proto::bit(proto::Service::ApMonitor) | proto::bit(proto::Service::InfoMs) |
    proto::bit(proto::Service::InfoRfid) | proto::bit(proto::Service::InfoRogue) |
    proto::bit(proto::Service::StatsMs) | proto::bit(proto::Service::StatsRfid) |
    proto::bit(proto::Service::StatsRogue) | proto::bit(proto::Service::Attach) |
    proto::bit(proto::Service::ApInfo);

inline constexpr uint16_t kMinIntervalS = 1;
inline constexpr uint16_t kMaxIntervalS = 180;
inline constexpr uint16_t kDefaultRssiIntervalS = 2;
inline constexpr uint16_t kDefaultOtherIntervalS = 30;  // info and statistics (docs/protocol.md)
inline constexpr uint16_t kMinExpiryS = 5;
inline constexpr uint16_t kMaxExpiryS = 3600;
inline constexpr uint8_t kMaxNotifyThresholdDb = 10;
inline constexpr std::array<uint16_t, 12> kHalfLivesS = {0,  1,  2,  5,   10,  20,
                                                         30, 60, 90, 120, 180, 300};

struct AggregationSettings {
  std::array<uint16_t, 4> interval_s = {2, 2, 2, 2};       // by IntervalClass, 1..180
  std::array<uint16_t, 3> expiry_s = {15, 15, 15};         // by LocationClass, 5..3600
  std::array<uint16_t, 3> half_life_s = {0, 0, 0};         // by LocationClass, kHalfLivesS
  std::array<uint8_t, 3> notify_threshold_db = {0, 0, 0};  // by LocationClass, 0..10

  uint16_t interval(IntervalClass c) const { return interval_s[static_cast<size_t>(c)]; }
  uint16_t expiry(LocationClass c) const { return expiry_s[static_cast<size_t>(c)]; }
  uint16_t halfLife(LocationClass c) const { return half_life_s[static_cast<size_t>(c)]; }
  uint8_t threshold(LocationClass c) const { return notify_threshold_db[static_cast<size_t>(c)]; }
  bool operator==(const AggregationSettings&) const = default;
};

/// "expiry_s[tags]: 4 outside 5..3600"; the first problem found.
Result<void, std::string> validate(const AggregationSettings& settings);
bool validHalfLife(uint16_t seconds);

/// The interval a stream of `service` gets when the subscription does not set one: the
/// controller's class interval for RSSI services, 30 s for info and statistics, 0 (event driven)
/// for attach and ap-info.
uint16_t defaultIntervalS(proto::Service service, const AggregationSettings& settings);

}  // namespace nmsp::aggregate
