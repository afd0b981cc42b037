#pragma once
// Fixed-width text columns for the show commands (IOS style: left-aligned, space padded).

#include <string>
#include <string_view>
#include <vector>

namespace nmsp::surface {

/// `text` padded to `width`; a longer text keeps one space before the next column.
std::string cell(std::string_view text, size_t width);

/// "Label<padding>: value\n" with the colon in column 40 (the 9800 counters layout).
std::string counterLine(std::string_view label, std::string_view value);
std::string counterLine(std::string_view label, uint64_t value);

/// "Title\n-----\n".
std::string heading(std::string_view title);

}  // namespace nmsp::surface
