#pragma once
// The NMSP codec: a streaming Decoder that takes bytes in any fragmentation and hands whole
// frames to callbacks, and an Encoder that appends frames to a buffer. Shaped after Envoy's
// redis codec (value type + DecoderCallbacks + Decoder + Encoder). No I/O, no threads, and no
// exceptions on the decode path: malformed input yields a CodecError naming field and offset.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "proto/errors.h"
#include "proto/messages.h"

namespace nmsp::proto {

inline constexpr size_t kHeaderSize = 12;
inline constexpr size_t kDefaultMaxFrameSize = size_t{64} * 1024;
inline constexpr uint8_t kProtocolVersion = 1;  // the only version defined so far

struct DecoderOptions {
  size_t max_frame_size = kDefaultMaxFrameSize;  // header + payload; at least kHeaderSize
  uint8_t min_version = kProtocolVersion;        // accepted header versions
  uint8_t max_version = kProtocolVersion;
  uint8_t max_depth = 4;  // container nesting limit (top-level attributes are depth 1)
};

/// Counters a session exports (peer-caused, non-fatal events are counted, never dropped silently).
struct DecoderStats {
  uint64_t frames = 0;
  uint64_t bytes = 0;
  uint64_t unknown_messages = 0;    // frames decoded as UnknownMessage
  uint64_t unknown_attributes = 0;  // attributes skipped because their type is unknown
};

/// Receives decoded frames.
class DecoderCallbacks {
 public:
  virtual ~DecoderCallbacks() = default;
  /// Called once per complete, valid frame, in stream order.
  virtual void onFrame(Frame&& frame) = 0;
};

class Decoder {
 public:
  explicit Decoder(DecoderCallbacks& callbacks, DecoderOptions options = {});

  /// Consumes `data` (any fragment of the stream). Delivers each complete frame to the
  /// callbacks. On the first malformed frame returns its error and the decoder fails for good
  /// (the byte stream can no longer be trusted): later calls return DecoderFailed.
  CodecStatus decode(std::span<const uint8_t> data);

  /// Bytes buffered towards an incomplete frame.
  size_t pendingBytes() const { return buffer_.size(); }
  bool failed() const { return failed_; }
  const DecoderStats& stats() const { return stats_; }
  const DecoderOptions& options() const { return options_; }

  /// The message id and transaction id of the frame that failed, when its 12 header bytes had
  /// arrived (even if the header itself was refused: bad version, frame too large); nullopt
  /// while nothing failed or when the header was incomplete. docs/protocol.md section 5: the
  /// Error(MalformedFrame/FrameTooLarge) answer copies them.
  struct HeaderIds {
    uint16_t message_id = 0;
    uint32_t transaction_id = 0;
  };
  const std::optional<HeaderIds>& failedHeader() const { return failed_header_; }

 private:
  DecoderCallbacks& callbacks_;
  DecoderOptions options_;
  DecoderStats stats_;
  std::vector<uint8_t> buffer_;  // never grows beyond options_.max_frame_size
  bool failed_ = false;
  std::optional<HeaderIds> failed_header_;
};

/// Decodes exactly one frame from `bytes` (which must hold it entirely; trailing bytes are an
/// error). `stats` (optional) receives the unknown-attribute and unknown-message counts.
CodecResult<Frame> decodeFrame(std::span<const uint8_t> bytes, const DecoderOptions& options = {},
                               DecoderStats* stats = nullptr);

/// Parses a 12-byte frame header; used by decodeFrame and by tools that split a stream.
struct FrameHeader {
  uint8_t version = kProtocolVersion;
  uint8_t flags = 0;
  uint16_t message_id = 0;
  uint32_t transaction_id = 0;
  uint32_t payload_length = 0;
};
CodecResult<FrameHeader> decodeHeader(std::span<const uint8_t> bytes,
                                      const DecoderOptions& options = {});

struct EncoderOptions {
  size_t max_frame_size = kDefaultMaxFrameSize;
};

class Encoder {
 public:
  explicit Encoder(EncoderOptions options = {}) : options_(options) {}

  /// Appends the encoded frame to `out`. The request flag is set automatically for request
  /// messages. Fails (leaving `out` unchanged) if a value breaks a protocol limit.
  CodecStatus encode(const Frame& frame, std::vector<uint8_t>& out) const;

 private:
  EncoderOptions options_;
};

/// Convenience: encode one frame into a fresh buffer.
CodecResult<std::vector<uint8_t>> encodeFrame(const Frame& frame,
                                              const EncoderOptions& options = {});

}  // namespace nmsp::proto
