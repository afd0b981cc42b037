#pragma once
// What the controller's operator commands need from the running controller. The controller
// role (src/controller) implements it; src/surface registers the commands against it.
// Every method may be called from any thread other than the controller's io thread (the
// shell's); those that change persisted state wait, bounded, for the disk write.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aggregate/settings.h"
#include "authlist/auth_list.h"
#include "common/mac_address.h"
#include "common/result.h"
#include "proto/services.h"
#include "trace/trace_buffer.h"

namespace nmsp::api {

/// Notifications of the data path queued to one MSE, per kind (docs/data-path.md).
struct MseDataCounters {
  uint64_t measurement_notifications = 0;
  uint64_t info_notifications = 0;
  uint64_t statistics_notifications = 0;
  uint64_t ap_info_notifications = 0;
  uint64_t attachment_notifications = 0;
};

struct MseSessionStatus {
  uint32_t connection_id = 0;
  std::string peer_ip;  // "127.0.0.1" / "2001:db8::1"
  uint16_t peer_port = 0;
  bool active = false;  // Init exchange completed and not closed
  bool closed =
      false;  // the session has ended: kept (Inactive, last counters) for show nmsp status
  std::string transport = "TLS";
  std::optional<MacAddress> mac;  // from the admitted certificate
  std::string peer_name;          // from Init
  std::string peer_version;
  std::string tls_version;  // "TLSv1.3"
  std::string cipher;       // "TLS_AES_256_GCM_SHA384"
  uint64_t tx_echo_resp = 0;
  uint64_t rx_echo_req = 0;
  uint64_t tx_data = 0;  // frames written to TLS / complete frames received (docs/protocol.md 10)
  uint64_t rx_data = 0;
  uint64_t unsupported_msgs = 0;  // unknown ids and known messages the controller does not take
  uint64_t notifications_dropped = 0;    // oldest queued notifications dropped (send queue full)
  std::map<uint16_t, uint64_t> tx_msgs;  // per message id
  std::map<uint16_t, uint64_t> rx_msgs;
  proto::ServiceMask subscriptions = 0;
  // Per service bit of `subscriptions`: its notification interval in seconds (0: on change).
  std::array<uint16_t, proto::kServiceCount> service_interval_s{};
  int64_t clock_skew_ms = 0;  // peer clock minus ours, from Init
  MseDataCounters sent;       // data notifications queued to this MSE
};

/// The controller's data path: its source, store and aggregation counters (published by the io
/// thread once per data tick).
struct DataPathStatistics {
  std::string source = "none";  // "none", "simulate", "replay"
  uint64_t devices = 0;         // in the store now
  uint64_t aps = 0;             // in the AP table
  uint64_t observations = 0;    // RSSI reports taken into the store
  uint64_t observations_capped = 0;
  uint64_t observations_filtered = 0;
  uint64_t devices_evicted = 0;
  uint64_t pending_dropped = 0;      // log entries dropped at the pending bound
  uint64_t notifications_lost = 0;   // entries streams lost to that bound
  uint64_t attachments_dropped = 0;  // pending attachments dropped at their bound
  uint64_t frames_encoded = 0;
  bool replay_started = false;
  uint64_t replay_played = 0;  // observations played from the replay file
  uint64_t replay_cycles = 0;
  uint64_t replay_skipped = 0;  // malformed lines of the replay file (all passes)
};

/// The last admission decision for one MSE MAC: what its certificate presented and what the
/// controller made of it (`show nmsp admission`, `nmsp doctor` on the controller).
struct AdmissionAttempt {
  MacAddress mac;
  std::string peer;      // "127.0.0.1:40000"
  std::string verdict;   // controller::verdictName(): "admitted", "hash-mismatch", ...
  std::string sha1_hex;  // presented key hashes
  std::string sha256_hex;
  std::chrono::system_clock::time_point not_before;  // presented validity window
  std::chrono::system_clock::time_point not_after;
  std::chrono::system_clock::time_point at;  // the controller's clock at the decision
};

struct ControllerStatistics {
  // TLS and admission (names follow the 9800 YANG nmsp-oper counters).
  uint64_t verify_count = 0;  // certificate verifications attempted
  uint64_t verify_success = 0;
  uint64_t verify_fail = 0;
  uint64_t accept_attempts = 0;  // TCP connections accepted for a handshake
  uint64_t accept_fail = 0;      // handshake failed for a reason other than admission
  uint64_t accept_reject = 0;    // refused: auth list, certificate time, connection cap
  uint64_t accept_success = 0;   // TLS established and admitted
  uint64_t connections_created = 0;
  uint64_t connections_closed = 0;
  uint64_t connections_freed = 0;  // accepted connections ended, any way out (tests wait on it)
  uint64_t handshake_timeouts = 0;
  uint64_t connection_cap_rejects = 0;
  uint64_t malformed_frames = 0;    // sessions closed for a bad frame
  uint64_t session_exceptions = 0;  // connections ended by an exception (logged; a bug)
  uint64_t echo_timeouts = 0;
  uint64_t clock_skew_events = 0;
  uint64_t unsupported_msgs = 0;
  // Refusals for the certificate's validity period (alert 45), apart from auth-list ones.
  uint64_t cert_not_yet_valid = 0;
  uint64_t cert_expired = 0;
  std::string last_validity_refusal;  // "<peer> MAC <mac>: <reason>" of the last one; empty: none
  /// The last decision per MAC, at most kMaxAdmissionAttempts (the oldest is dropped).
  std::map<MacAddress, AdmissionAttempt> admissions;
  static constexpr size_t kMaxAdmissionAttempts = 1024;
  std::map<uint16_t, uint64_t> tx_msgs;  // totals over all sessions, per message id
  std::map<uint16_t, uint64_t> rx_msgs;
  DataPathStatistics data;
};

/// A change of the auth list (an AuthList method call). It runs on the thread that owns the
/// list, so it must own what it uses (capture by value): after a timeout it still runs.
using AuthListEdit = std::function<Result<void, std::string>(authlist::AuthList&)>;

class ControllerControl {
 public:
  virtual ~ControllerControl() = default;
  virtual std::vector<MseSessionStatus> sessions() const = 0;
  virtual ControllerStatistics statistics() const = 0;
  /// The auth list as last saved (immutable).
  virtual std::shared_ptr<const authlist::AuthSnapshot> authList() const = 0;
  /// Applies `edit` where the list is owned and waits for it: saved to disk and in force for
  /// the next handshake when this returns. Error: the edit's own (nothing changed), or an
  /// operator text when the write was refused or not confirmed in time.
  virtual Result<void, std::string> editAuthList(AuthListEdit edit) = 0;
  virtual trace::TraceBuffer& trace() = 0;
  /// `nmsp strong-cipher`: new connections only; existing sessions keep their suite. Persisted
  /// in the data dir (before this returns); on a failure to persist the setting is unchanged
  /// (error: operator text).
  virtual Result<void, std::string> setStrongCipher(bool on) = 0;
  virtual bool strongCipher() const = 0;
  virtual std::string listenAddress() const = 0;  // "0.0.0.0:16113"
  virtual std::string name() const = 0;           // controller host name
  /// The services sent in the Capability Notification.
  virtual proto::ServiceMask offeredServices() const = 0;
  /// The aggregation settings in force (`show nmsp notification interval`).
  virtual aggregate::AggregationSettings aggregationSettings() const = 0;
  /// `nmsp notification interval ...`, `location ...`: validated (error: operator text, nothing
  /// changed), persisted in the data dir, then in force on the io thread, before this returns.
  virtual Result<void, std::string> setAggregationSettings(
      const aggregate::AggregationSettings& settings) = 0;
};

}  // namespace nmsp::api
