#pragma once
// Value types for every NMSP message (docs/protocol.md is the byte-level specification), and the
// message catalogue. These are plain data: the codec fills them, the roles read them. No I/O here.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "common/ip_address.h"
#include "common/mac_address.h"
#include "proto/enums.h"
#include "proto/services.h"

namespace nmsp::proto {

// The message catalogue: one line per message, X(Enumerator, id, "name", Type, kind), in id
// order. Everything else about a message comes from here (MessageId, the Message variant and
// its order, messageIdOf, messageName, isRequest, the codec's and the views' dispatch); its
// attributes are in its Schema (schema.h). docs/architecture.md, "The message catalogue".
#define NMSP_MESSAGES(X)                                                                         \
  X(InitRequest, 0x0001, "init-request", InitRequest, Request)                                   \
  X(InitResponse, 0x0002, "init-response", InitResponse, Response)                               \
  X(EchoRequest, 0x0003, "echo-request", EchoRequest, Request)                                   \
  X(EchoResponse, 0x0004, "echo-response", EchoResponse, Response)                               \
  X(Error, 0x0005, "error", ErrorMessage, Error)                                                 \
  X(CapabilityNotification, 0x0010, "capability-notification", CapabilityNotification,           \
    Notification)                                                                                \
  X(ServiceSubscribeRequest, 0x0011, "service-subscribe-request", ServiceSubscribeRequest,       \
    Request)                                                                                     \
  X(ServiceSubscribeResponse, 0x0012, "service-subscribe-response", ServiceSubscribeResponse,    \
    Response)                                                                                    \
  X(ServiceUnsubscribeRequest, 0x0013, "service-unsubscribe-request", ServiceUnsubscribeRequest, \
    Request)                                                                                     \
  X(ServiceUnsubscribeResponse, 0x0014, "service-unsubscribe-response",                          \
    ServiceUnsubscribeResponse, Response)                                                        \
  X(MeasurementRequest, 0x0020, "measurement-request", MeasurementRequest, Request)              \
  X(MeasurementResponse, 0x0021, "measurement-response", MeasurementResponse, Response)          \
  X(MeasurementNotification, 0x0022, "measurement-notification", MeasurementNotification,        \
    Notification)                                                                                \
  X(InfoRequest, 0x0030, "info-request", InfoRequest, Request)                                   \
  X(InfoResponse, 0x0031, "info-response", InfoResponse, Response)                               \
  X(InfoNotification, 0x0032, "info-notification", InfoNotification, Notification)               \
  X(StatisticsRequest, 0x0040, "statistics-request", StatisticsRequest, Request)                 \
  X(StatisticsResponse, 0x0041, "statistics-response", StatisticsResponse, Response)             \
  X(StatisticsNotification, 0x0042, "statistics-notification", StatisticsNotification,           \
    Notification)                                                                                \
  X(ApInfoNotification, 0x0050, "ap-info-notification", ApInfoNotification, Notification)        \
  X(AttachmentNotification, 0x0051, "attachment-notification", AttachmentNotification,           \
    Notification)                                                                                \
  X(LocationNotification, 0x0052, "location-notification", LocationNotification, Notification)

/// 16-bit message identifiers (frame header, offset 2).
#define NMSP_MESSAGE_ENUMERATOR(enumerator, id, name, Type, kind) enumerator = (id),
enum class MessageId : uint16_t { NMSP_MESSAGES(NMSP_MESSAGE_ENUMERATOR) };
#undef NMSP_MESSAGE_ENUMERATOR

/// Request: the sender expects a reply (the encoder sets kFlagRequest).
enum class MessageKind : uint8_t { Request, Response, Notification, Error };

// --- Enumerations (values and names: docs/protocol.md section 7, protocol-json.md 3.1) -------

#define NMSP_PEER_ROLES(X)       \
  X(Controller, 1, "controller") \
  X(Mse, 2, "mse")
NMSP_DEFINE_ENUM(PeerRole, uint8_t, "peer role", NMSP_PEER_ROLES)

/// Outcome of a request (Init, Subscribe, per service, Measurement/Info/Statistics request).
#define NMSP_RESULT_CODES(X)                      \
  X(Success, 0, "success")                        \
  X(UnsupportedVersion, 1, "unsupported-version") \
  X(UnsupportedService, 2, "unsupported-service") \
  X(InvalidRequest, 3, "invalid-request")         \
  X(NotAuthorized, 4, "not-authorized")           \
  X(ResourceExhausted, 5, "resource-exhausted")   \
  X(ClockSkew, 6, "clock-skew")                   \
  X(UnknownDevice, 7, "unknown-device")           \
  X(InternalError, 8, "internal-error")
NMSP_DEFINE_ENUM(ResultCode, uint16_t, "result code", NMSP_RESULT_CODES)

/// Why an Error message was sent (the frame's transaction id is the offending frame's).
#define NMSP_ERROR_REASONS(X)                                                                  \
  X(UnsupportedMessage, 1, "unsupported-message") /* unknown id that asked for a reply */      \
  X(MalformedFrame, 2, "malformed-frame")         /* the sender closes the session after it */ \
  X(UnexpectedMessage, 3, "unexpected-message")   /* e.g. anything but Init before Init */     \
  X(VersionMismatch, 4, "version-mismatch")                                                    \
  X(ClockSkew, 5, "clock-skew")                                                                \
  X(FrameTooLarge, 6, "frame-too-large")                                                       \
  X(RateLimited, 7, "rate-limited")                                                            \
  X(Shutdown, 8, "shutdown")
NMSP_DEFINE_ENUM(ErrorReason, uint16_t, "error reason", NMSP_ERROR_REASONS)

/// Ap: a managed AP heard by other APs (RRM neighbour report), for path-loss calibration.
#define NMSP_DEVICE_KINDS(X)        \
  X(Client, 1, "client")            \
  X(RfidTag, 2, "rfid-tag")         \
  X(RogueAp, 3, "rogue-ap")         \
  X(RogueClient, 4, "rogue-client") \
  X(Interferer, 5, "interferer")    \
  X(Ap, 6, "ap")
NMSP_DEFINE_ENUM(DeviceKind, uint8_t, "device kind", NMSP_DEVICE_KINDS)

#define NMSP_BANDS(X)        \
  X(Band2_4GHz, 1, "2.4ghz") \
  X(Band5GHz, 2, "5ghz")     \
  X(Band6GHz, 3, "6ghz")
NMSP_DEFINE_ENUM(Band, uint8_t, "band", NMSP_BANDS)

#define NMSP_ASSOC_STATES(X)           \
  X(Probing, 1, "probing")             \
  X(Associated, 2, "associated")       \
  X(Authenticated, 3, "authenticated") \
  X(Disassociated, 4, "disassociated")
NMSP_DEFINE_ENUM(AssocState, uint8_t, "association state", NMSP_ASSOC_STATES)

#define NMSP_ATTACH_STATES(X) \
  X(Attach, 1, "attach")      \
  X(Detach, 2, "detach")
NMSP_DEFINE_ENUM(AttachState, uint8_t, "attach state", NMSP_ATTACH_STATES)

#define NMSP_TELEMETRY_KINDS(X)                                                       \
  X(TemperatureCentiC, 1, "temperature-centi-c") /* hundredths of a degree Celsius */ \
  X(HumidityCentiPct, 2, "humidity-centi-pct")   /* hundredths of a percent */        \
  X(PressurePa, 3, "pressure-pa")                                                     \
  X(MotionCount, 4, "motion-count")
NMSP_DEFINE_ENUM(TelemetryKind, uint16_t, "telemetry kind", NMSP_TELEMETRY_KINDS)

// --- Session ---------------------------------------------------------------------------------

struct InitRequest {
  uint8_t min_version = 1;
  uint8_t max_version = 1;
  PeerRole role = PeerRole::Mse;
  std::string name;              // peer host name, 1..255 bytes UTF-8
  std::string software_version;  // 0..255 bytes UTF-8
  uint64_t clock_utc_ms = 0;     // sender's clock, for skew detection
  bool operator==(const InitRequest&) const = default;
};

struct InitResponse {
  ResultCode result = ResultCode::Success;
  uint8_t selected_version = 1;  // meaningful when result == Success
  PeerRole role = PeerRole::Controller;
  std::string name;
  std::string software_version;
  uint64_t clock_utc_ms = 0;
  bool operator==(const InitResponse&) const = default;
};

struct EchoRequest {
  std::optional<uint64_t> clock_utc_ms;
  bool operator==(const EchoRequest&) const = default;
};

struct EchoResponse {
  std::optional<uint64_t> clock_utc_ms;         // responder's clock
  std::optional<uint64_t> echoed_clock_utc_ms;  // copied from the request (round-trip time)
  bool operator==(const EchoResponse&) const = default;
};

struct ErrorMessage {
  ErrorReason reason = ErrorReason::MalformedFrame;
  uint16_t offending_message_id = 0;
  std::optional<std::string> text;
  bool operator==(const ErrorMessage&) const = default;
};

// --- Services and subscriptions --------------------------------------------------------------

struct CapabilityNotification {
  ServiceMask services = 0;
  bool operator==(const CapabilityNotification&) const = default;
};

struct ServiceInterval {
  Service service = Service::RssiMs;
  uint16_t interval_s = 2;  // notification interval, 1..180 s
  bool operator==(const ServiceInterval&) const = default;
};

struct ServiceSubscribeRequest {
  ServiceMask services = 0;
  std::vector<ServiceInterval> intervals;  // optional per-service override
  std::vector<std::string> ap_groups;      // empty: all APs
  bool operator==(const ServiceSubscribeRequest&) const = default;
};

struct ServiceResult {
  Service service = Service::RssiMs;
  ResultCode result = ResultCode::Success;
  bool operator==(const ServiceResult&) const = default;
};

struct ServiceSubscribeResponse {
  ServiceMask granted = 0;
  std::vector<ServiceResult> results;  // one per requested service
  bool operator==(const ServiceSubscribeResponse&) const = default;
};

struct ServiceUnsubscribeRequest {
  ServiceMask services = 0;
  bool operator==(const ServiceUnsubscribeRequest&) const = default;
};

struct ServiceUnsubscribeResponse {
  ServiceMask remaining = 0;  // services still subscribed after this request
  std::vector<ServiceResult> results;
  bool operator==(const ServiceUnsubscribeResponse&) const = default;
};

// --- Measurements ----------------------------------------------------------------------------

/// One AP's report of a device (fixed 20-byte record on the wire).
struct ApRssi {
  MacAddress ap_mac;
  uint8_t slot = 0;
  Band band = Band::Band2_4GHz;
  uint8_t antenna = 0;
  int8_t rssi_dbm = 0;
  int8_t snr_db = 0;
  uint64_t timestamp_utc_ms = 0;
  bool operator==(const ApRssi&) const = default;
};

inline constexpr size_t kMaxApsPerDevice = 16;

/// Up to 16 AP reports, stored inline so decoding a measurement does not allocate per device.
class ApRssiList {
 public:
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  bool full() const { return count_ == kMaxApsPerDevice; }
  /// Returns false (and stores nothing) when already full.
  bool push_back(const ApRssi& a) {
    if (full()) {
      return false;
    }
    items_[count_++] = a;
    return true;
  }
  void clear() { count_ = 0; }
  const ApRssi& operator[](size_t i) const { return items_[i]; }
  ApRssi& operator[](size_t i) { return items_[i]; }
  const ApRssi* begin() const { return items_.data(); }
  const ApRssi* end() const { return items_.data() + count_; }
  bool operator==(const ApRssiList& o) const {
    if (count_ != o.count_) {
      return false;
    }
    for (size_t i = 0; i < count_; ++i) {
      if (!(items_[i] == o.items_[i])) {
        return false;
      }
    }
    return true;
  }

