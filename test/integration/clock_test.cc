// The seed's second cause end to end: the real daemons with one clock moved by libfaketime
// (Debian's `faketime`). A certificate refused for its dates is alert 45 on the wire, named as a
// clock problem on both sides with the validity window; a small skew that passes TLS is still
// the Init's ClockSkew.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "support/process.h"
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

class ClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (libfaketime().empty()) {
      GTEST_SKIP() << "libfaketime is not installed (Debian's faketime, scripts/install-deps)";
    }
    root_ = fs::temp_directory_path() /
            ("nmsp-clock-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    ctrl_dir_ = root_ / "controller";
    mse_dir_ = root_ / "mse";
  }

  void TearDown() override {
    mse_.reset();
    controller_.reset();
    if (HasFailure()) {
      for (const char* name : {"controller.log", "mse.log"}) {
        std::ifstream in(root_ / name);
        std::cerr << "----- " << name << " -----\n" << in.rdbuf() << '\n';
      }
    }
    fs::remove_all(root_);
  }

  /// libfaketime preloaded into the daemon itself (not the `faketime` wrapper, whose child
  /// would outlive a SIGTERM to the wrapper), with the wall clock moved by `offset` ("+2d");
  /// the monotonic clock is left alone, so timers keep real time. Empty offset: no change.
  static test_support::Environment fakeEnv(const std::string& offset) {
    if (offset.empty()) {
      return {};
    }
    return {
        {"LD_PRELOAD", libfaketime()}, {"FAKETIME", offset}, {"FAKETIME_DONT_FAKE_MONOTONIC", "1"}};
  }

  static std::string libfaketime() {
    for (const char* path : {"/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
                             "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1",
                             "/usr/lib/faketime/libfaketimeMT.so.1"}) {
      if (fs::exists(path)) {
        return path;
      }
    }
    return {};
  }

  void startController(const std::string& offset) {
    controller_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kBinary, "controller", "--data-dir", ctrl_dir_.string(),
                                 "--listen", "127.0.0.1:0", "--name", "wlc-clock", "--log-level",
                                 "debug"},
        root_ / "controller.log", fakeEnv(offset));
    ASSERT_TRUE(waitFor(
        [&] {
          std::ifstream in(ctrl_dir_ / "controller.port");
          int value = 0;
          if (in >> value && value > 0) {
            port_ = static_cast<uint16_t>(value);
            return true;
          }
          return false;
        },
        15s))
        << "controller did not write its port";
    ASSERT_TRUE(waitFor([&] { return cli(ctrl_dir_, "show nmsp status").exit_code == 0; }, 10s));
    ASSERT_EQ(cli(ctrl_dir_, "set trace nmsp connection level debug").exit_code, 0);
  }

  void startMse(const std::string& offset) {
    mse_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kBinary, "mse", "--data-dir", mse_dir_.string(), "--mac", kMac,
                                 "--key-type", "ecdsa", "--echo-interval", "1", "--max-backoff",
                                 "1", "--name", "mse-clock"},
        root_ / "mse.log", fakeEnv(offset));
    CommandResult info;
    ASSERT_TRUE(waitFor(
        [&] {
          info = cli(mse_dir_, "show server-auth-info");
          return info.exit_code == 0;
        },
        15s))
        << info.out;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(info.out, m, std::regex("SHA2 Key Hash: ([0-9a-f]{64})")));
    const auto added =
        cli(ctrl_dir_, "config auth-list add sha256-lbs-ssc " + kMac + " " + std::string(m[1]));
    ASSERT_EQ(added.exit_code, 0) << added.out;
    const auto controller =
        cli(mse_dir_, "config controllers add 127.0.0.1:" + std::to_string(port_));
    ASSERT_EQ(controller.exit_code, 0) << controller.out;
  }

  CommandResult cli(const fs::path& dir, const std::string& command) {
    return test_support::run(Command({kBinary, "cli", "--data-dir", dir.string(), command}));
  }

  std::string lastCause() {
    const auto out = cli(mse_dir_, "show controllers").out;
    const auto at = out.find("  last cause: ");
    return at == std::string::npos ? std::string() : out.substr(at, out.find('\n', at) - at);
  }

  bool causeHas(const std::string& text) { return lastCause().find(text) != std::string::npos; }

  /// The controller refused the MSE's certificate for its dates: alert 45 in the trace, the
  /// counter and the last refusal with the window in `show nmsp statistics summary`.
  void expectControllerNamesNotYetValid() {
    const auto trace = cli(ctrl_dir_, "show trace messages nmsp").out;
    EXPECT_NE(trace.find("MAC " + kMac + ": certificate not yet valid (valid from "),
              std::string::npos)
        << trace;
    EXPECT_NE(trace.find("ret_desc_string=certificate expired"), std::string::npos) << trace;
    EXPECT_EQ(trace.find("Authlist authentication failed"), std::string::npos) << trace;
    const auto stats = cli(ctrl_dir_, "show nmsp statistics summary").out;
    EXPECT_TRUE(std::regex_search(stats, std::regex(R"(Certificates not yet valid +: [1-9])")))
        << stats;
    EXPECT_TRUE(std::regex_search(
        stats, std::regex("Last certificate date refusal +: 127\\.0\\.0\\.1:\\d+ MAC " + kMac +
                          ": certificate not yet valid \\(valid from .* UTC to .* UTC, local "
                          "clock .* UTC; 1 d 23 h 5\\d min before notBefore\\)")))
        << stats;
  }

  fs::path root_;
  fs::path ctrl_dir_;
  fs::path mse_dir_;
  std::unique_ptr<ChildProcess> controller_;
  std::unique_ptr<ChildProcess> mse_;
  uint16_t port_ = 0;
};

