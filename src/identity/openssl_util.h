#pragma once
// RAII owners for OpenSSL objects and the text of the last OpenSSL error (internal).

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

namespace nmsp::identity::detail {

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

/// "what: <openssl error queue text>", clearing the queue.
std::string opensslError(std::string_view what);

/// Lowercase hex of a byte range.
std::string toHex(const unsigned char* data, size_t size);

X509Ptr parseCertificatePem(const std::string& pem);
PkeyPtr parsePrivateKeyPem(const std::string& pem);

}  // namespace nmsp::identity::detail
