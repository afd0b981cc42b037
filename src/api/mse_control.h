#pragma once
// What the MSE's operator commands need from the running MSE. The MSE role (src/mse)
// implements it; src/surface registers the commands against it. Every method may be called
// from any thread other than the MSE's io thread (the shell's); each waits, bounded, for the
// io thread or for the disk write it needs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/mac_address.h"
#include "common/result.h"
#include "devices/device_table.h"
#include "identity/identity.h"
#include "proto/messages.h"
#include "trace/trace_buffer.h"

namespace nmsp::api {

struct ControllerLinkStatus {
  std::string host;
  uint16_t port = 16113;
  bool active = false;     // TLS up and Init done
  std::string last_cause;  // when inactive: plain words and what to do, e.g.
  // "controller rejected this MSE's certificate (TLS alert: certificate unknown): add MAC
  //  00:50:56:9c:34:89 with SHA2 key hash <64 hex> to its auth list"
  std::string peer_name;
  std::string peer_version;
  std::string pinned_fingerprint;  // SHA-256 of the pinned controller certificate, or empty
  uint64_t tx_echo_req = 0;
  uint64_t rx_echo_resp = 0;
  uint64_t connects = 0;
  uint64_t disconnects = 0;
  int64_t clock_skew_ms = 0;
  // Service masks (proto::ServiceMask bits): the persisted service set the link subscribes
  // to, what the controller offered in the current session, and what it granted.
  uint64_t services_configured = 0;
  uint64_t services_offered = 0;
  uint64_t services_granted = 0;
};

/// `nmsp mse --record FILE`: where and how much (mse/recorder.h).
struct RecordStatus {
  std::string file;
  uint64_t written = 0;  // observations written
  uint64_t dropped = 0;  // observations dropped: the writer was behind (bounded queue)
  uint64_t write_errors = 0;
};

class MseControl {
 public:
  virtual ~MseControl() = default;
  virtual const identity::Identity& identity() const = 0;
  virtual std::vector<ControllerLinkStatus> controllers() const = 0;
  /// Persists the controller (saved when this returns) and starts connecting. Error text for
  /// the operator.
  virtual Result<void, std::string> addController(const std::string& host, uint16_t port) = 0;
  /// Stops using host:port; with no port, the one on 16113, else the only one on `host`
  /// (several and no port: error "Invalid input detected: several controllers on ...").
  virtual Result<void, std::string> deleteController(const std::string& host,
                                                     std::optional<uint16_t> port) = 0;
  /// `config unauthenticated-nmsp true|false`: skip pinning of controller certificates (in
  /// force at once; saved before this returns, a failure to save is logged).
  virtual void setUnauthenticatedNmsp(bool on) = 0;
  virtual bool unauthenticatedNmsp() const = 0;
  virtual trace::TraceBuffer& trace() = 0;
  virtual std::string name() const = 0;

  /// `config controllers services <host[:port]> ...`: the service set subscribed to on that
  /// controller (nullopt: the default), saved before this returns; a live session is
  /// re-subscribed (Unsubscribe the removed services, Subscribe the added ones). Error text for the
  /// operator.
  virtual Result<void, std::string> setControllerServices(const std::string& host,
                                                          std::optional<uint16_t> port,
                                                          std::optional<uint64_t> services) = 0;
  /// `show devices [kind]`: a snapshot of the device table (at most `limit` rows).
  virtual Result<devices::DevicesSummary, std::string> devices(
      std::optional<proto::DeviceKind> kind, size_t limit) const = 0;
  /// `show device <mac>`: a snapshot of one device; nullopt when the table does not hold it.
  virtual Result<std::optional<devices::DeviceDetail>, std::string> device(
      const MacAddress& mac) const = 0;
  /// nullopt when the MSE does not record (no --record).
  virtual std::optional<RecordStatus> recording() const = 0;
};

}  // namespace nmsp::api
