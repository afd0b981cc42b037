// `nmsp controller` as a process: starts on port 0 and publishes the bound port, admits an
// MSE listed in its data dir, answers the operator shell, and exits 0 on SIGTERM
// (label integration).

#include <gtest/gtest.h>

#include <fstream>

#include "authlist/auth_list.h"
#include "support/process.h"
#include "support/wait.h"
#include "transport/controller_fixture.h"

namespace nmsp::testing {
namespace {

using test_support::ChildProcess;
using test_support::Command;
using test_support::CommandResult;

class DaemonTest : public ::testing::Test {
 protected:
  void spawnController(const std::filesystem::path& data_dir,
                       const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {
        NMSP_BINARY,   "controller",          "--data-dir", data_dir.string(), "--listen",
        "127.0.0.1:0", "--handshake-timeout", "2",          "--log-level",     "warn"};
    args.insert(args.end(), extra.begin(), extra.end());
    daemon_ = std::make_unique<ChildProcess>(args, data_dir.parent_path() / "controller.log");
    ASSERT_TRUE(daemon_->started()) << daemon_->spawnError();
  }

  // The daemon writes DATA/controller.port once it listens; wait for it (bounded).
  uint16_t waitForPort(const std::filesystem::path& data_dir) {
    unsigned port = 0;
    test_support::waitFor(
        [&] {
          std::ifstream in(data_dir / "controller.port");
          return in >> port && port != 0;
        },
        30s);
    return static_cast<uint16_t>(port);
  }

  // Exit code after SIGTERM (128+9 if it had to be killed after 15 s).
  int terminate() { return daemon_->stop(15s); }

  std::unique_ptr<ChildProcess> daemon_;
};

CommandResult runCli(const std::filesystem::path& data_dir, const std::string& command) {
  return test_support::run(Command({NMSP_BINARY, "cli", "--data-dir", data_dir.string(), command}));
}

// Writes the MSE's SHA-256 entry into the controller's auth list before the daemon starts.
void admitOnDisk(const std::filesystem::path& data_dir, const identity::Identity& mse) {
  auto list = authlist::AuthList::open(data_dir);
  ASSERT_TRUE(list.has_value()) << list.error();
  ASSERT_TRUE(
      (*list)->addAireOs(authlist::HashType::Sha256, mse.mac, mse.hashes.sha256_hex).has_value());
}

TEST_F(DaemonTest, AdmitsListedMseAnswersTheShellAndStopsOnSigterm) {
  TempDir dir;
  const auto data_dir = dir.path() / "controller";
  auto mse = makeIdentity(dir.path() / "mse", testMac(), identity::KeyType::EcdsaP256);
  ASSERT_NO_FATAL_FAILURE(admitOnDisk(data_dir, mse));
  spawnController(data_dir);
  const uint16_t port = waitForPort(data_dir);
  ASSERT_NE(port, 0) << "the daemon did not publish its port";
  auto ctx = transport::makeClientContext(&mse);
  ASSERT_TRUE(ctx.has_value());
  asio::io_context io;
  CommandResult status;
  runCoroutine(io, [&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port, **ctx);
    EXPECT_TRUE(co_await echo(*channel, 2));
    status = runCli(data_dir, "show nmsp status");  // while the session is up
    co_await channel->close();
  });
  EXPECT_EQ(status.exit_code, 0) << status.out;
  EXPECT_NE(status.out.find("127.0.0.1"), std::string::npos) << status.out;
  EXPECT_EQ(terminate(), 0);
  EXPECT_FALSE(std::filesystem::exists(data_dir / "controller.port"));
}

int runController(const std::filesystem::path& data_dir, std::vector<std::string> flags) {
  std::vector<std::string> argv = {NMSP_BINARY,       "controller", "--data-dir",
                                   data_dir.string(), "--listen",   "127.0.0.1:0"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  return test_support::run(Command(argv)).exit_code;
}

TEST_F(DaemonTest, SessionIdleTimeoutOutsideTenToThreeThousandSixHundredIsRefused) {
  TempDir dir;
  EXPECT_NE(runController(dir.path() / "c", {"--session-idle-timeout", "9"}), 0);
  EXPECT_NE(runController(dir.path() / "c", {"--session-idle-timeout", "3601"}), 0);
  EXPECT_NE(runController(dir.path() / "c", {"--session-idle-timeout", "abc"}), 0);
}

// --session-idle-timeout (and --mse-queue-mib) reach the sessions' options: the daemon states the timers it runs
// with. The idle rule itself (a silent session is closed when the timeout passes) is tested with
// a 300 ms timeout in controller_session_test; waiting out the 10 s minimum here would only add
// a slow test (and libfaketime's timerfd handling made a sped-up daemon miss its timer).
TEST_F(DaemonTest, SessionIdleTimeoutFlagReachesTheSessions) {
  TempDir dir;
  const auto data_dir = dir.path() / "controller";
  const auto log = dir.path() / "controller.log";
  daemon_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{NMSP_BINARY, "controller", "--data-dir", data_dir.string(),
                               "--listen", "127.0.0.1:0", "--log-level", "info",
                               "--session-idle-timeout", "10", "--mse-queue-mib", "8"},
      log);
  ASSERT_TRUE(daemon_->started()) << daemon_->spawnError();
  ASSERT_NE(waitForPort(data_dir), 0) << "the daemon did not publish its port";
  EXPECT_EQ(terminate(), 0);
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("session timers: TLS handshake 10000 ms, idle timeout 10 s"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("each MSE's send queue: 8192 KiB"), std::string::npos) << text;
}

TEST_F(DaemonTest, MseQueueOutsideOneToTenTwentyFourMibIsRefused) {
  TempDir dir;
  EXPECT_NE(runController(dir.path() / "c", {"--mse-queue-mib", "0"}), 0);
  EXPECT_NE(runController(dir.path() / "c", {"--mse-queue-mib", "1025"}), 0);
}

TEST_F(DaemonTest, RejectsBadListenAddress) {
  TempDir dir;
  const auto refused =
      test_support::run(Command({NMSP_BINARY, "controller", "--data-dir",
                                 (dir.path() / "c").string(), "--listen", "nonsense"}));
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_NE(refused.out.find("--listen wants HOST:PORT, got 'nonsense'"), std::string::npos)
      << refused.out;
}

TEST_F(DaemonTest, DataSourceFlagsAreRefusedWithAReasonAndExitTwo) {
  TempDir dir;
  const std::string data = (dir.path() / "c").string();
  const std::string venue = std::string(NMSP_SOURCE_DIR) + "/data/venues/accuracy-a.json";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--simulate"}, "--simulate needs --venue FILE"},
      {{"--venue", venue, "--simulate", "--replay", venue}, "--simulate excludes --replay"},
      {{"--replay", data + "/none.jsonl"}, "no such file"},
      {{"--replay", venue, "--speed", "0"}, "--speed: Value 0 not in range"},
      {{"--clients", "5"}, "--clients requires --simulate"},
      {{"--loop"}, "--loop requires --replay"},
      {{"--venue", venue}, "--venue is used with --simulate or --replay FILE"},
      {{"--venue", data + "/none.json", "--simulate"}, "--venue " + data + "/none.json: "},
  };
  for (const auto& [flags, message] : cases) {
    std::vector<std::string> args = {NMSP_BINARY, "controller", "--data-dir", data};
    args.insert(args.end(), flags.begin(), flags.end());
    const auto refused = test_support::run(Command(args));
    EXPECT_EQ(refused.exit_code, 2) << flags.front() << ": " << refused.out;
    EXPECT_NE(refused.out.find(message), std::string::npos) << refused.out;
  }
}

