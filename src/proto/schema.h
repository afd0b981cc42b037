#pragma once
// Internal: the Schema of every message and structure, in canonical (encoding) order, and the
// codec of every attribute (bound from NMSP_ATTRIBUTES). This file is the code form of the
// tables in docs/protocol.md; keep the two in step. Field kinds: fields.h.

#include <tuple>

#include "proto/attribute_types.h"
#include "proto/fields.h"
#include "proto/struct_codec.h"

namespace nmsp::proto {

namespace codec {
using U8 = Int<uint8_t>;
using U16 = Int<uint16_t>;
using U32 = Int<uint32_t>;
using U64 = Int<uint64_t>;
using I8 = Int<int8_t>;
using I32 = Int<int32_t>;
using I64 = Int<int64_t>;
using Name = Utf8<1, 255>;     // peer-name, ap-name, ap-group
using Text255 = Utf8<0, 255>;  // software-version, username, map-name
using ErrorText = Utf8<0, 1024>;
using Ssid = Utf8<0, 32>;
using VlanId = Ranged<uint16_t, 0, 4094>;
using BatteryPct = Ranged<uint8_t, 0, 100>;
using IntervalS = Ranged<uint16_t, 1, 180>;
using TelemetryCodec = Record<Telemetry>;  // kind u16 + value i64

/// count u8, then count 20-byte AP records (at most kMaxApsPerDevice).
struct ApRssiListCodec {
  using Value = ApRssiList;
  using Element = ApRssi;
  using ElementCodec = Record<ApRssi>;
  static constexpr size_t kMaxItems = kMaxApsPerDevice;
  static constexpr size_t kMinSize = 1;
  static CodecStatus decode(std::span<const uint8_t> v, ApRssiList& out, const Site& site,
                            DecodeContext& ctx);
  static CodecStatus encode(const ApRssiList& in, wire::Writer& w, const Site& site);
};
}  // namespace codec

#define NMSP_ATTRIBUTE_CODEC(constant, code, name, codec_type) \
  template <>                                                  \
  struct AttributeCodec<attr::constant> {                      \
    using type = codec::codec_type;                            \
  };
NMSP_ATTRIBUTES(NMSP_ATTRIBUTE_CODEC)
#undef NMSP_ATTRIBUTE_CODEC

// --- Records (fixed-size values) ---------------------------------------------------------------

/// One AP's report of a device: 20 bytes inside ap-rssi-list.
template <>
struct Schema<ApRssi> {
  static constexpr std::tuple kFields{
      part<&ApRssi::ap_mac, codec::MacCodec>("ap_mac"),
      part<&ApRssi::slot, codec::U8>("slot"),
      part<&ApRssi::band, codec::BandCodec>("band"),
      part<&ApRssi::antenna, codec::U8>("antenna"),
      part<&ApRssi::rssi_dbm, codec::I8>("rssi_dbm"),
      part<&ApRssi::snr_db, codec::I8>("snr_db"),
      reserved<1>(),
      part<&ApRssi::timestamp_utc_ms, codec::UtcMs>("timestamp_utc_ms"),
  };
};

template <>
struct Schema<Telemetry> {
  static constexpr std::tuple kFields{
      part<&Telemetry::kind, codec::TelemetryKindCodec>("kind"),
      part<&Telemetry::value, codec::I64>("value"),
  };
};

// --- Containers --------------------------------------------------------------------------------

template <>
struct Schema<DeviceMeasurement> {
  static constexpr std::tuple kFields{
      one<&DeviceMeasurement::mac, attr::kDeviceMac>("mac"),
      one<&DeviceMeasurement::kind, attr::kDeviceKind>("kind"),
      one<&DeviceMeasurement::aps, attr::kApRssiList>("aps"),
  };
};

template <>
struct Schema<DeviceInfo> {
  static constexpr std::tuple kFields{
      one<&DeviceInfo::mac, attr::kDeviceMac>("mac"),
      one<&DeviceInfo::kind, attr::kDeviceKind>("kind"),
      many<&DeviceInfo::ip_addresses, attr::kIpAddress>("ip_addresses"),
      optional<&DeviceInfo::ssid, attr::kSsid>("ssid"),
      optional<&DeviceInfo::vlan, attr::kVlanId>("vlan"),
      optional<&DeviceInfo::username, attr::kUsername>("username"),
      optional<&DeviceInfo::assoc_state, attr::kAssocState>("assoc_state"),
      optional<&DeviceInfo::band, attr::kBand>("band"),
      optional<&DeviceInfo::serving_ap, attr::kServingApMac>("serving_ap"),
      optional<&DeviceInfo::battery_pct, attr::kBatteryPct>("battery_pct"),
      many<&DeviceInfo::telemetry, attr::kTelemetry>("telemetry"),
  };
};

template <>
struct Schema<DeviceStatistics> {
  static constexpr std::tuple kFields{
      one<&DeviceStatistics::mac, attr::kDeviceMac>("mac"),
      one<&DeviceStatistics::kind, attr::kDeviceKind>("kind"),
      optional<&DeviceStatistics::tx_bytes, attr::kTxBytes>("tx_bytes"),
      optional<&DeviceStatistics::rx_bytes, attr::kRxBytes>("rx_bytes"),
      optional<&DeviceStatistics::tx_packets, attr::kTxPackets>("tx_packets"),
      optional<&DeviceStatistics::rx_packets, attr::kRxPackets>("rx_packets"),
      optional<&DeviceStatistics::tx_retries, attr::kTxRetries>("tx_retries"),
      optional<&DeviceStatistics::tx_failed, attr::kTxFailed>("tx_failed"),
      optional<&DeviceStatistics::timestamp_utc_ms, attr::kTimestampUtcMs>("timestamp_utc_ms"),
  };
};

template <>
struct Schema<ApRadio> {
  static constexpr std::tuple kFields{
      one<&ApRadio::slot, attr::kRadioSlot>("slot"),
      one<&ApRadio::band, attr::kBand>("band"),
      one<&ApRadio::channel, attr::kChannel>("channel"),
      one<&ApRadio::tx_power_dbm, attr::kTxPowerDbm>("tx_power_dbm"),
  };
};

template <>
struct Schema<ApInfo> {
  static constexpr std::tuple kFields{
      one<&ApInfo::mac, attr::kApMac>("mac"),
      one<&ApInfo::name, attr::kApName>("name"),
      optional<&ApInfo::ip, attr::kIpAddress>("ip"),
      many<&ApInfo::radios, attr::kApRadio>("radios"),
  };
};

template <>
struct Schema<Attachment> {
  static constexpr std::tuple kFields{
      one<&Attachment::device, attr::kDeviceMac>("device"),
      one<&Attachment::state, attr::kAttachState>("state"),
      optional<&Attachment::ap_mac, attr::kApMac>("ap_mac"),
      optional<&Attachment::ip, attr::kIpAddress>("ip"),
      optional<&Attachment::ssid, attr::kSsid>("ssid"),
      one<&Attachment::timestamp_utc_ms, attr::kTimestampUtcMs>("timestamp_utc_ms"),
  };
};

template <>
struct Schema<DeviceLocation> {
  static constexpr std::tuple kFields{
      one<&DeviceLocation::mac, attr::kDeviceMac>("mac"),
      one<&DeviceLocation::kind, attr::kDeviceKind>("kind"),
      one<&DeviceLocation::map, attr::kMapName>("map"),
      packed<attr::kPositionMm>(part<&DeviceLocation::x_mm, codec::I32>("x_mm"),
                                part<&DeviceLocation::y_mm, codec::I32>("y_mm"),
                                part<&DeviceLocation::z_mm, codec::I32>("z_mm")),
      optional<&DeviceLocation::error_radius_mm, attr::kErrorRadiusMm>("error_radius_mm"),
      packed<attr::kGeoPosition>(part<&DeviceLocation::latitude_e7, codec::I32>("latitude_e7"),
                                 part<&DeviceLocation::longitude_e7, codec::I32>("longitude_e7")),
      one<&DeviceLocation::timestamp_utc_ms, attr::kTimestampUtcMs>("timestamp_utc_ms"),
  };
};

template <>
struct Schema<ServiceInterval> {
  static constexpr std::tuple kFields{
      one<&ServiceInterval::service, attr::kService>("service"),
      one<&ServiceInterval::interval_s, attr::kIntervalS>("interval_s"),
  };
};

template <>
struct Schema<ServiceResult> {
  static constexpr std::tuple kFields{
      one<&ServiceResult::service, attr::kService>("service"),
      one<&ServiceResult::result, attr::kResultCode>("result"),
  };
};

// --- Messages ----------------------------------------------------------------------------------

template <>
struct Schema<InitRequest> {
  static constexpr std::tuple kFields{
      one<&InitRequest::min_version, attr::kMinVersion>("min_version"),
      one<&InitRequest::max_version, attr::kMaxVersion>("max_version"),
      one<&InitRequest::role, attr::kPeerRole>("role"),
      one<&InitRequest::name, attr::kPeerName>("name"),
      one<&InitRequest::software_version, attr::kSoftwareVersion>("software_version"),
      one<&InitRequest::clock_utc_ms, attr::kClockUtcMs>("clock_utc_ms"),
  };
  static CodecStatus check(const InitRequest& m, const Site& site);
};

template <>
struct Schema<InitResponse> {
  static constexpr std::tuple kFields{
      one<&InitResponse::result, attr::kResultCode>("result"),
      one<&InitResponse::selected_version, attr::kSelectedVersion>("selected_version"),
      one<&InitResponse::role, attr::kPeerRole>("role"),
      one<&InitResponse::name, attr::kPeerName>("name"),
      one<&InitResponse::software_version, attr::kSoftwareVersion>("software_version"),
      one<&InitResponse::clock_utc_ms, attr::kClockUtcMs>("clock_utc_ms"),
  };
};

template <>
struct Schema<EchoRequest> {
  static constexpr std::tuple kFields{
      optional<&EchoRequest::clock_utc_ms, attr::kClockUtcMs>("clock_utc_ms"),
  };
};

template <>
struct Schema<EchoResponse> {
  static constexpr std::tuple kFields{
      optional<&EchoResponse::clock_utc_ms, attr::kClockUtcMs>("clock_utc_ms"),
      optional<&EchoResponse::echoed_clock_utc_ms, attr::kEchoedClockUtcMs>("echoed_clock_utc_ms"),
  };
};

template <>
struct Schema<ErrorMessage> {
  static constexpr std::tuple kFields{
      one<&ErrorMessage::reason, attr::kErrorReason>("reason"),
      one<&ErrorMessage::offending_message_id, attr::kOffendingMessageId>("offending_message_id"),
      optional<&ErrorMessage::text, attr::kErrorText>("text"),
  };
};

template <>
struct Schema<CapabilityNotification> {
  static constexpr std::tuple kFields{
      one<&CapabilityNotification::services, attr::kServiceMask>("services"),
  };
};

template <>
struct Schema<ServiceSubscribeRequest> {
  static constexpr std::tuple kFields{
      one<&ServiceSubscribeRequest::services, attr::kServiceMask>("services"),
      many<&ServiceSubscribeRequest::intervals, attr::kServiceInterval>("intervals"),
      many<&ServiceSubscribeRequest::ap_groups, attr::kApGroup>("ap_groups"),
  };
};

template <>
struct Schema<ServiceSubscribeResponse> {
  static constexpr std::tuple kFields{
      one<&ServiceSubscribeResponse::granted, attr::kServiceMask>("granted"),
      many<&ServiceSubscribeResponse::results, attr::kServiceResult>("results"),
  };
};

template <>
struct Schema<ServiceUnsubscribeRequest> {
  static constexpr std::tuple kFields{
      one<&ServiceUnsubscribeRequest::services, attr::kServiceMask>("services"),
  };
};

template <>
struct Schema<ServiceUnsubscribeResponse> {
  static constexpr std::tuple kFields{
      one<&ServiceUnsubscribeResponse::remaining, attr::kServiceMask>("remaining"),
      many<&ServiceUnsubscribeResponse::results, attr::kServiceResult>("results"),
  };
};

/// Request {device-mac *}, Response {result-code 1, C *}, Notification {C *} share one shape
/// per family (measurement, info, statistics); C is the family's container attribute.
template <class Request>
struct DeviceListRequestSchema {
  static constexpr std::tuple kFields{
      many<&Request::devices, attr::kDeviceMac>("devices"),
  };
};
template <class Response, uint16_t Item>
struct DeviceListResponseSchema {
  static constexpr std::tuple kFields{
      one<&Response::result, attr::kResultCode>("result"),
      many<&Response::devices, Item>("devices"),
  };
};
template <class Notification, uint16_t Item>
struct DeviceListNotificationSchema {
  static constexpr std::tuple kFields{
      many<&Notification::devices, Item>("devices"),
  };
};

template <>
struct Schema<MeasurementRequest> : DeviceListRequestSchema<MeasurementRequest> {};
template <>
struct Schema<MeasurementResponse>
    : DeviceListResponseSchema<MeasurementResponse, attr::kDeviceMeasurement> {};
template <>
struct Schema<MeasurementNotification>
    : DeviceListNotificationSchema<MeasurementNotification, attr::kDeviceMeasurement> {};
template <>
struct Schema<InfoRequest> : DeviceListRequestSchema<InfoRequest> {};
template <>
struct Schema<InfoResponse> : DeviceListResponseSchema<InfoResponse, attr::kDeviceInfo> {};
template <>
struct Schema<InfoNotification>
    : DeviceListNotificationSchema<InfoNotification, attr::kDeviceInfo> {};
template <>
struct Schema<StatisticsRequest> : DeviceListRequestSchema<StatisticsRequest> {};
template <>
struct Schema<StatisticsResponse>
    : DeviceListResponseSchema<StatisticsResponse, attr::kDeviceStatistics> {};
template <>
struct Schema<StatisticsNotification>
    : DeviceListNotificationSchema<StatisticsNotification, attr::kDeviceStatistics> {};

template <>
struct Schema<ApInfoNotification> {
  static constexpr std::tuple kFields{
      many<&ApInfoNotification::aps, attr::kApInfo>("aps"),
  };
};

template <>
struct Schema<AttachmentNotification> {
  static constexpr std::tuple kFields{
      many<&AttachmentNotification::attachments, attr::kAttachment>("attachments"),
  };
};

template <>
struct Schema<LocationNotification> {
  static constexpr std::tuple kFields{
      many<&LocationNotification::locations, attr::kDeviceLocation>("locations"),
  };
};

}  // namespace nmsp::proto
