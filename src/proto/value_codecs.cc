#include "proto/value_codecs.h"

#include <algorithm>

#include "proto/utf8.h"

namespace nmsp::proto::codec {
namespace {

std::string_view asText(std::span<const uint8_t> v) {
  return {reinterpret_cast<const char*>(v.data()), v.size()};
}

}  // namespace

CodecError badLength(const Site& site, size_t got, std::string_view expected) {
  return site.error(ErrorCode::BadAttributeLength,
                    "value length " + std::to_string(got) + ", expected " + std::string(expected));
}

CodecError outOfRange(const Site& site, int64_t value, int64_t lo, int64_t hi) {
  return site.error(ErrorCode::BadValue, "value " + std::to_string(value) + " outside " +
                                             std::to_string(lo) + ".." + std::to_string(hi));
}

CodecStatus MacCodec::decode(std::span<const uint8_t> v, MacAddress& out, const Site& site,
                             DecodeContext& /*ctx*/) {
  if (v.size() != out.bytes.size()) {
    return Unexpected{badLength(site, v.size(), "6")};
  }
  std::copy(v.begin(), v.end(), out.bytes.begin());
  return {};
}

CodecStatus MacCodec::encode(const MacAddress& in, wire::Writer& w, const Site& /*site*/) {
  w.bytes(in.bytes);
  return {};
}

CodecStatus IpCodec::decode(std::span<const uint8_t> v, IpAddress& out, const Site& site,
                            DecodeContext& /*ctx*/) {
  if (v.size() != 4 && v.size() != 16) {
    return Unexpected{badLength(site, v.size(), "4 or 16")};
  }
  out = IpAddress{};
  out.family = v.size() == 4 ? IpAddress::Family::V4 : IpAddress::Family::V6;
  std::copy(v.begin(), v.end(), out.bytes.begin());
  return {};
}

CodecStatus IpCodec::encode(const IpAddress& in, wire::Writer& w, const Site& site) {
  if (in.family != IpAddress::Family::V4 && in.family != IpAddress::Family::V6) {
    return Unexpected{site.error(ErrorCode::BadValue, "address family is neither IPv4 nor IPv6")};
  }
  w.bytes(std::span(in.bytes).first(in.size()));
  return {};
}

CodecStatus decodeUtf8(std::span<const uint8_t> v, std::string& out, const Site& site, size_t min,
                       size_t max) {
  const std::string_view text = asText(v);
  if (text.size() < min || text.size() > max) {
    return Unexpected{site.error(ErrorCode::BadValue, "text of " + std::to_string(text.size()) +
                                                          " bytes, allowed " + std::to_string(min) +
                                                          ".." + std::to_string(max))};
  }
  if (!isValidUtf8(text)) {
    return Unexpected{site.error(ErrorCode::BadValue, "text is not valid UTF-8")};
  }
  out.assign(text);
  return {};
}

CodecStatus encodeUtf8(const std::string& in, wire::Writer& w, const Site& site, size_t min,
                       size_t max) {
  if (in.size() < min || in.size() > max) {
    return Unexpected{site.error(ErrorCode::BadValue, "text of " + std::to_string(in.size()) +
                                                          " bytes, allowed " + std::to_string(min) +
                                                          ".." + std::to_string(max))};
  }
  if (!isValidUtf8(in)) {
    return Unexpected{site.error(ErrorCode::BadValue, "text is not valid UTF-8")};
  }
  w.bytes(std::span(reinterpret_cast<const uint8_t*>(in.data()), in.size()));
  return {};
}

}  // namespace nmsp::proto::codec
