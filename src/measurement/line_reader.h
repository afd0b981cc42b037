#pragma once
// Splits a stream into numbered lines in constant memory: a line longer than the limit is
// reported and skipped without being held whole, so a hostile or corrupt file cannot grow
// the reader. A final line without a newline counts; "\r\n" endings are accepted.

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

namespace nmsp::measurement {

inline constexpr size_t kMaxLineBytes = 64 * 1024;

class LineReader {
 public:
  struct Line {
    uint64_t number = 0;    // from 1
    std::string_view text;  // without the line end; valid until the next call
    bool too_long = false;  // text is empty then
  };

  explicit LineReader(std::istream& in, size_t max_line_bytes = kMaxLineBytes);

  /// The next line, or nullopt at the end of the input.
  std::optional<Line> next();

  size_t maxLineBytes() const { return max_line_bytes_; }

 private:
  bool fill();  // reads more input after the unconsumed bytes; false at end of input

  std::istream& in_;
  size_t max_line_bytes_;
  std::string buffer_;
  size_t begin_ = 0;  // unconsumed bytes are buffer_[begin_, end_)
  size_t end_ = 0;
  uint64_t number_ = 0;
  bool eof_ = false;
};

}  // namespace nmsp::measurement
