#pragma once
// Hand-built wire bytes for tests that need frames the encoder refuses to produce.

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace nmsp::proto::testing {

class Bytes {
 public:
  Bytes() = default;
  Bytes(std::initializer_list<uint8_t> b) : bytes_(b) {}

  Bytes& u8(uint8_t v) {
    bytes_.push_back(v);
    return *this;
  }
  Bytes& u16(uint16_t v) { return u8(static_cast<uint8_t>(v >> 8)).u8(static_cast<uint8_t>(v)); }
  Bytes& u32(uint32_t v) {
    return u16(static_cast<uint16_t>(v >> 16)).u16(static_cast<uint16_t>(v));
  }
  Bytes& u64(uint64_t v) {
    return u32(static_cast<uint32_t>(v >> 32)).u32(static_cast<uint32_t>(v));
  }
  Bytes& raw(const std::vector<uint8_t>& b) {
    bytes_.insert(bytes_.end(), b.begin(), b.end());
    return *this;
  }
  Bytes& text(std::string_view s) {
    bytes_.insert(bytes_.end(), s.begin(), s.end());
    return *this;
  }
  /// A TLV whose length is the size of `value`.
  Bytes& tlv(uint16_t type, const Bytes& value) {
    return u16(type).u16(static_cast<uint16_t>(value.size())).raw(value.bytes_);
  }
  /// A TLV header claiming `length`, followed by `value` whatever its size.
  Bytes& tlvClaiming(uint16_t type, uint16_t length, const Bytes& value) {
    return u16(type).u16(length).raw(value.bytes_);
  }

  size_t size() const { return bytes_.size(); }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

/// Header (version 1 unless given) + payload, with the payload's true length.
inline std::vector<uint8_t> frameBytes(uint16_t id, const Bytes& payload, uint8_t flags = 0,
                                       uint32_t txn = 1, uint8_t version = 1) {
  Bytes b;
  b.u8(version).u8(flags).u16(id).u32(txn).u32(static_cast<uint32_t>(payload.size()));
  b.raw(payload.bytes());
  return b.bytes();
}

/// The six mandatory attributes of an Init Request, valid.
inline Bytes initRequestPayload() {
  Bytes p;
  p.tlv(0x0001, Bytes{1}).tlv(0x0002, Bytes{1}).tlv(0x0003, Bytes{2});
  p.tlv(0x0004, Bytes().text("mse-1")).tlv(0x0005, Bytes().text("8.0"));
  p.tlv(0x0006, Bytes().u64(1763942400123));
  return p;
}

}  // namespace nmsp::proto::testing
