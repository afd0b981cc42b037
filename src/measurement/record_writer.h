#pragma once
// Writes measurement or ground-truth lines through a buffer (one stream write per 64 KiB).

#include <cstdint>
#include <ostream>
#include <string>

#include "measurement/json_lines.h"

namespace nmsp::measurement {

class RecordWriter {
 public:
  explicit RecordWriter(std::ostream& out);
  ~RecordWriter();
  RecordWriter(const RecordWriter&) = delete;
  RecordWriter& operator=(const RecordWriter&) = delete;

  void write(const Observation& observation);
  void write(const TruthRecord& truth);
  /// Hands the buffer to the stream and flushes it; false when the stream has failed.
  bool flush();

  uint64_t lines() const { return lines_; }

 private:
  void maybeFlush();

  std::ostream& out_;
  std::string buffer_;
  uint64_t lines_ = 0;
};

}  // namespace nmsp::measurement
