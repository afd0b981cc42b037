#pragma once
// Internal: the attribute table of every message and container, in canonical (encoding) order.
// This file is the code form of the tables in docs/protocol.md; keep the two in step.

#include <array>

#include "proto/attribute_types.h"
#include "proto/struct_codec.h"

namespace nmsp::proto {

namespace codec {
using U8 = Int<uint8_t>;
using U16 = Int<uint16_t>;
using U32 = Int<uint32_t>;
using U64 = Int<uint64_t>;
using I8 = Int<int8_t>;
using Name = Utf8<1, 255>;     // peer-name, ap-name, ap-group
using Text255 = Utf8<0, 255>;  // software-version, username, map-name
using ErrorText = Utf8<0, 1024>;
using Ssid = Utf8<0, 32>;
using VlanId = Ranged<uint16_t, 0, 4094>;
using BatteryPct = Ranged<uint8_t, 0, 100>;
using IntervalS = Ranged<uint16_t, 1, 180>;
}  // namespace codec

// DeviceLocation carries two multi-member attributes that the generic helpers do not cover.
CodecStatus decodePosition(DeviceLocation& s, const Tlv& tlv, const Site& site, DecodeContext&);
CodecStatus encodePosition(const DeviceLocation& s, uint16_t type, const FieldPath& parent,
                           std::string_view name, wire::Writer& w);
CodecStatus decodeGeo(DeviceLocation& s, const Tlv& tlv, const Site& site, DecodeContext&);
CodecStatus encodeGeo(const DeviceLocation& s, uint16_t type, const FieldPath& parent,
                      std::string_view name, wire::Writer& w);

// --- Containers --------------------------------------------------------------------------------

template <>
struct Schema<DeviceMeasurement> {
  static constexpr std::array kFields = {
      one<&DeviceMeasurement::mac, codec::MacCodec>(attr::kDeviceMac, "device-mac"),
      one<&DeviceMeasurement::kind, codec::DeviceKindCodec>(attr::kDeviceKind, "device-kind"),
      one<&DeviceMeasurement::aps, codec::ApRssiListCodec>(attr::kApRssiList, "ap-rssi-list"),
  };
};

template <>
struct Schema<DeviceInfo> {
  static constexpr std::array kFields = {
      one<&DeviceInfo::mac, codec::MacCodec>(attr::kDeviceMac, "device-mac"),
      one<&DeviceInfo::kind, codec::DeviceKindCodec>(attr::kDeviceKind, "device-kind"),
      many<&DeviceInfo::ip_addresses, codec::IpCodec>(attr::kIpAddress, "ip-address"),
      optional<&DeviceInfo::ssid, codec::Ssid>(attr::kSsid, "ssid"),
      optional<&DeviceInfo::vlan, codec::VlanId>(attr::kVlanId, "vlan-id"),
      optional<&DeviceInfo::username, codec::Text255>(attr::kUsername, "username"),
      optional<&DeviceInfo::assoc_state, codec::AssocStateCodec>(attr::kAssocState, "assoc-state"),
      optional<&DeviceInfo::band, codec::BandCodec>(attr::kBand, "band"),
      optional<&DeviceInfo::serving_ap, codec::MacCodec>(attr::kServingApMac, "serving-ap-mac"),
      optional<&DeviceInfo::battery_pct, codec::BatteryPct>(attr::kBatteryPct, "battery-pct"),
      many<&DeviceInfo::telemetry, codec::TelemetryCodec>(attr::kTelemetry, "telemetry"),
  };
};

template <>
struct Schema<DeviceStatistics> {
  static constexpr std::array kFields = {
      one<&DeviceStatistics::mac, codec::MacCodec>(attr::kDeviceMac, "device-mac"),
      one<&DeviceStatistics::kind, codec::DeviceKindCodec>(attr::kDeviceKind, "device-kind"),
      optional<&DeviceStatistics::tx_bytes, codec::U64>(attr::kTxBytes, "tx-bytes"),
      optional<&DeviceStatistics::rx_bytes, codec::U64>(attr::kRxBytes, "rx-bytes"),
      optional<&DeviceStatistics::tx_packets, codec::U64>(attr::kTxPackets, "tx-packets"),
      optional<&DeviceStatistics::rx_packets, codec::U64>(attr::kRxPackets, "rx-packets"),
      optional<&DeviceStatistics::tx_retries, codec::U64>(attr::kTxRetries, "tx-retries"),
      optional<&DeviceStatistics::tx_failed, codec::U64>(attr::kTxFailed, "tx-failed"),
      optional<&DeviceStatistics::timestamp_utc_ms, codec::U64>(attr::kTimestampUtcMs,
                                                                "timestamp-utc-ms"),
  };
};

template <>
struct Schema<ApRadio> {
  static constexpr std::array kFields = {
      one<&ApRadio::slot, codec::U8>(attr::kRadioSlot, "radio-slot"),
      one<&ApRadio::band, codec::BandCodec>(attr::kBand, "band"),
      one<&ApRadio::channel, codec::U8>(attr::kChannel, "channel"),
      one<&ApRadio::tx_power_dbm, codec::I8>(attr::kTxPowerDbm, "tx-power-dbm"),
  };
};

template <>
struct Schema<ApInfo> {
  static constexpr std::array kFields = {
      one<&ApInfo::mac, codec::MacCodec>(attr::kApMac, "ap-mac"),
      one<&ApInfo::name, codec::Name>(attr::kApName, "ap-name"),
      optional<&ApInfo::ip, codec::IpCodec>(attr::kIpAddress, "ip-address"),
      many<&ApInfo::radios, codec::Container<ApRadio>>(attr::kApRadio, "ap-radio"),
  };
};

template <>
struct Schema<Attachment> {
  static constexpr std::array kFields = {
      one<&Attachment::device, codec::MacCodec>(attr::kDeviceMac, "device-mac"),
      one<&Attachment::state, codec::AttachStateCodec>(attr::kAttachState, "attach-state"),
      optional<&Attachment::ap_mac, codec::MacCodec>(attr::kApMac, "ap-mac"),
      optional<&Attachment::ip, codec::IpCodec>(attr::kIpAddress, "ip-address"),
      optional<&Attachment::ssid, codec::Ssid>(attr::kSsid, "ssid"),
      one<&Attachment::timestamp_utc_ms, codec::U64>(attr::kTimestampUtcMs, "timestamp-utc-ms"),
  };
};

template <>
struct Schema<DeviceLocation> {
  static constexpr std::array kFields = {
      one<&DeviceLocation::mac, codec::MacCodec>(attr::kDeviceMac, "device-mac"),
      one<&DeviceLocation::kind, codec::DeviceKindCodec>(attr::kDeviceKind, "device-kind"),
      one<&DeviceLocation::map, codec::Text255>(attr::kMapName, "map-name"),
      FieldDef<DeviceLocation>{attr::kPositionMm, "position-mm", Cardinality::One, &decodePosition,
                               &encodePosition},
      optional<&DeviceLocation::error_radius_mm, codec::U32>(attr::kErrorRadiusMm,
                                                             "error-radius-mm"),
      FieldDef<DeviceLocation>{attr::kGeoPosition, "geo-position", Cardinality::Optional,
                               &decodeGeo, &encodeGeo},
      one<&DeviceLocation::timestamp_utc_ms, codec::U64>(attr::kTimestampUtcMs, "timestamp-utc-ms"),
  };
};

template <>
struct Schema<ServiceInterval> {
  static constexpr std::array kFields = {
      one<&ServiceInterval::service, codec::ServiceCodec>(attr::kService, "service"),
      one<&ServiceInterval::interval_s, codec::IntervalS>(attr::kIntervalS, "interval-s"),
  };
};

template <>
struct Schema<ServiceResult> {
  static constexpr std::array kFields = {
      one<&ServiceResult::service, codec::ServiceCodec>(attr::kService, "service"),
      one<&ServiceResult::result, codec::ResultCodeCodec>(attr::kResultCode, "result-code"),
  };
};

// --- Messages ----------------------------------------------------------------------------------

template <>
struct Schema<InitRequest> {
  static constexpr std::array kFields = {
      one<&InitRequest::min_version, codec::U8>(attr::kMinVersion, "min-version"),
      one<&InitRequest::max_version, codec::U8>(attr::kMaxVersion, "max-version"),
      one<&InitRequest::role, codec::PeerRoleCodec>(attr::kPeerRole, "peer-role"),
      one<&InitRequest::name, codec::Name>(attr::kPeerName, "peer-name"),
      one<&InitRequest::software_version, codec::Text255>(attr::kSoftwareVersion,
                                                          "software-version"),
      one<&InitRequest::clock_utc_ms, codec::U64>(attr::kClockUtcMs, "clock-utc-ms"),
  };
  static CodecStatus check(const InitRequest& m, const Site& site);
};

template <>
struct Schema<InitResponse> {
  static constexpr std::array kFields = {
      one<&InitResponse::result, codec::ResultCodeCodec>(attr::kResultCode, "result-code"),
      one<&InitResponse::selected_version, codec::U8>(attr::kSelectedVersion, "selected-version"),
      one<&InitResponse::role, codec::PeerRoleCodec>(attr::kPeerRole, "peer-role"),
      one<&InitResponse::name, codec::Name>(attr::kPeerName, "peer-name"),
      one<&InitResponse::software_version, codec::Text255>(attr::kSoftwareVersion,
                                                           "software-version"),
      one<&InitResponse::clock_utc_ms, codec::U64>(attr::kClockUtcMs, "clock-utc-ms"),
  };
};

template <>
struct Schema<EchoRequest> {
  static constexpr std::array kFields = {
      optional<&EchoRequest::clock_utc_ms, codec::U64>(attr::kClockUtcMs, "clock-utc-ms"),
  };
};

template <>
struct Schema<EchoResponse> {
  static constexpr std::array kFields = {
      optional<&EchoResponse::clock_utc_ms, codec::U64>(attr::kClockUtcMs, "clock-utc-ms"),
      optional<&EchoResponse::echoed_clock_utc_ms, codec::U64>(attr::kEchoedClockUtcMs,
                                                               "echoed-clock-utc-ms"),
  };
};

template <>
struct Schema<ErrorMessage> {
  static constexpr std::array kFields = {
      one<&ErrorMessage::reason, codec::ErrorReasonCodec>(attr::kErrorReason, "error-reason"),
      one<&ErrorMessage::offending_message_id, codec::U16>(attr::kOffendingMessageId,
                                                           "offending-message-id"),
      optional<&ErrorMessage::text, codec::ErrorText>(attr::kErrorText, "error-text"),
  };
};

template <>
struct Schema<CapabilityNotification> {
  static constexpr std::array kFields = {
      one<&CapabilityNotification::services, codec::U64>(attr::kServiceMask, "service-mask"),
  };
};

template <>
struct Schema<ServiceSubscribeRequest> {
  static constexpr std::array kFields = {
      one<&ServiceSubscribeRequest::services, codec::U64>(attr::kServiceMask, "service-mask"),
      many<&ServiceSubscribeRequest::intervals, codec::Container<ServiceInterval>>(
          attr::kServiceInterval, "service-interval"),
      many<&ServiceSubscribeRequest::ap_groups, codec::Name>(attr::kApGroup, "ap-group"),
  };
};

template <>
struct Schema<ServiceSubscribeResponse> {
  static constexpr std::array kFields = {
      one<&ServiceSubscribeResponse::granted, codec::U64>(attr::kServiceMask, "service-mask"),
      many<&ServiceSubscribeResponse::results, codec::Container<ServiceResult>>(
          attr::kServiceResult, "service-result"),
  };
};

template <>
struct Schema<ServiceUnsubscribeRequest> {
  static constexpr std::array kFields = {
      one<&ServiceUnsubscribeRequest::services, codec::U64>(attr::kServiceMask, "service-mask"),
  };
};

template <>
struct Schema<ServiceUnsubscribeResponse> {
  static constexpr std::array kFields = {
      one<&ServiceUnsubscribeResponse::remaining, codec::U64>(attr::kServiceMask, "service-mask"),
      many<&ServiceUnsubscribeResponse::results, codec::Container<ServiceResult>>(
          attr::kServiceResult, "service-result"),
  };
};

/// Request {device-mac *}, Response {result-code 1, C *}, Notification {C *} share one shape
/// per family (measurement, info, statistics).
template <class Request>
struct DeviceListRequestSchema {
  static constexpr std::array kFields = {
      many<&Request::devices, codec::MacCodec>(attr::kDeviceMac, "device-mac"),
  };
};
/// The container that carries one element of a family's device list.
template <class Item>
struct DeviceListItem;
template <>
struct DeviceListItem<DeviceMeasurement> {
  static constexpr uint16_t kType = attr::kDeviceMeasurement;
  static constexpr std::string_view kName = "device-measurement";
};
template <>
struct DeviceListItem<DeviceInfo> {
  static constexpr uint16_t kType = attr::kDeviceInfo;
  static constexpr std::string_view kName = "device-info";
};
template <>
struct DeviceListItem<DeviceStatistics> {
  static constexpr uint16_t kType = attr::kDeviceStatistics;
  static constexpr std::string_view kName = "device-statistics";
};

template <class Response>
struct DeviceListResponseSchema {
  using Item = DeviceListItem<typename decltype(Response::devices)::value_type>;
  static constexpr std::array kFields = {
      one<&Response::result, codec::ResultCodeCodec>(attr::kResultCode, "result-code"),
      many<&Response::devices, codec::Container<typename decltype(Response::devices)::value_type>>(
          Item::kType, Item::kName),
  };
};
template <class Notification>
struct DeviceListNotificationSchema {
  using Item = DeviceListItem<typename decltype(Notification::devices)::value_type>;
  static constexpr std::array kFields = {
      many<&Notification::devices,
           codec::Container<typename decltype(Notification::devices)::value_type>>(Item::kType,
                                                                                   Item::kName),
  };
};

template <>
struct Schema<MeasurementRequest> : DeviceListRequestSchema<MeasurementRequest> {};
template <>
struct Schema<MeasurementResponse> : DeviceListResponseSchema<MeasurementResponse> {};
template <>
struct Schema<MeasurementNotification> : DeviceListNotificationSchema<MeasurementNotification> {};
template <>
struct Schema<InfoRequest> : DeviceListRequestSchema<InfoRequest> {};
template <>
struct Schema<InfoResponse> : DeviceListResponseSchema<InfoResponse> {};
template <>
struct Schema<InfoNotification> : DeviceListNotificationSchema<InfoNotification> {};
template <>
struct Schema<StatisticsRequest> : DeviceListRequestSchema<StatisticsRequest> {};
template <>
struct Schema<StatisticsResponse> : DeviceListResponseSchema<StatisticsResponse> {};
template <>
struct Schema<StatisticsNotification> : DeviceListNotificationSchema<StatisticsNotification> {};

template <>
struct Schema<ApInfoNotification> {
  static constexpr std::array kFields = {
      many<&ApInfoNotification::aps, codec::Container<ApInfo>>(attr::kApInfo, "ap-info"),
  };
};

template <>
struct Schema<AttachmentNotification> {
  static constexpr std::array kFields = {
      many<&AttachmentNotification::attachments, codec::Container<Attachment>>(attr::kAttachment,
                                                                               "attachment"),
  };
};

template <>
struct Schema<LocationNotification> {
  static constexpr std::array kFields = {
      many<&LocationNotification::locations, codec::Container<DeviceLocation>>(
          attr::kDeviceLocation, "device-location"),
  };
};

}  // namespace nmsp::proto
