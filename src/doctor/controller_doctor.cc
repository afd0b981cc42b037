#include "doctor/controller_doctor.h"

#include <fmt/format.h>

#include <cstdlib>

namespace nmsp::doctor {
namespace {

const PresentedCertificate* lastPresented(const ControllerDoctorInput& in,
                                          const std::optional<MacAddress>& mac) {
  const PresentedCertificate* found = nullptr;
  for (const auto& p : in.presented) {
    if (mac ? p.mac == *mac : (found == nullptr || p.at > found->at)) {
      found = &p;
    }
  }
  return found;
}

}  // namespace

Report controllerDoctor(const ControllerDoctorInput& in) {
  const auto now = in.now;
  // The MSE to look at: the one asked for, else the last that presented a certificate.
  std::optional<MacAddress> mac = in.mac;
  if (!mac) {
    if (const auto* last = lastPresented(in, std::nullopt)) {
      mac = last->mac;
    }
  }
  const PresentedCertificate* presented = mac ? lastPresented(in, mac) : nullptr;
  const SessionFacts* session = nullptr;
  for (const auto& s : in.sessions) {
    if (mac && s.mac == *mac && (session == nullptr || s.active)) {
      session = &s;
    }
  }
  const std::string who = mac ? "MSE " + mac->toString() : std::string("the MSE");

  std::vector<Step> steps;
  steps.push_back({"name resolution", [] {
                     return skip("done by the MSE (run nmsp doctor on the MSE for its view)");
                   }});
  steps.push_back({"TCP reachability", [&]() -> Check {
                     if (!in.server.running) {
                       return fail("no controller is running on this data directory",
                                   "Start it: nmsp controller --data-dir DIR.");
                     }
                     if (!in.server.connected) {
                       return fail(fmt::format("cannot connect to {} ({})", in.server.endpoint,
                                               in.server.tcp_error),
                                   "Check the controller's --listen address and its log.");
                     }
                     return ok(fmt::format("listening on {}", in.server.endpoint));
                   }});
  steps.push_back(
      {"TLS handshake and alert", [&]() -> Check {
         if (!in.server.tls_answered) {
           return fail(
               fmt::format("no TLS server on {} ({})", in.server.endpoint, in.server.tls_error),
               "Check the controller's log for TLS set-up errors "
               "(identity files in DIR/identity).");
         }
         return ok(fmt::format("TLS server on {} presents its certificate", in.server.endpoint));
       }});
  steps.push_back(
      {"certificate validity against the local clock", [&]() -> Check {
         if (in.server.certificate &&
             identity::validityAt(*in.server.certificate, now) != identity::ValidityState::Valid) {
           return fail(
               fmt::format("this controller's certificate is {} ({})",
                           now < in.server.certificate->not_before ? "not yet valid" : "expired",
                           identity::validityText(*in.server.certificate, now)),
               "Set this host's clock by NTP; if it is right, delete DIR/identity and "
               "restart, then re-add the controller on each MSE (its pin changes).");
         }
         if (presented != nullptr &&
             (presented->verdict == "not-yet-valid" || presented->verdict == "expired" ||
              identity::validityAt(presented->validity, now) != identity::ValidityState::Valid)) {
           const bool early =
               now < presented->validity.not_before || presented->verdict == "not-yet-valid";
           return fail(fmt::format("{}'s certificate is {} by this controller's clock ({}; "
                                   "refused with alert 45 at {})",
                                   who, early ? "not yet valid" : "expired",
                                   identity::validityText(presented->validity, now), presented->at),
                       early ? "The MSE's clock is ahead of this one or this one is behind: set "
                               "both by NTP (show clock on each side)."
                             : "Set both clocks by NTP; if they are right, the MSE needs a new "
                               "certificate (delete its DATA/identity) and a new auth-list hash.");
         }
         return ok(fmt::format("this controller's certificate is {}{}",
                               in.server.certificate
                                   ? identity::validityText(*in.server.certificate, now)
                                   : std::string("unknown"),
                               presented != nullptr ? "; " + who + "'s is valid too" : ""));
       }});
  steps.push_back({"pin", [&]() -> Check {
                     return skip(fmt::format(
                         "done by the MSE: it pins this controller's certificate SHA-256 {}",
                         in.server.fingerprint.value_or("(unknown)")));
                   }});
  steps.push_back(
      {"auth-list entry and hash", [&]() -> Check {
         if (!mac) {
           return fail(
               "no MSE has presented a certificate since the controller "
               "started, and no MAC was given",
               "Run nmsp doctor on the MSE (name, reachability), or give the "
               "MSE's MAC: nmsp doctor --data-dir DIR MAC.");
         }
         const authlist::Entry* entry = nullptr;
         for (const auto& e : in.auth_list) {
           if (e.mac == *mac) {
             entry = &e;
           }
         }
         const std::string sha2 =
             presented != nullptr ? presented->sha256_hex : std::string("<SHA2 hash>");
         if (entry == nullptr) {
           return fail(fmt::format("no auth-list entry for {}{}", mac->toString(),
                                   presented != nullptr
                                       ? fmt::format(" (it presented SHA2 key hash {} at {})",
                                                     presented->sha256_hex, presented->at)
                                       : ""),
                       fmt::format("Add it: config auth-list add sha256-lbs-ssc {} {} (or the "
                                   "IOS-XE block of show server-auth-info on the MSE).",
                                   mac->toString(), sha2));
         }
         if (presented == nullptr) {
           return ok(
               fmt::format("entry for {} present ({}); the MSE has not presented "
                           "a certificate since the controller started",
                           mac->toString(), entry->certificate_type()));
         }
         const bool sha1 = entry->type == authlist::HashType::Sha1;
         const std::string& got = sha1 ? presented->sha1_hex : presented->sha256_hex;
         if (entry->key_hash != got) {
           return fail(fmt::format("key hash mismatch for {}: the auth list has {} {}, the MSE "
                                   "presented {} at {}",
                                   mac->toString(), sha1 ? "SHA1" : "SHA2", entry->key_hash, got,
                                   presented->at),
                       fmt::format("If this is the right MSE, replace the entry's hash with "
                                   "{} (config auth-list add {}-lbs-ssc {} {}).",
                                   got, sha1 ? "sha1" : "sha256", mac->toString(), got));
         }
         return ok(fmt::format("{} is listed and its key hash matches ({})", mac->toString(),
                               entry->certificate_type()));
       }});
  steps.push_back({"clock difference", [&]() -> Check {
                     if (session == nullptr) {
                       return fail(fmt::format("{} has had no NMSP session since the controller "
                                               "started",
                                               who),
                                   "Check the MSE: nmsp doctor on the MSE, or its show "
                                   "controllers (last cause).");
                     }
                     if (std::llabs(session->clock_skew_ms) > in.clock_tolerance.count()) {
                       return fail(
                           fmt::format("{}'s clock differs from this one by {} ms at its "
                                       "last Init (tolerance {} ms)",
                                       who, session->clock_skew_ms, in.clock_tolerance.count()),
                           "Set both clocks by NTP (show clock on each side).");
                     }
                     return ok(
                         fmt::format("{} ms at the last Init (MSE minus controller; "
                                     "tolerance {} ms)",
                                     session->clock_skew_ms, in.clock_tolerance.count()));
                   }});
  steps.push_back({"subscriptions granted", [&]() -> Check {
                     if (!session->active) {
                       return fail(fmt::format("{}'s session is not active", who),
                                   "Read the MSE's last cause (show controllers on the MSE) and "
                                   "this controller's trace (show trace messages nmsp).");
                     }
                     if (session->services.empty() || session->services == "none") {
                       return fail(fmt::format("{} has no subscription", who),
                                   "Check the services this controller offers (show nmsp "
                                   "capability) and the MSE's log.");
                     }
                     return ok(session->services);
                   }});
  steps.push_back({"data flowing", [&]() -> Check {
                     if (session->rx_data == 0) {
                       return fail(fmt::format("nothing received from {}", who),
                                   "Check the network path and the MSE's echo interval.");
                     }
                     return ok(fmt::format("{} frames received, {} echoes answered",
                                           session->rx_data, session->tx_echo_resp));
                   }});
  return runInOrder(steps);
}

}  // namespace nmsp::doctor
