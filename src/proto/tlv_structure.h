#pragma once
// Internal: splitting a byte range into TLV attributes with the structural checks every
// container gets, known or not (attributes exactly tile their parent; nesting is bounded).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "proto/attribute_types.h"
#include "proto/errors.h"
#include "proto/field_path.h"
#include "proto/wire_bytes.h"

namespace nmsp::proto {

inline constexpr size_t kTlvHeaderSize = 4;

/// Per-frame decode state shared by every level of the attribute tree.
struct DecodeContext {
  const uint8_t* frame = nullptr;  // offsets in errors are relative to this
  uint8_t max_depth = 4;
  uint64_t unknown_attributes = 0;

  size_t offsetOf(const uint8_t* p) const { return static_cast<size_t>(p - frame); }
};

/// One attribute as found on the wire.
struct Tlv {
  uint16_t type = 0;
  std::span<const uint8_t> value;
  size_t offset = 0;  // of the type field, from the start of the frame
};

/// Calls `fn(const Tlv&) -> CodecStatus` for each attribute of `bytes` (the value of the
/// container at `parent`); fails if an attribute does not fit in what is left of its parent.
template <class Fn>
CodecStatus forEachTlv(std::span<const uint8_t> bytes, const FieldPath& parent,
                       const DecodeContext& ctx, Fn&& fn) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    const size_t left = bytes.size() - pos;
    const uint8_t* p = bytes.data() + pos;
    if (left < kTlvHeaderSize) {
      return Unexpected{
          makeError(ErrorCode::AttributeOverrun, parent.render("attribute-header"), ctx.offsetOf(p),
                    "attribute header needs 4 bytes, " + std::to_string(left) + " left in parent")};
    }
    const uint16_t type = wire::load16(p);
    const uint16_t length = wire::load16(p + 2);
    if (length > left - kTlvHeaderSize) {
      return Unexpected{makeError(
          ErrorCode::AttributeOverrun, parent.render(attributeLabel(type)), ctx.offsetOf(p),
          "length " + std::to_string(length) + " exceeds the " +
              std::to_string(left - kTlvHeaderSize) + " bytes left in parent")};
    }
    const Tlv tlv{type, bytes.subspan(pos + kTlvHeaderSize, length), ctx.offsetOf(p)};
    if (auto st = fn(tlv); !st) {
      return st;
    }
    pos += kTlvHeaderSize + length;
  }
  return {};
}

/// Fails with NestingTooDeep when attributes at `depth` are not allowed.
CodecStatus checkDepth(std::span<const uint8_t> bytes, int depth, const FieldPath& path,
                       const DecodeContext& ctx);

/// Validates the structure of an attribute tree that is skipped (unknown or misplaced): every
/// container's attributes tile it exactly and nesting stays within ctx.max_depth.
CodecStatus validateTlvTree(std::span<const uint8_t> bytes, int depth, const FieldPath& path,
                            const DecodeContext& ctx);

}  // namespace nmsp::proto
