#include "proto/errors.h"

#include <string>

namespace nmsp::proto {

std::string_view errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::TruncatedHeader:
      return "truncated-header";
    case ErrorCode::TruncatedPayload:
      return "truncated-payload";
    case ErrorCode::UnsupportedVersion:
      return "unsupported-version";
    case ErrorCode::FrameTooLarge:
      return "frame-too-large";
    case ErrorCode::AttributeOverrun:
      return "attribute-overrun";
    case ErrorCode::NestingTooDeep:
      return "nesting-too-deep";
    case ErrorCode::MissingAttribute:
      return "missing-attribute";
    case ErrorCode::DuplicateAttribute:
      return "duplicate-attribute";
    case ErrorCode::BadAttributeLength:
      return "bad-attribute-length";
    case ErrorCode::BadValue:
      return "bad-value";
    case ErrorCode::CountMismatch:
      return "count-mismatch";
    case ErrorCode::TooManyItems:
      return "too-many-items";
    case ErrorCode::FrameLimitExceeded:
      return "frame-limit-exceeded";
    case ErrorCode::DecoderFailed:
      return "decoder-failed";
  }
  return "unknown-error";
}

std::string CodecError::toString() const {
  std::string out(errorCodeName(code));
  out += " at offset ";
  out += std::to_string(offset);
  if (!field.empty()) {
    out += " (";
    out += field;
    out += ")";
  }
  if (!detail.empty()) {
    out += ": ";
    out += detail;
  }
  return out;
}

}  // namespace nmsp::proto
