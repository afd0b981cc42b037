#pragma once
// Crash-safe replacement of small state files (identity PEMs, authlist.json, controllers.json,
// known_controllers.json): write a fresh temporary file in the same directory with its final
// mode, fsync it, then rename it over the target, so a reader sees either the old or the new
// content, never half of it, and a key is never readable by others, not even for an instant.

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"

namespace nmsp::fileio {

/// Replaces `path` with `content` atomically, the file created with `mode`. Error text names
/// the file and the reason. Blocks on fsync: never on an io thread (common/blocking.h).
Result<void, std::string> writeFileAtomically(const std::filesystem::path& path,
                                              std::string_view content, mode_t mode = 0600);

/// Reads a whole file of at most `max_bytes` (larger: an error, never a huge allocation).
Result<std::string, std::string> readFile(const std::filesystem::path& path,
                                          size_t max_bytes = size_t{16} << 20);

}  // namespace nmsp::fileio
