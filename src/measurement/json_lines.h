#pragma once
// One JSON line of a measurement or ground-truth file, to and from its record. Lines are written
// compact, known members first in the documented order, numbers without exponent.

#include <string>
#include <string_view>

#include "common/result.h"
#include "measurement/observation.h"
#include "measurement/truth.h"

namespace nmsp::measurement {

/// Errors name the member ("rssi: expected integer -128..127, got \"x\"") or the column of a
/// syntax error; `out` is overwritten.
Result<void, std::string> parseLine(std::string_view line, Observation& out);
Result<void, std::string> parseLine(std::string_view line, TruthRecord& out);

/// Appends the line, newline included.
void appendLine(std::string& out, const Observation& observation);
void appendLine(std::string& out, const TruthRecord& truth);

}  // namespace nmsp::measurement
