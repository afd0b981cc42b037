#pragma once
// Internal: how each kind of attribute value is read and written. A codec has
//   using Value = T;
//   static constexpr size_t kMinSize;  // the fewest value bytes a valid value has
//   static CodecStatus decode(std::span<const uint8_t> value, T& out, const Site&, DecodeContext&);
//   static CodecStatus encode(const T& in, wire::Writer&, const Site&);
// Fixed-size codecs (usable as parts of a record, fields.h) also have kSize, load and store.
// Decoders check the length first and load only from the bytes present; encoders refuse values
// the decoder would reject, so that whatever we send is valid.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <type_traits>

#include "common/ip_address.h"
#include "common/mac_address.h"
#include "proto/messages.h"
#include "proto/tlv_structure.h"
#include "proto/wire_bytes.h"

namespace nmsp::proto::codec {

CodecError badLength(const Site& site, size_t got, std::string_view expected);

/// Fixed-size integer (unsigned or two's complement signed) in network order.
template <class T>
struct Int {
  using Value = T;
  static_assert(std::is_integral_v<T> && sizeof(T) <= 8);
  using U = std::make_unsigned_t<T>;
  static constexpr size_t kSize = sizeof(T);
  static constexpr size_t kMinSize = sizeof(T);
  static constexpr int64_t kMin = static_cast<int64_t>(std::numeric_limits<T>::min());
  static constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<T>::max());

  static T load(const uint8_t* p) {
    if constexpr (sizeof(T) == 1) {
      return static_cast<T>(p[0]);
    } else if constexpr (sizeof(T) == 2) {
      return static_cast<T>(wire::load16(p));
    } else if constexpr (sizeof(T) == 4) {
      return static_cast<T>(wire::load32(p));
    } else {
      return static_cast<T>(wire::load64(p));
    }
  }
  static void store(T in, uint8_t* p) {
    const auto u = static_cast<uint64_t>(static_cast<U>(in));
    for (size_t i = 0; i < sizeof(T); ++i) {
      p[i] = static_cast<uint8_t>(u >> (8 * (sizeof(T) - 1 - i)));
    }
  }

  static CodecStatus decode(std::span<const uint8_t> v, T& out, const Site& site,
                            DecodeContext& /*ctx*/) {
    if (v.size() != sizeof(T)) {
      return Unexpected{badLength(site, v.size(), std::to_string(sizeof(T)))};
    }
    out = load(v.data());
    return {};
  }
  static CodecStatus encode(const T& in, wire::Writer& w, const Site& /*site*/) {
    const auto u = static_cast<uint64_t>(static_cast<U>(in));
    for (size_t i = sizeof(T); i > 0; --i) {
      w.u8(static_cast<uint8_t>(u >> (8 * (i - 1))));
    }
    return {};
  }
};

CodecError outOfRange(const Site& site, int64_t value, int64_t lo, int64_t hi);

/// Semantic integers: the same bytes as Int, shown differently by the views.
struct UtcMs : Int<uint64_t> {};             // milliseconds since the Unix epoch, UTC
struct ServiceMaskCodec : Int<uint64_t> {};  // a ServiceMask (services.h)
struct MessageIdCodec : Int<uint16_t> {};    // a message id (messages.h)

/// Integer restricted to [Lo, Hi].
template <class T, int64_t Lo, int64_t Hi>
struct Ranged {
  using Value = T;
  static constexpr size_t kMinSize = sizeof(T);
  static constexpr int64_t kMin = Lo;
  static constexpr uint64_t kMax = static_cast<uint64_t>(Hi);
  static CodecStatus check(T v, const Site& site) {
    const auto x = static_cast<int64_t>(v);
    if (x < Lo || x > Hi) {
      return Unexpected{outOfRange(site, x, Lo, Hi)};
    }
    return {};
  }
  static CodecStatus decode(std::span<const uint8_t> v, T& out, const Site& site,
                            DecodeContext& ctx) {
    if (auto st = Int<T>::decode(v, out, site, ctx); !st) {
      return st;
    }
    return check(out, site);
  }
  static CodecStatus encode(const T& in, wire::Writer& w, const Site& site) {
    if (auto st = check(in, site); !st) {
      return st;
    }
    return Int<T>::encode(in, w, site);
  }
};

