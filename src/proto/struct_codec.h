#pragma once
// Internal: the generic codecs of structures, interpreting their Schema (fields.h):
//  - decodeStruct/encodeStruct: a TLV structure (message payload or container value), so the
//    rules for duplicates, missing and unknown attributes live in one place;
//  - codec::Container<S>: a container attribute whose value is structure S;
//  - codec::Record<S>: a fixed-size value whose parts are S's members (e.g. telemetry);
//  - packed attributes (several members in one fixed-size value, e.g. position-mm).

#include <algorithm>
#include <array>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "proto/fields.h"
#include "proto/tlv_structure.h"
#include "proto/value_codecs.h"

namespace nmsp::proto {

// --- Fixed layouts: the parts of a record or of a packed attribute ----------------------------

template <class Part>
constexpr size_t partSize() {
  if constexpr (IsReserved<Part>::value) {
    return Part::kSize;
  } else {
    return Part::Codec::kSize;
  }
}

template <class... Parts>
constexpr size_t layoutSize(const std::tuple<Parts...>& /*parts*/) {
  return (partSize<Parts>() + ... + 0);
}

/// Calls f(part, offset) for each part that holds a member, with its offset in the layout.
template <class Tuple, class F>
constexpr void forEachPart(const Tuple& parts, F&& f) {
  size_t offset = 0;
  std::apply(
      [&](const auto&... part) {
        (
            [&] {
              using P = std::decay_t<decltype(part)>;
              if constexpr (!IsReserved<P>::value) {
                f(part, offset);
              }
              offset += partSize<P>();
            }(),
            ...);
      },
      parts);
}

template <class Codec>
concept ChecksValues = requires(const typename Codec::Value& v) {
  { Codec::valid(v) } -> std::same_as<bool>;
};

/// Reads the members of `out` from a layout at `p`; false if a value is one its codec does not
/// define (layoutError then describes it; `out` is to be discarded).
template <class S, class Tuple>
bool loadLayout(const Tuple& parts, const uint8_t* p, S& out) {
  bool valid = true;
  forEachPart(parts, [&](const auto& part, size_t at) {
    using P = std::decay_t<decltype(part)>;
    using C = typename P::Codec;
    const auto value = C::load(p + at);
    if constexpr (ChecksValues<C>) {
      valid = valid && C::valid(value);
    }
    if constexpr (P::kCardinality == Cardinality::Optional) {
      P::of(out).emplace(value);
    } else {
      P::of(out) = value;
    }
  });
  return valid;
}

/// The error for the first undefined value of a layout at `p` (`offset`: its offset in the
/// frame): on "<path>.<key>", at the part's own offset.
template <class Tuple>
CodecError layoutError(const Tuple& parts, const uint8_t* p, const FieldPath& path, size_t offset) {
  std::optional<CodecError> error;
  forEachPart(parts, [&](const auto& part, size_t at) {
    using C = typename std::decay_t<decltype(part)>::Codec;
    if constexpr (ChecksValues<C>) {
      const auto value = C::load(p + at);
      if (!error && !C::valid(value)) {
        error = makeError(ErrorCode::BadValue, path.render(part.key), offset + at,
                          C::invalidText(value));
      }
    }
  });
  return std::move(*error);
}

/// Refuses a value the decoder would reject (error on "<path>.<key>" at `offset`, the value's).
template <class S, class Tuple>
CodecStatus checkLayout(const Tuple& parts, const S& in, const FieldPath& path, size_t offset) {
  CodecStatus status;
  forEachPart(parts, [&](const auto& part, size_t /*at*/) {
    using P = std::decay_t<decltype(part)>;
    using C = typename P::Codec;
    if constexpr (ChecksValues<C>) {
      const auto& member = P::of(in);
      if constexpr (P::kCardinality == Cardinality::Optional) {
        if (status && member && !C::valid(*member)) {
          status = Unexpected{makeError(ErrorCode::BadValue, path.render(part.key), offset,
                                        C::invalidText(*member))};
        }
      } else if (status && !C::valid(member)) {
        status = Unexpected{
            makeError(ErrorCode::BadValue, path.render(part.key), offset, C::invalidText(member))};
      }
    }
  });
  return status;
}

/// Writes the layout (checked first) to `p`; reserved bytes are zero.
template <class S, class Tuple>
void storeLayout(const Tuple& parts, const S& in, uint8_t* p) {
  std::fill(p, p + layoutSize(parts), uint8_t{0});
  forEachPart(parts, [&](const auto& part, size_t at) {
    using P = std::decay_t<decltype(part)>;
    if constexpr (P::kCardinality == Cardinality::Optional) {
      P::Codec::store(*P::of(in), p + at);
    } else {
      P::Codec::store(P::of(in), p + at);
    }
  });
}

// --- Codecs of whole structures -------------------------------------------------------------

template <class S>
CodecStatus decodeStruct(std::span<const uint8_t> bytes, S& out, int depth, const Site& site,
                         DecodeContext& ctx);
template <class S>
CodecStatus encodeStruct(const S& in, const Site& site, wire::Writer& w);

namespace codec {

/// A container attribute: its value is the attribute sequence of structure S.
template <class S>
struct Container {
  using Value = S;
  using Struct = S;
  static CodecStatus decode(std::span<const uint8_t> v, S& out, const Site& site,
                            DecodeContext& ctx) {
    return decodeStruct(v, out, site.depth + 1, site, ctx);
  }
  static CodecStatus encode(const S& in, wire::Writer& w, const Site& site) {
    return encodeStruct(in, site, w);
  }
};

/// A fixed-size value whose parts are the members of S (Schema<S> lists them in wire order).
template <class S>
struct Record {
  using Value = S;
  using Struct = S;
  static constexpr size_t kSize = layoutSize(Schema<S>::kFields);
  static constexpr size_t kMinSize = kSize;

