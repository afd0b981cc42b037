#pragma once
// What the MSE's operator commands need from the running MSE. The MSE role (src/mse)
// implements it; src/surface registers the commands against it. Every method may be called
// from any thread other than the MSE's io thread (the shell's); each waits, bounded, for the
// io thread or for the disk write it needs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "identity/identity.h"
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
};

}  // namespace nmsp::api
