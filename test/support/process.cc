#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace nmsp::test_support {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

int exitCodeOf(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return kNoExitCode;
}

/// This process's environment with `env` set on top (later entries win).
std::vector<std::string> mergedEnvironment(const Environment& env) {
  std::vector<std::string> merged;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    const auto name = entry.substr(0, entry.find('='));
    const bool overridden =
        std::any_of(env.begin(), env.end(), [&](const auto& kv) { return kv.first == name; });
    if (!overridden) {
      merged.push_back(entry);
    }
  }
  for (const auto& [name, value] : env) {
    std::erase_if(merged, [&](const std::string& e) { return e.starts_with(name + "="); });
    merged.push_back(name + "=" + value);
  }
  return merged;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) {
    out.push_back(s.data());
  }
  out.push_back(nullptr);
  return out;
}

/// posix_spawn(p) with default signal dispositions (a test runner may ignore SIGPIPE) and the
/// file actions given. Returns the pid, or -1 with `error` set.
pid_t spawn(std::vector<std::string> argv, const Environment& env,
            const posix_spawn_file_actions_t& actions, bool own_group, std::string& error) {
  if (argv.empty()) {
    error = "empty argv";
    return -1;
  }
  auto env_strings = mergedEnvironment(env);
  auto envp = pointers(env_strings);
  auto args = pointers(argv);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP}) {
    sigaddset(&defaults, sig);
  }
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (own_group) {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attr, 0);
  }
  posix_spawnattr_setflags(&attr, flags);

  pid_t pid = -1;
  const bool search_path = argv[0].find('/') == std::string::npos;
  const int rc = search_path
                     ? ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), envp.data())
                     : ::posix_spawn(&pid, args[0], &actions, &attr, args.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    error = "cannot start " + argv[0] + ": " + std::strerror(rc);
    return -1;
  }
  return pid;
}

/// Waits until `pid` ends or `timeout` passes; returns its exit code once reaped. Uses a pidfd
/// (an event) when the kernel has them, else polls waitpid.
std::optional<int> waitForExit(pid_t pid, int pidfd, milliseconds timeout) {
  const auto deadline = steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t reaped = ::waitpid(pid, &status, WNOHANG);
    if (reaped == pid) {
      return exitCodeOf(status);
    }
    if (reaped < 0 && errno != EINTR) {
      return kNoExitCode;  // not our child (any more): nothing to wait for
    }
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
    if (left <= milliseconds(0)) {
      return std::nullopt;
    }
    if (pidfd >= 0) {
      pollfd p{pidfd, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(std::min<milliseconds::rep>(left.count(), 1000)));
    } else {
      std::this_thread::sleep_for(std::min(left, milliseconds(5)));
    }
  }
}

// glibc 2.36's <sys/pidfd.h> lacks extern "C": call the system call directly (Linux >= 5.3).
int openPidfd(pid_t pid) {
  return pid > 0 ? static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)) : -1;
}

/// The whole content of a file descriptor (from offset 0).
std::string readAll(int fd) {
  std::string text;
  char buffer[8192];
  off_t offset = 0;
  while (true) {
    const ssize_t n = ::pread(fd, buffer, sizeof(buffer), offset);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return text;
    }
    text.append(buffer, static_cast<size_t>(n));
    offset += n;
  }
}

/// An anonymous in-memory file (closed on exec; dup2 into the child clears that).
class MemFile {
 public:
  explicit MemFile(const char* name) : fd_(::memfd_create(name, MFD_CLOEXEC)) {}
  ~MemFile() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  int fd() const { return fd_; }
  bool write(const std::string& text) const {
    size_t done = 0;
    while (done < text.size()) {
      const ssize_t n =
          ::pwrite(fd_, text.data() + done, text.size() - done, static_cast<off_t>(done));
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        return false;
      }
      done += static_cast<size_t>(n);
    }
    return true;
  }

 private:
  int fd_;
};

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, std::filesystem::path log,
                           Environment env)
    : log_(std::move(log)) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const std::string out = log_.empty() ? "/dev/null" : log_.string();
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_ = spawn(std::move(argv), env, actions, /*own_group=*/false, spawn_error_);
  posix_spawn_file_actions_destroy(&actions);
  pidfd_ = openPidfd(pid_);
}

ChildProcess::~ChildProcess() {
  stop();
  if (pidfd_ >= 0) {
    ::close(pidfd_);
  }
}

std::optional<int> ChildProcess::waitExit(std::chrono::milliseconds timeout) {
  if (exit_code_ || pid_ <= 0) {
    return pid_ <= 0 ? std::optional<int>(kNoExitCode) : exit_code_;
  }
  exit_code_ = waitForExit(pid_, pidfd_, timeout);
  return exit_code_;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) {
    return kNoExitCode;
  }
  if (!exit_code_) {
    ::kill(pid_, SIGTERM);
    if (!waitExit(grace)) {
      ::kill(pid_, SIGKILL);
      waitExit(std::chrono::seconds(30));
    }
  }
  return exit_code_.value_or(kNoExitCode);
}

std::string ChildProcess::log() const {
  std::ifstream in(log_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

CommandResult run(const Command& command) {
  CommandResult result;
  MemFile input("stdin");
  MemFile out("stdout");
  MemFile err("stderr");
  if (input.fd() < 0 || out.fd() < 0 || err.fd() < 0 || !input.write(command.input_)) {
    result.err = std::string("memfd: ") + std::strerror(errno);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, input.fd(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.fd(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, command.merge_stderr_ ? out.fd() : err.fd(),
                                   STDERR_FILENO);
  std::string error;
  const pid_t pid = spawn(command.argv_, command.env_, actions, /*own_group=*/true, error);
  posix_spawn_file_actions_destroy(&actions);
  if (pid <= 0) {
    result.err = error;
    return result;
  }
  const int pidfd = openPidfd(pid);
  auto code = waitForExit(pid, pidfd, command.timeout_);
  if (!code) {
    result.timed_out = true;
    ::kill(-pid, SIGKILL);  // the whole group: a shell's children too
    code = waitForExit(pid, pidfd, std::chrono::seconds(30));
  }
  if (pidfd >= 0) {
    ::close(pidfd);
  }
  result.exit_code = code.value_or(kNoExitCode);
  result.out = readAll(out.fd());
  if (!command.merge_stderr_) {
    result.err = readAll(err.fd());
  }
  return result;
}

CommandResult runShell(const std::string& command_line, std::chrono::milliseconds timeout) {
  return run(Command({"/bin/sh", "-c", command_line}).timeout(timeout));
}

std::string shellQuote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

}  // namespace nmsp::test_support
