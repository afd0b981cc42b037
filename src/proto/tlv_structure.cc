#include "proto/tlv_structure.h"

namespace nmsp::proto {

CodecStatus checkDepth(std::span<const uint8_t> bytes, int depth, const FieldPath& path,
                       const DecodeContext& ctx) {
  if (bytes.empty() || depth <= ctx.max_depth) {
    return {};
  }
  return Unexpected{makeError(ErrorCode::NestingTooDeep, path.render(), ctx.offsetOf(bytes.data()),
                              "attributes at depth " + std::to_string(depth) +
                                  " exceed the limit " + std::to_string(ctx.max_depth))};
}

CodecStatus validateTlvTree(std::span<const uint8_t> bytes, int depth, const FieldPath& path,
                            const DecodeContext& ctx) {
  if (auto st = checkDepth(bytes, depth, path, ctx); !st) {
    return st;
  }
  return forEachTlv(bytes, path, ctx, [&](const Tlv& tlv) -> CodecStatus {
    if ((tlv.type & attr::kContainerBit) == 0) {
      return {};
    }
    return validateTlvTree(tlv.value, depth + 1, FieldPath::skipped(path, tlv.type), ctx);
  });
}

}  // namespace nmsp::proto