 private:
  std::array<ApRssi, kMaxApsPerDevice> items_{};
  uint8_t count_ = 0;
};

struct DeviceMeasurement {
  MacAddress mac;
  DeviceKind kind = DeviceKind::Client;
  ApRssiList aps;
  bool operator==(const DeviceMeasurement&) const = default;
};

struct MeasurementRequest {
  std::vector<MacAddress> devices;  // empty: every device the controller knows
  bool operator==(const MeasurementRequest&) const = default;
};

struct MeasurementResponse {
  ResultCode result = ResultCode::Success;
  std::vector<DeviceMeasurement> devices;
  bool operator==(const MeasurementResponse&) const = default;
};

struct MeasurementNotification {
  std::vector<DeviceMeasurement> devices;
  bool operator==(const MeasurementNotification&) const = default;
};

// --- Device information ----------------------------------------------------------------------

struct Telemetry {
  TelemetryKind kind = TelemetryKind::TemperatureCentiC;
  int64_t value = 0;
  bool operator==(const Telemetry&) const = default;
};

struct DeviceInfo {
  MacAddress mac;
  DeviceKind kind = DeviceKind::Client;
  std::vector<IpAddress> ip_addresses;
  std::optional<std::string> ssid;
  std::optional<uint16_t> vlan;
  std::optional<std::string> username;
  std::optional<AssocState> assoc_state;
  std::optional<Band> band;
  std::optional<MacAddress> serving_ap;
  std::optional<uint8_t> battery_pct;  // RFID tags: 0..100
  std::vector<Telemetry> telemetry;    // RFID tags
  bool operator==(const DeviceInfo&) const = default;
};

struct InfoRequest {
  std::vector<MacAddress> devices;
  bool operator==(const InfoRequest&) const = default;
};

struct InfoResponse {
  ResultCode result = ResultCode::Success;
  std::vector<DeviceInfo> devices;
  bool operator==(const InfoResponse&) const = default;
};

struct InfoNotification {
  std::vector<DeviceInfo> devices;
  bool operator==(const InfoNotification&) const = default;
};

// --- Statistics ------------------------------------------------------------------------------

struct DeviceStatistics {
  MacAddress mac;
  DeviceKind kind = DeviceKind::Client;
  std::optional<uint64_t> tx_bytes;
  std::optional<uint64_t> rx_bytes;
  std::optional<uint64_t> tx_packets;
  std::optional<uint64_t> rx_packets;
  std::optional<uint64_t> tx_retries;
  std::optional<uint64_t> tx_failed;
  std::optional<uint64_t> timestamp_utc_ms;
  bool operator==(const DeviceStatistics&) const = default;
};

struct StatisticsRequest {
  std::vector<MacAddress> devices;
  bool operator==(const StatisticsRequest&) const = default;
};

struct StatisticsResponse {
  ResultCode result = ResultCode::Success;
  std::vector<DeviceStatistics> devices;
  bool operator==(const StatisticsResponse&) const = default;
};

struct StatisticsNotification {
  std::vector<DeviceStatistics> devices;
  bool operator==(const StatisticsNotification&) const = default;
};

// --- APs, attachment, location ---------------------------------------------------------------

struct ApRadio {
  uint8_t slot = 0;
  Band band = Band::Band2_4GHz;
  uint8_t channel = 0;
  int8_t tx_power_dbm = 0;
  bool operator==(const ApRadio&) const = default;
};

struct ApInfo {
  MacAddress mac;
  std::string name;
  std::optional<IpAddress> ip;
  std::vector<ApRadio> radios;
  bool operator==(const ApInfo&) const = default;
};

struct ApInfoNotification {
  std::vector<ApInfo> aps;
  bool operator==(const ApInfoNotification&) const = default;
};

struct Attachment {
  MacAddress device;
  AttachState state = AttachState::Attach;
  std::optional<MacAddress> ap_mac;
  std::optional<IpAddress> ip;
  std::optional<std::string> ssid;
  uint64_t timestamp_utc_ms = 0;
  bool operator==(const Attachment&) const = default;
};

struct AttachmentNotification {
  std::vector<Attachment> attachments;
  bool operator==(const AttachmentNotification&) const = default;
};

struct DeviceLocation {
  MacAddress mac;
  DeviceKind kind = DeviceKind::Client;
  std::string map;   // floor / map hierarchy name
  int32_t x_mm = 0;  // position on the map, millimetres from its origin
  int32_t y_mm = 0;
  int32_t z_mm = 0;
  std::optional<uint32_t> error_radius_mm;
  std::optional<int32_t> latitude_e7;  // degrees × 10^7
  std::optional<int32_t> longitude_e7;
  uint64_t timestamp_utc_ms = 0;
  bool operator==(const DeviceLocation&) const = default;
};

struct LocationNotification {
  std::vector<DeviceLocation> locations;
  bool operator==(const LocationNotification&) const = default;
};

/// A message id this implementation does not know. Kept verbatim so that it can be counted,
/// answered with Error(UnsupportedMessage), printed, or re-encoded byte for byte.
struct UnknownMessage {
  uint16_t id = 0;
  std::vector<uint8_t> payload;
  bool operator==(const UnknownMessage&) const = default;
};

/// One alternative per catalogue line, in catalogue order, then UnknownMessage.
#define NMSP_MESSAGE_TYPE(enumerator, id, name, Type, kind) Type,
using Message = std::variant<NMSP_MESSAGES(NMSP_MESSAGE_TYPE) UnknownMessage>;
#undef NMSP_MESSAGE_TYPE

/// Header flag bits (frame header, offset 1).
inline constexpr uint8_t kFlagRequest =
    0x01;  // the sender expects a reply with this transaction id

/// One decoded or to-be-encoded frame.
struct Frame {
  uint8_t version = 1;
  uint8_t flags = 0;
  uint32_t transaction_id = 0;
  Message message;
  bool operator==(const Frame&) const = default;
};

/// What the catalogue says about one message.
struct MessageInfo {
  MessageId id;
  std::string_view name;  // "init-request", "measurement-notification", ...
  MessageKind kind;
};

/// The index of T among the alternatives of variant V.
template <class T, class V>
struct AlternativeIndex;
template <class T, class... Ts>
struct AlternativeIndex<T, std::variant<Ts...>> {
  static constexpr size_t find() {
    constexpr std::array<bool, sizeof...(Ts)> same = {std::is_same_v<T, Ts>...};
    for (size_t i = 0; i < same.size(); ++i) {
      if (same[i]) {
        return i;
      }
    }
    return sizeof...(Ts);
  }
  static constexpr size_t value = find();
  static_assert(value < sizeof...(Ts), "not an alternative of the variant");
};

/// The catalogue index (= variant index) of message type M.
template <class M>
inline constexpr size_t kMessageIndex = AlternativeIndex<M, Message>::value;

/// The catalogue in Message variant order: kMessages[i] describes alternative i.
#define NMSP_MESSAGE_INFO(enumerator, id, name, Type, kind) \
  MessageInfo{MessageId::enumerator, name, MessageKind::kind},
inline constexpr auto kMessages = std::to_array({NMSP_MESSAGES(NMSP_MESSAGE_INFO)});
#undef NMSP_MESSAGE_INFO
static_assert(kMessages.size() + 1 == std::variant_size_v<Message>);

/// The catalogue entry of a known id, nullptr for any other.
constexpr const MessageInfo* findMessage(uint16_t id) {
  switch (id) {
#define NMSP_MESSAGE_CASE(enumerator, id, name, Type, kind) \
  case (id):                                                \
    return &kMessages[kMessageIndex<Type>];
    NMSP_MESSAGES(NMSP_MESSAGE_CASE)
#undef NMSP_MESSAGE_CASE
    default:
      return nullptr;
  }
}

/// The wire id of message type M (not UnknownMessage, which carries its own).
template <class M>
inline constexpr MessageId kIdOf = kMessages[kMessageIndex<M>].id;

/// The wire id of a message value (UnknownMessage carries its own).
uint16_t messageIdOf(const Message& m);
/// "init-request", "measurement-notification", ...; nullopt for unknown ids.
constexpr std::optional<std::string_view> messageName(uint16_t id) {
  const MessageInfo* info = findMessage(id);
  return info != nullptr ? std::optional(info->name) : std::nullopt;
}
/// Inverse of messageName.
constexpr std::optional<MessageId> messageIdFromName(std::string_view name) {
  for (const MessageInfo& info : kMessages) {
    if (info.name == name) {
      return info.id;
    }
  }
  return std::nullopt;
}
/// True for the *Request messages: the encoder sets kFlagRequest for them.
constexpr bool isRequest(uint16_t id) {
  const MessageInfo* info = findMessage(id);
  return info != nullptr && info->kind == MessageKind::Request;
}

}  // namespace nmsp::proto
