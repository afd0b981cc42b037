#include "shell/output_filter.h"

#include <array>

#include "shell/command_line.h"

namespace nmsp::shell::detail {

std::variant<SplitLine, std::string> splitOutputFilter(const std::string& line) {
  const auto bar = line.find('|');
  if (bar == std::string::npos) {
    return SplitLine{line, std::nullopt};
  }
  SplitLine split{line.substr(0, bar), OutputFilter{}};
  const std::string_view after = std::string_view(line).substr(bar + 1);
  const auto tokens = tokenize(after);
  if (tokens.empty()) {
    return std::string("% Incomplete command.\n");
  }
  const size_t keyword_column = bar + 1 + tokens[0].column;
  static constexpr std::array<std::pair<std::string_view, OutputFilter::Kind>, 3> kKinds{{
      {"include", OutputFilter::Kind::Include},
      {"exclude", OutputFilter::Kind::Exclude},
      {"begin", OutputFilter::Kind::Begin},
  }};
  bool known = false;
  for (const auto& [word, kind] : kKinds) {
    if (isPrefixIgnoreCase(tokens[0].text, word)) {  // "i", "inc", "ex", "b": all unambiguous
      split.filter->kind = kind;
      known = true;
    }
  }
  if (!known) {
    return invalidInput(line, keyword_column);
  }
  if (tokens.size() < 2) {
    return std::string("% Incomplete command.\n");
  }
  const size_t regex_column = bar + 1 + tokens[1].column;
  std::string pattern = line.substr(regex_column);
  while (!pattern.empty() && (pattern.back() == ' ' || pattern.back() == '\t')) {
    pattern.pop_back();
  }
  try {
    split.filter->regex = std::regex(pattern);  // ECMAScript syntax
  } catch (const std::regex_error& e) {
    return invalidInput(line, regex_column, std::string("bad regular expression: ") + e.what());
  }
  return split;
}

std::string applyOutputFilter(const OutputFilter& filter, const std::string& text) {
  std::string out;
  bool begun = false;
  size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    std::string_view with_newline(text.data() + start, end - start);
    std::string_view content = with_newline;
    if (!content.empty() && content.back() == '\n') {
      content.remove_suffix(1);
    }
    const bool match = std::regex_search(content.begin(), content.end(), filter.regex);
    bool keep = false;
    switch (filter.kind) {
      case OutputFilter::Kind::Include:
        keep = match;
        break;
      case OutputFilter::Kind::Exclude:
        keep = !match;
        break;
      case OutputFilter::Kind::Begin:
        begun = begun || match;
        keep = begun;
        break;
    }
    if (keep) {
      out.append(with_newline);
    }
    start = end;
  }
  return out;
}

}  // namespace nmsp::shell::detail
