#include "identity/identity.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>

#include "support/process.h"
#include "support/temp_dir.h"

namespace nmsp::identity {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const MacAddress kMac = *MacAddress::parse("00:50:56:9c:34:89");

using TempDir = test_support::TempDir;

CreateOptions withMac(KeyType type = KeyType::Rsa2048) {
  CreateOptions options;
  options.mac = kMac;
  options.key_type = type;
  return options;
}

mode_t fileMode(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0);
  return st.st_mode & 07777;
}

// The digest the openssl CLI prints for the certificate's SPKI DER.
std::string opensslCliHash(const fs::path& cert, const std::string& digest) {
  const auto result = test_support::runShell(
      "openssl x509 -in " + test_support::shellQuote(cert.string()) +
      " -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -" + digest);
  if (result.exit_code != 0) {
    return "openssl failed: " + result.out;
  }
  const std::string& out = result.out;
  // "SHA2-256(stdin)= <hex>\n"
  const auto pos = out.rfind("= ");
  if (pos == std::string::npos) {
    return "unexpected openssl output: " + out;
  }
  std::string hex = out.substr(pos + 2);
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) {
    hex.pop_back();
  }
  return hex;
}

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
std::unique_ptr<X509, X509Deleter> parse(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), -1), BIO_free);
  return std::unique_ptr<X509, X509Deleter>(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::string subjectField(X509* cert, int nid) {
  char buf[128] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), nid, buf, sizeof(buf));
  return buf;
}

TEST(Identity, CreatesOnFirstStartAndLoadsTheSameOnTheNext) {
  TempDir dir;
  auto first = loadOrCreate(dir.path(), withMac());
  ASSERT_TRUE(first) << first.error();
  EXPECT_EQ(first->mac, kMac);
  EXPECT_EQ(first->cert_path, dir.path() / "identity" / "cert.pem");
  EXPECT_EQ(first->key_path, dir.path() / "identity" / "key.pem");
  EXPECT_TRUE(fs::exists(first->cert_path));
  EXPECT_EQ(first->hashes.sha1_hex.size(), 40u);
  EXPECT_EQ(first->hashes.sha256_hex.size(), 64u);

  auto second = loadOrCreate(dir.path());  // no MAC given: the stored one is used
  ASSERT_TRUE(second) << second.error();
  EXPECT_EQ(second->mac, kMac);
  EXPECT_EQ(second->hashes, first->hashes);
  EXPECT_EQ(second->cert_pem, first->cert_pem);
  EXPECT_EQ(second->key_pem, first->key_pem);
  EXPECT_EQ(second->key_type, KeyType::Rsa2048);
  EXPECT_EQ(second->not_after, first->not_after);
}

TEST(Identity, KeyIsCreatedWithMode0600) {
  TempDir dir;
  auto id = loadOrCreate(dir.path(), withMac());
  ASSERT_TRUE(id) << id.error();
  EXPECT_EQ(fileMode(id->key_path), 0600u);
  EXPECT_EQ(fileMode(dir.path() / "identity"), 0700u);
  EXPECT_FALSE(fs::exists(id->key_path.string() + ".tmp"));
}

TEST(Identity, RefusesAKeyReadableByOthers) {
  TempDir dir;
  auto id = loadOrCreate(dir.path(), withMac());
  ASSERT_TRUE(id) << id.error();
  ASSERT_EQ(::chmod(id->key_path.c_str(), 0644), 0);
  auto again = loadOrCreate(dir.path(), withMac());
  ASSERT_FALSE(again);
  const std::string key = (dir.path() / "identity" / "key.pem").string();
  EXPECT_EQ(again.error(), "refusing to start: " + key +
                               " is readable by group or others (mode 0644); run chmod 600 " + key);
}

TEST(Identity, KeyHashesEqualTheOpensslCli) {
  TempDir dir;
  auto id = loadOrCreate(dir.path(), withMac());
  ASSERT_TRUE(id) << id.error();
  EXPECT_EQ(id->hashes.sha256_hex, opensslCliHash(id->cert_path, "sha256"));
  EXPECT_EQ(id->hashes.sha1_hex, opensslCliHash(id->cert_path, "sha1"));
  auto from_pem = keyHashesOfPem(id->cert_pem);
  ASSERT_TRUE(from_pem);
  EXPECT_EQ(*from_pem, id->hashes);
}

TEST(Identity, EcdsaVariant) {
  TempDir dir;
  auto id = loadOrCreate(dir.path(), withMac(KeyType::EcdsaP256));
  ASSERT_TRUE(id) << id.error();
  EXPECT_EQ(id->hashes.sha256_hex, opensslCliHash(id->cert_path, "sha256"));
  auto loaded = loadOrCreate(dir.path());
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(loaded->key_type, KeyType::EcdsaP256);
  auto cert = parse(loaded->cert_pem);
  ASSERT_TRUE(cert);
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_ecdsa_with_SHA256);
}

