// Creating, storing and loading the MSE identity (DATA/identity/{cert,key}.pem).
#include "identity/identity.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "fileio/atomic_file.h"
#include "identity/certificate_builder.h"
#include "identity/openssl_util.h"
#include "identity/validity.h"

namespace nmsp::identity {
namespace {

constexpr size_t kMaxPemBytes = 1 << 20;

KeyType keyTypeOf(EVP_PKEY* key) {
  return EVP_PKEY_get_base_id(key) == EVP_PKEY_EC ? KeyType::EcdsaP256 : KeyType::Rsa2048;
}

void fillFromCertificate(Identity& id, X509* cert) {
  id.hashes = keyHashes(cert);
  id.not_before = toTimePoint(X509_get0_notBefore(cert));
  id.not_after = toTimePoint(X509_get0_notAfter(cert));
}

}  // namespace

Result<Identity, std::string> create(const std::filesystem::path& dir,
                                     const CreateOptions& options) {
  std::optional<MacAddress> mac = options.mac ? options.mac : primaryInterfaceMac();
  if (!mac) {
    return Unexpected{std::string(
        "no network interface with a MAC address found; give the MSE's MAC explicitly")};
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Unexpected{fmt::format("cannot create {}: {}", dir.string(), ec.message())};
  }
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  const auto not_before = std::chrono::system_clock::now() + options.not_before_offset;
  auto built = detail::buildSelfSigned(*mac, options.key_type, not_before,
                                       not_before + options.validity, options.role);
  if (!built) {
    return Unexpected{built.error()};
  }
  Identity id;
  id.mac = *mac;
  id.key_type = options.key_type;
  id.cert_path = dir / "cert.pem";
  id.key_path = dir / "key.pem";
  id.cert_pem = detail::certificatePem(built->cert.get());
  id.key_pem = detail::privateKeyPem(built->key.get());
  if (id.cert_pem.empty() || id.key_pem.empty()) {
    return Unexpected{detail::opensslError("cannot encode the identity as PEM")};
  }
  // Key first: a cert.pem without key.pem is refused on the next start, never half-trusted.
  if (auto r = fileio::writeFileAtomically(id.key_path, id.key_pem, 0600); !r) {
    return Unexpected{r.error()};
  }
  if (auto r = fileio::writeFileAtomically(id.cert_path, id.cert_pem, 0644); !r) {
    return Unexpected{r.error()};
  }
  fillFromCertificate(id, built->cert.get());
  return id;
}

Result<Identity, std::string> loadOrCreate(const std::filesystem::path& data_dir,
                                           const CreateOptions& options) {
  const std::filesystem::path dir = data_dir / "identity";
  const auto cert_path = dir / "cert.pem";
  const auto key_path = dir / "key.pem";
  std::error_code ec;
  const bool has_cert = std::filesystem::exists(cert_path, ec);
  const bool has_key = std::filesystem::exists(key_path, ec);
  if (!has_cert && !has_key) {
    return create(dir, options);
  }
  if (has_cert != has_key) {
    return Unexpected{fmt::format(
        "refusing to start: {} exists but {} is missing; restore it or delete {} to create a new "
        "identity",
        (has_cert ? cert_path : key_path).string(), (has_cert ? key_path : cert_path).string(),
        dir.string())};
  }
  struct stat st {};
  if (::stat(key_path.c_str(), &st) != 0) {
    return Unexpected{fmt::format("cannot stat {}: {}", key_path.string(), std::strerror(errno))};
  }
  if ((st.st_mode & 0077) != 0) {
    return Unexpected{fmt::format(
        "refusing to start: {} is readable by group or others (mode {:04o}); run chmod 600 {}",
        key_path.string(), st.st_mode & 07777, key_path.string())};
  }
  auto cert_pem = fileio::readFile(cert_path, kMaxPemBytes);
  if (!cert_pem) {
    return Unexpected{cert_pem.error()};
  }
  auto key_pem = fileio::readFile(key_path, kMaxPemBytes);
  if (!key_pem) {
    return Unexpected{key_pem.error()};
  }
  auto cert = detail::parseCertificatePem(*cert_pem);
  if (!cert) {
    return Unexpected{detail::opensslError(cert_path.string() + " is not a PEM certificate")};
  }
  auto key = detail::parsePrivateKeyPem(*key_pem);
  if (!key) {
    return Unexpected{detail::opensslError(key_path.string() + " is not a PEM private key")};
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    detail::opensslError("");  // drop the queued error: the message below says it all
    return Unexpected{fmt::format("refusing to start: {} does not belong to {}", key_path.string(),
                                  cert_path.string())};
  }
  const auto mac = macFromCertificate(cert.get());
  if (!mac) {
    return Unexpected{
        fmt::format("refusing to start: {} has no MAC address as subject CN", cert_path.string())};
  }
  if (options.mac && *options.mac != *mac) {
    return Unexpected{fmt::format(
        "refusing to start: {} is bound to MAC {}, not {}; delete {} to create a new identity "
        "(and update the controllers' auth lists)",
        cert_path.string(), mac->toString(), options.mac->toString(), dir.string())};
  }
  Identity id;
  id.mac = *mac;
  id.key_type = keyTypeOf(key.get());
  id.cert_path = cert_path;
  id.key_path = key_path;
  id.cert_pem = std::move(*cert_pem);
  id.key_pem = std::move(*key_pem);
  fillFromCertificate(id, cert.get());
  return id;
}

std::optional<std::string> validityProblem(const Identity& identity,
                                           std::chrono::system_clock::time_point now) {
  if (now < identity.not_before) {
    return fmt::format(
        "certificate {} is not valid before {} (is this host's clock right?); controllers will "
        "refuse it",
        identity.cert_path.string(), formatUtc(identity.not_before));
  }
  if (now > identity.not_after) {
    return fmt::format(
        "certificate {} expired on {}; controllers will refuse it: delete {} to create a new one "
        "and update the controllers' auth lists",
        identity.cert_path.string(), formatUtc(identity.not_after),
        identity.cert_path.parent_path().string());
  }
  return std::nullopt;
}

}  // namespace nmsp::identity
