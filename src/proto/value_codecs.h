#pragma once
// Internal: how each kind of attribute value is read and written. A codec has
//   using Value = T;
//   static CodecStatus decode(std::span<const uint8_t> value, T& out, const Site&, DecodeContext&);
//   static CodecStatus encode(const T& in, wire::Writer&, const Site&);
// Decoders check the length first and load only from the bytes present; encoders refuse values
// the decoder would reject, so that whatever we send is valid.

#include <cstdint>
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

  static CodecStatus decode(std::span<const uint8_t> v, T& out, const Site& site,
                            DecodeContext& /*ctx*/) {
    if (v.size() != sizeof(T)) {
      return Unexpected{badLength(site, v.size(), std::to_string(sizeof(T)))};
    }
    U u = 0;
    for (uint8_t b : v) {
      u = static_cast<U>(static_cast<uint64_t>(u) << 8 | b);
    }
    out = static_cast<T>(u);
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

/// Integer restricted to [Lo, Hi].
template <class T, int64_t Lo, int64_t Hi>
struct Ranged {
  using Value = T;
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

/// Enumeration whose defined values are the contiguous range [Lo, Hi].
template <class E, int64_t Lo, int64_t Hi>
struct Enum {
  using Value = E;
  using U = std::underlying_type_t<E>;
  static CodecStatus decode(std::span<const uint8_t> v, E& out, const Site& site,
                            DecodeContext& ctx) {
    U raw = 0;
    if (auto st = Ranged<U, Lo, Hi>::decode(v, raw, site, ctx); !st) {
      return st;
    }
    out = static_cast<E>(raw);
    return {};
  }
  static CodecStatus encode(const E& in, wire::Writer& w, const Site& site) {
    return Ranged<U, Lo, Hi>::encode(static_cast<U>(in), w, site);
  }
};

using PeerRoleCodec = Enum<PeerRole, 1, 2>;
using ResultCodeCodec = Enum<ResultCode, 0, 8>;
using ErrorReasonCodec = Enum<ErrorReason, 1, 8>;
using DeviceKindCodec = Enum<DeviceKind, 1, 6>;
using BandCodec = Enum<Band, 1, 3>;
using AssocStateCodec = Enum<AssocState, 1, 4>;
using AttachStateCodec = Enum<AttachState, 1, 2>;
using ServiceCodec = Enum<Service, 0, kServiceCount - 1>;

struct MacCodec {
  using Value = MacAddress;
  static CodecStatus decode(std::span<const uint8_t> v, MacAddress& out, const Site& site,
                            DecodeContext& ctx);
  static CodecStatus encode(const MacAddress& in, wire::Writer& w, const Site& site);
};

/// 4 bytes (IPv4) or 16 bytes (IPv6); the length tells the family.
struct IpCodec {
  using Value = IpAddress;
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
  static CodecStatus decode(std::span<const uint8_t> v, std::string& out, const Site& site,
                            DecodeContext& /*ctx*/) {
    return decodeUtf8(v, out, site, Min, Max);
  }
  static CodecStatus encode(const std::string& in, wire::Writer& w, const Site& site) {
    return encodeUtf8(in, w, site, Min, Max);
  }
};

/// kind u16 + value i64.
struct TelemetryCodec {
  using Value = Telemetry;
  static CodecStatus decode(std::span<const uint8_t> v, Telemetry& out, const Site& site,
                            DecodeContext& ctx);
  static CodecStatus encode(const Telemetry& in, wire::Writer& w, const Site& site);
};

/// count u8 then count 20-byte AP records.
struct ApRssiListCodec {
  using Value = ApRssiList;
  static CodecStatus decode(std::span<const uint8_t> v, ApRssiList& out, const Site& site,
                            DecodeContext& ctx);
  static CodecStatus encode(const ApRssiList& in, wire::Writer& w, const Site& site);
};

}  // namespace nmsp::proto::codec
