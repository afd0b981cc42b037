#include "doctor/mse_doctor.h"

#include <fmt/format.h>
#include <openssl/ssl.h>

#include <cstdlib>
#include <memory>

#include "proto/service_text.h"
#include "proto/services.h"

namespace nmsp::doctor {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) {
    out += (out.empty() ? "" : ", ") + i;
  }
  return out;
}

std::string endpointOf(const std::string& address, uint16_t port) {
  return address.find(':') != std::string::npos ? fmt::format("[{}]:{}", address, port)
                                                : fmt::format("{}:{}", address, port);
}

}  // namespace

Report mseDoctor(const MseDoctorInput& in, const Resolver& resolve, const Prober& probe_fn) {
  // State shared by the steps, filled as they run (they run in order, once).
  auto addresses = std::make_shared<std::vector<std::string>>();
  auto probe = std::make_shared<ControllerProbe>();
  const std::string endpoint_name = endpointOf(in.host, in.port);
  const identity::ValidityWindow own{in.self.not_before, in.self.not_after};
  const std::string mac = in.self.mac.toString();
  const std::string sha2 = in.self.hashes.sha256_hex;

  std::vector<Step> steps;
  steps.push_back({"name resolution", [=]() -> Check {
                     auto r = resolve(in.host);
                     if (!r || r->empty()) {
                       return fail(fmt::format("cannot resolve \"{}\" ({})", in.host,
                                               r ? "no address" : r.error()),
                                   "Check the controller's name, or configure it by IP address "
                                   "(config controllers add IP[:PORT]), and this host's DNS "
                                   "settings (/etc/resolv.conf).");
                     }
                     *addresses = *r;
                     if (r->size() == 1 && (*r)[0] == in.host) {
                       return ok(fmt::format("{} is an address, nothing to resolve", in.host));
                     }
                     return ok(fmt::format("{} resolves to {}", in.host, joined(*r)));
                   }});
  steps.push_back({"TCP reachability", [=]() -> Check {
                     *probe = probe_fn(addresses->front(), in.port);
                     const std::string where = endpointOf(addresses->front(), in.port);
                     if (probe->connected) {
                       return ok(fmt::format("connected to {}", where));
                     }
                     if (probe->refused) {
                       return fail(fmt::format("connection refused by {}", where),
                                   fmt::format("Start the controller (or enable NMSP on it) and "
                                               "make sure it listens on TCP {}.",
                                               in.port));
                     }
                     if (probe->timed_out) {
                       return fail(fmt::format("no answer from {}", where),
                                   fmt::format("Check the address, the routing and that firewalls "
                                               "let TCP {} through.",
                                               in.port));
                     }
                     return fail(fmt::format("cannot reach {} ({})", where, probe->tcp_error),
                                 "Check the address and the network path to the controller.");
                   }});
  steps.push_back(
      {"TLS handshake and alert", [=]() -> Check {
         if (probe->alert == SSL_AD_CERTIFICATE_UNKNOWN ||
             probe->alert == SSL_AD_CERTIFICATE_EXPIRED) {
           // About our certificate: the checks below name the cause.
           return ok(fmt::format(
               "{}the controller sent alert {} ({}): it refused this MSE's "
               "certificate, see below",
               probe->handshake_done ? probe->tls_version + " handshake done, then " : "",
               probe->alert, SSL_alert_desc_string_long(probe->alert)));
         }
         if (probe->alert >= 0) {
           const bool cipher = probe->alert == SSL_AD_HANDSHAKE_FAILURE ||
                               probe->alert == SSL_AD_INSUFFICIENT_SECURITY;
           return fail(fmt::format("the controller sent alert {} ({})", probe->alert,
                                   SSL_alert_desc_string_long(probe->alert)),
                       cipher ? "No common cipher suite: check `nmsp strong-cipher` on the "
                                "controller and the TLS versions (1.2 or 1.3) on both sides."
                              : "Check that both sides run TLS 1.2 or 1.3 and that this MSE's "
                                "identity files (DATA/identity) are intact.");
         }
         if (!probe->handshake_done) {
           return fail(
               fmt::format("TLS handshake with {} failed ({})", endpoint_name, probe->tls_error),
               fmt::format("Check that TCP {} is the controller's NMSP port "
                           "(16113 unless changed), not another service.",
                           in.port));
         }
         return ok(fmt::format("{} with {}, no alert", probe->tls_version, endpoint_name));
       }});
  steps.push_back(
      {"certificate validity against the local clock", [=]() -> Check {
         if (identity::validityAt(own, in.now) != identity::ValidityState::Valid) {
           return fail(fmt::format("this MSE's certificate is {} ({})",
                                   in.now < own.not_before ? "not yet valid" : "expired",
                                   identity::validityText(own, in.now)),
                       in.now < own.not_before
                           ? "Set this host's clock right (NTP); the certificate was made while "
                             "it was wrong: if it stays not yet valid, delete DATA/identity, "
                             "restart and update the controller's auth list."
                           : "Delete DATA/identity to make a new certificate, restart, and put "
                             "the new key hash in the controller's auth list.");
         }
         if (probe->alert == SSL_AD_CERTIFICATE_EXPIRED) {
           return fail(fmt::format("the controller refused this MSE's certificate for its "
                                   "dates (alert 45); it is {}",
                                   identity::validityText(own, in.now)),
                       "The controller's clock is outside that window: set both clocks by NTP "
                       "(show clock on each side).");
         }
         if (probe->peer_validity && identity::validityAt(*probe->peer_validity, in.now) !=
                                         identity::ValidityState::Valid) {
           return fail(
               fmt::format("the controller's certificate is {} by this MSE's clock ({})",
                           in.now < probe->peer_validity->not_before ? "not yet valid" : "expired",
                           identity::validityText(*probe->peer_validity, in.now)),
               "Set both clocks by NTP; if they are right, the controller needs a new "
               "certificate (then delete and re-add it here).");
         }
         return ok(fmt::format("this MSE's certificate is {}{}",
                               identity::validityText(own, in.now),
                               probe->peer_validity ? "; the controller's is valid too" : ""));
       }});
  steps.push_back(
      {"pin", [=]() -> Check {
         if (in.unauthenticated) {
           return skip("not checked: config unauthenticated-nmsp is true");
         }
         if (!probe->peer_fingerprint) {
           return skip("the controller presented no certificate to compare");
         }
         if (!in.pinned) {
           return ok(
               fmt::format("not pinned yet: SHA-256 {} is pinned on the first "
                           "connection",
                           *probe->peer_fingerprint));
         }
         if (*in.pinned != *probe->peer_fingerprint) {
           return fail(fmt::format("controller certificate changed: pinned SHA-256 "
                                   "{}, presented {}",
                                   *in.pinned, *probe->peer_fingerprint),
                       fmt::format("If the controller was re-keyed on purpose, run "
                                   "config controllers delete {} and add it again; "
                                   "otherwise find out who answers on that address.",
                                   endpoint_name));
         }
         return ok(fmt::format("controller certificate matches its pin (SHA-256 {})", *in.pinned));
       }});
  steps.push_back({"auth-list entry and hash", [=]() -> Check {
                     if (probe->alert == SSL_AD_CERTIFICATE_UNKNOWN) {
                       return fail(
                           fmt::format("the controller refused MAC {} with SHA2 key hash {} "
                                       "(alert 46: no auth-list entry, or another hash)",
                                       mac, sha2),
                           fmt::format("On the controller, add MAC {} with SHA2 key hash {} to "
                                       "the auth list (show server-auth-info here prints both "
                                       "forms).",
                                       mac, sha2));
                     }
                     if (!probe->init_answered) {
                       return fail(fmt::format("no NMSP Init Response ({})", probe->init_error),
                                   "Check the controller's NMSP status and log (show nmsp "
                                   "statistics summary, show trace messages nmsp).");
                     }
                     return ok(fmt::format("the controller admitted MAC {} (SHA2 {})", mac, sha2));
                   }});
  steps.push_back(
      {"clock difference", [=]() -> Check {
         if (probe->init_result == "clock-skew" ||
             (probe->clock_skew_ms &&
              std::llabs(*probe->clock_skew_ms) > in.clock_tolerance.count())) {
           return fail(fmt::format("the controller's clock differs from this MSE's by {} ms "
                                   "(tolerance {} ms)",
                                   probe->clock_skew_ms.value_or(0), in.clock_tolerance.count()),
                       "Set both clocks by NTP (show clock on each side).");
         }
         if (probe->init_result != "success") {
           return fail(fmt::format("the controller answered the Init with {}", probe->init_result),
                       "Read the controller's trace (show trace messages nmsp) for "
                       "why it refused the session.");
         }
         return ok(
             fmt::format("{} ms (controller minus MSE, from the Init exchange; "
                         "tolerance {} ms)",
                         probe->clock_skew_ms.value_or(0), in.clock_tolerance.count()));
       }});
  steps.push_back({"subscriptions granted", [=]() -> Check {
                     if (!probe->subscribe_answered) {
                       return fail("no Service Subscribe Response",
                                   "Check the controller's log (show trace messages nmsp).");
                     }
                     if (probe->granted == 0) {
                       return fail(fmt::format("nothing granted (offered: {})",
                                               proto::servicesText(probe->offered)),
                                   "Check which services the controller offers (show nmsp "
                                   "capability on the controller).");
                     }
                     return ok(fmt::format("granted {}", proto::servicesText(probe->granted)));
                   }});
  steps.push_back({"data flowing", [=]() -> Check {
                     if (!probe->echo_answered) {
                       return fail("no Echo Response",
                                   "Check the controller's load and the network path (show nmsp "
                                   "statistics summary on the controller).");
                     }
                     return ok(fmt::format("echo answered in {} ms; {} notification(s) received",
                                           probe->echo_rtt_ms, probe->notifications));
                   }});
  return runInOrder(steps);
}

}  // namespace nmsp::doctor
