#pragma once
// Generates a key pair and a self-signed X.509 v3 certificate bound to a MAC (internal).

#include <chrono>
#include <string>

#include "common/mac_address.h"
#include "common/result.h"
#include "identity/identity.h"
#include "identity/openssl_util.h"

namespace nmsp::identity::detail {

struct KeyAndCertificate {
  PkeyPtr key;
  X509Ptr cert;
};

Result<KeyAndCertificate, std::string> buildSelfSigned(
    const MacAddress& mac, KeyType key_type, std::chrono::system_clock::time_point not_before,
    std::chrono::system_clock::time_point not_after, const std::string& role);

/// PEM text of a certificate / of a private key (unencrypted PKCS#8).
std::string certificatePem(X509* cert);
std::string privateKeyPem(EVP_PKEY* key);

}  // namespace nmsp::identity::detail
