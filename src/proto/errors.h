#pragma once
// Typed decode/encode errors. Every error names the field and the byte offset (from the start
// of the frame) where decoding stopped, so a bad frame can be pinpointed from a log line.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace nmsp::proto {

enum class ErrorCode : uint8_t {
  TruncatedHeader,     // fewer than 12 bytes where a frame header must be (one-shot decode)
  TruncatedPayload,    // fewer payload bytes than the header declares (one-shot decode)
  UnsupportedVersion,  // header version outside the accepted range
  FrameTooLarge,       // header + declared payload exceeds DecoderOptions::max_frame_size
  AttributeOverrun,    // a TLV's length runs past the end of its parent
  NestingTooDeep,      // containers nested beyond DecoderOptions::max_depth
  MissingAttribute,    // a mandatory attribute is absent
  DuplicateAttribute,  // a single-valued attribute appears twice
  BadAttributeLength,  // a fixed-size attribute has the wrong length
  BadValue,            // a value outside its defined set or range (enum, version, UTF-8, ...)
  CountMismatch,       // a count field larger than the bytes (or limit) that follow
  TooManyItems,        // a list longer than the protocol allows (e.g. > 16 APs)
  FrameLimitExceeded,  // encode: the frame would exceed the maximum size
  DecoderFailed,       // the stream decoder already failed; it takes no more input
};

std::string_view errorCodeName(ErrorCode code);

struct CodecError {
  ErrorCode code = ErrorCode::BadValue;
  std::string field;   // e.g. "header.payload_length", "ap-rssi-list.count", "device[3].mac"
  size_t offset = 0;   // byte offset from the start of the frame
  std::string detail;  // human explanation with the numbers involved

  /// "attribute-overrun at offset 27 (device[0]): length 40 exceeds the 12 bytes left in parent"
  std::string toString() const;
};

template <class T>
using CodecResult = Result<T, CodecError>;
using CodecStatus = Result<void, CodecError>;

}  // namespace nmsp::proto
