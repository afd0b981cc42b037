#include "identity/certificate_builder.h"

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <ctime>

namespace nmsp::identity::detail {
namespace {

PkeyPtr generateKey(KeyType key_type) {
  if (key_type == KeyType::EcdsaP256) {
    return PkeyPtr(EVP_EC_gen("P-256"));
  }
  return PkeyPtr(EVP_RSA_gen(2048));
}

bool setTime(ASN1_TIME* field, std::chrono::system_clock::time_point when) {
  const auto t = static_cast<time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count());
  return ASN1_TIME_set(field, t) != nullptr;
}

// A random positive 63-bit serial: two identities never share one (RFC 5280 4.1.2.2).
bool setRandomSerial(X509* cert) {
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(BN_new(), BN_free);
  if (!bn || BN_rand(bn.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1) {
    return false;
  }
  return BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) != nullptr;
}

bool addName(X509_NAME* name, const char* field, const std::string& value) {
  return X509_NAME_add_entry_by_txt(name, field, MBSTRING_ASC,
                                    reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                    0) == 1;
}

bool addExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) {
    return false;
  }
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

}  // namespace

Result<KeyAndCertificate, std::string> buildSelfSigned(
    const MacAddress& mac, KeyType key_type, std::chrono::system_clock::time_point not_before,
    std::chrono::system_clock::time_point not_after, const std::string& role) {
  KeyAndCertificate out;
  out.key = generateKey(key_type);
  if (!out.key) {
    return Unexpected{opensslError("key generation failed")};
  }
  out.cert.reset(X509_new());
  X509* cert = out.cert.get();
  if (cert == nullptr || X509_set_version(cert, X509_VERSION_3) != 1 || !setRandomSerial(cert) ||
      !setTime(X509_getm_notBefore(cert), not_before) ||
      !setTime(X509_getm_notAfter(cert), not_after) || X509_set_pubkey(cert, out.key.get()) != 1) {
    return Unexpected{opensslError("certificate set-up failed")};
  }
  X509_NAME* name = X509_get_subject_name(cert);
  if (!addName(name, "O", "OpenNMSP") || !addName(name, "OU", role) ||
      !addName(name, "CN", mac.toString()) || X509_set_issuer_name(cert, name) != 1) {
    return Unexpected{opensslError("certificate subject failed")};
  }
  if (!addExtension(cert, NID_basic_constraints, "critical,CA:FALSE") ||
      !addExtension(cert, NID_ext_key_usage, "clientAuth,serverAuth") ||
      !addExtension(cert, NID_subject_key_identifier, "hash")) {
    return Unexpected{opensslError("certificate extensions failed")};
  }
  if (X509_sign(cert, out.key.get(), EVP_sha256()) <= 0) {
    return Unexpected{opensslError("certificate signing failed")};
  }
  return out;
}

std::string certificatePem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) {
    return {};
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

std::string privateKeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return {};
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

}  // namespace nmsp::identity::detail