TEST(Identity, CertificateIsSelfSignedV3BoundToTheMac) {
  TempDir dir;
  auto a = create(dir.path() / "a", withMac());
  auto b = create(dir.path() / "b", withMac());
  ASSERT_TRUE(a && b);
  auto cert = parse(a->cert_pem);
  ASSERT_TRUE(cert);
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
  EXPECT_EQ(subjectField(cert.get(), NID_commonName), "00:50:56:9c:34:89");
  EXPECT_EQ(subjectField(cert.get(), NID_organizationName), "OpenNMSP");
  EXPECT_EQ(subjectField(cert.get(), NID_organizationalUnitName), "MSE");
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())), 0);
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_sha256WithRSAEncryption);
  EXPECT_EQ(X509_verify(cert.get(), X509_get0_pubkey(cert.get())), 1);
  EXPECT_EQ(macFromCertificate(cert.get()), kMac);
  auto other = parse(b->cert_pem);
  EXPECT_NE(
      ASN1_INTEGER_cmp(X509_get0_serialNumber(cert.get()), X509_get0_serialNumber(other.get())), 0);
  EXPECT_NE(a->hashes, b->hashes);
  EXPECT_EQ(certificateFingerprint(cert.get()).size(), 64u);
  EXPECT_NE(certificateFingerprint(cert.get()), certificateFingerprint(other.get()));
}

TEST(Identity, RefusesAnotherMac) {
  TempDir dir;
  ASSERT_TRUE(loadOrCreate(dir.path(), withMac()));
  CreateOptions other;
  other.mac = MacAddress::parse("00:50:56:9c:34:8a");
  auto id = loadOrCreate(dir.path(), other);
  ASSERT_FALSE(id);
  EXPECT_NE(id.error().find("is bound to MAC 00:50:56:9c:34:89, not 00:50:56:9c:34:8a"),
            std::string::npos)
      << id.error();
}

TEST(Identity, RefusesAKeyThatDoesNotMatchTheCertificate) {
  TempDir dir;
  ASSERT_TRUE(loadOrCreate(dir.path(), withMac()));
  auto other = create(dir.path() / "other", withMac());
  ASSERT_TRUE(other);
  fs::copy_file(other->cert_path, dir.path() / "identity" / "cert.pem",
                fs::copy_options::overwrite_existing);
  auto id = loadOrCreate(dir.path());
  ASSERT_FALSE(id);
  EXPECT_NE(id.error().find("does not belong to"), std::string::npos) << id.error();
}

TEST(Identity, RefusesAMissingKey) {
  TempDir dir;
  ASSERT_TRUE(loadOrCreate(dir.path(), withMac()));
  fs::remove(dir.path() / "identity" / "key.pem");
  auto id = loadOrCreate(dir.path());
  ASSERT_FALSE(id);
  EXPECT_NE(id.error().find("key.pem is missing"), std::string::npos) << id.error();
}

TEST(Identity, RefusesGarbage) {
  TempDir dir;
  ASSERT_TRUE(loadOrCreate(dir.path(), withMac()));
  std::ofstream(dir.path() / "identity" / "cert.pem") << "not a certificate\n";
  auto id = loadOrCreate(dir.path());
  ASSERT_FALSE(id);
  EXPECT_NE(id.error().find("is not a PEM certificate"), std::string::npos) << id.error();
  EXPECT_FALSE(keyHashesOfPem("garbage"));
}

TEST(Identity, ExpiredCertificateIsReported) {
  TempDir dir;
  CreateOptions options = withMac(KeyType::EcdsaP256);
  options.validity = 24h;
  options.not_before_offset = -48h;
  auto id = loadOrCreate(dir.path(), options);
  ASSERT_TRUE(id) << id.error();
  const auto now = std::chrono::system_clock::now();
  EXPECT_LT(id->not_after, now - 23h);
  EXPECT_LT(id->not_before, now - 47h);
  auto problem = validityProblem(*id, now);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("expired on"), std::string::npos) << *problem;

  options.not_before_offset = 1h;
  auto future = create(dir.path() / "future", options);
  ASSERT_TRUE(future);
  auto not_yet = validityProblem(*future, now);
  ASSERT_TRUE(not_yet);
  EXPECT_NE(not_yet->find("is not valid before"), std::string::npos) << *not_yet;

  auto fresh = create(dir.path() / "fresh", withMac(KeyType::EcdsaP256));
  ASSERT_TRUE(fresh);
  EXPECT_FALSE(validityProblem(*fresh));
}

TEST(InterfaceMac, PicksTheFirstUpNonLoopbackInterface) {
  TempDir dir;
  auto iface = [&](const std::string& name, const std::string& mac, const std::string& state,
                   const std::string& type = "1") {
    fs::create_directories(dir.path() / name);
    std::ofstream(dir.path() / name / "address") << mac << "\n";
    std::ofstream(dir.path() / name / "operstate") << state << "\n";
    std::ofstream(dir.path() / name / "type") << type << "\n";
  };
  iface("lo", "00:00:00:00:00:00", "unknown", "772");
  iface("dummy0", "00:00:00:00:00:00", "up");
  iface("eth0", "00:50:56:00:00:01", "down");
  iface("eth1", "00:50:56:00:00:02", "up");
  EXPECT_EQ(primaryInterfaceMac(dir.path()), MacAddress::parse("00:50:56:00:00:02"));
  iface("eth1", "00:50:56:00:00:02", "down");
  EXPECT_EQ(primaryInterfaceMac(dir.path()), MacAddress::parse("00:50:56:00:00:01"));
  EXPECT_EQ(primaryInterfaceMac(dir.path() / "missing"), std::nullopt);
}

}  // namespace
}  // namespace nmsp::identity
