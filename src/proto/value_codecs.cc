#include "proto/value_codecs.h"

#include <algorithm>

#include "proto/utf8.h"

namespace nmsp::proto::codec {
namespace {

constexpr size_t kApRecordSize = 20;
constexpr size_t kTelemetrySize = 10;

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

CodecStatus TelemetryCodec::decode(std::span<const uint8_t> v, Telemetry& out, const Site& site,
                                   DecodeContext& /*ctx*/) {
  if (v.size() != kTelemetrySize) {
    return Unexpected{badLength(site, v.size(), "10")};
  }
  const uint16_t kind = wire::load16(v.data());
  if (kind < 1 || kind > 4) {
    return Unexpected{site.error(ErrorCode::BadValue, "kind", site.offset + kTlvHeaderSize,
                                 "telemetry kind " + std::to_string(kind) + " outside 1..4")};
  }
  out.kind = static_cast<TelemetryKind>(kind);
  out.value = static_cast<int64_t>(wire::load64(v.data() + 2));
  return {};
}

CodecStatus TelemetryCodec::encode(const Telemetry& in, wire::Writer& w, const Site& site) {
  const auto kind = static_cast<uint16_t>(in.kind);
  if (kind < 1 || kind > 4) {
    return Unexpected{site.error(ErrorCode::BadValue, "kind", site.offset + kTlvHeaderSize,
                                 "telemetry kind " + std::to_string(kind) + " outside 1..4")};
  }
  w.u16(kind);
  w.u64(static_cast<uint64_t>(in.value));
  return {};
}

CodecStatus ApRssiListCodec::decode(std::span<const uint8_t> v, ApRssiList& out, const Site& site,
                                    DecodeContext& /*ctx*/) {
  const size_t value_offset = site.offset + kTlvHeaderSize;
  if (v.empty()) {
    return Unexpected{badLength(site, 0, "1 + 20 x count")};
  }
  const size_t count = v[0];
  if (count > kMaxApsPerDevice) {
    return Unexpected{site.error(ErrorCode::TooManyItems, "count", value_offset,
                                 "count " + std::to_string(count) + " exceeds " +
                                     std::to_string(kMaxApsPerDevice) + " APs")};
  }
  const size_t follow = v.size() - 1;
  if (count * kApRecordSize > follow) {
    return Unexpected{site.error(ErrorCode::CountMismatch, "count", value_offset,
                                 "count " + std::to_string(count) + " needs " +
                                     std::to_string(count * kApRecordSize) + " bytes, " +
                                     std::to_string(follow) + " follow")};
  }
  if (count * kApRecordSize < follow) {
    return Unexpected{badLength(
        site, v.size(),
        std::to_string(1 + count * kApRecordSize) + " for count " + std::to_string(count))};
  }
  out.clear();
  const FieldPath list = site.path();
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* r = v.data() + 1 + i * kApRecordSize;
    ApRssi a;
    std::copy(r, r + 6, a.ap_mac.bytes.begin());
    a.slot = r[6];
    if (r[7] < 1 || r[7] > 3) {
      const FieldPath rec{list.parent, list.name, static_cast<int>(i)};
      return Unexpected{makeError(ErrorCode::BadValue, rec.render("band"),
                                  value_offset + 1 + i * kApRecordSize + 7,
                                  "band " + std::to_string(r[7]) + " outside 1..3")};
    }
    a.band = static_cast<Band>(r[7]);
    a.antenna = r[8];
    a.rssi_dbm = static_cast<int8_t>(r[9]);
    a.snr_db = static_cast<int8_t>(r[10]);
    // r[11] is reserved: sent as 0, ignored on receipt.
    a.timestamp_utc_ms = wire::load64(r + 12);
    out.push_back(a);
  }
  return {};
}

CodecStatus ApRssiListCodec::encode(const ApRssiList& in, wire::Writer& w, const Site& site) {
  const FieldPath list = site.path();
  for (size_t i = 0; i < in.size(); ++i) {
    const auto band = static_cast<uint8_t>(in[i].band);
    if (band < 1 || band > 3) {
      const FieldPath rec{list.parent, list.name, static_cast<int>(i)};
      return Unexpected{makeError(ErrorCode::BadValue, rec.render("band"), w.offset(),
                                  "band " + std::to_string(band) + " outside 1..3")};
    }
  }
  w.u8(static_cast<uint8_t>(in.size()));
  for (const ApRssi& a : in) {
    // One 20-byte record, appended in a single call (this is the hottest encode loop).
    uint8_t r[kApRecordSize] = {};
    std::copy(a.ap_mac.bytes.begin(), a.ap_mac.bytes.end(), r);
    r[6] = a.slot;
    r[7] = static_cast<uint8_t>(a.band);
    r[8] = a.antenna;
    r[9] = static_cast<uint8_t>(a.rssi_dbm);
    r[10] = static_cast<uint8_t>(a.snr_db);
    r[11] = 0;  // reserved
    for (size_t i = 0; i < 8; ++i) {
      r[12 + i] = static_cast<uint8_t>(a.timestamp_utc_ms >> (56 - 8 * i));
    }
    w.bytes(r);
  }
  return {};
}

}  // namespace nmsp::proto::codec
