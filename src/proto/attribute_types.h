#pragma once
// Internal: TLV attribute type codes (docs/protocol.md, "Attributes"). Bit 15 marks a container.

#include <cstdint>
#include <optional>
#include <string_view>

namespace nmsp::proto::attr {

inline constexpr uint16_t kContainerBit = 0x8000;

inline constexpr uint16_t kMinVersion = 0x0001;
inline constexpr uint16_t kMaxVersion = 0x0002;
inline constexpr uint16_t kPeerRole = 0x0003;
inline constexpr uint16_t kPeerName = 0x0004;
inline constexpr uint16_t kSoftwareVersion = 0x0005;
inline constexpr uint16_t kClockUtcMs = 0x0006;
inline constexpr uint16_t kResultCode = 0x0007;
inline constexpr uint16_t kSelectedVersion = 0x0008;
inline constexpr uint16_t kServiceMask = 0x0009;
inline constexpr uint16_t kErrorReason = 0x000A;
inline constexpr uint16_t kOffendingMessageId = 0x000B;
inline constexpr uint16_t kErrorText = 0x000C;
inline constexpr uint16_t kEchoedClockUtcMs = 0x000D;
inline constexpr uint16_t kDeviceMac = 0x0010;
inline constexpr uint16_t kDeviceKind = 0x0011;
inline constexpr uint16_t kApRssiList = 0x0012;
inline constexpr uint16_t kIpAddress = 0x0013;
inline constexpr uint16_t kSsid = 0x0014;
inline constexpr uint16_t kVlanId = 0x0015;
inline constexpr uint16_t kUsername = 0x0016;
inline constexpr uint16_t kAssocState = 0x0017;
inline constexpr uint16_t kBand = 0x0018;
inline constexpr uint16_t kServingApMac = 0x0019;
inline constexpr uint16_t kBatteryPct = 0x001A;
inline constexpr uint16_t kTelemetry = 0x001B;
inline constexpr uint16_t kTxBytes = 0x0020;
inline constexpr uint16_t kRxBytes = 0x0021;
inline constexpr uint16_t kTxPackets = 0x0022;
inline constexpr uint16_t kRxPackets = 0x0023;
inline constexpr uint16_t kTxRetries = 0x0024;
inline constexpr uint16_t kTxFailed = 0x0025;
inline constexpr uint16_t kTimestampUtcMs = 0x0026;
inline constexpr uint16_t kApMac = 0x0028;
inline constexpr uint16_t kApName = 0x0029;
inline constexpr uint16_t kRadioSlot = 0x002A;
inline constexpr uint16_t kChannel = 0x002B;
inline constexpr uint16_t kTxPowerDbm = 0x002C;
inline constexpr uint16_t kAttachState = 0x0030;
inline constexpr uint16_t kMapName = 0x0034;
inline constexpr uint16_t kPositionMm = 0x0035;
inline constexpr uint16_t kErrorRadiusMm = 0x0036;
inline constexpr uint16_t kGeoPosition = 0x0037;
inline constexpr uint16_t kService = 0x0040;
inline constexpr uint16_t kIntervalS = 0x0041;
inline constexpr uint16_t kApGroup = 0x0042;

inline constexpr uint16_t kDeviceMeasurement = 0x8001;
inline constexpr uint16_t kDeviceInfo = 0x8002;
inline constexpr uint16_t kDeviceStatistics = 0x8003;
inline constexpr uint16_t kApInfo = 0x8004;
inline constexpr uint16_t kApRadio = 0x8005;
inline constexpr uint16_t kAttachment = 0x8006;
inline constexpr uint16_t kDeviceLocation = 0x8007;
inline constexpr uint16_t kServiceInterval = 0x8008;
inline constexpr uint16_t kServiceResult = 0x8009;

/// "peer-name", "device-measurement", ...; nullopt for a type this implementation does not know.
std::optional<std::string_view> attributeName(uint16_t type);

}  // namespace nmsp::proto::attr
