#pragma once
// Internal: the generic codec of a structure (a message payload or a container value). Each
// structure has a Schema<S>::kFields table (schema.h) that lists its attributes in canonical
// order with their cardinality and codec; decodeStruct/encodeStruct interpret that table, so the
// rules for duplicates, missing and unknown attributes live in one place.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "proto/tlv_structure.h"
#include "proto/value_codecs.h"

namespace nmsp::proto {

enum class Cardinality : uint8_t { One, Optional, Many };

template <class S>
struct FieldDef {
  uint16_t type = 0;
  std::string_view name;
  Cardinality cardinality = Cardinality::One;
  // Decodes one occurrence of the attribute into `s`.
  CodecStatus (*decode)(S& s, const Tlv& tlv, const Site& site, DecodeContext& ctx) = nullptr;
  // Writes every occurrence the value of `s` holds (zero or more TLVs).
  CodecStatus (*encode)(const S& s, uint16_t type, const FieldPath& parent, std::string_view name,
                        wire::Writer& w) = nullptr;
};

/// Specialised in schema.h: `static constexpr std::array<FieldDef<S>, N> kFields`, and for
/// structures with a rule across attributes `static CodecStatus check(const S&, const Site&)`.
template <class S>
struct Schema;

template <class S>
concept HasCrossCheck = requires(const S& s, const Site& site) {
  Schema<S>::check(s, site);
};

/// Decodes `bytes` (the attributes of a structure at `site`; depth = site.depth + 1 for a
/// container, 1 for a payload) into `out`.
template <class S>
CodecStatus decodeStruct(std::span<const uint8_t> bytes, S& out, int depth, const Site& site,
                         DecodeContext& ctx) {
  constexpr auto& fields = Schema<S>::kFields;
  static_assert(fields.size() <= 32, "seen-mask holds 32 fields");
  const FieldPath path = site.path();
  if (auto st = checkDepth(bytes, depth, path, ctx); !st) {
    return st;
  }
  uint32_t seen = 0;
  auto st = forEachTlv(bytes, path, ctx, [&](const Tlv& tlv) -> CodecStatus {
    for (size_t i = 0; i < fields.size(); ++i) {
      const FieldDef<S>& f = fields[i];
      if (f.type != tlv.type) {
        continue;
      }
      const uint32_t bit = uint32_t{1} << i;
      const Site child{path, f.name, -1, tlv.offset, depth};
      if (f.cardinality != Cardinality::Many && (seen & bit) != 0) {
        return Unexpected{child.error(ErrorCode::DuplicateAttribute,
                                      "single-valued attribute appears more than once")};
      }
      seen |= bit;
      return f.decode(out, tlv, child, ctx);
    }
    // Not defined here: skip it (forward compatibility) but still check its structure.
    ++ctx.unknown_attributes;
    if ((tlv.type & attr::kContainerBit) != 0) {
      return validateTlvTree(tlv.value, depth + 1, FieldPath::skipped(path, tlv.type), ctx);
    }
    return {};
  });
  if (!st) {
    return st;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].cardinality == Cardinality::One && (seen & (uint32_t{1} << i)) == 0) {
      return Unexpected{makeError(ErrorCode::MissingAttribute, path.render(fields[i].name),
                                  site.offset, "mandatory attribute is absent")};
    }
  }
  if constexpr (HasCrossCheck<S>) {
    return Schema<S>::check(out, site);
  }
  return {};
}

/// Writes the attributes of `in` (the structure at `site`) in canonical order.
template <class S>
CodecStatus encodeStruct(const S& in, const Site& site, wire::Writer& w) {
  if constexpr (HasCrossCheck<S>) {
    if (auto st = Schema<S>::check(in, site); !st) {
      return st;
    }
  }
  const FieldPath path = site.path();
  for (const FieldDef<S>& f : Schema<S>::kFields) {
    if (auto st = f.encode(in, f.type, path, f.name, w); !st) {
      return st;
    }
  }
  return {};
}

namespace codec {

/// A container attribute: its value is the attribute sequence of structure S.
template <class S>
struct Container {
  using Value = S;
  static CodecStatus decode(std::span<const uint8_t> v, S& out, const Site& site,
                            DecodeContext& ctx) {
    return decodeStruct(v, out, site.depth + 1, site, ctx);
  }
  static CodecStatus encode(const S& in, wire::Writer& w, const Site& site) {
    return encodeStruct(in, site, w);
  }
};

}  // namespace codec

