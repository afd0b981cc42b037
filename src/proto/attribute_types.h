#pragma once
// Internal: the TLV attributes (docs/protocol.md, "Attributes"), each defined once: constant,
// type code, name and value codec. Bit 15 of the code marks a container.

#include <cstdint>
#include <optional>
#include <string_view>

namespace nmsp::proto::attr {

// X(constant, code, "name", codec): the codec (a name in nmsp::proto::codec, value_codecs.h
// and schema.h) reads and writes the attribute's value wherever it appears; schema.h binds it.
// Packed: a fixed record of members of the enclosing structure, listed by its Schema.
#define NMSP_ATTRIBUTES(X)                                                          \
  X(kMinVersion, 0x0001, "min-version", U8)                                         \
  X(kMaxVersion, 0x0002, "max-version", U8)                                         \
  X(kPeerRole, 0x0003, "peer-role", PeerRoleCodec)                                  \
  X(kPeerName, 0x0004, "peer-name", Name)                                           \
  X(kSoftwareVersion, 0x0005, "software-version", Text255)                          \
  X(kClockUtcMs, 0x0006, "clock-utc-ms", UtcMs)                                     \
  X(kResultCode, 0x0007, "result-code", ResultCodeCodec)                            \
  X(kSelectedVersion, 0x0008, "selected-version", U8)                               \
  X(kServiceMask, 0x0009, "service-mask", ServiceMaskCodec)                         \
  X(kErrorReason, 0x000A, "error-reason", ErrorReasonCodec)                         \
  X(kOffendingMessageId, 0x000B, "offending-message-id", MessageIdCodec)            \
  X(kErrorText, 0x000C, "error-text", ErrorText)                                    \
  X(kEchoedClockUtcMs, 0x000D, "echoed-clock-utc-ms", UtcMs)                        \
  X(kDeviceMac, 0x0010, "device-mac", MacCodec)                                     \
  X(kDeviceKind, 0x0011, "device-kind", DeviceKindCodec)                            \
  X(kApRssiList, 0x0012, "ap-rssi-list", ApRssiListCodec)                           \
  X(kIpAddress, 0x0013, "ip-address", IpCodec)                                      \
  X(kSsid, 0x0014, "ssid", Ssid)                                                    \
  X(kVlanId, 0x0015, "vlan-id", VlanId)                                             \
  X(kUsername, 0x0016, "username", Text255)                                         \
  X(kAssocState, 0x0017, "assoc-state", AssocStateCodec)                            \
  X(kBand, 0x0018, "band", BandCodec)                                               \
  X(kServingApMac, 0x0019, "serving-ap-mac", MacCodec)                              \
  X(kBatteryPct, 0x001A, "battery-pct", BatteryPct)                                 \
  X(kTelemetry, 0x001B, "telemetry", TelemetryCodec)                                \
  X(kTxBytes, 0x0020, "tx-bytes", U64)                                              \
  X(kRxBytes, 0x0021, "rx-bytes", U64)                                              \
  X(kTxPackets, 0x0022, "tx-packets", U64)                                          \
  X(kRxPackets, 0x0023, "rx-packets", U64)                                          \
  X(kTxRetries, 0x0024, "tx-retries", U64)                                          \
  X(kTxFailed, 0x0025, "tx-failed", U64)                                            \
  X(kTimestampUtcMs, 0x0026, "timestamp-utc-ms", UtcMs)                             \
  X(kApMac, 0x0028, "ap-mac", MacCodec)                                             \
  X(kApName, 0x0029, "ap-name", Name)                                               \
  X(kRadioSlot, 0x002A, "radio-slot", U8)                                           \
  X(kChannel, 0x002B, "channel", U8)                                                \
  X(kTxPowerDbm, 0x002C, "tx-power-dbm", I8)                                        \
  X(kAttachState, 0x0030, "attach-state", AttachStateCodec)                         \
  X(kMapName, 0x0034, "map-name", Text255)                                          \
  X(kPositionMm, 0x0035, "position-mm", Packed)                                     \
  X(kErrorRadiusMm, 0x0036, "error-radius-mm", U32)                                 \
  X(kGeoPosition, 0x0037, "geo-position", Packed)                                   \
  X(kService, 0x0040, "service", ServiceCodec)                                      \
  X(kIntervalS, 0x0041, "interval-s", IntervalS)                                    \
  X(kApGroup, 0x0042, "ap-group", Name)                                             \
  X(kDeviceMeasurement, 0x8001, "device-measurement", Container<DeviceMeasurement>) \
  X(kDeviceInfo, 0x8002, "device-info", Container<DeviceInfo>)                      \
  X(kDeviceStatistics, 0x8003, "device-statistics", Container<DeviceStatistics>)    \
  X(kApInfo, 0x8004, "ap-info", Container<ApInfo>)                                  \
  X(kApRadio, 0x8005, "ap-radio", Container<ApRadio>)                               \
  X(kAttachment, 0x8006, "attachment", Container<Attachment>)                       \
  X(kDeviceLocation, 0x8007, "device-location", Container<DeviceLocation>)          \
  X(kServiceInterval, 0x8008, "service-interval", Container<ServiceInterval>)       \
  X(kServiceResult, 0x8009, "service-result", Container<ServiceResult>)

inline constexpr uint16_t kContainerBit = 0x8000;

#define NMSP_ATTRIBUTE_CONSTANT(constant, code, name, codec) \
  inline constexpr uint16_t constant = (code);
NMSP_ATTRIBUTES(NMSP_ATTRIBUTE_CONSTANT)
#undef NMSP_ATTRIBUTE_CONSTANT

/// "peer-name", "device-measurement", ...; nullopt for a type this implementation does not know.
constexpr std::optional<std::string_view> attributeName(uint16_t type) {
  switch (type) {
#define NMSP_ATTRIBUTE_CASE(constant, code, name, codec) \
  case (code):                                           \
    return name;
    NMSP_ATTRIBUTES(NMSP_ATTRIBUTE_CASE)
#undef NMSP_ATTRIBUTE_CASE
    default:
      return std::nullopt;
  }
}

}  // namespace nmsp::proto::attr
