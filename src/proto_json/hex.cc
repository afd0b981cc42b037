#include "proto_json/hex.h"

#include <fmt/format.h>

namespace nmsp::proto_json {
namespace {

int hexDigitValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool isSeparator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ':' ||
         c == '-' || c == ',';
}

std::string describeChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) {
    return fmt::format("'{}'", c);
  }
  return fmt::format("byte 0x{:02x}", u);
}

}  // namespace

Result<void, std::string> HexParser::fail(Position at, std::string_view problem) {
  error_ = fmt::format("line {}, column {}: {}", at.line, at.column, problem);
  return Unexpected{*error_};
}

Result<void, std::string> HexParser::addNibble(uint8_t value, Position at,
                                               std::vector<uint8_t>& out) {
  if (high_nibble_) {
    out.push_back(static_cast<uint8_t>(*high_nibble_ << 4 | value));
    high_nibble_.reset();
  } else {
    high_nibble_ = value;
    pending_at_ = at;
  }
  return {};
}

Result<void, std::string> HexParser::feed(std::string_view text, std::vector<uint8_t>& out) {
  if (error_) {
    return Unexpected{*error_};
  }
  for (const char c : text) {
    const Position here = position_;
    if (c == '\n') {
      ++position_.line;
      position_.column = 1;
    } else {
      ++position_.column;
    }
    if (in_comment_) {
      in_comment_ = c != '\n';
      continue;
    }
    if (zero_at_group_start_) {
      zero_at_group_start_ = false;
      if (c == 'x' || c == 'X') {
        prefix_without_digits_ = true;  // "0x" prefix: the digits follow
        continue;
      }
      // The '0' was a digit after all.
      (void)addNibble(0, pending_at_, out);
    }
    if (c == '#' || isSeparator(c)) {
      if (prefix_without_digits_) {
        return fail(pending_at_, "\"0x\" without hex digits");
      }
      if (high_nibble_) {
        return fail(pending_at_, "odd number of hex digits (a byte needs two digits)");
      }
      in_comment_ = c == '#';
      group_start_ = true;
      continue;
    }
    const int digit = hexDigitValue(c);
    if (digit < 0) {
      return fail(here, fmt::format("unexpected {} (not a hex digit)", describeChar(c)));
    }
    if (group_start_ && c == '0' && !high_nibble_) {
      group_start_ = false;
      zero_at_group_start_ = true;
      pending_at_ = here;
      continue;
    }
    group_start_ = false;
    prefix_without_digits_ = false;
    (void)addNibble(static_cast<uint8_t>(digit), here, out);
  }
  return {};
}

Result<void, std::string> HexParser::finish(std::vector<uint8_t>& out) {
  if (error_) {
    return Unexpected{*error_};
  }
  if (zero_at_group_start_) {
    zero_at_group_start_ = false;
    (void)addNibble(0, pending_at_, out);
  }
  if (prefix_without_digits_) {
    return fail(pending_at_, "\"0x\" without hex digits");
  }
  if (high_nibble_) {
    return fail(pending_at_, "odd number of hex digits (a byte needs two digits)");
  }
  return {};
}

Result<std::vector<uint8_t>, std::string> parseHex(std::string_view text) {
  HexParser parser;
  std::vector<uint8_t> bytes;
  bytes.reserve(text.size() / 2);
  if (auto fed = parser.feed(text, bytes); !fed) {
    return Unexpected{fed.error()};
  }
  if (auto done = parser.finish(bytes); !done) {
    return Unexpected{done.error()};
  }
  return bytes;
}

std::string formatHex(std::span<const uint8_t> bytes, std::string_view separator) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(bytes.size() * (2 + separator.size()));
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) {
      text.append(separator);
    }
    text.push_back(kDigits[bytes[i] >> 4]);
    text.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return text;
}

bool looksLikeHex(std::string_view sniff) {
  bool in_comment = false;
  for (const char c : sniff) {
    if (in_comment) {
      in_comment = c != '\n';
      continue;
    }
    if (c == '#') {
      in_comment = true;
    } else if (!(isSeparator(c) || hexDigitValue(c) >= 0 || c == 'x' || c == 'X')) {
      return false;
    }
  }
  return true;
}

}  // namespace nmsp::proto_json