/// Writes one TLV whose value `Codec` encodes.
template <class Codec>
CodecStatus encodeTlv(const typename Codec::Value& v, uint16_t type, const Site& site,
                      wire::Writer& w) {
  const size_t value_pos = w.beginTlv(type);
  if (auto st = Codec::encode(v, w, site); !st) {
    return st;
  }
  if (!w.endTlv(value_pos)) {
    return Unexpected{site.error(ErrorCode::FrameLimitExceeded,
                                 "value of " + std::to_string(w.valueLength(value_pos)) +
                                     " bytes exceeds the 65535 an attribute can hold")};
  }
  return {};
}

// --- Field definitions from member pointers ----------------------------------------------------

template <class M>
struct MemberOf;
template <class C, class T>
struct MemberOf<T C::*> {
  using Class = C;
  using Type = T;
};

template <auto Member, class Codec>
CodecStatus decodeOne(typename MemberOf<decltype(Member)>::Class& s, const Tlv& tlv,
                      const Site& site, DecodeContext& ctx) {
  return Codec::decode(tlv.value, s.*Member, site, ctx);
}

template <auto Member, class Codec>
CodecStatus decodeOptional(typename MemberOf<decltype(Member)>::Class& s, const Tlv& tlv,
                           const Site& site, DecodeContext& ctx) {
  return Codec::decode(tlv.value, (s.*Member).emplace(), site, ctx);
}

template <auto Member, class Codec>
CodecStatus decodeMany(typename MemberOf<decltype(Member)>::Class& s, const Tlv& tlv,
                       const Site& site, DecodeContext& ctx) {
  auto& items = s.*Member;
  const Site element{site.parent, site.name, static_cast<int>(items.size()), site.offset,
                     site.depth};
  return Codec::decode(tlv.value, items.emplace_back(), element, ctx);
}

template <auto Member, class Codec>
CodecStatus encodeOne(const typename MemberOf<decltype(Member)>::Class& s, uint16_t type,
                      const FieldPath& parent, std::string_view name, wire::Writer& w) {
  return encodeTlv<Codec>(s.*Member, type, Site{parent, name, -1, w.offset()}, w);
}

template <auto Member, class Codec>
CodecStatus encodeOptional(const typename MemberOf<decltype(Member)>::Class& s, uint16_t type,
                           const FieldPath& parent, std::string_view name, wire::Writer& w) {
  const auto& value = s.*Member;
  if (!value.has_value()) {
    return {};
  }
  return encodeTlv<Codec>(*value, type, Site{parent, name, -1, w.offset()}, w);
}

template <auto Member, class Codec>
CodecStatus encodeMany(const typename MemberOf<decltype(Member)>::Class& s, uint16_t type,
                       const FieldPath& parent, std::string_view name, wire::Writer& w) {
  const auto& items = s.*Member;
  for (size_t i = 0; i < items.size(); ++i) {
    const Site site{parent, name, static_cast<int>(i), w.offset()};
    if (auto st = encodeTlv<Codec>(items[i], type, site, w); !st) {
      return st;
    }
  }
  return {};
}

/// Mandatory, exactly once.
template <auto Member, class Codec>
constexpr auto one(uint16_t type, std::string_view name) {
  using S = typename MemberOf<decltype(Member)>::Class;
  static_assert(std::is_same_v<typename MemberOf<decltype(Member)>::Type, typename Codec::Value>);
  return FieldDef<S>{type, name, Cardinality::One, &decodeOne<Member, Codec>,
                     &encodeOne<Member, Codec>};
}

/// Optional, at most once (std::optional member).
template <auto Member, class Codec>
constexpr auto optional(uint16_t type, std::string_view name) {
  using S = typename MemberOf<decltype(Member)>::Class;
  static_assert(std::is_same_v<typename MemberOf<decltype(Member)>::Type,
                               std::optional<typename Codec::Value>>);
  return FieldDef<S>{type, name, Cardinality::Optional, &decodeOptional<Member, Codec>,
                     &encodeOptional<Member, Codec>};
}

/// Zero or more, kept in wire order (std::vector member).
template <auto Member, class Codec>
constexpr auto many(uint16_t type, std::string_view name) {
  using S = typename MemberOf<decltype(Member)>::Class;
  static_assert(std::is_same_v<typename MemberOf<decltype(Member)>::Type,
                               std::vector<typename Codec::Value>>);
  return FieldDef<S>{type, name, Cardinality::Many, &decodeMany<Member, Codec>,
                     &encodeMany<Member, Codec>};
}

}  // namespace nmsp::proto
