#pragma once
// IOS output modifiers on exec commands: "<command> | include|exclude|begin REGEX" (internal to
// the shell). The regex is the rest of the line after the keyword, spaces included, as in IOS.

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <variant>

namespace nmsp::shell::detail {

struct OutputFilter {
  enum class Kind { Include, Exclude, Begin };
  Kind kind = Kind::Include;
  std::regex regex;
};

struct SplitLine {
  std::string command;                 // the line before the '|'
  std::optional<OutputFilter> filter;  // absent when the line has no '|'
};

/// Splits `line` at its first '|'. The error is the full reply text (IOS style: the line, a
/// '^' under the offending word and "% Invalid input detected ...", or "% Incomplete command.").
std::variant<SplitLine, std::string> splitOutputFilter(const std::string& line);

/// Keeps the lines of `text` the filter selects (each with its '\n').
std::string applyOutputFilter(const OutputFilter& filter, const std::string& text);

}  // namespace nmsp::shell::detail
