// checkAdmission on its own: every verdict, decided from the certificate, the auth list and
// the clock we pass in (no TLS here).

#include "controller/admission.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "transport/tls_test_support.h"

namespace nmsp::testing {
namespace {

using std::chrono::hours;
using std::chrono::system_clock;

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

X509Ptr parsePem(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return X509Ptr(cert);
}

// A self-signed P-256 certificate whose CN is not a MAC address.
X509Ptr certificateWithCn(const std::string& cn) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_set_pubkey(cert, key);
  X509_sign(cert, key, EVP_sha256());
  EVP_PKEY_free(key);
  return X509Ptr(cert);
}

class CheckAdmissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    id_ = makeIdentity(dir_.path() / "mse", testMac(), identity::KeyType::EcdsaP256);
    cert_ = parsePem(id_.cert_pem);
    ASSERT_NE(cert_, nullptr);
    auto list = authlist::AuthList::open(dir_.path() / "controller");
    ASSERT_TRUE(list.has_value()) << list.error();
    list_ = std::move(*list);
  }
  TempDir dir_;
  identity::Identity id_;
  X509Ptr cert_;
  std::unique_ptr<authlist::AuthList> list_;
};

TEST_F(CheckAdmissionTest, AdmitsMatchingSha256AndSha1Entries) {
  ASSERT_TRUE(
      list_->addAireOs(authlist::HashType::Sha256, id_.mac, id_.hashes.sha256_hex).has_value());
  auto a = controller::checkAdmission(cert_.get(), *list_->snapshot(), system_clock::now());
  EXPECT_TRUE(a.admitted()) << a.reason;
  EXPECT_EQ(a.mac, id_.mac);
  EXPECT_EQ(a.hashes, id_.hashes);
  ASSERT_TRUE(list_->deleteMac(id_.mac).has_value());
  ASSERT_TRUE(list_->addAireOs(authlist::HashType::Sha1, id_.mac, id_.hashes.sha1_hex).has_value());
  EXPECT_TRUE(
      controller::checkAdmission(cert_.get(), *list_->snapshot(), system_clock::now()).admitted());
}

TEST_F(CheckAdmissionTest, NamesBothHashesOnMismatch) {
  const std::string listed(64, 'e');
  ASSERT_TRUE(list_->addAireOs(authlist::HashType::Sha256, id_.mac, listed).has_value());
  auto a = controller::checkAdmission(cert_.get(), *list_->snapshot(), system_clock::now());
  EXPECT_EQ(a.verdict, controller::AdmissionVerdict::HashMismatch);
  EXPECT_NE(a.reason.find(listed), std::string::npos) << a.reason;
  EXPECT_NE(a.reason.find(id_.hashes.sha256_hex), std::string::npos) << a.reason;
  EXPECT_EQ(controller::verdictName(a.verdict), "hash-mismatch");
}

TEST_F(CheckAdmissionTest, UnknownMacIsNoEntry) {
  auto a = controller::checkAdmission(cert_.get(), *list_->snapshot(), system_clock::now());
  EXPECT_EQ(a.verdict, controller::AdmissionVerdict::NoEntry);
}

TEST_F(CheckAdmissionTest, ValidityPeriodFollowsTheGivenClock) {
  ASSERT_TRUE(
      list_->addAireOs(authlist::HashType::Sha256, id_.mac, id_.hashes.sha256_hex).has_value());
  EXPECT_EQ(controller::checkAdmission(cert_.get(), *list_->snapshot(), id_.not_before - hours(1))
                .verdict,
            controller::AdmissionVerdict::NotYetValid);
  EXPECT_EQ(
      controller::checkAdmission(cert_.get(), *list_->snapshot(), id_.not_after + hours(1)).verdict,
      controller::AdmissionVerdict::Expired);
  EXPECT_TRUE(controller::checkAdmission(cert_.get(), *list_->snapshot(), id_.not_before + hours(1))
                  .admitted());
}

TEST_F(CheckAdmissionTest, CertificateWithoutMacIsRefused) {
  auto cert = certificateWithCn("controller.example.com");
  ASSERT_NE(cert, nullptr);
  auto a = controller::checkAdmission(cert.get(), *list_->snapshot(), system_clock::now());
  EXPECT_EQ(a.verdict, controller::AdmissionVerdict::NoMac);
  EXPECT_FALSE(a.mac.has_value());
}

}  // namespace
}  // namespace nmsp::testing
