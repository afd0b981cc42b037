#include <utility>

#include "proto/codec.h"
#include "proto/message_codec.h"
#include "proto/wire_bytes.h"

namespace nmsp::proto {

CodecStatus Encoder::encode(const Frame& frame, std::vector<uint8_t>& out) const {
  const size_t start = out.size();
  const uint16_t id = messageIdOf(frame.message);
  wire::Writer w(out);
  // Init frames are always version 1, whatever version the session later selects.
  const bool init = id == static_cast<uint16_t>(MessageId::InitRequest) ||
                    id == static_cast<uint16_t>(MessageId::InitResponse);
  w.u8(init ? kProtocolVersion : frame.version);
  // Reserved flag bits are always sent as 0; requests always ask for a reply.
  w.u8(static_cast<uint8_t>((frame.flags & kFlagRequest) | (isRequest(id) ? kFlagRequest : 0)));
  w.u16(id);
  w.u32(frame.transaction_id);
  w.u32(0);  // payload length, patched below
  if (auto st = encodePayload(frame.message, w); !st) {
    out.resize(start);
    return st;
  }
  const size_t total = out.size() - start;
  if (total > options_.max_frame_size) {
    out.resize(start);
    return Unexpected{makeError(ErrorCode::FrameLimitExceeded, "frame", 0,
                                "frame of " + std::to_string(total) + " bytes exceeds the " +
                                    std::to_string(options_.max_frame_size) + "-byte maximum")};
  }
  const auto length = static_cast<uint32_t>(total - kHeaderSize);
  for (size_t i = 0; i < 4; ++i) {
    out[start + 8 + i] = static_cast<uint8_t>(length >> (8 * (3 - i)));
  }
  return {};
}

CodecResult<std::vector<uint8_t>> encodeFrame(const Frame& frame, const EncoderOptions& options) {
  std::vector<uint8_t> out;
  if (auto st = Encoder(options).encode(frame, out); !st) {
    return Unexpected{st.error()};
  }
  return out;
}

}  // namespace nmsp::proto
