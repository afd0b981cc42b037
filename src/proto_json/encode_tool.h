#pragma once
// `nmsp encode`: JSON frame descriptions (docs/protocol-json.md) to NMSP frames, as lowercase
// hex (one frame per line) or raw bytes. Kept out of the CLI so tests can run it in memory.

#include <cstddef>
#include <iosfwd>

#include "proto/codec.h"

namespace nmsp::proto_json {

struct EncodeOptions {
  bool binary = false;  // raw frames instead of hex lines
  size_t max_frame_size = proto::kDefaultMaxFrameSize;
  size_t max_input_bytes = size_t{64} << 20;  // JSON is parsed whole: bound what we hold
};

/// Reads one JSON object, an array of objects, or objects one after another (one per line, or
/// pretty-printed back to back; see parseJsonDocuments); encodes every frame
/// and only then writes them all, so a bad input writes nothing. Returns the exit code: 0, or
/// 1 with `error: ...` on `err` naming the frame (and line or array index) and the JSON path.
int runEncode(const EncodeOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace nmsp::proto_json
