#pragma once
// Per-connection hooks into OpenSSL's server handshake: the info callback writes the seed-style
// "SSL State = ...; where = ...; ret = ..." trace lines, and the verify callback asks the
// owner's admission function once for the peer's certificate. On refusal the callback sets an
// X509 error that OpenSSL 3 turns into the fatal alert certificate_unknown (46).

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
  uint32_t conn_id = 0;
  std::string ssl_id;                   // see sslId()
  trace::TraceBuffer* trace = nullptr;  // may be null: no tracing
  /// Decides admission of the peer's (leaf) certificate. Called at most once per handshake.
  std::function<bool(X509* leaf)> admit;
  std::optional<bool> admitted;  // the cached decision, once made
  /// The X509 error set on refusal (it selects the alert); `admit` may change it.
  int refusal_x509_error = kAdmissionRejectedX509Error;
};

/// The SSL pointer in lowercase hex without 0x, as the seed prints it ("b3f8a8d0").
std::string sslId(const SSL* ssl);

/// Installs the info and verify callbacks (done by makeServerContext).
void installObserverCallbacks(SSL_CTX* ctx);

/// Attaches `observer` (owned by the caller, must outlive the handshake) to `ssl`; nullptr
/// detaches. Without an observer the verify callback refuses every certificate.
void attachObserver(SSL* ssl, HandshakeObserver* observer);

}  // namespace nmsp::transport
