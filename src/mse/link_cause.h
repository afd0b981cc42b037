#pragma once
// Why a controller link is down, in the operator's words, each with what to do about it.
// `show controllers` prints these as "last cause"; the link logs and traces them too.
// Pure functions: no I/O, so every wording is unit-tested.

#include <chrono>
#include <cstdint>
#include <string>

#include "identity/identity.h"
#include "identity/validity.h"
#include "proto/messages.h"

namespace nmsp::mse::cause {

/// `port` is the controller's port as configured (the hint names it, not the default 16113).
std::string connectionRefused(const std::string& endpoint, uint16_t port);
std::string connectTimeout(const std::string& endpoint, uint16_t port,
                           std::chrono::milliseconds timeout);
std::string dnsFailure(const std::string& host, const std::string& detail);
std::string networkError(const std::string& endpoint, const std::string& detail);
std::string handshakeTimeout(const std::string& endpoint, uint16_t port,
                             std::chrono::milliseconds timeout);

/// A TLS alert the controller sent (during the handshake, or on the first read with TLS 1.3,
/// where the server judges the client certificate after the client finished its handshake).
/// 46 (certificate unknown) names the auth-list entry to add, built from `self`; 45
/// (certificate expired: the controller judged our dates by its clock) names the clocks and
/// NTP with our certificate's validity window and `now`. When `now` is outside our own window
/// the cause names the clock whatever the alert.
std::string tlsAlert(int alert, const identity::Identity& self,
                     std::chrono::system_clock::time_point now);
/// The handshake failed without an alert from the controller (e.g. our own checks).
std::string handshakeFailed(const std::string& endpoint, const std::string& detail);
/// The controller closed the connection right after a TLS 1.3 handshake without a readable
/// alert: most likely it refused our certificate.
std::string closedAfterHandshake(const std::string& endpoint, const identity::Identity& self);

std::string pinMismatch(const std::string& pinned_hex, const std::string& got_hex);
/// The controller's certificate is outside its validity window by our clock (`now`). Checked
/// only when pinning (config unauthenticated-nmsp false); see docs/operator-guide.md.
std::string controllerCertificateTime(const identity::ValidityWindow& window,
                                      std::chrono::system_clock::time_point now);

std::string initRejected(proto::ResultCode result, const std::string& controller_text);
std::string versionUnsupported(uint8_t selected);
/// `skew_s` is the absolute difference in whole seconds.
std::string clockSkew(int64_t skew_s);
std::string unexpectedMessage(const std::string& what);
std::string initTimeout(std::chrono::milliseconds timeout);

std::string echoTimeout(int missed, std::chrono::milliseconds interval);
std::string peerClosed(const std::string& endpoint);
std::string malformed(const std::string& detail);
std::string controllerError(const proto::ErrorMessage& error);
/// True for the Error reasons after which the sender closes (docs/protocol.md, Session rule 9).
bool errorEndsSession(proto::ErrorReason reason);

}  // namespace nmsp::mse::cause
