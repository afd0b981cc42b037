#include "proto/schema.h"

namespace nmsp::proto {

namespace codec {

CodecStatus ApRssiListCodec::decode(std::span<const uint8_t> v, ApRssiList& out, const Site& site,
                                    DecodeContext& /*ctx*/) {
  constexpr size_t kRecordSize = ElementCodec::kSize;
  const size_t value_offset = site.offset + kTlvHeaderSize;
  if (v.empty()) {
    return Unexpected{badLength(site, 0, "1 + " + std::to_string(kRecordSize) + " x count")};
  }
  const size_t count = v[0];
  if (count > kMaxItems) {
    return Unexpected{site.error(
        ErrorCode::TooManyItems, "count", value_offset,
        "count " + std::to_string(count) + " exceeds " + std::to_string(kMaxItems) + " APs")};
  }
  const size_t follow = v.size() - 1;
  if (count * kRecordSize > follow) {
    return Unexpected{site.error(ErrorCode::CountMismatch, "count", value_offset,
                                 "count " + std::to_string(count) + " needs " +
                                     std::to_string(count * kRecordSize) + " bytes, " +
                                     std::to_string(follow) + " follow")};
  }
  if (count * kRecordSize < follow) {
    return Unexpected{
        badLength(site, v.size(),
                  std::to_string(1 + count * kRecordSize) + " for count " + std::to_string(count))};
  }
  out.clear();
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* r = v.data() + 1 + i * kRecordSize;
    ApRssi a;
    if (!ElementCodec::load(r, a)) [[unlikely]] {
      const FieldPath record{&site.parent, site.name, static_cast<int>(i)};
      return Unexpected{ElementCodec::loadError(r, record, value_offset + 1 + i * kRecordSize)};
    }
    out.push_back(a);
  }
  return {};
}

CodecStatus ApRssiListCodec::encode(const ApRssiList& in, wire::Writer& w, const Site& site) {
  // Every record is checked before anything is written.
  for (size_t i = 0; i < in.size(); ++i) {
    const FieldPath record{&site.parent, site.name, static_cast<int>(i)};
    if (auto st = ElementCodec::check(in[i], record, w.offset()); !st) {
      return st;
    }
  }
  w.u8(static_cast<uint8_t>(in.size()));
  for (const ApRssi& a : in) {
    // One record, appended in a single call (this is the hottest encode loop).
    uint8_t r[ElementCodec::kSize];
    ElementCodec::store(a, r);
    w.bytes(r);
  }
  return {};
}

}  // namespace codec

CodecStatus Schema<InitRequest>::check(const InitRequest& m, const Site& site) {
  if (m.min_version > m.max_version) {
    const FieldPath path = site.path();
    return Unexpected{makeError(ErrorCode::BadValue, path.render("min-version"), site.offset,
                                "min-version " + std::to_string(m.min_version) +
                                    " is above max-version " + std::to_string(m.max_version))};
  }
  return {};
}

}  // namespace nmsp::proto
