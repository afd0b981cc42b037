// Fuzzes the NMSP decoder. For each input:
//  - decodeFrame on the whole input;
//  - the stream Decoder fed the input in one piece and split at a data-derived point: both must
//    yield the same frames and the same error;
//  - every decoded frame must re-encode, and the re-encoded bytes must decode to the same frame.
// Any disagreement aborts (a finding); malformed input must only ever produce a CodecError.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "proto/codec.h"

namespace {

using nmsp::proto::CodecStatus;
using nmsp::proto::Decoder;
using nmsp::proto::DecoderCallbacks;
using nmsp::proto::Frame;

class CollectFrames : public DecoderCallbacks {
 public:
  void onFrame(Frame&& frame) override { frames.push_back(std::move(frame)); }
  std::vector<Frame> frames;
};

void check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

void checkRoundTrip(const Frame& frame) {
  auto bytes = nmsp::proto::encodeFrame(frame);
  check(bytes.has_value());  // whatever we accept, we can send
  auto again = nmsp::proto::decodeFrame(*bytes);
  check(again.has_value());
  Frame expected = frame;
  if (nmsp::proto::isRequest(nmsp::proto::messageIdOf(frame.message))) {
    expected.flags |= nmsp::proto::kFlagRequest;  // the encoder always flags requests
  }
  check(*again == expected);
  auto third = nmsp::proto::encodeFrame(*again);  // canonical: stable after one pass
  check(third.has_value() && *third == *bytes);
}

struct StreamOutcome {
  std::vector<Frame> frames;
  bool ok = true;
  nmsp::proto::ErrorCode code{};
};

StreamOutcome decodeStream(std::span<const uint8_t> input, size_t split) {
  CollectFrames sink;
  Decoder decoder(sink);
  CodecStatus st = decoder.decode(input.first(split));
  if (st.has_value()) {
    st = decoder.decode(input.subspan(split));
  }
  check(decoder.pendingBytes() <= decoder.options().max_frame_size);
  StreamOutcome out{std::move(sink.frames), st.has_value(), {}};
  if (!st.has_value()) {
    out.code = st.error().code;
    check(decoder.failed());
    check(!decoder.decode(input).has_value());  // a failed decoder stays failed
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);

  if (auto frame = nmsp::proto::decodeFrame(input)) {
    checkRoundTrip(*frame);
  }

  const size_t split = size == 0 ? 0 : (data[size - 1] * 257u + data[0]) % (size + 1);
  const StreamOutcome whole = decodeStream(input, size);
  const StreamOutcome pieces = decodeStream(input, split);
  check(whole.frames == pieces.frames);
  check(whole.ok == pieces.ok);
  check(whole.ok || whole.code == pieces.code);
  for (const Frame& f : whole.frames) {
    checkRoundTrip(f);
  }
  return 0;
}
