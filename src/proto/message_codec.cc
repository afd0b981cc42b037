#include "proto/message_codec.h"

#include <utility>

#include "proto/schema.h"

namespace nmsp::proto {
namespace {

constexpr size_t kPayloadOffset = 12;

using PayloadDecoder = CodecResult<Message> (*)(std::span<const uint8_t>, DecodeContext&);

template <class M>
CodecResult<Message> decodeAs(std::span<const uint8_t> payload, DecodeContext& ctx) {
  Message message{std::in_place_type<M>};
  const FieldPath root;
  const Site site{root, {}, -1, kPayloadOffset, 0};
  if (auto st = decodeStruct(payload, std::get<M>(message), 1, site, ctx); !st) {
    return Unexpected{std::move(st).error()};
  }
  return message;
}

// One decoder per catalogue entry, in catalogue (= variant) order.
template <size_t... I>
constexpr auto makeDecoders(std::index_sequence<I...>) {
  return std::array<PayloadDecoder, sizeof...(I)>{
      &decodeAs<std::variant_alternative_t<I, Message>>...};
}
constexpr auto kDecoders = makeDecoders(std::make_index_sequence<kMessages.size()>());

}  // namespace

bool isKnownMessage(uint16_t id) {
  return findMessage(id) != nullptr;
}

CodecResult<Message> decodePayload(uint16_t id, std::span<const uint8_t> payload,
                                   DecodeContext& ctx) {
  const MessageInfo* info = findMessage(id);
  if (info == nullptr) {
    return Unexpected{makeError(ErrorCode::BadValue, "header.message_id", 2,
                                "message id " + std::to_string(id) + " is not known")};
  }
  return kDecoders[static_cast<size_t>(info - kMessages.data())](payload, ctx);
}

CodecStatus encodePayload(const Message& m, wire::Writer& w) {
  return std::visit(
      [&w](const auto& value) -> CodecStatus {
        using M = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<M, UnknownMessage>) {
          if (isKnownMessage(value.id)) {
            return Unexpected{
                makeError(ErrorCode::BadValue, "header.message_id", 2,
                          "UnknownMessage carries the known id " + std::to_string(value.id))};
          }
          w.bytes(value.payload);
          return {};
        } else {
          const FieldPath root;
          return encodeStruct(value, Site{root, {}, -1, kPayloadOffset, 0}, w);
        }
      },
      m);
}

}  // namespace nmsp::proto
