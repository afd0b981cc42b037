#include "measurement/record_writer.h"

namespace nmsp::measurement {
namespace {

constexpr size_t kBufferBytes = 64 * 1024;

}  // namespace

RecordWriter::RecordWriter(std::ostream& out) : out_(out) {
  buffer_.reserve(kBufferBytes + 512);
}

RecordWriter::~RecordWriter() {
  flush();
}

void RecordWriter::write(const Observation& observation) {
  appendLine(buffer_, observation);
  ++lines_;
  maybeFlush();
}

void RecordWriter::write(const TruthRecord& truth) {
  appendLine(buffer_, truth);
  ++lines_;
  maybeFlush();
}

void RecordWriter::maybeFlush() {
  if (buffer_.size() >= kBufferBytes) {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }
}

bool RecordWriter::flush() {
  if (!buffer_.empty()) {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }
  out_.flush();
  return static_cast<bool>(out_);
}

}  // namespace nmsp::measurement
