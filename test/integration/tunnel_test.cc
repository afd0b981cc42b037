// End-to-end NMSP tunnel: the real `nmsp controller` and `nmsp mse` daemons on loopback,
// configured and inspected only through `nmsp cli`, as an operator would.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

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

std::string iosXeBlock(const std::string& hash) {
  return "configure terminal\n"
         "username 0050569c3489 aaa attribute list NMSP\n"
         "aaa attribute list NMSP\n"
         " attribute type password " +
         hash +
         "\n"
         "aaa authorization credential-download wcm_loc_serv_cert local\n"
         "end\n";
}

class TunnelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("nmsp-tunnel-" + std::to_string(::getpid()) + "-" +
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

  void startController(uint16_t port = 0) {
    fs::remove(ctrl_dir_ / "controller.port");
    controller_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kBinary, "controller", "--data-dir", ctrl_dir_.string(),
                                 "--listen", "127.0.0.1:" + std::to_string(port), "--name",
                                 "wlc-test", "--log-level", "debug"},
        root_ / "controller.log");
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
  }

  void startMse() {
    mse_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kBinary, "mse", "--data-dir", mse_dir_.string(), "--mac", kMac,
                                 "--key-type", "ecdsa", "--echo-interval", "1", "--max-backoff",
                                 "1", "--name", "mse-test"},
        root_ / "mse.log");
    CommandResult info;
    ASSERT_TRUE(waitFor(
        [&] {
          info = cli(mse_dir_, "show server-auth-info");
          return info.exit_code == 0;
        },
        15s))
        << info.out;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(info.out, m, std::regex("SHA1 Key Hash: ([0-9a-f]{40})")));
    sha1_ = m[1];
    ASSERT_TRUE(std::regex_search(info.out, m, std::regex("SHA2 Key Hash: ([0-9a-f]{64})")));
    sha2_ = m[1];
  }

  /// `nmsp cli --data-dir DIR COMMAND`: one operator command line.
  CommandResult cli(const fs::path& dir, const std::string& command) {
    return test_support::run(Command({kBinary, "cli", "--data-dir", dir.string(), command}));
  }

  /// `nmsp cli --data-dir DIR` with `script` on stdin (a pasted configuration block).
  CommandResult cliScript(const fs::path& dir, const std::string& script) {
    return test_support::run(Command({kBinary, "cli", "--data-dir", dir.string()}).input(script));
  }

  void addController() {
    auto added = cli(mse_dir_, "config controllers add 127.0.0.1:" + std::to_string(port_));
    ASSERT_EQ(added.exit_code, 0) << added.out;
  }

  std::string showControllers() { return cli(mse_dir_, "show controllers").out; }

  // "INACTIVE" also contains "ACTIVE": match the status cell with its leading space.
  bool mseActive() { return showControllers().find(" ACTIVE ") != std::string::npos; }
  bool mseInactive() { return showControllers().find(" INACTIVE ") != std::string::npos; }
  bool mseCause(const std::string& text) {
    return showControllers().find("  last cause: " + text) != std::string::npos;
  }

  std::string alert46Cause() const {
    return "controller rejected this MSE's certificate (TLS alert: certificate unknown): add MAC " +
           kMac + " with SHA2 key hash " + sha2_ + " to its auth list";
  }

  /// "Tx Echo Resp" of the MSE's row in the controller's `show nmsp status`, -1 if absent.
  long controllerEchoCount() {
    const auto status = cli(ctrl_dir_, "show nmsp status").out;
    std::smatch m;
    if (!std::regex_search(status, m, std::regex(R"(127\.0\.0\.1\s+Active\s+(\d+)\s+(\d+))"))) {
      return -1;
    }
    return std::stol(m[1]);
  }

  fs::path root_;
  fs::path ctrl_dir_;
  fs::path mse_dir_;
  std::unique_ptr<ChildProcess> controller_;
  std::unique_ptr<ChildProcess> mse_;
  uint16_t port_ = 0;
  std::string sha1_;
  std::string sha2_;
};

