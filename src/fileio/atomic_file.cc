#include "fileio/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/blocking.h"

namespace nmsp::fileio {
namespace {

std::string errnoText(const std::filesystem::path& path, std::string_view what) {
  return fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(errno));
}

}  // namespace

Result<void, std::string> writeFileAtomically(const std::filesystem::path& path,
                                              std::string_view content, mode_t mode) {
  assertBlockingAllowed("a file write with fsync");
  const std::filesystem::path tmp = path.string() + ".tmp";
  ::unlink(tmp.c_str());  // a stale leftover of an interrupted write
  // O_EXCL: the file is ours and gets `mode` at creation, whatever the leftover's mode was.
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    return Unexpected{errnoText(tmp, "create")};
  }
  bool ok = true;
  std::string error;
  size_t written = 0;
  while (ok && written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      ok = false;
      error = errnoText(tmp, "write");
    } else {
      written += static_cast<size_t>(n);
    }
  }
  // fsync before rename: otherwise a crash can leave the new name pointing at empty data.
  if (ok && ::fsync(fd) != 0) {
    ok = false;
    error = errnoText(tmp, "fsync");
  }
  if (::close(fd) != 0 && ok) {
    ok = false;
    error = errnoText(tmp, "close");
  }
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    error = errnoText(path, "replace");
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    return Unexpected{std::move(error)};
  }
  return {};
}

Result<std::string, std::string> readFile(const std::filesystem::path& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    return Unexpected{errnoText(path, "read")};
  }
  const auto size = static_cast<size_t>(std::max<std::streamoff>(in.tellg(), 0));
  if (size > max_bytes) {
    return Unexpected{fmt::format("{} is larger than {} bytes", path.string(), max_bytes)};
  }
  std::string content(size, '\0');
  in.seekg(0);
  in.read(content.data(), static_cast<std::streamsize>(size));
  if (static_cast<size_t>(in.gcount()) != size) {
    return Unexpected{fmt::format("cannot read {}: short read", path.string())};
  }
  return content;
}

}  // namespace nmsp::fileio
