#pragma once
// Value types for every NMSP message (docs/protocol.md is the byte-level specification).
// These are plain data: the codec fills them, the roles read them. No I/O here.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/ip_address.h"
#include "common/mac_address.h"
#include "proto/services.h"

namespace nmsp::proto {

/// 16-bit message identifiers (frame header, offset 2).
enum class MessageId : uint16_t {
  InitRequest = 0x0001,
  InitResponse = 0x0002,
  EchoRequest = 0x0003,
  EchoResponse = 0x0004,
  Error = 0x0005,
  CapabilityNotification = 0x0010,
  ServiceSubscribeRequest = 0x0011,
  ServiceSubscribeResponse = 0x0012,
  ServiceUnsubscribeRequest = 0x0013,
  ServiceUnsubscribeResponse = 0x0014,
  MeasurementRequest = 0x0020,
  MeasurementResponse = 0x0021,
  MeasurementNotification = 0x0022,
  InfoRequest = 0x0030,
  InfoResponse = 0x0031,
  InfoNotification = 0x0032,
  StatisticsRequest = 0x0040,
  StatisticsResponse = 0x0041,
  StatisticsNotification = 0x0042,
  ApInfoNotification = 0x0050,
  AttachmentNotification = 0x0051,
  LocationNotification = 0x0052,
};

enum class PeerRole : uint8_t { Controller = 1, Mse = 2 };

/// Outcome of a request (Init, Subscribe, per service, Measurement/Info/Statistics request).
enum class ResultCode : uint16_t {
  Success = 0,
  UnsupportedVersion = 1,
  UnsupportedService = 2,
  InvalidRequest = 3,
  NotAuthorized = 4,
  ResourceExhausted = 5,
  ClockSkew = 6,
  UnknownDevice = 7,
  InternalError = 8,
};

/// Why an Error message was sent (the frame's transaction id is the offending frame's).
enum class ErrorReason : uint16_t {
  UnsupportedMessage = 1,  // unknown message id that asked for a reply
  MalformedFrame = 2,      // the sender closes the session after this
  UnexpectedMessage = 3,   // e.g. anything but Init before Init completed
  VersionMismatch = 4,
  ClockSkew = 5,
  FrameTooLarge = 6,
  RateLimited = 7,
  Shutdown = 8,
};

enum class DeviceKind : uint8_t {
  Client = 1,
  RfidTag = 2,
  RogueAp = 3,
  RogueClient = 4,
  Interferer = 5,
  Ap = 6,  // a managed AP heard by other APs (RRM neighbour report): path-loss calibration
};

enum class Band : uint8_t { Band2_4GHz = 1, Band5GHz = 2, Band6GHz = 3 };

enum class AssocState : uint8_t {
  Probing = 1,
  Associated = 2,
  Authenticated = 3,
  Disassociated = 4
};

enum class AttachState : uint8_t { Attach = 1, Detach = 2 };

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

enum class TelemetryKind : uint16_t {
  TemperatureCentiC = 1,  // hundredths of a degree Celsius
  HumidityCentiPct = 2,   // hundredths of a percent
  PressurePa = 3,
  MotionCount = 4,
};

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

using Message =
    std::variant<InitRequest, InitResponse, EchoRequest, EchoResponse, ErrorMessage,
                 CapabilityNotification, ServiceSubscribeRequest, ServiceSubscribeResponse,
                 ServiceUnsubscribeRequest, ServiceUnsubscribeResponse, MeasurementRequest,
                 MeasurementResponse, MeasurementNotification, InfoRequest, InfoResponse,
                 InfoNotification, StatisticsRequest, StatisticsResponse, StatisticsNotification,
                 ApInfoNotification, AttachmentNotification, LocationNotification, UnknownMessage>;

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

/// The wire id of a message value (UnknownMessage carries its own).
uint16_t messageIdOf(const Message& m);
/// "init-request", "measurement-notification", ...; nullopt for unknown ids.
std::optional<std::string_view> messageName(uint16_t id);
/// True for the *Request messages: the encoder sets kFlagRequest for them.
bool isRequest(uint16_t id);

}  // namespace nmsp::proto
