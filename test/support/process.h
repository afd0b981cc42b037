#pragma once
// Real processes for tests: a long-running child (a daemon under test, output to a log file,
// SIGTERM then SIGKILL on stop) and short commands run to completion with their output and
// exit code captured. Output goes to files (memfd), never to pipes, so a chatty child can
// never block on a full pipe buffer whatever the kernel's size.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nmsp::test_support {

using Environment = std::vector<std::pair<std::string, std::string>>;

/// Exit code of a child: its exit status, 128 + signal if a signal ended it, -1 if it never
/// started (spawn failed) or did not end.
inline constexpr int kNoExitCode = -1;

/// A child process started from `argv` (argv[0]: a path, or a name looked up in PATH), stdin
/// from /dev/null, stdout and stderr appended to `log` (/dev/null if empty), `env` set on top
/// of this process's environment. The destructor stops it.
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> argv, std::filesystem::path log, Environment env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// False if the spawn itself failed (the reason is in spawnError()).
  bool started() const { return pid_ > 0; }
  const std::string& spawnError() const { return spawn_error_; }
  pid_t pid() const { return pid_; }

  /// The exit code if the child ended within `timeout` (it is reaped).
  std::optional<int> waitExit(std::chrono::milliseconds timeout);
  /// SIGTERM, then SIGKILL after `grace`. Returns the exit code (128+9 if it had to be killed).
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  /// The log file's content so far.
  std::string log() const;

 private:
  pid_t pid_ = -1;
  int pidfd_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path log_;
  std::string spawn_error_;
};

struct CommandResult {
  int exit_code = kNoExitCode;
  std::string out;  // stdout (and stderr when merged)
  std::string err;  // stderr when not merged
  bool timed_out = false;
};

/// A short command for run(): `run(Command({"openssl", "version"}).timeout(5s))`.
class Command {
 public:
  /// argv[0]: a path, or a name looked up in PATH.
  explicit Command(std::vector<std::string> argv) : argv_(std::move(argv)) {}
  /// Sets a variable on top of this process's environment.
  Command& env(std::string name, std::string value) {
    env_.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  /// The child's stdin (then end of file); empty by default.
  Command& input(std::string text) {
    input_ = std::move(text);
    return *this;
  }
  /// stderr into CommandResult::err instead of interleaved into `out` (2>&1, the default).
  Command& separateStderr() {
    merge_stderr_ = false;
    return *this;
  }
  /// After this the child's whole process group gets SIGKILL (default 60 s).
  Command& timeout(std::chrono::milliseconds limit) {
    timeout_ = limit;
    return *this;
  }

 private:
  friend CommandResult run(const Command& command);
  std::vector<std::string> argv_;
  Environment env_;
  std::string input_;
  bool merge_stderr_ = true;
  std::chrono::milliseconds timeout_{std::chrono::seconds(60)};
};

/// Runs `command` to completion (in its own process group, killed whole on timeout).
CommandResult run(const Command& command);
/// Runs a /bin/sh command line (pipes, redirections), stderr merged into `out`.
CommandResult runShell(const std::string& command_line,
                       std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// Single-quotes a word for /bin/sh.
std::string shellQuote(const std::string& word);

}  // namespace nmsp::test_support
