#pragma once
// What both daemons check before they write anything into their data directory: that it is
// not the other role's (identity/cert.pem and the role's files tell, doctor/data_dir.h), and
// that no other daemon uses it (an exclusive flock on DIR/.lock, held for the process's
// lifetime; the kernel drops it when the process ends, however it ends).

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "common/result.h"
#include "doctor/data_dir.h"

namespace nmsp::app {

class DataDirLock {
 public:
  DataDirLock() = default;
  DataDirLock(DataDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataDirLock& operator=(DataDirLock&&) = delete;
  DataDirLock(const DataDirLock&) = delete;
  ~DataDirLock() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  /// Refuses (operator text) a directory of the other role, or one a live daemon holds.
  /// Creates the directory if absent (nothing else is written before the lock is held).
  static Result<DataDirLock, std::string> acquire(const std::filesystem::path& dir,
                                                  doctor::DataDirRole role) {
    const std::string me = doctor::roleName(role);
    if (const auto found = doctor::dataDirRole(dir); found && *found != role) {
      return Unexpected{"data directory " + dir.string() + " belongs to " +
                        (*found == doctor::DataDirRole::Mse ? std::string("an MSE")
                                                            : std::string("a controller")) +
                        " (identity/cert.pem); give the " + me + " a data directory of its own"};
    }
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return Unexpected{"cannot create data dir " + dir.string() + ": " + ec.message()};
    }
    const auto path = dir / ".lock";
    DataDirLock lock;
    lock.fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock.fd_ < 0) {
      return Unexpected{"cannot open " + path.string() + ": " + std::strerror(errno)};
    }
    if (::flock(lock.fd_, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      if (err == EWOULDBLOCK) {
        std::string holder;
        std::ifstream(path) >> holder;
        return Unexpected{"data directory " + dir.string() + " is in use by another nmsp daemon" +
                          (holder.empty() ? std::string() : " (pid " + holder + ")") +
                          "; stop it first or give this " + me + " another --data-dir"};
      }
      return Unexpected{"cannot lock " + path.string() + ": " + std::strerror(err)};
    }
    // Ours now: record the pid for the message above (informational).
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(lock.fd_, 0) == 0) {
      [[maybe_unused]] const auto written = ::pwrite(lock.fd_, pid.data(), pid.size(), 0);
    }
    return lock;
  }

 private:
  int fd_ = -1;
};

}  // namespace nmsp::app
