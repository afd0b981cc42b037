#pragma once
// Splitting a command line into words (with their columns, for the '^' marker) and the
// IOS-style error texts (internal to the shell).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace nmsp::shell::detail {

struct Token {
  std::string text;
  size_t column = 0;  // offset of the first character in the line
};

std::vector<Token> tokenize(std::string_view line);

bool equalsIgnoreCase(std::string_view a, std::string_view b);
/// True when `prefix` is a case-insensitive prefix of `word`.
bool isPrefixIgnoreCase(std::string_view prefix, std::string_view word);

/// "<line>\n<spaces>^\n% Invalid input detected at '^' marker.\n" (with ": why" if given).
std::string invalidInput(std::string_view line, size_t column, std::string_view why = {});

}  // namespace nmsp::shell::detail
