// ShellServer and runCli over a real Unix socket.
#include "shell/shell_server.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstring>
#include <future>
#include <sstream>
#include <thread>

#include "../support/temp_dir.h"

namespace nmsp::shell {
namespace {

namespace fs = std::filesystem;

using TempDir = test_support::TempDir;

// A plain POSIX client with a receive timeout, for what runCli deliberately never does.
class RawClient {
 public:
  explicit RawClient(const fs::path& path) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  void send(const std::string& data) { (void)::send(fd_, data.data(), data.size(), MSG_NOSIGNAL); }
  /// Everything until the peer closes (or 5 s pass).
  std::string readToEnd() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd_, buf, sizeof(buf), 0)) > 0) {
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  /// Reads until `marker` has been seen.
  std::string readUntil(const std::string& marker) {
    std::string out;
    char buf[4096];
    while (out.find(marker) == std::string::npos) {
      const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) {
        break;
      }
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

class ShellServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.add(Mode::Exec, "show value", "Show the value",
                  [this](Session&, const auto&) { return Reply{"value " + value() + "\n"}; });
    registry_.add(Mode::Config, "value <v>", "Set the value",
                  [this](Session&, const std::vector<std::string>& args) {
                    if (args[0] == "bad") {
                      return Reply::invalidArgument(0, "bad value");
                    }
                    std::lock_guard lock(mu_);
                    value_ = args[0];
                    return Reply{};
                  });
    registry_.add(
        Mode::Exec, "echo <text...>", "Echo",
        [](Session&, const std::vector<std::string>& args) { return Reply{args[0] + "\n"}; });
  }
  void TearDown() override { stopServer(); }

  void startServer(ShellLimits limits = {}) {
    server_ = std::make_unique<ShellServer>(io_, socketPath(dir_.path()), registry_);
    server_->setLimits(limits);
    server_->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  void stopServer() {
    if (server_) {
      server_->stop();
    }
    work_.reset();
    if (thread_.joinable()) {
      thread_.join();
    }
    server_.reset();
  }
  std::string value() {
    std::lock_guard lock(mu_);
    return value_;
  }
  int cli(const std::vector<std::string>& command, const std::string& input = "") {
    std::istringstream in(input);
    out_.str("");
    err_.str("");
    return runCli(dir_.path(), command, in, out_, err_);
  }

  TempDir dir_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  CommandRegistry registry_;
  std::unique_ptr<ShellServer> server_;
  std::thread thread_;
  std::mutex mu_;
  std::string value_ = "unset";
  std::ostringstream out_, err_;
};

TEST_F(ShellServerTest, SocketIsPrivateToTheOwner) {
  startServer();
  struct stat st {};
  ASSERT_EQ(::stat(socketPath(dir_.path()).c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  stopServer();
  EXPECT_FALSE(fs::exists(socketPath(dir_.path())));
}

TEST_F(ShellServerTest, OneCommandFromArguments) {
  startServer();
  EXPECT_EQ(cli({"sh", "val"}), 0);
  EXPECT_EQ(out_.str(), "value unset\n");
  EXPECT_EQ(cli({"show value"}), 0);  // one quoted string works too
  EXPECT_EQ(out_.str(), "value unset\n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(ShellServerTest, ErrorsExitWithOne) {
  startServer();
  EXPECT_EQ(cli({"show", "nothing"}), 1);
  EXPECT_EQ(out_.str(), "show nothing\n     ^\n% Invalid input detected at '^' marker.\n");
}

TEST_F(ShellServerTest, ConfigureTerminalBlockFromStdin) {
  startServer();
  EXPECT_EQ(cli({}, "configure terminal\nvalue 42\nend\nshow value\n"), 0);
  EXPECT_EQ(out_.str(), "value 42\n");
  EXPECT_EQ(value(), "42");
  // A failing line makes the exit code 1 but the block goes on, as a pasted IOS config does.
  EXPECT_EQ(cli({}, "conf t\nvalue bad\nvalue 7\nend\n"), 1);
  EXPECT_EQ(out_.str(), "value bad\n      ^\n% Invalid input detected at '^' marker: bad value\n");
  EXPECT_EQ(value(), "7");
}

TEST_F(ShellServerTest, ReplyTerminatorInsideTextIsNeutralised) {
  startServer();
  EXPECT_EQ(cli({"echo",
                 "a\x1e"
                 "b"}),
            0);
  EXPECT_EQ(out_.str(), "a b\n");
}

TEST_F(ShellServerTest, NoDaemonExitsWithTwo) {
  EXPECT_EQ(cli({"show", "value"}), 2);
  EXPECT_EQ(err_.str(), "no nmsp daemon is running with data dir " + dir_.path().string() + " (" +
                            socketPath(dir_.path()).string() + ": no such file or directory)\n");
  // A stale socket file: nobody listens on it.
  {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socketPath(dir_.path()).c_str(), sizeof(addr.sun_path) - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    ::close(fd);
  }
  EXPECT_EQ(cli({"show", "value"}), 2);
  EXPECT_NE(err_.str().find(": connection refused)"), std::string::npos) << err_.str();
  // The server replaces the stale file.
  startServer();
  EXPECT_EQ(cli({"show", "value"}), 0);
}

TEST_F(ShellServerTest, RefusesToStealALiveSocket) {
  startServer();
  try {
    ShellServer second(io_, socketPath(dir_.path()), registry_);
    FAIL() << "second server bound the same socket";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("another nmsp daemon is already serving"),
              std::string::npos);
  }
  EXPECT_EQ(cli({"show", "value"}), 0);
}

TEST_F(ShellServerTest, LongLineIsRefusedAndClosed) {
  ShellLimits limits;
  limits.max_line_bytes = 64;
  startServer(limits);
  RawClient client(socketPath(dir_.path()));
  ASSERT_TRUE(client.connected());
  client.send(std::string(100, 'x'));
  EXPECT_EQ(client.readToEnd(),
            "% line longer than 64 bytes, closing\n\x1e"
            "1\n");
}

TEST_F(ShellServerTest, ConnectionLimit) {
  ShellLimits limits;
  limits.max_connections = 1;
  startServer(limits);
  RawClient first(socketPath(dir_.path()));
  first.send("show value\n");
  EXPECT_EQ(first.readUntil("\n\x1e"),
            "value unset\n\x1e"
            "0\n");
  RawClient second(socketPath(dir_.path()));
  EXPECT_EQ(second.readToEnd(),
            "% too many shell sessions (limit 1)\n\x1e"
            "1\n");
}

TEST_F(ShellServerTest, IdleSessionIsClosed) {
  ShellLimits limits;
  limits.idle_timeout = std::chrono::seconds(1);
  startServer(limits);
  RawClient client(socketPath(dir_.path()));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client.readToEnd(),
            "% idle for 1 s, closing the session\n\x1e"
            "1\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST_F(ShellServerTest, StopClosesSessions) {
  startServer();
  RawClient client(socketPath(dir_.path()));
  client.send("show value\n");
  EXPECT_EQ(client.readUntil("\n\x1e"),
            "value unset\n\x1e"
            "0\n");
  stopServer();
  EXPECT_EQ(client.readToEnd(), "");
}

// The daemons' shell: a thread of its own runs the commands, never the caller's thread.
TEST(ShellServerThread, RunsCommandsOnItsOwnThread) {
  TempDir dir;
  CommandRegistry registry;
  std::promise<std::thread::id> ran_on;
  registry.add(Mode::Exec, "where", "Where the command runs", [&](Session&, const auto&) {
    ran_on.set_value(std::this_thread::get_id());
    return Reply{"here\n"};
  });
  ShellServerThread server(socketPath(dir.path()), registry);
  server.start();
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(runCli(dir.path(), {"where"}, in, out, err), 0) << err.str();
  EXPECT_EQ(out.str(), "here\n");
  EXPECT_NE(ran_on.get_future().get(), std::this_thread::get_id());
  server.stop();
  EXPECT_FALSE(std::filesystem::exists(socketPath(dir.path())));
}

}  // namespace
}  // namespace nmsp::shell
