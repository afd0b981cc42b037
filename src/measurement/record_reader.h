#pragma once
// Streaming reader of measurement or ground-truth files: one record per call, constant memory.
// A malformed line is reported with its number and reason and skipped; blank lines are ignored.
// At the end, counts() says how many lines were read, how many became records and how many
// were skipped.

#include <functional>
#include <istream>
#include <string>

#include "measurement/json_lines.h"
#include "measurement/line_reader.h"

namespace nmsp::measurement {

struct ReadCounts {
  uint64_t lines = 0;    // every line, blank ones included
  uint64_t records = 0;  // lines that became a record
  uint64_t skipped = 0;  // malformed lines
};

struct LineProblem {
  uint64_t line = 0;
  std::string reason;
};

/// "line 17: rssi: expected integer -128..127, got \"x\"".
std::string describe(const LineProblem& problem);
/// "1200 lines, 1198 observations, 2 skipped" (`what` names the records).
std::string describe(const ReadCounts& counts, std::string_view what);

template <class Record>
class RecordReader {
 public:
  using ProblemSink = std::function<void(const LineProblem&)>;

  /// Problems go to `on_problem` (may be empty: then they are only counted).
  explicit RecordReader(std::istream& in, ProblemSink on_problem = {},
                        size_t max_line_bytes = kMaxLineBytes)
      : lines_(in, max_line_bytes), on_problem_(std::move(on_problem)) {}

  /// The next record; false at the end of the input.
  bool next(Record& out) {
    while (auto line = lines_.next()) {
      ++counts_.lines;
      if (line->too_long) {
        skip(line->number, "line longer than " + std::to_string(lines_.maxLineBytes()) + " bytes");
        continue;
      }
      if (line->text.find_first_not_of(" \t") == std::string_view::npos) {
        continue;
      }
      if (auto parsed = parseLine(line->text, out); !parsed) {
        skip(line->number, parsed.error());
        continue;
      }
      ++counts_.records;
      return true;
    }
    return false;
  }

  const ReadCounts& counts() const { return counts_; }

 private:
  void skip(uint64_t number, std::string reason) {
    ++counts_.skipped;
    if (on_problem_) {
      on_problem_(LineProblem{number, std::move(reason)});
    }
  }

  LineReader lines_;
  ProblemSink on_problem_;
  ReadCounts counts_;
};

using ObservationReader = RecordReader<Observation>;
using TruthReader = RecordReader<TruthRecord>;

}  // namespace nmsp::measurement
