#pragma once
// Hex text <-> bytes for the encode/decode tools. Parsing is lenient about layout (what people
// paste from captures and docs) but strict about content: a stray character or a half byte is
// an error that names its line and column.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace nmsp::proto_json {

/// Incremental hex parser, so large inputs can be decoded chunk by chunk. Accepted layout:
/// whitespace and newlines, ':' '-' ',' separators, "0x"/"0X" prefixes at the start of a group,
/// and '#' comments to the end of the line. A byte may not be split by a separator.
class HexParser {
 public:
  /// Appends the bytes found in `text` to `out`. After an error the parser stays failed.
  Result<void, std::string> feed(std::string_view text, std::vector<uint8_t>& out);
  /// Ends the input: a digit still waiting for its pair is an error.
  Result<void, std::string> finish(std::vector<uint8_t>& out);

 private:
  struct Position {
    size_t line = 1;
    size_t column = 1;
  };
  Result<void, std::string> fail(Position at, std::string_view problem);
  Result<void, std::string> addNibble(uint8_t value, Position at, std::vector<uint8_t>& out);

  Position position_;
  Position pending_at_;                 // where the unpaired digit (or the maybe-"0x" '0') was
  std::optional<uint8_t> high_nibble_;  // first digit of a byte, waiting for the second
  bool group_start_ = true;             // the next digit starts a group (a "0x" may follow)
  bool zero_at_group_start_ = false;    // saw '0' at a group start: a digit or a "0x" prefix
  bool prefix_without_digits_ = false;  // "0x" seen, no digit yet
  bool in_comment_ = false;
  std::optional<std::string> error_;
};

/// Parses a whole hex text (see HexParser for the accepted layout).
Result<std::vector<uint8_t>, std::string> parseHex(std::string_view text);

/// Lowercase hex; `separator` goes between bytes ("" gives continuous hex).
std::string formatHex(std::span<const uint8_t> bytes, std::string_view separator = "");

/// True when `sniff` (the start of an input) holds only what hex text may hold: hex digits,
/// whitespace, separators, "0x" prefixes and '#' comments. Raw NMSP frames never pass: their
/// first byte (the version, 0x01) is a control character.
bool looksLikeHex(std::string_view sniff);

}  // namespace nmsp::proto_json
