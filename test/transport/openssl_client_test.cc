// The controller against a client we did not write: `openssl s_client -cert -key` with the
// MSE's certificate is admitted when listed and refused with "alert number 46" when not
// (label integration: runs the openssl binary).

#include <gtest/gtest.h>

#include <regex>
#include <thread>

#include "support/process.h"
#include "transport/controller_fixture.h"

namespace nmsp::testing {
namespace {

class OpenSslClientTest : public ControllerFixture {
 protected:
  // The controller runs on its own thread while s_client runs as a child process.
  void runControllerThread() {
    worker_ = std::thread([this] { io_.run(); });
  }
  void joinControllerThread() {
    controller_->stop();
    worker_.join();
  }
  // stdin is empty: s_client exits after the handshake. Output: stdout and stderr.
  std::string sClient(const std::string& version) {
    const auto result = test_support::run(
        test_support::Command({"openssl", "s_client", "-connect",
                               "127.0.0.1:" + std::to_string(port_), "-cert",
                               mse_.cert_path.string(), "-key", mse_.key_path.string(), version})
            .timeout(20s));
    EXPECT_FALSE(result.timed_out) << result.out;
    return result.out;
  }
  std::thread worker_;
};

TEST_F(OpenSslClientTest, ListedCertificateIsAdmitted) {
  startController();
  admitSha256(mse_);
  runControllerThread();
  const std::string out = sClient("-tls1_2");
  joinControllerThread();
  EXPECT_NE(out.find("CONNECTED"), std::string::npos) << out;
  EXPECT_NE(out.find("Cipher is ECDHE"), std::string::npos) << out;
  EXPECT_EQ(out.find("alert"), std::string::npos) << out;
  EXPECT_EQ(controller_->statistics().accept_success, 1u);
  EXPECT_EQ(controller_->statistics().verify_success, 1u);
}

TEST_F(OpenSslClientTest, UnlistedCertificateIsRefusedWithAlert46) {
  startController();
  auto added = addAireOs(authlist::HashType::Sha256, mse_.mac, std::string(64, 'c'));
  ASSERT_TRUE(added.has_value());
  runControllerThread();
  const std::string out = sClient("-tls1_2");
  joinControllerThread();
  std::smatch match;
  ASSERT_TRUE(std::regex_search(out, match, std::regex("alert number (\\d+)"))) << out;
  EXPECT_EQ(match[1].str(), "46") << out;
  EXPECT_NE(out.find("certificate unknown"), std::string::npos) << out;
  EXPECT_EQ(controller_->statistics().accept_reject, 1u);
}

}  // namespace
}  // namespace nmsp::testing
