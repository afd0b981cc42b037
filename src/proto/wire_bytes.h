#pragma once
// Internal: big-endian loads from bounds-checked spans and a Writer that appends to a buffer.
// Callers check lengths before loading; the Writer patches TLV lengths once a value is written.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace nmsp::proto::wire {

inline uint16_t load16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
inline uint32_t load32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
         static_cast<uint32_t>(p[2]) << 8 | static_cast<uint32_t>(p[3]);
}
inline uint64_t load64(const uint8_t* p) {
  return static_cast<uint64_t>(load32(p)) << 32 | load32(p + 4);
}

/// Appends big-endian values to `out`; offset() is relative to where the frame started.
class Writer {
 public:
  explicit Writer(std::vector<uint8_t>& out) : out_(out), start_(out.size()) {}

  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v) {
    const uint8_t b[2] = {static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
    out_.insert(out_.end(), b, b + 2);
  }
  void u32(uint32_t v) {
    const uint8_t b[4] = {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                          static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
    out_.insert(out_.end(), b, b + 4);
  }
  void u64(uint64_t v) {
    u32(static_cast<uint32_t>(v >> 32));
    u32(static_cast<uint32_t>(v));
  }
  void bytes(std::span<const uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }

  /// Writes a TLV header with a zero length; returns the position of its value.
  size_t beginTlv(uint16_t type) {
    u16(type);
    u16(0);
    return out_.size();
  }
  /// Patches the length of the TLV begun at `value_pos`; false if the value exceeds 65535.
  bool endTlv(size_t value_pos) {
    const size_t length = out_.size() - value_pos;
    if (length > 0xFFFF) {
      return false;
    }
    out_[value_pos - 2] = static_cast<uint8_t>(length >> 8);
    out_[value_pos - 1] = static_cast<uint8_t>(length);
    return true;
  }
  size_t valueLength(size_t value_pos) const { return out_.size() - value_pos; }

  size_t offset() const { return out_.size() - start_; }
  size_t absolute() const { return out_.size(); }
  std::vector<uint8_t>& buffer() { return out_; }

 private:
  std::vector<uint8_t>& out_;
  size_t start_;
};

}  // namespace nmsp::proto::wire
