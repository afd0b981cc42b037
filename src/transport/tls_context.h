#pragma once
// TLS contexts of both roles. The controller is the TLS server: TLS 1.2 and 1.3 only, its own
// self-signed certificate, a client certificate required, no session resumption (a resumed
// session would skip the auth-list check). The MSE (and tests, benchmarks) is the client.

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "common/result.h"
#include "identity/identity.h"

namespace nmsp::transport {

enum class CipherPolicy {
  Default,  // OpenSSL DEFAULT: includes RSA key exchange and CBC suites for old peers
  Strong,   // `nmsp strong-cipher`: TLS 1.2 ECDHE with AES-GCM or ChaCha20 (TLS 1.3: all AEAD)
};

inline constexpr const char* kDefaultCipherList = "DEFAULT";
inline constexpr const char* kStrongCipherList = "ECDHE+AESGCM:ECDHE+CHACHA20";

using SslContextPtr = std::shared_ptr<boost::asio::ssl::context>;

/// Server context presenting `own`. Installs the handshake tracing and admission callbacks of
/// handshake_observer.h: attach a HandshakeObserver to every SSL made from it.
Result<SslContextPtr, std::string> makeServerContext(const identity::Identity& own,
                                                     CipherPolicy policy);

struct ClientTlsOptions {
  int min_version = TLS1_2_VERSION;
  int max_version = TLS1_3_VERSION;
  std::string cipher_list;   // TLS 1.2 suites; empty: OpenSSL default
  std::string ciphersuites;  // TLS 1.3 suites; empty: OpenSSL default
};

/// Client context presenting `own` (nullptr: no client certificate). It does not verify the
/// server's chain (controllers are self-signed); callers pin the server certificate's
/// fingerprint after the handshake.
Result<SslContextPtr, std::string> makeClientContext(const identity::Identity* own,
                                                     const ClientTlsOptions& options = {});

}  // namespace nmsp::transport
