#pragma once
// Parsing "host", "host:port", "[v6]" and "[v6]:port" as typed in `config controllers add`.

#include <cstdint>
#include <string>

#include "common/result.h"

namespace nmsp::surface {

struct ControllerAddress {
  std::string host;  // without brackets
  uint16_t port = 16113;
  bool port_given = false;  // "host" vs "host:16113" (delete picks among ports only without)
};

/// Operator-facing error text on failure.
Result<ControllerAddress, std::string> parseControllerAddress(const std::string& text);

}  // namespace nmsp::surface
