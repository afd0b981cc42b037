#pragma once
// The network side of `nmsp doctor`: the system resolver and one real NMSP connection attempt
// as this MSE (TCP, TLS with the MSE's certificate, Init, Capability, Subscribe, Echo), each
// step bounded by a timeout. Runs on the calling thread (a command-line tool, not a daemon).

#include <chrono>

#include "doctor/controller_doctor.h"
#include "doctor/mse_doctor.h"
#include "identity/identity.h"

namespace nmsp::doctor {

struct ProbeOptions {
  std::chrono::milliseconds step_timeout{5000};  // each of connect, handshake, Init, ...
  std::string name = "nmsp-doctor";              // Init Request peer-name
  std::string software_version;
};

/// getaddrinfo (TCP): every address, in the resolver's order.
Resolver systemResolver();

/// Connects as `self` and records what each step saw (see ControllerProbe).
Prober tlsProber(const identity::Identity& self, ProbeOptions options = {});

/// Connects to a controller's TLS server without a client certificate and records its
/// certificate (the controller then refuses the connection: counted as a rejected accept).
/// Fills the connection fields of ServerProbe (not `running`).
void probeServer(ServerProbe& probe, const std::string& address, uint16_t port,
                 std::chrono::milliseconds timeout);

}  // namespace nmsp::doctor
