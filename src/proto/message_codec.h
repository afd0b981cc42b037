#pragma once
// Internal: payload <-> Message, dispatching on the message id to the schema of its type.

#include <cstdint>
#include <span>

#include "proto/messages.h"
#include "proto/tlv_structure.h"
#include "proto/wire_bytes.h"

namespace nmsp::proto {

/// True if `id` names a message this implementation decodes (not UnknownMessage).
bool isKnownMessage(uint16_t id);

/// Decodes the payload of a known message (offsets relative to ctx.frame; payload at 12).
CodecResult<Message> decodePayload(uint16_t id, std::span<const uint8_t> payload,
                                   DecodeContext& ctx);

/// Appends the payload attributes of `m` (UnknownMessage: its bytes verbatim).
CodecStatus encodePayload(const Message& m, wire::Writer& w);

}  // namespace nmsp::proto
