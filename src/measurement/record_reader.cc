#include "measurement/record_reader.h"

#include <fmt/format.h>

namespace nmsp::measurement {

std::string describe(const LineProblem& problem) {
  return fmt::format("line {}: {}", problem.line, problem.reason);
}

std::string describe(const ReadCounts& counts, std::string_view what) {
  return fmt::format("{} lines, {} {}, {} skipped", counts.lines, counts.records, what,
                     counts.skipped);
}

}  // namespace nmsp::measurement
