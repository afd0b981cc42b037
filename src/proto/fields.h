#pragma once
// Internal: what a structure's Schema (schema.h) is made of. A structure is a message payload, a
// container attribute's value, or a fixed-size record; its Schema<S>::kFields is a tuple of
// field descriptors in canonical (encoding) order:
//   Field    one member, one attribute (or, in a record, one fixed-size part); its codec comes
//            from the attribute's line in NMSP_ATTRIBUTES;
//   PackedField one attribute whose fixed-size value holds several members (position-mm);
//   Reserved a gap in a record, sent as zero and ignored on receipt.
// The codec (struct_codec.h) and the views (src/proto_json) walk these tuples, so a structure is
// described once for the wire, JSON and text.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "proto/value_codecs.h"

namespace nmsp::proto {

enum class Cardinality : uint8_t { One, Optional, Many };

/// Specialised in schema.h for every structure: `static constexpr std::tuple kFields{...}`, and
/// for structures with a rule across attributes `static CodecStatus check(const S&, const Site&)`.
template <class S>
struct Schema;

/// Specialised in schema.h from NMSP_ATTRIBUTES: `using type = <the attribute's codec>`.
template <uint16_t Type>
struct AttributeCodec;

template <class M>
struct MemberOf;
template <class C, class T>
struct MemberOf<T C::*> {
  using Class = C;
  using Type = T;
};

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

/// One member of a structure, read and written by Codec.
template <auto Member, class C, Cardinality Card>
struct Field {
  using Struct = typename MemberOf<decltype(Member)>::Class;
  using Codec = C;
  static constexpr auto kMember = Member;
  static constexpr Cardinality kCardinality = Card;

  uint16_t type = 0;     // its attribute; 0 for a part of a record or of a packed attribute
  std::string_view key;  // its name in JSON and text: the C++ member's name

  static auto& of(Struct& s) { return s.*Member; }
  static const auto& of(const Struct& s) { return s.*Member; }
};

/// An attribute whose fixed-size value packs several members (all One, or all Optional and
/// then present together), e.g. position-mm = x_mm, y_mm, z_mm.
template <class... Parts>
struct PackedField {
  static constexpr Cardinality kCardinality =
      std::tuple_element_t<0, std::tuple<Parts...>>::kCardinality;
  static_assert(((Parts::kCardinality == kCardinality) && ...),
                "parts are all One or all Optional");

  uint16_t type = 0;
  std::tuple<Parts...> parts;
};

template <class T>
struct IsField : std::false_type {};
template <auto M, class C, Cardinality Card>
struct IsField<Field<M, C, Card>> : std::true_type {};
template <class T>
struct IsPacked : std::false_type {};
template <class... P>
struct IsPacked<PackedField<P...>> : std::true_type {};
template <class T>
struct IsReserved : std::false_type {};
template <size_t N>
struct IsReserved<codec::Reserved<N>> : std::true_type {};

// --- Building the tables ------------------------------------------------------------------------

template <auto Member, uint16_t Type, Cardinality Card>
constexpr auto attributeField(std::string_view key) {
  using C = typename AttributeCodec<Type>::type;
  using T = typename MemberOf<decltype(Member)>::Type;
  if constexpr (Card == Cardinality::One) {
    static_assert(std::is_same_v<T, typename C::Value>, "member type differs from the codec's");
  } else if constexpr (Card == Cardinality::Optional) {
    static_assert(std::is_same_v<T, std::optional<typename C::Value>>, "expected std::optional");
  } else {
    static_assert(std::is_same_v<T, std::vector<typename C::Value>>, "expected std::vector");
  }
  return Field<Member, C, Card>{Type, key};
}

/// Mandatory, exactly once.
template <auto Member, uint16_t Type>
constexpr auto one(std::string_view key) {
  return attributeField<Member, Type, Cardinality::One>(key);
}
/// Optional, at most once (std::optional member).
template <auto Member, uint16_t Type>
constexpr auto optional(std::string_view key) {
  return attributeField<Member, Type, Cardinality::Optional>(key);
}
/// Zero or more, kept in wire order (std::vector member).
template <auto Member, uint16_t Type>
constexpr auto many(std::string_view key) {
  return attributeField<Member, Type, Cardinality::Many>(key);
}

/// A fixed-size member of a record or of a packed attribute (std::optional: Optional).
template <auto Member, class C>
constexpr auto part(std::string_view key) {
  using T = typename MemberOf<decltype(Member)>::Type;
  constexpr bool kOptional = IsOptional<T>::value;
  if constexpr (kOptional) {
    static_assert(std::is_same_v<T, std::optional<typename C::Value>>);
  } else {
    static_assert(std::is_same_v<T, typename C::Value>);
  }
  return Field < Member, C, kOptional ? Cardinality::Optional : Cardinality::One > {0, key};
}

template <uint16_t Type, class... Parts>
constexpr auto packed(Parts... parts) {
  static_assert(std::is_same_v<typename AttributeCodec<Type>::type, codec::Packed>,
                "the attribute is not declared Packed in NMSP_ATTRIBUTES");
  return PackedField<Parts...>{Type, {parts...}};
}

template <size_t N>
constexpr auto reserved() {
  return codec::Reserved<N>{};
}

// --- Walking the tables -------------------------------------------------------------------------

/// Calls f(descriptor) for every element of Schema<S>::kFields, in order.
template <class S, class F>
constexpr void forEachField(F&& f) {
  std::apply([&f](const auto&... field) { (f(field), ...); }, Schema<S>::kFields);
}

/// Calls f(field) for every member the structure's values live in: packed attributes give their
/// parts, Reserved gaps nothing. This is the shape the views show.
template <class S, class F>
constexpr void forEachMember(F&& f) {
  forEachField<S>([&f](const auto& field) {
    using D = std::decay_t<decltype(field)>;
    if constexpr (IsPacked<D>::value) {
      std::apply([&f](const auto&... part) { (f(part), ...); }, field.parts);
    } else if constexpr (IsField<D>::value) {
      f(field);
    }
  });
}

/// The label of a member without its unit or scale suffix: "latitude_e7" -> "latitude".
constexpr std::string_view withoutSuffix(std::string_view key) {
  const size_t underscore = key.rfind('_');
  return underscore == std::string_view::npos ? key : key.substr(0, underscore);
}

}  // namespace nmsp::proto
