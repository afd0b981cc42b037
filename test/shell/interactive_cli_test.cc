// `nmsp cli` on a real pseudo-terminal against a real controller daemon: the prompt, '?'
// answered without Enter, Tab completion, IOS's ambiguity error, history recall, the
// configuration-mode prompt and exit. TERM=dumb keeps the terminal output plain text.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nmsp::test_support::ChildProcess;
using nmsp::test_support::TempDir;
using nmsp::test_support::waitFor;

// A child on a pseudo-terminal, driven by keystrokes.
class Terminal {
 public:
  explicit Terminal(const std::vector<std::string>& argv) {
    pid_ = ::forkpty(&fd_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      ::setenv("TERM", "dumb", 1);
      std::vector<char*> args;
      for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
      }
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~Terminal() {
    if (pid_ > 0 && !exit_code_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  void type(const std::string& keys) {
    ASSERT_EQ(::write(fd_, keys.data(), keys.size()), static_cast<ssize_t>(keys.size()));
  }

  /// Reads until `text` has been printed since the last call (then drops everything up to
  /// its end); the output seen so far otherwise, after `timeout`.
  bool expect(const std::string& text, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const auto found = pending_.find(text);
      if (found != std::string::npos) {
        seen_ = pending_.substr(0, found + text.size());
        pending_.erase(0, found + text.size());
        return true;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        return false;
      }
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
        continue;
      }
      char buffer[4096];
      const ssize_t n = ::read(fd_, buffer, sizeof buffer);
      if (n <= 0) {
        return pending_.find(text) != std::string::npos;
      }
      pending_.append(buffer, static_cast<size_t>(n));
    }
  }
  /// What expect() consumed last (for assertions on what came before the marker).
  const std::string& seen() const { return seen_; }
  const std::string& pending() const { return pending_; }

  std::optional<int> waitExit(std::chrono::milliseconds timeout) {
    waitFor(
        [&] {
          int status = 0;
          if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
          }
          return exit_code_.has_value();
        },
        timeout);
    return exit_code_;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string pending_, seen_;
  std::optional<int> exit_code_;
};

class InteractiveCli : public ::testing::Test {
 protected:
  void SetUp() override {
    controller_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{NMSP_BINARY, "controller", "--data-dir", dir_.path().string(),
                                 "--listen", "127.0.0.1:0", "--name", "wlc"},
        dir_.path() / "controller.log");
    ASSERT_TRUE(waitFor([&] { return fs::exists(dir_.path() / "nmsp.sock"); }, 20s))
        << controller_->log();
  }

  TempDir dir_{"nmsp-pty"};
  std::unique_ptr<ChildProcess> controller_;
};

TEST_F(InteractiveCli, IosStyleShellOnATerminal) {
  Terminal t({NMSP_BINARY, "cli", "--data-dir", dir_.path().string()});
  ASSERT_TRUE(t.expect("wlc#")) << t.pending();

  // '?' lists the next words at once, without Enter, then shows the line again.
  t.type("show nmsp ?");
  ASSERT_TRUE(t.expect("wlc#show nmsp ")) << t.pending();
  EXPECT_NE(t.seen().find("show nmsp ?\r\n"), std::string::npos) << t.seen();
  EXPECT_NE(t.seen().find("  status        Status of the MSE connections\r\n"), std::string::npos)
      << t.seen();
  EXPECT_NE(t.seen().find("  statistics    NMSP counters\r\n"), std::string::npos) << t.seen();

  // Ctrl-U clears the line; Tab completes a unique keyword, then the common prefix of two.
  t.type("\x15sh\t");
  ASSERT_TRUE(t.expect("wlc#show ")) << t.pending();
  t.type("nmsp sta\t");
  ASSERT_TRUE(t.expect("wlc#show nmsp stat")) << t.pending();
  t.type("u\t");
  ASSERT_TRUE(t.expect("wlc#show nmsp status ")) << t.pending();
  t.type("\r");
  ASSERT_TRUE(t.expect("MSE IP Address   Active")) << t.pending();
  ASSERT_TRUE(t.expect("wlc#")) << t.pending();

  // An ambiguous abbreviation, reported as IOS does.
  t.type("s\r");
  ASSERT_TRUE(t.expect("% Ambiguous command: \"s\"\r\nwlc#")) << t.pending();

  // History: Ctrl-P twice recalls "show nmsp status".
  t.type("\x10\x10");
  ASSERT_TRUE(t.expect("wlc#show nmsp status")) << t.pending();
  t.type("\r");
  ASSERT_TRUE(t.expect("MSE IP Address   Active")) << t.pending();

  // Configuration mode shows in the prompt; end returns; exit leaves with status 0.
  t.type("conf t\r");
  ASSERT_TRUE(t.expect("wlc(config)#")) << t.pending();
  t.type("end\r");
  ASSERT_TRUE(t.expect("wlc#")) << t.pending();
  t.type("exit\r");
  EXPECT_EQ(t.waitExit(10s), 0);
}

// Piped input (stdin not a terminal) keeps working as before: no prompt, replies only.
TEST_F(InteractiveCli, PipedInputHasNoPrompt) {
  const auto result = nmsp::test_support::run(
      nmsp::test_support::Command({NMSP_BINARY, "cli", "--data-dir", dir_.path().string()})
          .input("show clock\nconfigure terminal\nend\n"));
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(result.out.find("wlc#"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(" UTC "), std::string::npos) << result.out;
}

}  // namespace
