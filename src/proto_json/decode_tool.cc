#include "proto_json/decode_tool.h"

#include <fmt/format.h>

#include <cctype>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "proto_json/frame_json.h"
#include "proto_json/frame_text.h"
#include "proto_json/hex.h"

namespace nmsp::proto_json {
namespace {

constexpr size_t kChunkSize = 4096;

/// Pulls decoded bytes from the input stream on demand, through the hex parser for text input.
/// Holds at most one chunk of input beyond what the caller asked for.
class ByteSource {
 public:
  ByteSource(std::istream& in, std::string head, bool hex)
      : in_(in), head_(std::move(head)), hex_(hex) {}

  /// Appends up to `n` bytes to `dst`; fewer only at the end of the input.
  Result<void, std::string> read(std::vector<uint8_t>& dst, size_t n) {
    while (n > 0) {
      if (pos_ < ready_.size()) {
        const size_t take = std::min(n, ready_.size() - pos_);
        dst.insert(dst.end(), ready_.begin() + static_cast<ptrdiff_t>(pos_),
                   ready_.begin() + static_cast<ptrdiff_t>(pos_ + take));
        pos_ += take;
        n -= take;
        continue;
      }
      if (hex_error_) {
        return Unexpected{*hex_error_};
      }
      if (ended_) {
        return {};
      }
      if (auto filled = refill(); !filled) {
        return filled;
      }
    }
    return {};
  }

 private:
  Result<void, std::string> refill() {
    ready_.clear();
    pos_ = 0;
    std::string chunk;
    if (!head_.empty()) {
      chunk = std::move(head_);
      head_.clear();
    } else {
      chunk.resize(kChunkSize);
      in_.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      chunk.resize(static_cast<size_t>(in_.gcount()));
      if (in_.bad()) {
        return Unexpected{std::string("read failed")};
      }
      ended_ = chunk.empty();
    }
    if (!hex_) {
      ready_.assign(chunk.begin(), chunk.end());
      return {};
    }
    auto fed = ended_ ? parser_.finish(ready_) : parser_.feed(chunk, ready_);
    if (!fed) {
      // Hand out the bytes before the bad character first: frames before it still print.
      hex_error_ = "hex input " + fed.error();
    }
    return {};
  }

  std::istream& in_;
  std::string head_;  // the sniffed start of the input, replayed first
  bool hex_;
  HexParser parser_;
  std::vector<uint8_t> ready_;  // decoded bytes not yet handed out (from one chunk)
  size_t pos_ = 0;
  bool ended_ = false;
  std::optional<std::string> hex_error_;
};

std::string readHead(std::istream& in) {
  std::string head(kChunkSize, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

// The one-shot decoder names truncations with the codec's own codes; keep a fallback so a
// short frame can never be reported as success.
proto::CodecError truncationError(const std::vector<uint8_t>& partial,
                                  const proto::DecoderOptions& options) {
  auto result = proto::decodeFrame(partial, options);
  if (!result) {
    return result.error();
  }
  return {proto::ErrorCode::TruncatedPayload, "payload", partial.size(),
          "input ends inside the frame"};
}

int report(proto::CodecError error, uint64_t frame_offset, std::ostream& err) {
  error.offset += frame_offset;
  err << "error: " << error.toString() << '\n';
  return 1;
}

}  // namespace

int runDecode(const DecodeOptions& options, std::istream& in, std::ostream& out,
              std::ostream& err) {
  std::string head = readHead(in);
  // Printable text that is not quite hex (a typo) is still read as hex, so that the error
  // names the character and its position: a raw frame starts with its version byte, 0x01.
  const bool printable = !head.empty() && std::isprint(static_cast<unsigned char>(head[0])) != 0;
  const bool hex =
      options.input == DecodeOptions::Input::Hex ||
      (options.input == DecodeOptions::Input::Auto && (printable || looksLikeHex(head)));
  ByteSource source(in, std::move(head), hex);
  proto::DecoderOptions decoder_options;
  decoder_options.max_frame_size = options.max_frame_size;

  uint64_t offset = 0;
  std::vector<uint8_t> frame;
  for (size_t index = 0;; ++index) {
    frame.clear();
    if (auto got = source.read(frame, proto::kHeaderSize); !got) {
      err << "error: " << got.error() << '\n';
      return 1;
    }
    if (frame.empty()) {
      return 0;  // clean end after a whole frame
    }
    if (frame.size() < proto::kHeaderSize) {
      return report(truncationError(frame, decoder_options), offset, err);
    }
    auto header = proto::decodeHeader(frame, decoder_options);
    if (!header) {
      return report(header.error(), offset, err);
    }
    if (auto got = source.read(frame, header->payload_length); !got) {
      err << "error: " << got.error() << '\n';
      return 1;
    }
    if (frame.size() < proto::kHeaderSize + header->payload_length) {
      return report(truncationError(frame, decoder_options), offset, err);
    }
    proto::DecoderStats stats;
    auto decoded = proto::decodeFrame(frame, decoder_options, &stats);
    if (!decoded) {
      return report(decoded.error(), offset, err);
    }
    if (options.json) {
      out << toJson(*decoded).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
          << '\n';
      if (stats.unknown_attributes > 0) {
        err << fmt::format("note: frame {} (offset {}): skipped {} unknown attributes\n", index,
                           offset, stats.unknown_attributes);
      }
    } else {
      TextOptions text;
      text.index = index;
      text.payload_length = header->payload_length;
      text.skipped_attributes = stats.unknown_attributes;
      out << toText(*decoded, text);
    }
    out.flush();
    offset += frame.size();
  }
}

}  // namespace nmsp::proto_json
