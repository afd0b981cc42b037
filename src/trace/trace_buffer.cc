#include "trace/trace_buffer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <iterator>

namespace nmsp::trace {
namespace {

constexpr std::array<std::pair<std::string_view, Level>, 3> kLevels{{
    {"off", Level::Off},
    {"info", Level::Info},
    {"debug", Level::Debug},
}};

bool startsWithIgnoreCase(std::string_view full, std::string_view prefix) {
  if (prefix.size() > full.size()) {
    return false;
  }
  return std::equal(prefix.begin(), prefix.end(), full.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

// "[06/03/15 22:28:10.762 UTC a27 10241] " as in the seed trace.
std::string prefix(std::chrono::system_clock::time_point when, uint64_t seq) {
  const auto since_epoch = when.time_since_epoch();
  const auto secs = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - secs);
  const std::time_t t = static_cast<std::time_t>(secs.count());
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("[{:02}/{:02}/{:02} {:02}:{:02}:{:02}.{:03} UTC {:x} {}] ", tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_year % 100, tm.tm_hour, tm.tm_min, tm.tm_sec, millis.count(),
                     seq, static_cast<long>(::getpid()));
}

}  // namespace

std::optional<Level> parseLevel(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  // The three names start with different letters, so any non-empty prefix is unambiguous.
  for (const auto& [name, level] : kLevels) {
    if (startsWithIgnoreCase(name, text)) {
      return level;
    }
  }
  return std::nullopt;
}

std::string_view levelName(Level level) {
  for (const auto& [name, value] : kLevels) {
    if (value == level) {
      return name;
    }
  }
  return "off";
}

TraceBuffer::TraceBuffer(size_t capacity, Clock clock)
    : capacity_(std::max<size_t>(capacity, 1)), clock_(std::move(clock)) {
  if (!clock_) {
    clock_ = [] { return std::chrono::system_clock::now(); };
  }
  ring_.reserve(std::min<size_t>(capacity_, 1024));
}

void TraceBuffer::setLevel(Level level) {
  level_.store(level, std::memory_order_relaxed);
}

Level TraceBuffer::level() const {
  return level_.load(std::memory_order_relaxed);
}

bool TraceBuffer::enabled(Level level) const {
  return level != Level::Off && level <= level_.load(std::memory_order_relaxed);
}

void TraceBuffer::add(Level level, std::string_view text) {
  if (!enabled(level)) {
    return;
  }
  std::lock_guard lock(mu_);
  const auto now = clock_();  // under the lock so timestamps never go backwards against seq
  ++seq_;
  std::string line = prefix(now, seq_);
  line.append(text);
  if (ring_.size() < capacity_) {
    ring_.push_back(std::move(line));
    return;
  }
  ring_[head_] = std::move(line);
  head_ = (head_ + 1) % capacity_;
  ++dropped_;
  ++dropped_since_clear_;
}

std::vector<std::string> TraceBuffer::lines() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  out.reserve(ring_.size());
  for (size_t i = 0; i < ring_.size(); ++i) {
    out.push_back(ring_[(head_ + i) % ring_.size()]);
  }
  return out;
}

std::vector<std::string> TraceBuffer::report() const {
  std::vector<std::string> out;
  {
    std::lock_guard lock(mu_);
    if (dropped_since_clear_ > 0) {
      out.push_back(fmt::format("... {} older line{} dropped (the buffer keeps the newest {})",
                                dropped_since_clear_, dropped_since_clear_ == 1 ? "" : "s",
                                capacity_));
    }
  }
  auto recorded = lines();
  out.insert(out.end(), std::make_move_iterator(recorded.begin()),
             std::make_move_iterator(recorded.end()));
  return out;
}

void TraceBuffer::clear() {
  std::lock_guard lock(mu_);
  ring_.clear();
  head_ = 0;
  dropped_since_clear_ = 0;
}

uint64_t TraceBuffer::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

}  // namespace nmsp::trace