// The issue's case: the MSE two days ahead (no NTP). Its fresh certificate is not yet valid for
// the controller: alert 45, and the MSE names the clocks, not the auth list.
TEST_F(ClockTest, MseTwoDaysAheadIsRefusedAsNotYetValidAndPointsAtNtp) {
  ASSERT_NO_FATAL_FAILURE(startController(""));
  ASSERT_NO_FATAL_FAILURE(startMse("+2d"));
  ASSERT_TRUE(waitFor([&] { return causeHas("TLS alert: certificate expired"); }, 15s))
      << lastCause();
  const std::string cause = lastCause();
  EXPECT_NE(cause.find("controller rejected this MSE's certificate as expired or not yet valid "
                       "(TLS alert: certificate expired): the certificate is valid from "),
            std::string::npos)
      << cause;
  EXPECT_NE(cause.find("the controller's clock is outside that window: check NTP"),
            std::string::npos)
      << cause;
  EXPECT_EQ(cause.find("auth list"), std::string::npos) << cause;
  expectControllerNamesNotYetValid();
}

// The same refusal seen from the other clock: the controller two days behind.
TEST_F(ClockTest, ControllerTwoDaysBehindRefusesAsNotYetValid) {
  ASSERT_NO_FATAL_FAILURE(startController("-2d"));
  ASSERT_NO_FATAL_FAILURE(startMse(""));
  ASSERT_TRUE(waitFor([&] { return causeHas("TLS alert: certificate expired"); }, 15s))
      << lastCause();
  EXPECT_EQ(lastCause().find("auth list"), std::string::npos) << lastCause();
  expectControllerNamesNotYetValid();
}

// The controller two days ahead: the MSE's certificate is fine for it, but the controller's own
// fresh certificate is not yet valid for the MSE, which refuses it after the handshake.
TEST_F(ClockTest, ControllerTwoDaysAheadHasACertificateTheMseRefuses) {
  ASSERT_NO_FATAL_FAILURE(startController("+2d"));
  ASSERT_NO_FATAL_FAILURE(startMse(""));
  ASSERT_TRUE(waitFor(
      [&] {
        return causeHas("controller certificate is not yet valid by this MSE's clock (valid from ");
      },
      15s))
      << lastCause();
  EXPECT_NE(lastCause().find("): check NTP on the controller and the MSE"), std::string::npos)
      << lastCause();
}

// A skew small enough for the certificates (notBefore is 5 min in the past) but beyond the 60 s
// Init tolerance: today's ClockSkew handling, unchanged.
TEST_F(ClockTest, SmallSkewPassesTlsAndIsTheInitClockSkew) {
  ASSERT_NO_FATAL_FAILURE(startController(""));
  ASSERT_NO_FATAL_FAILURE(startMse("+2m"));
  ASSERT_TRUE(waitFor([&] { return causeHas("with the controller: check NTP"); }, 15s))
      << lastCause();
  EXPECT_TRUE(std::regex_search(lastCause(), std::regex(R"(clock skew of 1[12]\d s with)")))
      << lastCause();
}

}  // namespace
}  // namespace nmsp::testing
