#pragma once
// Internal: strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, <= U+10FFFF).

#include <string_view>

namespace nmsp::proto {

bool isValidUtf8(std::string_view text);

}  // namespace nmsp::proto
