#include "proto_json/json_documents.h"

#include <fmt/format.h>

#include <charconv>
#include <sstream>

namespace nmsp::proto_json {
namespace {

using nlohmann::json;

struct TextPosition {
  size_t line = 1;
  size_t column = 1;
};

TextPosition positionOf(std::string_view text, size_t offset) {
  TextPosition at;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return at;
}

// Brackets outside strings; stops at the first level beyond the limit.
Result<void, std::string> checkNesting(std::string_view text) {
  size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonNesting) {
        const auto at = positionOf(text, i);
        return Unexpected{fmt::format("JSON nested deeper than {} levels at line {}, column {}",
                                      kMaxJsonNesting, at.line, at.column)};
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return {};
}

size_t numberAfter(std::string_view text, std::string_view label, size_t& pos) {
  pos = text.find(label, pos);
  if (pos == std::string_view::npos) {
    return 0;
  }
  pos += label.size();
  size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
  pos = static_cast<size_t>(end - text.data());
  return ec == std::errc() ? value : 0;
}

// nlohmann counts lines and columns from where this value started; make them absolute and
// drop the "[json.exception.parse_error.101] " prefix.
std::string relocate(std::string_view what, TextPosition start) {
  if (const auto bracket = what.find("] "); bracket != std::string_view::npos) {
    what.remove_prefix(bracket + 2);
  }
  const size_t label = what.find("at line ");
  size_t pos = 0;
  const size_t line = numberAfter(what, "at line ", pos);
  const size_t column = numberAfter(what, ", column ", pos);
  if (line == 0 || column == 0 || pos == std::string_view::npos) {
    return std::string(what);
  }
  const size_t abs_line = start.line + line - 1;
  const size_t abs_column = line == 1 ? start.column + column - 1 : column;
  return fmt::format("{}at line {}, column {}{}", what.substr(0, label), abs_line, abs_column,
                     what.substr(pos));
}

}  // namespace

Result<std::vector<JsonDocument>, std::string> parseJsonDocuments(std::string_view text) {
  if (auto nesting = checkNesting(text); !nesting) {
    return Unexpected{nesting.error()};
  }
  std::istringstream in{std::string(text)};
  std::vector<JsonDocument> docs;
  while (true) {
    in >> std::ws;
    if (in.peek() == std::char_traits<char>::eof()) {
      break;
    }
    const auto start = positionOf(text, static_cast<size_t>(in.tellg()));
    json value;
    try {
      in >> value;                        // reads one value and stops right after it
    } catch (const json::exception& e) {  // nlohmann reports syntax errors only by exception
      return Unexpected{"invalid JSON: " + relocate(e.what(), start)};
    }
    docs.push_back({std::move(value), fmt::format("line {}", start.line)});
  }
  if (docs.empty()) {
    return Unexpected{std::string("no JSON in the input")};
  }
  if (docs.size() == 1) {
    json only = std::move(docs.front().value);
    docs.clear();
    if (only.is_array()) {
      for (size_t i = 0; i < only.size(); ++i) {
        docs.push_back({std::move(only[i]), fmt::format("element [{}]", i)});
      }
    } else {
      docs.push_back({std::move(only), ""});
    }
  }
  return docs;
}

Result<json, std::string> parseJsonValue(std::string_view text) {
  if (auto nesting = checkNesting(text); !nesting) {
    return Unexpected{nesting.error()};
  }
  try {
    return json::parse(text);
  } catch (const json::exception& e) {  // nlohmann reports syntax errors only by exception
    return Unexpected{"invalid JSON: " + relocate(e.what(), TextPosition{})};
  }
}

}  // namespace nmsp::proto_json
