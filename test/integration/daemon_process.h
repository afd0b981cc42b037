#pragma once
// Test helpers that drive the real `nmsp` binary: a daemon child process (fork/exec, output to
// a log file, SIGTERM then SIGKILL on stop) and one-shot `nmsp cli` runs with their output and
// exit code. Plus waitFor: polls a condition until a deadline.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace nmsp::testing {

class DaemonProcess {
 public:
  /// Starts `binary args...` with stdout and stderr appended to `log`.
  DaemonProcess(const std::string& binary, const std::vector<std::string>& args,
                std::filesystem::path log);
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  /// SIGTERM, then SIGKILL after `grace`. Returns the exit status (128+signal if killed).
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  /// The exit status if the process ended within `timeout`.
  std::optional<int> waitExit(std::chrono::milliseconds timeout);
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::filesystem::path log_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

/// Runs a shell command line, returns its output and exit code.
CommandResult runShell(const std::string& command_line);

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

/// Single-quotes a word for /bin/sh.
std::string shellQuote(const std::string& word);

}  // namespace nmsp::testing