TEST_F(TunnelTest, IosXeBlockAdmitsTheMseAndEchoesFlow) {
  ASSERT_NO_FATAL_FAILURE(startController());
  ASSERT_NO_FATAL_FAILURE(startMse());
  const auto configured = cliScript(ctrl_dir_, iosXeBlock(sha2_));
  ASSERT_EQ(configured.exit_code, 0) << configured.out;
  ASSERT_NO_FATAL_FAILURE(addController());

  ASSERT_TRUE(waitFor([&] { return mseActive(); }, 10s)) << showControllers();
  const std::string controllers = showControllers();
  EXPECT_NE(controllers.find("127.0.0.1"), std::string::npos);
  EXPECT_NE(controllers.find(std::to_string(port_)), std::string::npos);
  EXPECT_NE(controllers.find("wlc-test"), std::string::npos) << controllers;

  const auto status = cli(ctrl_dir_, "show nmsp status");
  EXPECT_EQ(status.exit_code, 0);
  EXPECT_NE(status.out.find("MSE IP Address"), std::string::npos) << status.out;
  EXPECT_TRUE(std::regex_search(status.out, std::regex(R"(127\.0\.0\.1\s+Active\s+\d+.*TLS)")))
      << status.out;
  long first = -1;
  ASSERT_TRUE(waitFor([&] { return (first = controllerEchoCount()) >= 1; }, 5s));
  EXPECT_TRUE(waitFor([&] { return controllerEchoCount() >= first + 3; }, 10s))  // one per second
      << cli(ctrl_dir_, "show nmsp status").out;
  // The MSE subscribed to what the controller offers (Capability Notification).
  const auto subscriptions = cli(ctrl_dir_, "show nmsp subscription summary");
  EXPECT_EQ(subscriptions.exit_code, 0);
  EXPECT_NE(subscriptions.out.find("MSE IP Address: 127.0.0.1"), std::string::npos)
      << subscriptions.out;
  EXPECT_TRUE(std::regex_search(subscriptions.out, std::regex(R"(RSSI\s+rssi-ms, rssi-rfid)")))
      << subscriptions.out;
  EXPECT_NE(cli(ctrl_dir_, "show nmsp capability").out.find("ap-info"), std::string::npos);
}