/// A protocol enumeration: its valid values are those of its table (enums.h).
template <TableEnum E>
struct Enum {
  using Value = E;
  using U = std::underlying_type_t<E>;
  using Raw = Ranged<U, kEnumMin<E>, kEnumMax<E>>;
  static constexpr size_t kSize = sizeof(U);
  static constexpr size_t kMinSize = sizeof(U);

  static CodecStatus decode(std::span<const uint8_t> v, E& out, const Site& site,
                            DecodeContext& ctx) {
    U raw = 0;
    if (auto st = Raw::decode(v, raw, site, ctx); !st) {
      return st;
    }
    out = static_cast<E>(raw);
    return {};
  }
  static CodecStatus encode(const E& in, wire::Writer& w, const Site& site) {
    return Raw::encode(static_cast<U>(in), w, site);
  }

  // As a part of a record: "band 4 outside 1..3" names the value by the table's kWhat.
  static bool valid(E value) { return isDefinedValue<E>(static_cast<int64_t>(value)); }
  static std::string invalidText(E value) {
    return std::string(EnumTable<E>::kWhat) + " " + std::to_string(static_cast<uint64_t>(value)) +
           " outside " + std::to_string(kEnumMin<E>) + ".." + std::to_string(kEnumMax<E>);
  }
  static E load(const uint8_t* p) { return static_cast<E>(Int<U>::load(p)); }
  static void store(E in, uint8_t* p) { Int<U>::store(static_cast<U>(in), p); }
};

using PeerRoleCodec = Enum<PeerRole>;
using ResultCodeCodec = Enum<ResultCode>;
using ErrorReasonCodec = Enum<ErrorReason>;
using DeviceKindCodec = Enum<DeviceKind>;
using BandCodec = Enum<Band>;
using AssocStateCodec = Enum<AssocState>;
using AttachStateCodec = Enum<AttachState>;
using TelemetryKindCodec = Enum<TelemetryKind>;
using ServiceCodec = Enum<Service>;

struct MacCodec {
  using Value = MacAddress;
  static constexpr size_t kSize = 6;
  static constexpr size_t kMinSize = kSize;
  static MacAddress load(const uint8_t* p) {
    MacAddress m;
    std::copy(p, p + kSize, m.bytes.begin());
    return m;
  }
  static void store(const MacAddress& in, uint8_t* p) {
    std::copy(in.bytes.begin(), in.bytes.end(), p);
  }
  static CodecStatus decode(std::span<const uint8_t> v, MacAddress& out, const Site& site,
                            DecodeContext& ctx);
  static CodecStatus encode(const MacAddress& in, wire::Writer& w, const Site& site);
};

/// 4 bytes (IPv4) or 16 bytes (IPv6); the length tells the family.
struct IpCodec {
  using Value = IpAddress;
  static constexpr size_t kMinSize = 4;
  static CodecStatus decode(std::span<const uint8_t> v, IpAddress& out, const Site& site,
                            DecodeContext& ctx);
  static CodecStatus encode(const IpAddress& in, wire::Writer& w, const Site& site);
};

CodecStatus decodeUtf8(std::span<const uint8_t> v, std::string& out, const Site& site, size_t min,
                       size_t max);
CodecStatus encodeUtf8(const std::string& in, wire::Writer& w, const Site& site, size_t min,
                       size_t max);

/// UTF-8 text of Min..Max bytes, no terminator.
template <size_t Min, size_t Max>
struct Utf8 {
  using Value = std::string;
  static constexpr size_t kMinSize = Min;
  static constexpr size_t kMaxSize = Max;
  static CodecStatus decode(std::span<const uint8_t> v, std::string& out, const Site& site,
                            DecodeContext& /*ctx*/) {
    return decodeUtf8(v, out, site, Min, Max);
  }
  static CodecStatus encode(const std::string& in, wire::Writer& w, const Site& site) {
    return encodeUtf8(in, w, site, Min, Max);
  }
};

/// Marks, in NMSP_ATTRIBUTES, an attribute whose value packs several members of the enclosing
/// structure; its Schema lists them (PackedField, fields.h).
struct Packed {};

/// Bytes that are sent as zero and ignored on receipt (a gap in a record).
template <size_t N>
struct Reserved {
  static constexpr size_t kSize = N;
};

}  // namespace nmsp::proto::codec
