// `nmsp controller` as a process: starts on port 0 and publishes the bound port, admits an
// MSE listed in its data dir, answers the operator shell, and exits 0 on SIGTERM
// (label integration).

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>

#include <fstream>
#include <thread>

#include "authlist/auth_list.h"
#include "transport/controller_fixture.h"

extern char** environ;

namespace nmsp::testing {
namespace {

class DaemonTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  void spawnController(const std::filesystem::path& data_dir,
                       const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {
        NMSP_BINARY,   "controller",          "--data-dir", data_dir.string(), "--listen",
        "127.0.0.1:0", "--handshake-timeout", "2",          "--log-level",     "warn"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    ASSERT_EQ(posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  }

  // The daemon writes DATA/controller.port once it listens; wait for it (bounded).
  uint16_t waitForPort(const std::filesystem::path& data_dir) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      std::ifstream in(data_dir / "controller.port");
      unsigned port = 0;
      if (in >> port && port != 0) {
        return static_cast<uint16_t>(port);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
  }

  // Exit status after SIGTERM, or -1 if it did not exit within 15 s.
  int terminate() {
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

  pid_t pid_ = -1;
};

std::pair<int, std::string> runCli(const std::filesystem::path& data_dir,
                                   const std::string& command) {
  const std::string line =
      std::string(NMSP_BINARY) + " cli --data-dir " + data_dir.string() + " " + command + " 2>&1";
  std::string output;
  FILE* pipe = popen(line.c_str(), "r");
  if (pipe == nullptr) {
    return {-1, output};
  }
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) {
    output.append(buf.data(), n);
  }
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
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
  std::pair<int, std::string> status;
  runCoroutine(io, [&]() -> asio::awaitable<void> {
    auto channel = co_await openSession(port, **ctx);
    EXPECT_TRUE(co_await echo(*channel, 2));
    status = runCli(data_dir, "show nmsp status");  // while the session is up
    co_await channel->close();
  });
  EXPECT_EQ(status.first, 0) << status.second;
  EXPECT_NE(status.second.find("127.0.0.1"), std::string::npos) << status.second;
  EXPECT_EQ(terminate(), 0);
  EXPECT_FALSE(std::filesystem::exists(data_dir / "controller.port"));
}

int runController(const std::filesystem::path& data_dir, const std::string& flags) {
  const std::string line = std::string(NMSP_BINARY) + " controller --data-dir " +
                           data_dir.string() + " --listen 127.0.0.1:0 " + flags +
                           " >/dev/null 2>&1";
  const int status = system(line.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(DaemonTest, SessionIdleTimeoutOutsideTenToThreeThousandSixHundredIsRefused) {
  TempDir dir;
  EXPECT_NE(runController(dir.path() / "c", "--session-idle-timeout 9"), 0);
  EXPECT_NE(runController(dir.path() / "c", "--session-idle-timeout 3601"), 0);
  EXPECT_NE(runController(dir.path() / "c", "--session-idle-timeout abc"), 0);
}

// A silent MSE is closed after --session-idle-timeout (here the minimum, 10 s), not after 60 s.
TEST_F(DaemonTest, SessionIdleTimeoutFlagClosesASilentSession) {
  TempDir dir;
  const auto data_dir = dir.path() / "controller";
  auto mse = makeIdentity(dir.path() / "mse", testMac(), identity::KeyType::EcdsaP256);
  ASSERT_NO_FATAL_FAILURE(admitOnDisk(data_dir, mse));
  spawnController(data_dir, {"--session-idle-timeout", "10"});
  const uint16_t port = waitForPort(data_dir);
  ASSERT_NE(port, 0) << "the daemon did not publish its port";
  auto ctx = transport::makeClientContext(&mse);
  ASSERT_TRUE(ctx.has_value());
  asio::io_context io;
  std::chrono::steady_clock::duration open_for{};
  runCoroutine(
      io,
      [&]() -> asio::awaitable<void> {
        auto channel = co_await openSession(port, **ctx);
        const auto start = std::chrono::steady_clock::now();
        auto end = co_await channel->read(40s);  // we send nothing
        open_for = std::chrono::steady_clock::now() - start;
        EXPECT_FALSE(end.has_value());
      },
      std::chrono::seconds(60));
  EXPECT_GE(open_for, 9s);
  EXPECT_LT(open_for, 20s);
  EXPECT_EQ(terminate(), 0);
}

TEST_F(DaemonTest, RejectsBadListenAddress) {
  TempDir dir;
  std::vector<std::string> args = {
      NMSP_BINARY, "controller", "--data-dir", (dir.path() / "c").string(), "--listen", "nonsense"};
  std::string line;
  for (const auto& a : args) {
    line += a + " ";
  }
  const int status = system((line + ">/dev/null 2>&1").c_str());
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace nmsp::testing
