#pragma once
// The controller's side of `nmsp doctor`: is this controller up, and what became of one MSE
// (by MAC, or the last one that presented a certificate). Pure: the facts are gathered by the
// caller (src/app/doctor_command.cc asks the running controller through its shell), so every
// failure is unit-tested without a daemon.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "authlist/auth_list.h"
#include "common/mac_address.h"
#include "doctor/report.h"
#include "identity/validity.h"

namespace nmsp::doctor {

/// The controller's TLS server as seen from a local client without a certificate.
struct ServerProbe {
  bool running = false;  // a controller owns the data dir (its shell answered)
  std::string endpoint;  // "127.0.0.1:16113"
  bool connected = false;
  std::string tcp_error;
  bool tls_answered = false;  // the server sent its certificate
  std::string tls_error;
  std::optional<identity::ValidityWindow> certificate;  // the controller's own
  std::optional<std::string> fingerprint;               // SHA-256 of its DER (what MSEs pin)
};

/// `show nmsp admission`: the last certificate one MAC presented.
struct PresentedCertificate {
  MacAddress mac;
  std::string verdict;  // "admitted", "no-entry", "hash-mismatch", "not-yet-valid", "expired"
  std::string sha1_hex;
  std::string sha256_hex;
  identity::ValidityWindow validity;
  std::string at;  // "2026-12-02 19:30:00 UTC"
};

/// A row of `show nmsp status detail` joined with `show nmsp statistics connection`.
struct SessionFacts {
  MacAddress mac;
  bool active = false;
  int64_t clock_skew_ms = 0;
  std::string services;  // "rssi-ms, info-ms" / "none" / empty: unknown (session closed)
  uint64_t rx_data = 0;
  uint64_t tx_echo_resp = 0;
};

struct ControllerDoctorInput {
  std::optional<MacAddress> mac;  // the MSE to diagnose; nullopt: the last one seen
  ServerProbe server;
  std::vector<authlist::Entry> auth_list;
  std::vector<PresentedCertificate> presented;
  std::vector<SessionFacts> sessions;
  std::chrono::milliseconds clock_tolerance{60000};
  std::chrono::system_clock::time_point now;
};

/// The nine checks in the MSE's order (name resolution and pin are the MSE's, reported as
/// such): name resolution, TCP reachability, TLS handshake, certificate validity, pin, auth-list
/// entry and hash, clock difference, subscriptions granted, data flowing.
Report controllerDoctor(const ControllerDoctorInput& input);

}  // namespace nmsp::doctor
