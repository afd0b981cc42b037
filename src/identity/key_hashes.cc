// Key hashes (SPKI digests), certificate fingerprint and the MAC a certificate is bound to.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "identity/identity.h"
#include "identity/openssl_util.h"

namespace nmsp::identity {
namespace {

std::string digestHex(const EVP_MD* md, const unsigned char* data, size_t size) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_len = 0;
  if (EVP_Digest(data, size, out, &out_len, md, nullptr) != 1) {
    return {};
  }
  return detail::toHex(out, out_len);
}

}  // namespace

KeyHashes keyHashes(X509* cert) {
  KeyHashes hashes;
  if (cert == nullptr) {
    return hashes;
  }
  // The DER SubjectPublicKeyInfo, exactly what `openssl pkey -pubin -outform DER` prints.
  unsigned char* der = nullptr;
  const int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
  if (len <= 0 || der == nullptr) {
    return hashes;
  }
  hashes.sha1_hex = digestHex(EVP_sha1(), der, static_cast<size_t>(len));
  hashes.sha256_hex = digestHex(EVP_sha256(), der, static_cast<size_t>(len));
  OPENSSL_free(der);
  return hashes;
}

Result<KeyHashes, std::string> keyHashesOfPem(const std::string& cert_pem) {
  auto cert = detail::parseCertificatePem(cert_pem);
  if (!cert) {
    return Unexpected{detail::opensslError("not a PEM certificate")};
  }
  return keyHashes(cert.get());
}

std::optional<MacAddress> macFromCertificate(X509* cert) {
  if (cert == nullptr) {
    return std::nullopt;
  }
  X509_NAME* subject = X509_get_subject_name(cert);
  const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) {
    return std::nullopt;
  }
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0 || utf8 == nullptr) {
    return std::nullopt;
  }
  std::string cn(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return MacAddress::parse(cn);
}

std::string certificateFingerprint(X509* cert) {
  if (cert == nullptr) {
    return {};
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_len = 0;
  if (X509_digest(cert, EVP_sha256(), out, &out_len) != 1) {
    return {};
  }
  return detail::toHex(out, out_len);
}

}  // namespace nmsp::identity
