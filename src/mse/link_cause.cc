#include "mse/link_cause.h"

#include <fmt/format.h>
#include <openssl/ssl.h>

#include <algorithm>

#include "session/session_core.h"
#include "identity/validity.h"

namespace nmsp::mse::cause {
namespace {

double seconds(std::chrono::milliseconds d) {
  return static_cast<double>(d.count()) / 1000.0;
}

std::string authListHint(const identity::Identity& self) {
  return fmt::format("add MAC {} with SHA2 key hash {} to its auth list", self.mac.toString(),
                     self.hashes.sha256_hex);
}

/// A protocol enum's name in words ("unsupported-version" -> "unsupported version"), from the
/// enum's table in proto/messages.h.
template <class E>
std::string enumWords(E value, std::string_view unknown) {
  const auto name = proto::enumName(value);
  if (!name) {
    return std::string(unknown);
  }
  std::string words(*name);
  std::replace(words.begin(), words.end(), '-', ' ');
  return words;
}

std::string ownWindow(const identity::Identity& self, std::chrono::system_clock::time_point now) {
  return identity::validityText({self.not_before, self.not_after}, now);
}

}  // namespace

std::string connectionRefused(const std::string& endpoint, uint16_t port) {
  return fmt::format(
      "connection refused by {}: check that NMSP is enabled on the controller and TCP {} is open",
      endpoint, port);
}

std::string connectTimeout(const std::string& endpoint, uint16_t port,
                           std::chrono::milliseconds timeout) {
  return fmt::format(
      "no answer from {} within {:.1f} s: check the address, the routing and that firewalls let "
      "TCP {} through",
      endpoint, seconds(timeout), port);
}

std::string dnsFailure(const std::string& host, const std::string& detail) {
  return fmt::format(
      "cannot resolve controller name \"{}\" ({}): check the name or use the controller's IP "
      "address, and the MSE's DNS settings",
      host, detail);
}

std::string networkError(const std::string& endpoint, const std::string& detail) {
  return fmt::format("cannot reach {} ({}): check the address and the network path", endpoint,
                     detail);
}

std::string handshakeTimeout(const std::string& endpoint, uint16_t port,
                             std::chrono::milliseconds timeout) {
  return fmt::format(
      "TLS handshake with {} did not finish within {:.1f} s: check that TCP {} is the "
      "controller's NMSP port (16113 unless changed)",
      endpoint, seconds(timeout), port);
}

std::string tlsAlert(int alert, const identity::Identity& self,
                     std::chrono::system_clock::time_point now) {
  const char* desc = SSL_alert_desc_string_long(alert);
  if (now < self.not_before || now > self.not_after) {
    return fmt::format(
        "controller rejected this MSE's certificate (TLS alert: {}): the certificate is {} by "
        "this MSE's clock ({}): check NTP on the controller and the MSE",
        desc, now < self.not_before ? "not yet valid" : "expired", ownWindow(self, now));
  }
  switch (alert) {
    case SSL_AD_CERTIFICATE_UNKNOWN:
      return fmt::format("controller rejected this MSE's certificate (TLS alert: {}): {}", desc,
                         authListHint(self));
    case SSL_AD_CERTIFICATE_EXPIRED:
      // The controller judged our dates by its clock; by ours they are fine, so the two clocks
      // disagree (or the controller's is simply wrong): NTP, not the auth list.
      return fmt::format(
          "controller rejected this MSE's certificate as expired or not yet valid (TLS alert: "
          "{}): the certificate is {}: the controller's clock is outside that window: check NTP "
          "on the controller and the MSE",
          desc, ownWindow(self, now));
    case SSL_AD_BAD_CERTIFICATE:
    case SSL_AD_UNSUPPORTED_CERTIFICATE:
    case SSL_AD_UNKNOWN_CA:
    case SSL_AD_ACCESS_DENIED:
      return fmt::format("controller rejected this MSE's certificate (TLS alert: {}): {}", desc,
                         authListHint(self));
    case SSL_AD_HANDSHAKE_FAILURE:
    case SSL_AD_INSUFFICIENT_SECURITY:
      return fmt::format(
          "controller refused the TLS handshake (TLS alert: {}): no common cipher suite; check "
          "`nmsp strong-cipher` on the controller",
          desc);
    case SSL_AD_PROTOCOL_VERSION:
      return fmt::format(
          "controller refused the TLS version (TLS alert: {}): both sides need TLS 1.2 or 1.3",
          desc);
    case TLS13_AD_CERTIFICATE_REQUIRED:
      return fmt::format(
          "controller requires a client certificate (TLS alert: {}): check this MSE's identity "
          "files",
          desc);
    default:
      return fmt::format("controller ended the TLS session (TLS alert {}: {})", alert, desc);
  }
}

std::string handshakeFailed(const std::string& endpoint, const std::string& detail) {
  return fmt::format("TLS handshake with {} failed ({}): check that {} is an NMSP controller port",
                     endpoint, detail, endpoint);
}

std::string closedAfterHandshake(const std::string& endpoint, const identity::Identity& self) {
  return fmt::format(
      "controller {} closed the connection right after the TLS handshake: it probably rejected "
      "this MSE's certificate: {}",
      endpoint, authListHint(self));
}

std::string pinMismatch(const std::string& pinned_hex, const std::string& got_hex) {
  return fmt::format(
      "controller certificate changed (pinned SHA-256 {}, got {}): if the controller was re-keyed "
      "on purpose, delete and re-add it, or set config unauthenticated-nmsp true",
      pinned_hex, got_hex);
}

std::string controllerCertificateTime(const identity::ValidityWindow& window,
                                      std::chrono::system_clock::time_point now) {
  return fmt::format(
      "controller certificate is {} by this MSE's clock ({}): check NTP on the controller and "
      "the MSE",
      now < window.not_before ? "not yet valid" : "expired", identity::validityText(window, now));
}

std::string initRejected(proto::ResultCode result, const std::string& controller_text) {
  return fmt::format("controller rejected the NMSP Init ({}){}",
                     enumWords(result, "unknown result"),
                     controller_text.empty() ? "" : ": " + controller_text);
}

std::string versionUnsupported(uint8_t selected) {
  return fmt::format(
      "controller does not support this MSE's NMSP version (it selected version {}): upgrade the "
      "older side",
      selected);
}

std::string clockSkew(int64_t skew_s) {
  return fmt::format(
      "clock skew of {} s with the controller: check NTP on the controller and the MSE", skew_s);
}

std::string unexpectedMessage(const std::string& what) {
  return fmt::format("controller sent {} instead of an Init Response: is it an NMSP controller?",
                     what);
}

std::string initTimeout(std::chrono::milliseconds timeout) {
  return fmt::format(
      "controller did not answer the NMSP Init within {:.1f} s: check the controller's NMSP "
      "service",
      seconds(timeout));
}

std::string echoTimeout(int missed, std::chrono::milliseconds interval) {
  return fmt::format(
      "controller stopped answering echo requests ({} missed, one every {:.1f} s): check the "
      "network path and the controller's load",
      missed, seconds(interval));
}

std::string peerClosed(const std::string& endpoint) {
  return fmt::format(
      "controller {} closed the connection: check the controller's NMSP status and logs", endpoint);
}

std::string malformed(const std::string& detail) {
  return fmt::format(
      "controller sent a malformed NMSP frame ({}): the session was closed; check software "
      "versions",
      detail);
}

std::string controllerError(const proto::ErrorMessage& error) {
  if (error.reason == proto::ErrorReason::Shutdown) {
    return "controller shut the session down (NMSP Error: shutdown): it is stopping or "
           "restarting; reconnecting with back-off";
  }
  return fmt::format("controller reported an NMSP error ({}, reason {}){}",
                     enumWords(error.reason, "unknown reason"), static_cast<unsigned>(error.reason),
                     error.text ? ": " + *error.text : std::string());
}

bool errorEndsSession(proto::ErrorReason reason) {
  return session::errorEndsSession(reason);
}

}  // namespace nmsp::mse::cause
