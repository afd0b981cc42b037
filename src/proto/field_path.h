#pragma once
// Internal: where in a frame an attribute sits, so that errors can name it precisely
// ("device-measurement[2].ap-rssi-list[1].band") without building strings on the happy path.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "proto/errors.h"

namespace nmsp::proto {

/// A node of the path from the payload down to an attribute; lives on the stack.
struct FieldPath {
  const FieldPath* parent = nullptr;
  std::string_view name;  // empty for the payload (root) and for skipped attributes
  int index = -1;         // element index of a repeated attribute, -1 otherwise
  uint16_t type = 0;      // a skipped attribute's type, named only if an error is reported

  static FieldPath skipped(const FieldPath& parent, uint16_t type) {
    return FieldPath{&parent, {}, -1, type};
  }
  bool isRoot() const { return name.empty() && type == 0; }

  std::string render() const;
  /// render() + "." + leaf (or just leaf at the root).
  std::string render(std::string_view leaf) const;
};

/// One attribute being decoded or encoded: its path, frame offset and nesting depth.
struct Site {
  const FieldPath& parent;
  std::string_view name;
  int index = -1;
  size_t offset = 0;  // of the attribute's type field, from the start of the frame
  int depth = 1;      // payload attributes are depth 1

  FieldPath path() const { return FieldPath{&parent, name, index}; }
  /// An error about the attribute as a whole.
  CodecError error(ErrorCode code, std::string detail) const;
  /// An error about a part of its value (`leaf` appended to the name, e.g. "count").
  CodecError error(ErrorCode code, std::string_view leaf, size_t at, std::string detail) const;
};

CodecError makeError(ErrorCode code, std::string field, size_t offset, std::string detail);

/// The attribute's name, or "attribute-0x1234" for a type this implementation does not know.
std::string attributeLabel(uint16_t type);

}  // namespace nmsp::proto
