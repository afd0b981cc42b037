#include "proto/schema.h"

namespace nmsp::proto {
namespace {

constexpr size_t kPositionSize = 12;
constexpr size_t kGeoSize = 8;

int32_t loadI32(const uint8_t* p) {
  return static_cast<int32_t>(wire::load32(p));
}

}  // namespace

CodecStatus decodePosition(DeviceLocation& s, const Tlv& tlv, const Site& site,
                           DecodeContext& /*ctx*/) {
  if (tlv.value.size() != kPositionSize) {
    return Unexpected{codec::badLength(site, tlv.value.size(), "12")};
  }
  s.x_mm = loadI32(tlv.value.data());
  s.y_mm = loadI32(tlv.value.data() + 4);
  s.z_mm = loadI32(tlv.value.data() + 8);
  return {};
}

CodecStatus encodePosition(const DeviceLocation& s, uint16_t type, const FieldPath& /*parent*/,
                           std::string_view /*name*/, wire::Writer& w) {
  const size_t pos = w.beginTlv(type);
  w.u32(static_cast<uint32_t>(s.x_mm));
  w.u32(static_cast<uint32_t>(s.y_mm));
  w.u32(static_cast<uint32_t>(s.z_mm));
  (void)w.endTlv(pos);  // 12 bytes always fit
  return {};
}

CodecStatus decodeGeo(DeviceLocation& s, const Tlv& tlv, const Site& site, DecodeContext& /*ctx*/) {
  if (tlv.value.size() != kGeoSize) {
    return Unexpected{codec::badLength(site, tlv.value.size(), "8")};
  }
  s.latitude_e7 = loadI32(tlv.value.data());
  s.longitude_e7 = loadI32(tlv.value.data() + 4);
  return {};
}

CodecStatus encodeGeo(const DeviceLocation& s, uint16_t type, const FieldPath& parent,
                      std::string_view name, wire::Writer& w) {
  if (s.latitude_e7.has_value() != s.longitude_e7.has_value()) {
    const Site site{parent, name, -1, w.offset()};
    return Unexpected{
        site.error(ErrorCode::BadValue, "latitude and longitude must be given together")};
  }
  if (!s.latitude_e7.has_value()) {
    return {};
  }
  const size_t pos = w.beginTlv(type);
  w.u32(static_cast<uint32_t>(*s.latitude_e7));
  w.u32(static_cast<uint32_t>(*s.longitude_e7));
  (void)w.endTlv(pos);  // 8 bytes always fit
  return {};
}

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