// A simulated controller loads the venue's APs and fills its store before any MSE comes; an
// interval set in configuration mode survives a restart.
TEST_F(DaemonTest, SimulatedControllerFillsItsStoreAndKeepsItsIntervalsAcrossRestart) {
  TempDir dir;
  const auto data_dir = dir.path() / "controller";
  const std::string venue = std::string(NMSP_SOURCE_DIR) + "/data/venues/accuracy-a.json";
  spawnController(data_dir, {"--venue", venue, "--simulate", "--clients", "5", "--seed", "3"});
  ASSERT_NE(waitForPort(data_dir), 0);
  std::string summary;
  EXPECT_TRUE(test_support::waitFor(
      [&] {
        summary = runCli(data_dir, "show nmsp statistics summary").out;
        return summary.find("Source                                  : simulate\n") !=
                   std::string::npos &&
               summary.find("APs in the AP table                     : 12\n") !=
                   std::string::npos &&
               summary.find("RSSI observations received              : 0\n") == std::string::npos;
      },
      30s))
      << summary;
  const auto configured = test_support::run(
      Command({NMSP_BINARY, "cli", "--data-dir", data_dir.string()})
          .input("configure terminal\nnmsp notification interval rssi rogues 10\nend\n"));
  EXPECT_EQ(configured.exit_code, 0) << configured.out;
  EXPECT_EQ(terminate(), 0);
  spawnController(data_dir);
  ASSERT_NE(waitForPort(data_dir), 0);
  const auto shown = runCli(data_dir, "show nmsp notification interval");
  EXPECT_NE(shown.out.find(" Rogue          : 10 sec\n"), std::string::npos) << shown.out;
  EXPECT_NE(runCli(data_dir, "show running-config")
                .out.find("nmsp notification interval rssi rogues 10\n"),
            std::string::npos);
  EXPECT_EQ(terminate(), 0);
}

}  // namespace
}  // namespace nmsp::testing
