#include "shell/command_line.h"

#include <algorithm>
#include <cctype>

namespace nmsp::shell::detail {
namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}
bool isSpace(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

std::vector<Token> tokenize(std::string_view line) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && isSpace(line[i])) {
      ++i;
    }
    const size_t start = i;
    while (i < line.size() && !isSpace(line[i])) {
      ++i;
    }
    if (i > start) {
      tokens.push_back(Token{std::string(line.substr(start, i - start)), start});
    }
  }
  return tokens;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

bool isPrefixIgnoreCase(std::string_view prefix, std::string_view word) {
  return prefix.size() <= word.size() && equalsIgnoreCase(prefix, word.substr(0, prefix.size()));
}

std::string invalidInput(std::string_view line, size_t column, std::string_view why) {
  std::string text(line);
  text += '\n';
  text.append(column, ' ');
  text += "^\n% Invalid input detected at '^' marker";
  if (why.empty()) {
    text += ".\n";
  } else {
    text += ": ";
    text += why;
    text += '\n';
  }
  return text;
}

}  // namespace nmsp::shell::detail
