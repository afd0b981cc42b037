#pragma once
// Per-connection hooks into OpenSSL's handshake, one observer type and one ex_data slot for both
// roles. Server (controller): the info callback writes the seed-style "SSL State = ...; where =
// ...; ret = ..." trace lines, and the verify callback asks the owner's admission function once
// for the peer's certificate; on refusal it sets an X509 error that OpenSSL 3 turns into the
// fatal alert certificate_unknown (46). Client (MSE): the info callback records the alert the
// server sent (the authoritative reason of a refusal) and traces alerts at info, state changes
// at debug, prefixed with the server's endpoint.

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "trace/trace_buffer.h"

namespace nmsp::transport {

/// ssl_x509err2alert (OpenSSL 3, ssl/statem/statem_lib.c) has no entry for this code, so it
/// falls through to the table's default SSL_AD_CERTIFICATE_UNKNOWN (46), the alert Cisco
/// controllers send for an auth-list refusal. Tests assert the 46 on the wire.
inline constexpr int kAdmissionRejectedX509Error = X509_V_ERR_OCSP_CERT_UNKNOWN;
/// Mapped by the same table to SSL_AD_CERTIFICATE_EXPIRED (45): the alert for a certificate
/// refused for its validity period (not yet valid or expired by the controller's clock), so
/// the MSE can tell a clock problem from an auth-list one. Tests assert the 45 on the wire.
inline constexpr int kValidityRejectedX509Error = X509_V_ERR_CERT_HAS_EXPIRED;

struct HandshakeObserver {
  enum class Side { Server, Client };
  Side side = Side::Server;
  uint32_t conn_id = 0;
  std::string ssl_id;                   // see sslId()
  trace::TraceBuffer* trace = nullptr;  // may be null: no tracing
  /// Decides admission of the peer's (leaf) certificate. Called at most once per handshake.
  std::function<bool(X509* leaf)> admit;
  std::optional<bool> admitted;  // the cached decision, once made
  /// Server side: the X509 error set on refusal (it selects the alert); `admit` may change it.
  int refusal_x509_error = kAdmissionRejectedX509Error;
  // Client side.
  std::string endpoint;     // the server as traced ("controller 10.0.0.1:16113: ...")
  int alert_received = -1;  // alert description number the server sent, if any
};

/// The SSL pointer in lowercase hex without 0x, as the seed prints it ("b3f8a8d0").
std::string sslId(const SSL* ssl);

/// Installs the info and verify callbacks (done by makeServerContext).
void installObserverCallbacks(SSL_CTX* ctx);

/// Attaches `observer` (owned by the caller, must outlive the handshake) to `ssl`; nullptr
/// detaches. Without an observer the verify callback refuses every certificate. A client-side
/// observer also installs the info callback on `ssl` itself (client contexts have none).
void attachObserver(SSL* ssl, HandshakeObserver* observer);

/// Attaches a client-side observer for the lifetime of this object (RAII): the stream may
/// outlive the handshake, the observer must not stay reachable from it.
class ObserverAttachment {
 public:
  ObserverAttachment(SSL* ssl, HandshakeObserver* observer) : ssl_(ssl) {
    attachObserver(ssl_, observer);
  }
  ~ObserverAttachment() { attachObserver(ssl_, nullptr); }
  ObserverAttachment(const ObserverAttachment&) = delete;
  ObserverAttachment& operator=(const ObserverAttachment&) = delete;

 private:
  SSL* ssl_;
};

}  // namespace nmsp::transport
