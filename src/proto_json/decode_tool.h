#pragma once
// `nmsp decode`: NMSP frames (hex text or raw bytes) from a stream to text or JSON lines.
// Kept out of the CLI so tests can run it on in-memory streams.

#include <cstddef>
#include <iosfwd>

#include "proto/codec.h"

namespace nmsp::proto_json {

struct DecodeOptions {
  enum class Input { Auto, Hex, Binary };
  Input input = Input::Auto;  // Auto: hex if the first 4 KiB look like hex text (looksLikeHex)
  bool json = false;          // one canonical JSON object per line instead of text blocks
  size_t max_frame_size = proto::kDefaultMaxFrameSize;
};

/// Decodes every frame of `in` (any number, concatenated) and prints each as soon as it is
/// complete, so memory stays bounded by one frame. Returns the exit code: 0 when the input
/// ends cleanly after a whole frame (or is empty); 1 on bad hex, a malformed or truncated frame
/// (`error: <code> at offset N (<field>): <detail>` on `err`, offset from the start of the
/// input) or a read failure. Skipped unknown attributes are reported per frame (in the text
/// block, or as a note on `err` with --json so stdout stays pure JSON).
int runDecode(const DecodeOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace nmsp::proto_json
