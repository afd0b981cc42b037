// `nmsp doctor` on the real daemons: the seed's wrong hash seen from both sides, then fixed;
// and a controller address where nobody listens.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "support/process.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace nmsp::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test_support::ChildProcess;
using test_support::Command;
using test_support::CommandResult;
using test_support::waitFor;

const std::string kBinary = NMSP_BINARY;
const std::string kMac = "00:50:56:9c:34:89";

CommandResult nmsp(std::vector<std::string> args) {
  args.insert(args.begin(), kBinary);
  return test_support::run(Command(args).timeout(60s));
}

class DoctorE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    ctl_ = dir_.path() / "ctl";
    mse_ = dir_.path() / "mse";
    controller_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kBinary, "controller", "--data-dir", ctl_.string(), "--listen",
                                 "127.0.0.1:0"},
        dir_.path() / "controller.log");
    ASSERT_TRUE(waitFor(
        [&] {
          std::ifstream in(ctl_ / "controller.port");
          return static_cast<bool>(in >> port_) && port_ > 0 &&
                 nmsp({"cli", "--data-dir", ctl_.string(), "show version"}).exit_code == 0;
        },
        20s));
    mse_daemon_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kBinary, "mse", "--data-dir", mse_.string(), "--mac", kMac,
                                 "--key-type", "ecdsa", "--max-backoff", "1", "--echo-interval",
                                 "1"},
        dir_.path() / "mse.log");
    CommandResult info;
    ASSERT_TRUE(waitFor(
        [&] {
          info = nmsp({"cli", "--data-dir", mse_.string(), "show server-auth-info"});
          return info.exit_code == 0;
        },
        20s));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(info.out, m, std::regex("SHA2 Key Hash: ([0-9a-f]{64})")));
    sha2_ = m[1];
  }

  bool mseActive() {
    return nmsp({"cli", "--data-dir", mse_.string(), "show controllers"}).out.find(" ACTIVE ") !=
           std::string::npos;
  }

  test_support::TempDir dir_{"nmsp-doctor-e2e"};
  fs::path ctl_;
  fs::path mse_;
  std::unique_ptr<ChildProcess> controller_;
  std::unique_ptr<ChildProcess> mse_daemon_;
  int port_ = 0;
  std::string sha2_;
};

TEST_F(DoctorE2e, WrongHashOnBothSidesThenEverythingPasses) {
  const std::string wrong(64, 'a');
  ASSERT_EQ(nmsp({"cli", "--data-dir", ctl_.string(),
                  "config auth-list add sha256-lbs-ssc " + kMac + " " + wrong})
                .exit_code,
            0);
  ASSERT_EQ(nmsp({"cli", "--data-dir", mse_.string(),
                  "config controllers add 127.0.0.1:" + std::to_string(port_)})
                .exit_code,
            0);
  // The MSE side names the entry to add.
  const auto mse_side = nmsp({"doctor", "--data-dir", mse_.string()});
  EXPECT_EQ(mse_side.exit_code, 1) << mse_side.out;
  EXPECT_NE(mse_side.out.find("6. [FAIL] auth-list entry and hash: the controller refused MAC " +
                              kMac + " with SHA2 key hash " + sha2_),
            std::string::npos)
      << mse_side.out;
  EXPECT_NE(mse_side.out.find("7. [SKIP] clock difference: not checked (check 6 failed)"),
            std::string::npos);
  // The controller side compares with what the MSE presented.
  const auto ctl_side = nmsp({"doctor", "--data-dir", ctl_.string()});
  EXPECT_EQ(ctl_side.exit_code, 1) << ctl_side.out;
  EXPECT_NE(ctl_side.out.find("6. [FAIL] auth-list entry and hash: key hash mismatch for " + kMac +
                              ": the auth list has SHA2 " + wrong + ", the MSE presented " + sha2_),
            std::string::npos)
      << ctl_side.out;
  // Fix it as the fix line says; both doctors pass once the link is up.
  ASSERT_EQ(nmsp({"cli", "--data-dir", ctl_.string(),
                  "config auth-list add sha256-lbs-ssc " + kMac + " " + sha2_})
                .exit_code,
            0);
  ASSERT_TRUE(waitFor([&] { return mseActive(); }, 15s));
  const auto mse_ok = nmsp({"doctor", "--data-dir", mse_.string()});
  EXPECT_EQ(mse_ok.exit_code, 0) << mse_ok.out;
  EXPECT_NE(mse_ok.out.find("All checks passed."), std::string::npos) << mse_ok.out;
  const auto ctl_ok = nmsp({"doctor", "--data-dir", ctl_.string(), kMac});
  EXPECT_EQ(ctl_ok.exit_code, 0) << ctl_ok.out;
}

TEST_F(DoctorE2e, NothingListeningFailsAtTcp) {
  const auto r = nmsp({"doctor", "--data-dir", mse_.string(), "127.0.0.1:1"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("2. [FAIL] TCP reachability: connection refused by 127.0.0.1:1"),
            std::string::npos)
      << r.out;
  const auto usage = nmsp({"doctor", "--data-dir", (dir_.path() / "empty").string()});
  EXPECT_EQ(usage.exit_code, 2) << usage.out;
}

}  // namespace
}  // namespace nmsp::testing