TEST_F(TunnelTest, WrongHashIsRefusedWithAlert46AndFixingItBringsTheLinkUp) {
  ASSERT_NO_FATAL_FAILURE(startController());
  ASSERT_EQ(cli(ctrl_dir_, "set trace nmsp connection level debug").exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(startMse());
  ASSERT_EQ(cliScript(ctrl_dir_, iosXeBlock(std::string(64, 'a'))).exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(addController());

  ASSERT_TRUE(waitFor([&] { return mseCause(alert46Cause()); }, 10s)) << showControllers();
  const auto trace = cli(ctrl_dir_, "show trace messages nmsp");
  EXPECT_EQ(trace.exit_code, 0);
  EXPECT_NE(trace.out.find("Authlist authentication failed"), std::string::npos) << trace.out;
  EXPECT_NE(trace.out.find("Peer Not Validated against the AuthList"), std::string::npos);
  EXPECT_NE(trace.out.find("ret_desc_string=certificate unknown"), std::string::npos);
  EXPECT_EQ(controllerEchoCount(), -1);

  // Fix the password of the attribute list: the MSE comes up by itself within 10 s.
  const auto fixed = cliScript(ctrl_dir_,
                               "configure terminal\naaa attribute list NMSP\n"
                               " attribute type password " +
                                   sha2_ + "\nend\n");
  ASSERT_EQ(fixed.exit_code, 0) << fixed.out;
  const auto fixed_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(waitFor([&] { return mseActive(); }, 10s)) << showControllers();
  EXPECT_LT(std::chrono::steady_clock::now() - fixed_at, 10s);
}

TEST_F(TunnelTest, UnknownMacIsRefusedWithTheEntryToAdd) {
  ASSERT_NO_FATAL_FAILURE(startController());
  ASSERT_EQ(cli(ctrl_dir_, "set trace nmsp connection level debug").exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(startMse());
  ASSERT_NO_FATAL_FAILURE(addController());
  ASSERT_TRUE(waitFor([&] { return mseCause(alert46Cause()); }, 10s)) << showControllers();
  const auto trace = cli(ctrl_dir_, "show trace messages nmsp").out;
  EXPECT_NE(trace.find("Authlist authentication failed"), std::string::npos) << trace;
  EXPECT_NE(trace.find("Peer Not Validated against the AuthList"), std::string::npos);
}

TEST_F(TunnelTest, AireOsSha1EntryIsAdmitted) {
  ASSERT_NO_FATAL_FAILURE(startController());
  ASSERT_NO_FATAL_FAILURE(startMse());
  const auto added = cli(ctrl_dir_, "config auth-list add sha1-lbs-ssc " + kMac + " " + sha1_);
  ASSERT_EQ(added.exit_code, 0) << added.out;
  ASSERT_NO_FATAL_FAILURE(addController());
  EXPECT_TRUE(waitFor([&] { return mseActive(); }, 10s)) << showControllers();
}

TEST_F(TunnelTest, ControllerRestartReconnectsAndAReKeyedControllerIsRefused) {
  ASSERT_NO_FATAL_FAILURE(startController());
  ASSERT_NO_FATAL_FAILURE(startMse());
  ASSERT_EQ(cliScript(ctrl_dir_, iosXeBlock(sha2_)).exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(addController());
  ASSERT_TRUE(waitFor([&] { return mseActive(); }, 10s)) << showControllers();
  const uint16_t port = port_;

  // Restart with the same identity: the MSE reconnects by itself.
  EXPECT_EQ(controller_->stop(), 0);
  ASSERT_TRUE(waitFor([&] { return mseInactive(); }, 5s)) << showControllers();
  ASSERT_NO_FATAL_FAILURE(startController(port));
  ASSERT_TRUE(waitFor([&] { return mseActive(); }, 10s)) << showControllers();

  // Re-keyed controller (new identity on the same address): refused, with what to do.
  EXPECT_EQ(controller_->stop(), 0);
  fs::remove_all(ctrl_dir_ / "identity");
  ASSERT_NO_FATAL_FAILURE(startController(port));
  ASSERT_TRUE(
      waitFor([&] { return mseCause("controller certificate changed (pinned SHA-256 "); }, 10s))
      << showControllers();
  EXPECT_NE(showControllers().find("if the controller was re-keyed on purpose, delete and re-add "
                                   "it, or set config unauthenticated-nmsp true"),
            std::string::npos);

  const auto unauthenticated = cli(mse_dir_, "config unauthenticated-nmsp true");
  ASSERT_EQ(unauthenticated.exit_code, 0) << unauthenticated.out;
  EXPECT_TRUE(waitFor([&] { return mseActive(); }, 10s)) << showControllers();
}

TEST_F(TunnelTest, ControllersPersistAcrossAnMseRestart) {
  ASSERT_NO_FATAL_FAILURE(startController());
  ASSERT_NO_FATAL_FAILURE(startMse());
  ASSERT_EQ(cliScript(ctrl_dir_, iosXeBlock(sha2_)).exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(addController());
  ASSERT_TRUE(waitFor([&] { return mseActive(); }, 10s)) << showControllers();

  EXPECT_EQ(mse_->stop(), 0);  // SIGTERM: clean exit
  ASSERT_NO_FATAL_FAILURE(startMse());
  const std::string controllers = showControllers();
  EXPECT_NE(controllers.find("127.0.0.1"), std::string::npos) << controllers;
  EXPECT_NE(controllers.find(std::to_string(port_)), std::string::npos) << controllers;
  EXPECT_TRUE(waitFor([&] { return mseActive(); }, 10s)) << showControllers();
}

TEST_F(TunnelTest, SecondPortOnTheSameHostIsASecondController) {
  ASSERT_NO_FATAL_FAILURE(startController());
  ASSERT_NO_FATAL_FAILURE(startMse());
  ASSERT_EQ(cliScript(ctrl_dir_, iosXeBlock(sha2_)).exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(addController());
  ASSERT_TRUE(waitFor([&] { return mseActive(); }, 10s)) << showControllers();

  // Port 1: nobody listens there; the cause names that port, not 16113.
  const auto added = cli(mse_dir_, "config controllers add 127.0.0.1:1");
  ASSERT_EQ(added.exit_code, 0) << added.out;
  ASSERT_TRUE(waitFor(
      [&] {
        return mseCause(
            "connection refused by 127.0.0.1:1: check that NMSP is enabled on the "
            "controller and TCP 1 is open");
      },
      10s))
      << showControllers();
  EXPECT_TRUE(mseActive()) << showControllers();  // the first link was left alone
  const auto active = cli(mse_dir_, "show controllers | include ACTIVE");
  EXPECT_EQ(active.exit_code, 0);
  EXPECT_TRUE(std::regex_search(
      active.out, std::regex(R"(^127\.0\.0\.1 +)" + std::to_string(port_) + " +ACTIVE")))
      << active.out;

  const auto ambiguous = cli(mse_dir_, "config controllers delete 127.0.0.1");
  EXPECT_EQ(ambiguous.exit_code, 1);
  EXPECT_NE(ambiguous.out.find(
                "% Invalid input detected: several controllers on 127.0.0.1; give 127.0.0.1:PORT"),
            std::string::npos)
      << ambiguous.out;
  const auto deleted = cli(mse_dir_, "config controllers delete 127.0.0.1:1");
  ASSERT_EQ(deleted.exit_code, 0) << deleted.out;
  EXPECT_EQ(showControllers().find("last cause"), std::string::npos) << showControllers();
  EXPECT_TRUE(mseActive()) << showControllers();
}

TEST_F(TunnelTest, CliUsageErrorsExitTwoWithTheReasonOnStderr) {
  const auto missing =
      test_support::run(Command({kBinary, "cli", "show", "clock"}).separateStderr());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.out, "");
  EXPECT_NE(missing.err.find("nmsp cli: --data-dir is required"), std::string::npos) << missing.err;
  EXPECT_EQ(test_support::run(Command({kBinary, "cli"})).exit_code, 2);
  EXPECT_EQ(test_support::run(Command({kBinary, "cli", "-d"})).exit_code, 2);
  const auto help = test_support::run(Command({kBinary, "cli", "--help"}));
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--data-dir"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("2 the daemon could not be reached\nor the command line was wrong"),
            std::string::npos)
      << help.out;
  const auto unreachable = cli(root_ / "nobody", "show clock");
  EXPECT_EQ(unreachable.exit_code, 2) << unreachable.out;
}

TEST_F(TunnelTest, MseRefusesAnEchoIntervalOutside1To30Seconds) {
  for (const char* bad : {"31", "90", "0.5"}) {
    ChildProcess refused(
        {kBinary, "mse", "--data-dir", mse_dir_.string(), "--mac", kMac, "--echo-interval", bad},
        root_ / "refused.log");
    const auto exit_code = refused.waitExit(10s);
    ASSERT_TRUE(exit_code.has_value()) << "the MSE started with --echo-interval " << bad;
    EXPECT_NE(*exit_code, 0);
    EXPECT_NE(
        refused.log().find("--echo-interval must be 1 to 30 seconds, not " + std::string(bad)),
        std::string::npos)
        << refused.log();
  }
}

TEST_F(TunnelTest, MseRefusesAGroupReadableKey) {
  ASSERT_NO_FATAL_FAILURE(startMse());
  EXPECT_EQ(mse_->stop(), 0);
  const fs::path key = mse_dir_ / "identity" / "key.pem";
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  ChildProcess refused({kBinary, "mse", "--data-dir", mse_dir_.string(), "--mac", kMac},
                       root_ / "refused.log");
  const auto exit_code = refused.waitExit(10s);
  ASSERT_TRUE(exit_code.has_value()) << "the MSE started with a 0644 key";
  EXPECT_NE(*exit_code, 0);
  EXPECT_NE(refused.log().find("readable by group or others"), std::string::npos) << refused.log();
}

}  // namespace
}  // namespace nmsp::testing
