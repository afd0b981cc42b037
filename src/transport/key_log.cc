#include "transport/key_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <mutex>

namespace nmsp::transport {
namespace {

std::mutex g_mu;  // guards g_key_log: set once at start-up, read when contexts are made
std::shared_ptr<KeyLog> g_key_log;

void keyLogCallback(const SSL* /*ssl*/, const char* line) {
  // The pointer is read under the lock once per secret (a handful per handshake).
  std::shared_ptr<KeyLog> log;
  {
    std::lock_guard lock(g_mu);
    log = g_key_log;
  }
  if (log) {
    log->add(line);
  }
}

}  // namespace

Result<std::shared_ptr<KeyLog>, std::string> KeyLog::open(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Unexpected{
        fmt::format("cannot open TLS key log {}: {}", path.string(), std::strerror(errno))};
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Unexpected{fmt::format("TLS key log {} is not a regular file", path.string())};
  }
  if ((st.st_mode & 0077) != 0 && ::fchmod(fd, 0600) != 0) {
    const int err = errno;
    ::close(fd);
    return Unexpected{fmt::format("cannot make TLS key log {} private (mode 0600): {}",
                                  path.string(), std::strerror(err))};
  }
  return std::shared_ptr<KeyLog>(new KeyLog(path, fd));
}

KeyLog::KeyLog(std::filesystem::path path, int fd)
    : path_(std::move(path)), fd_(fd), writer_("nmsp-keylog", kQueueLines) {}

KeyLog::~KeyLog() {
  flush();
  ::close(fd_);
}

void KeyLog::add(std::string line) {
  line += '\n';
  if (!writer_.post([this, line = std::move(line)] { write(line); })) {
    ++dropped_;
  }
}

void KeyLog::flush() {
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  if (writer_.post([done] { done->set_value(); })) {
    future.wait();
  }
}

void KeyLog::write(const std::string& line) {
  // O_APPEND and one write per line: lines of concurrent writers never interleave.
  const ssize_t n = ::write(fd_, line.data(), line.size());
  if (n == static_cast<ssize_t>(line.size())) {
    ++written_;
  } else {
    ++dropped_;
  }
}

void setProcessKeyLog(std::shared_ptr<KeyLog> key_log) {
  std::lock_guard lock(g_mu);
  g_key_log = std::move(key_log);
}

std::shared_ptr<KeyLog> processKeyLog() {
  std::lock_guard lock(g_mu);
  return g_key_log;
}

void attachKeyLog(SSL_CTX* ctx) {
  if (processKeyLog()) {
    SSL_CTX_set_keylog_callback(ctx, &keyLogCallback);
  }
}

std::string keyLogWarning(const std::filesystem::path& path) {
  return fmt::format(
      "TLS KEY LOG ON: the secrets of every TLS session are written to {}; anyone who can read it "
      "can decrypt captured NMSP traffic. For troubleshooting only: restart without --tls-keylog "
      "and delete the file when done",
      path.string());
}

}  // namespace nmsp::transport