  /// False for a value the decoder rejects: loadError describes it (`at`: the record's
  /// offset in the frame; the error names the part's own).
  static bool load(const uint8_t* p, S& out) { return loadLayout(Schema<S>::kFields, p, out); }
  static CodecError loadError(const uint8_t* p, const FieldPath& path, size_t at) {
    return layoutError(Schema<S>::kFields, p, path, at);
  }
  /// `at`: the offset errors name (the encoder reports the value's start).
  static CodecStatus check(const S& in, const FieldPath& path, size_t at) {
    return checkLayout(Schema<S>::kFields, in, path, at);
  }
  static void store(const S& in, uint8_t* p) { storeLayout(Schema<S>::kFields, in, p); }

  static CodecStatus decode(std::span<const uint8_t> v, S& out, const Site& site,
                            DecodeContext& /*ctx*/) {
    if (v.size() != kSize) {
      return Unexpected{badLength(site, v.size(), std::to_string(kSize))};
    }
    if (!load(v.data(), out)) [[unlikely]] {
      return Unexpected{loadError(v.data(), site.path(), site.offset + kTlvHeaderSize)};
    }
    return {};
  }
  static CodecStatus encode(const S& in, wire::Writer& w, const Site& site) {
    if (auto st = check(in, site.path(), site.offset + kTlvHeaderSize); !st) {
      return st;
    }
    uint8_t bytes[kSize];
    store(in, bytes);
    w.bytes(bytes);
    return {};
  }
};

}  // namespace codec

/// The fewest value bytes a valid value of codec C has (a container: its mandatory attributes).
template <class C>
constexpr size_t minValueSize();

template <class S>
constexpr size_t minStructSize() {
  size_t size = 0;
  forEachField<S>([&size](const auto& field) {
    using D = std::decay_t<decltype(field)>;
    if constexpr (IsPacked<D>::value) {
      size += D::kCardinality == Cardinality::One ? kTlvHeaderSize + layoutSize(field.parts) : 0;
    } else if constexpr (IsField<D>::value) {
      if constexpr (D::kCardinality == Cardinality::One) {
        size += kTlvHeaderSize + minValueSize<typename D::Codec>();
      }
    }
  });
  return size;
}

template <class C>
constexpr size_t minValueSize() {
  if constexpr (
      requires { typename C::Struct; } && !requires { C::kMinSize; }) {
    return minStructSize<typename C::Struct>();
  } else {
    return C::kMinSize;
  }
}

// --- TLV structures ----------------------------------------------------------------------------

/// One entry per element of Schema<S>::kFields: the attribute and how to decode/encode it.
template <class S>
struct FieldDef {
  uint16_t type = 0;
  std::string_view name;  // the attribute's name, for error paths
  Cardinality cardinality = Cardinality::One;
  // Decodes one occurrence of the attribute into `s`.
  CodecStatus (*decode)(S& s, const Tlv& tlv, const Site& site, DecodeContext& ctx) = nullptr;
  // Writes every occurrence the value of `s` holds (zero or more TLVs).
  CodecStatus (*encode)(const S& s, const FieldPath& parent, wire::Writer& w) = nullptr;
};

template <class S, size_t I>
inline constexpr auto& kFieldAt = std::get<I>(Schema<S>::kFields);

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

template <class S, size_t I>
CodecStatus decodeFieldAt(S& s, const Tlv& tlv, const Site& site, DecodeContext& ctx) {
  constexpr auto& field = kFieldAt<S, I>;
  using D = std::decay_t<decltype(field)>;
  if constexpr (IsPacked<D>::value) {
    constexpr size_t kSize = layoutSize(field.parts);
    if (tlv.value.size() != kSize) {
      return Unexpected{codec::badLength(site, tlv.value.size(), std::to_string(kSize))};
    }
    if (!loadLayout(field.parts, tlv.value.data(), s)) [[unlikely]] {
      return Unexpected{
          layoutError(field.parts, tlv.value.data(), site.path(), tlv.offset + kTlvHeaderSize)};
    }
    return {};
  } else {
    using C = typename D::Codec;
    auto& member = D::of(s);
    if constexpr (D::kCardinality == Cardinality::One) {
      return C::decode(tlv.value, member, site, ctx);
    } else if constexpr (D::kCardinality == Cardinality::Optional) {
      return C::decode(tlv.value, member.emplace(), site, ctx);
    } else {
      const Site element{site.parent, site.name, static_cast<int>(member.size()), site.offset,
                         site.depth};
      return C::decode(tlv.value, member.emplace_back(), element, ctx);
    }
  }
}

/// "latitude and longitude": the labels of a packed attribute's parts.
template <class Tuple>
std::string partLabels(const Tuple& parts) {
  std::string text;
  forEachPart(parts, [&text](const auto& part, size_t /*at*/) {
    text += text.empty() ? "" : " and ";
    text += withoutSuffix(part.key);
  });
  return text;
}

template <class S, size_t I>
CodecStatus encodeFieldAt(const S& s, const FieldPath& parent, wire::Writer& w) {
  constexpr auto& field = kFieldAt<S, I>;
  using D = std::decay_t<decltype(field)>;
  constexpr std::string_view kName = *attr::attributeName(field.type);
  if constexpr (IsPacked<D>::value) {
    if constexpr (D::kCardinality == Cardinality::Optional) {
      size_t present = 0;
      size_t parts = 0;
      forEachPart(field.parts, [&](const auto& part, size_t /*at*/) {
        ++parts;
        present += std::decay_t<decltype(part)>::of(s).has_value() ? 1 : 0;
      });
      if (present == 0) {
        return {};
      }
      if (present != parts) {
        const Site site{parent, kName, -1, w.offset()};
        return Unexpected{
            site.error(ErrorCode::BadValue, partLabels(field.parts) + " must be given together")};
      }
    }
    const FieldPath path{&parent, kName, -1};
    if (auto st = checkLayout(field.parts, s, path, w.offset() + kTlvHeaderSize); !st) {
      return st;
    }
    constexpr size_t kSize = layoutSize(field.parts);
    uint8_t bytes[kSize];
    storeLayout(field.parts, s, bytes);
    const size_t pos = w.beginTlv(field.type);
    w.bytes(bytes);
    (void)w.endTlv(pos);  // a few bytes always fit
    return {};
  } else {
    using C = typename D::Codec;
    const auto& member = D::of(s);
    if constexpr (D::kCardinality == Cardinality::One) {
      return encodeTlv<C>(member, field.type, Site{parent, kName, -1, w.offset()}, w);
    } else if constexpr (D::kCardinality == Cardinality::Optional) {
      if (!member.has_value()) {
        return {};
      }
      return encodeTlv<C>(*member, field.type, Site{parent, kName, -1, w.offset()}, w);
    } else {
      for (size_t i = 0; i < member.size(); ++i) {
        const Site site{parent, kName, static_cast<int>(i), w.offset()};
        if (auto st = encodeTlv<C>(member[i], field.type, site, w); !st) {
          return st;
        }
      }
      return {};
    }
  }
}

template <class S, size_t... I>
constexpr auto makeFieldDefs(std::index_sequence<I...>) {
  return std::array<FieldDef<S>, sizeof...(I)>{
      FieldDef<S>{kFieldAt<S, I>.type, *attr::attributeName(kFieldAt<S, I>.type),
                  std::decay_t<decltype(kFieldAt<S, I>)>::kCardinality, &decodeFieldAt<S, I>,
                  &encodeFieldAt<S, I>}...};
}

/// The attribute table of a TLV structure (every field names an attribute).
template <class S>
inline constexpr auto kFieldDefs =
    makeFieldDefs<S>(std::make_index_sequence<std::tuple_size_v<decltype(Schema<S>::kFields)>>());

template <class S>
concept HasCrossCheck = requires(const S& s, const Site& site) {
  Schema<S>::check(s, site);
};

/// Reserves each repeated member for the occurrences `bytes` holds, so that decoding allocates
/// once per list instead of growing it by doubling. Only occurrences at least as long as the
/// smallest valid value count: a frame cannot reserve more than valid contents would need.
template <class S>
void reserveRepeated(std::span<const uint8_t> bytes, S& out) {
  constexpr auto kMany = [] {
    std::array<std::pair<uint16_t, size_t>, kFieldDefs<S>.size()> many{};
    size_t n = 0;
    forEachField<S>([&](const auto& field) {
      using D = std::decay_t<decltype(field)>;
      if constexpr (IsField<D>::value && D::kCardinality == Cardinality::Many) {
        many[n++] = {field.type, minValueSize<typename D::Codec>()};
      }
    });
    return std::pair{many, n};
  }();
  constexpr size_t kCount = kMany.second;
  if constexpr (kCount > 0) {
    std::array<uint32_t, kCount> counts{};
    size_t pos = 0;
    while (bytes.size() - pos >= kTlvHeaderSize) {
      const uint16_t type = wire::load16(bytes.data() + pos);
      const uint16_t length = wire::load16(bytes.data() + pos + 2);
      if (length > bytes.size() - pos - kTlvHeaderSize) {
        break;  // decodeStruct reports it
      }
      for (size_t k = 0; k < kCount; ++k) {
        if (kMany.first[k].first == type && length >= kMany.first[k].second) {
          ++counts[k];
        }
      }
      pos += kTlvHeaderSize + length;
    }
    size_t k = 0;
    forEachField<S>([&](const auto& field) {
      using D = std::decay_t<decltype(field)>;
      if constexpr (IsField<D>::value && D::kCardinality == Cardinality::Many) {
        D::of(out).reserve(counts[k++]);
      }
    });
  }
}

/// Decodes `bytes` (the attributes of a structure at `site`; depth = site.depth + 1 for a
/// container, 1 for a payload) into `out`.
template <class S>
CodecStatus decodeStruct(std::span<const uint8_t> bytes, S& out, int depth, const Site& site,
                         DecodeContext& ctx) {
  constexpr auto& fields = kFieldDefs<S>;
  static_assert(fields.size() <= 32, "seen-mask holds 32 fields");
  const FieldPath path = site.path();
  if (auto st = checkDepth(bytes, depth, path, ctx); !st) {
    return st;
  }
  reserveRepeated(bytes, out);
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
  for (const FieldDef<S>& f : kFieldDefs<S>) {
    if (auto st = f.encode(in, path, w); !st) {
      return st;
    }
  }
  return {};
}

}  // namespace nmsp::proto
