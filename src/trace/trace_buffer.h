#pragma once
// Bounded, thread-safe trace ring buffer behind `set trace nmsp connection level ...` and
// `show trace messages nmsp`: the io thread writes, the shell's thread reads. While tracing is
// off (the default), adding a line costs one atomic load and takes no lock. Lines use the seed's
// format:
//   [06/03/15 22:28:10.762 UTC a27 10241] New NMSP Connection assigned 0
// (MM/DD/YY HH:MM:SS.mmm UTC, a per-buffer sequence number in lowercase hex, the process id).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nmsp::trace {

enum class Level : uint8_t { Off = 0, Info = 1, Debug = 2 };

/// "off" | "info" | "debug" (also accepts unambiguous prefixes); nullopt otherwise.
std::optional<Level> parseLevel(std::string_view text);
std::string_view levelName(Level level);

class TraceBuffer {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  /// `capacity` lines are kept; older lines are dropped (and counted). `clock` defaults to
  /// the system clock (tests inject their own).
  explicit TraceBuffer(size_t capacity = 4096, Clock clock = {});

  void setLevel(Level level);
  Level level() const;
  /// True when a line at `level` would be recorded (callers skip formatting work otherwise).
  bool enabled(Level level) const;

  /// Records one line if `level` is enabled. Thread-safe.
  void add(Level level, std::string_view text);

  /// Recorded lines, oldest first, each already formatted with its prefix.
  std::vector<std::string> lines() const;
  /// What `show trace messages` prints: lines(), preceded by
  /// "... N older lines dropped (the buffer keeps the newest C)" when the ring has overwritten
  /// lines since the last clear().
  std::vector<std::string> report() const;
  void clear();
  uint64_t dropped() const;

 private:
  size_t capacity_;
  Clock clock_;
  mutable std::mutex mu_;
  std::atomic<Level> level_{Level::Off};
  std::vector<std::string> ring_;
  size_t head_ = 0;  // index of the oldest line once the ring is full
  uint64_t seq_ = 0;
  uint64_t dropped_ = 0;              // since start (a counter)
  uint64_t dropped_since_clear_ = 0;  // what report() announces
};

}  // namespace nmsp::trace
