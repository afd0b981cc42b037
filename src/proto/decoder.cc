#include <algorithm>
#include <utility>

#include "proto/codec.h"
#include "proto/message_codec.h"
#include "proto/tlv_structure.h"
#include "proto/wire_bytes.h"

namespace nmsp::proto {
namespace {

constexpr size_t kVersionOffset = 0;
constexpr size_t kMessageIdOffset = 2;
constexpr size_t kTransactionOffset = 4;
constexpr size_t kLengthOffset = 8;

}  // namespace

CodecResult<FrameHeader> decodeHeader(std::span<const uint8_t> bytes,
                                      const DecoderOptions& options) {
  if (bytes.size() < kHeaderSize) {
    return Unexpected{
        makeError(ErrorCode::TruncatedHeader, "header", bytes.size(),
                  "a frame header needs 12 bytes, got " + std::to_string(bytes.size()))};
  }
  FrameHeader h;
  h.version = bytes[0];
  h.flags = bytes[1];
  h.message_id = wire::load16(bytes.data() + 2);
  h.transaction_id = wire::load32(bytes.data() + 4);
  h.payload_length = wire::load32(bytes.data() + kLengthOffset);
  if (h.version < options.min_version || h.version > options.max_version) {
    return Unexpected{makeError(ErrorCode::UnsupportedVersion, "header.version", kVersionOffset,
                                "version " + std::to_string(h.version) + " outside accepted " +
                                    std::to_string(options.min_version) + ".." +
                                    std::to_string(options.max_version))};
  }
  const uint64_t total = uint64_t{kHeaderSize} + h.payload_length;
  if (total > options.max_frame_size) {
    return Unexpected{makeError(ErrorCode::FrameTooLarge, "header.payload_length", kLengthOffset,
                                "frame of " + std::to_string(total) + " bytes exceeds the " +
                                    std::to_string(options.max_frame_size) + "-byte maximum")};
  }
  return h;
}

CodecResult<Frame> decodeFrame(std::span<const uint8_t> bytes, const DecoderOptions& options,
                               DecoderStats* stats) {
  auto header = decodeHeader(bytes, options);
  if (!header) {
    return Unexpected{std::move(header).error()};
  }
  const size_t total = kHeaderSize + header->payload_length;
  if (bytes.size() < total) {
    return Unexpected{makeError(ErrorCode::TruncatedPayload, "payload", bytes.size(),
                                "header declares " + std::to_string(header->payload_length) +
                                    " payload bytes, " +
                                    std::to_string(bytes.size() - kHeaderSize) + " present")};
  }
  if (bytes.size() > total) {
    return Unexpected{makeError(
        ErrorCode::BadValue, "header.payload_length", kLengthOffset,
        std::to_string(bytes.size() - total) + " bytes follow the payload the header declares")};
  }
  const auto payload = bytes.subspan(kHeaderSize);
  Frame frame;
  frame.version = header->version;
  frame.flags = header->flags & kFlagRequest;  // reserved bits are ignored on receipt
  frame.transaction_id = header->transaction_id;
  if (!isKnownMessage(header->message_id)) {
    // Forward compatibility: kept verbatim and counted; its payload is not interpreted.
    frame.message = UnknownMessage{header->message_id, {payload.begin(), payload.end()}};
    if (stats != nullptr) {
      ++stats->unknown_messages;
    }
    return frame;
  }
  DecodeContext ctx{bytes.data(), options.max_depth, 0};
  auto message = decodePayload(header->message_id, payload, ctx);
  if (!message) {
    return Unexpected{std::move(message).error()};
  }
  frame.message = std::move(*message);
  if (stats != nullptr) {
    stats->unknown_attributes += ctx.unknown_attributes;
  }
  return frame;
}

Decoder::Decoder(DecoderCallbacks& callbacks, DecoderOptions options)
    : callbacks_(callbacks), options_(options) {
  options_.max_frame_size = std::max(options_.max_frame_size, kHeaderSize);
}

CodecStatus Decoder::decode(std::span<const uint8_t> data) {
  if (failed_) {
    return Unexpected{makeError(ErrorCode::DecoderFailed, "decoder", 0,
                                "an earlier frame was malformed; the stream is abandoned")};
  }
  // The first malformed frame ends the stream: nothing after it can be framed reliably.
  auto fail = [this](CodecError error, std::span<const uint8_t> frame) -> CodecStatus {
    failed_ = true;
    if (frame.size() >= kHeaderSize) {
      failed_header_ = HeaderIds{wire::load16(frame.data() + kMessageIdOffset),
                                 wire::load32(frame.data() + kTransactionOffset)};
    }
    buffer_.clear();
    return Unexpected{std::move(error)};
  };
  // Decodes one complete frame and hands it to the callbacks.
  auto deliver = [this, &fail](std::span<const uint8_t> bytes) -> CodecStatus {
    auto frame = decodeFrame(bytes, options_, &stats_);
    if (!frame) {
      return fail(std::move(frame).error(), bytes);
    }
    ++stats_.frames;
    stats_.bytes += bytes.size();
    callbacks_.onFrame(std::move(*frame));
    return {};
  };

  while (!data.empty()) {
    if (buffer_.empty() && data.size() >= kHeaderSize) {
      // Fast path: whole frames straight from the caller's bytes, no copy.
      auto header = decodeHeader(data, options_);
      if (!header) {
        return fail(std::move(header).error(), data);
      }
      const size_t total = kHeaderSize + header->payload_length;
      if (data.size() >= total) {
        if (auto st = deliver(data.first(total)); !st) {
          return st;
        }
        data = data.subspan(total);
        continue;
      }
    }
    // Buffer towards the header first, then (once it has been checked) the payload.
    if (buffer_.size() < kHeaderSize) {
      const size_t take = std::min(kHeaderSize - buffer_.size(), data.size());
      buffer_.insert(buffer_.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(take));
      data = data.subspan(take);
      if (buffer_.size() < kHeaderSize) {
        break;
      }
      auto header = decodeHeader(buffer_, options_);
      if (!header) {
        return fail(std::move(header).error(), buffer_);
      }
      // No reserve() from the declared length: the buffer grows only with bytes that arrived
      // (and keeps its capacity from earlier frames).
    }
    const size_t total = kHeaderSize + wire::load32(buffer_.data() + kLengthOffset);
    const size_t take = std::min(total - buffer_.size(), data.size());
    buffer_.insert(buffer_.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(take));
    data = data.subspan(take);
    if (buffer_.size() == total) {
      std::vector<uint8_t> frame_bytes;
      frame_bytes.swap(buffer_);  // buffer_ is empty while the callback runs
      auto st = deliver(frame_bytes);
      frame_bytes.clear();
      buffer_.swap(frame_bytes);  // keep the capacity for the next frame
      if (!st) {
        return st;
      }
    }
  }
  return {};
}

}  // namespace nmsp::proto
