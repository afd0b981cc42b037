#pragma once
// The MSE's side of `nmsp doctor`: from this MSE to one controller, the checks in the order an
// engineer runs them (docs/operator-guide.md "nmsp doctor"). Pure: the name lookup and the
// connection attempt are injected, so every failure is unit-tested without a network.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "doctor/report.h"
#include "identity/identity.h"
#include "identity/validity.h"
#include "proto/services.h"

namespace nmsp::doctor {

/// What one connection attempt to a controller observed, step by step (a later field is only
/// meaningful when the earlier steps got that far).
struct ControllerProbe {
  // TCP
  bool connected = false;
  bool refused = false;    // RST: nobody listens
  bool timed_out = false;  // no answer
  std::string tcp_error;
  // TLS
  bool handshake_done = false;
  std::string tls_version;  // "TLSv1.3"
  int alert = -1;           // fatal alert from the controller (handshake or first read), -1: none
  std::string tls_error;    // a handshake failure without an alert
  std::optional<std::string> peer_fingerprint;  // SHA-256 of the controller certificate's DER
  std::optional<identity::ValidityWindow> peer_validity;
  // NMSP Init
  bool init_answered = false;
  std::string init_result;               // "success", "clock-skew", ... (empty: not answered)
  std::string init_error;                // why no Init Response came
  std::optional<int64_t> clock_skew_ms;  // controller clock minus ours, from the Init Response
  // Subscriptions
  proto::ServiceMask offered = 0;  // Capability Notification
  bool subscribe_answered = false;
  proto::ServiceMask granted = 0;
  // Data: an Echo round trip and the notifications seen while waiting for it
  bool echo_answered = false;
  int64_t echo_rtt_ms = 0;
  int notifications = 0;
};

/// host -> its addresses (text), or the resolver's error text.
using Resolver = std::function<Result<std::vector<std::string>, std::string>(const std::string&)>;
/// (address, port) -> what a connection attempt observed.
using Prober = std::function<ControllerProbe(const std::string& address, uint16_t port)>;

struct MseDoctorInput {
  identity::Identity self;
  std::string host;  // as configured ("wlc.example", "10.0.0.5", "::1")
  uint16_t port = 16113;
  std::optional<std::string> pinned;  // known_controllers.json for host:port
  bool unauthenticated = false;       // config unauthenticated-nmsp true
  std::chrono::milliseconds clock_tolerance{60000};
  std::chrono::system_clock::time_point now;
};

/// The nine checks, in order: name resolution, TCP reachability, TLS handshake and alert,
/// certificate validity against the local clock, pin, auth-list entry and hash, clock
/// difference, subscriptions granted, data flowing.
Report mseDoctor(const MseDoctorInput& input, const Resolver& resolve, const Prober& probe);

}  // namespace nmsp::doctor
