#pragma once
// The MSE's TLS identity: a self-signed certificate bound to its MAC address (the MAC is the
// subject CN), and the "key hashes" a controller's auth list holds: SHA-1 and SHA-256 over the
// DER SubjectPublicKeyInfo of the certificate, lowercase hex. Check with openssl:
//   openssl x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform DER | openssl sha256

#include <openssl/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "common/mac_address.h"
#include "common/result.h"

namespace nmsp::identity {

enum class KeyType { Rsa2048, EcdsaP256 };

struct KeyHashes {
  std::string sha1_hex;    // 40 lowercase hex digits
  std::string sha256_hex;  // 64 lowercase hex digits
  bool operator==(const KeyHashes&) const = default;
};

struct Identity {
  MacAddress mac;
  KeyType key_type = KeyType::Rsa2048;
  std::filesystem::path cert_path;  // DATA/identity/cert.pem
  std::filesystem::path key_path;   // DATA/identity/key.pem (mode 0600)
  std::string cert_pem;
  std::string key_pem;
  KeyHashes hashes;
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
};

struct CreateOptions {
  std::optional<MacAddress> mac;  // default: primaryInterfaceMac()
  KeyType key_type = KeyType::Rsa2048;
  std::chrono::seconds validity{std::chrono::hours(24 * 365 * 10)};
  /// Shifts notBefore/notAfter (tests make expired and not-yet-valid certificates with it).
  std::chrono::seconds not_before_offset{-std::chrono::minutes(5)};
  /// Subject OU: which role the certificate identifies ("MSE" or "Controller").
  std::string role = "MSE";
};

/// Loads DATA/identity/{cert,key}.pem, creating them on first start. Refuses (error text) if the
/// key is readable by group or others, if the files do not match each other, or if `mac` is
/// given and differs from the certificate's.
Result<Identity, std::string> loadOrCreate(const std::filesystem::path& data_dir,
                                           const CreateOptions& options = {});

/// Creates a fresh self-signed identity in `dir` (cert.pem, key.pem), overwriting.
Result<Identity, std::string> create(const std::filesystem::path& dir,
                                     const CreateOptions& options);

/// Key hashes of a certificate (SPKI DER digests).
KeyHashes keyHashes(X509* cert);
Result<KeyHashes, std::string> keyHashesOfPem(const std::string& cert_pem);

/// The MAC address a certificate is bound to (subject CN in any MacAddress::parse form).
std::optional<MacAddress> macFromCertificate(X509* cert);

/// MAC of the first non-loopback interface that is up (sysfs), nullopt if none.
std::optional<MacAddress> primaryInterfaceMac();
/// Same, reading interfaces under `sysfs_net` instead of /sys/class/net (tests).
std::optional<MacAddress> primaryInterfaceMac(const std::filesystem::path& sysfs_net);

/// Operator-facing warning when the certificate is expired or not yet valid at `now`
/// (daemons log it at start-up: the peer will refuse such a certificate), nullopt if valid.
std::optional<std::string> validityProblem(
    const Identity& identity,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

/// SHA-256 fingerprint of a certificate's DER, lowercase hex (used for controller pinning).
std::string certificateFingerprint(X509* cert);

}  // namespace nmsp::identity
