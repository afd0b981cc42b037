#pragma once
// Millisecond UTC timestamps (the protocol's clocks) as ISO 8601 text for operators.

#include <cstdint>
#include <string>

namespace nmsp::proto_json {

/// "2026-11-23T10:00:00.000Z"; values past year 9999 come back as "+<ms>ms" (no calendar date).
std::string formatUtcMs(uint64_t ms_since_epoch);

}  // namespace nmsp::proto_json
