#include "measurement/line_reader.h"

#include <cstring>

namespace nmsp::measurement {
namespace {

constexpr size_t kChunkBytes = 64 * 1024;

std::string_view withoutCr(std::string_view text) {
  if (!text.empty() && text.back() == '\r') {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

LineReader::LineReader(std::istream& in, size_t max_line_bytes)
    : in_(in), max_line_bytes_(max_line_bytes), buffer_(max_line_bytes + kChunkBytes, '\0') {}

bool LineReader::fill() {
  if (eof_) {
    return false;
  }
  if (begin_ > 0) {  // keep the partial line at the front
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  in_.read(buffer_.data() + end_, static_cast<std::streamsize>(buffer_.size() - end_));
  const auto got = static_cast<size_t>(in_.gcount());
  end_ += got;
  if (got == 0 || !in_) {
    eof_ = true;
  }
  return got > 0;
}

std::optional<LineReader::Line> LineReader::next() {
  size_t scanned = begin_;
  bool skipping = false;  // inside a line that is already too long
  while (true) {
    const char* data = buffer_.data();
    const void* nl = std::memchr(data + scanned, '\n', end_ - scanned);
    if (nl != nullptr) {
      const size_t at = static_cast<size_t>(static_cast<const char*>(nl) - data);
      Line line{++number_, {}, skipping || at - begin_ > max_line_bytes_};
      if (!line.too_long) {
        line.text = withoutCr(std::string_view(data + begin_, at - begin_));
      }
      begin_ = at + 1;
      return line;
    }
    if (end_ - begin_ > max_line_bytes_) {  // drop what we have, remember the line is too long
      skipping = true;
      begin_ = end_;
    }
    scanned = end_ - begin_;
    if (!fill()) {
      if (end_ == begin_ && !skipping) {
        return std::nullopt;
      }
      Line line{++number_, {}, skipping};
      if (!skipping) {
        line.text = withoutCr(std::string_view(buffer_.data() + begin_, end_ - begin_));
      }
      begin_ = end_;
      return line;
    }
    scanned += begin_;  // fill() moved the partial line to the front
  }
}

}  // namespace nmsp::measurement
