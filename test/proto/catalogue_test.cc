// The catalogue is defined once and everything else follows from it: every message has a name,
// a variant alternative, a schema and a request flag that agree; every attribute a schema uses
// is named and bound to a codec of the right kind; every enum codec accepts exactly the values
// of its table. Walks the tables, so new messages, attributes and enums are checked unedited.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <typeindex>

#include "proto/codec.h"
#include "proto/schema.h"

namespace nmsp::proto {
namespace {

// Compile time: every alternative but the last (UnknownMessage) is a catalogue message with a
// schema, and the catalogue index is the variant index.
template <size_t... I>
constexpr bool everyMessageHasASchema(std::index_sequence<I...>) {
  return (requires { Schema<std::variant_alternative_t<I, Message>>::kFields; } && ...) &&
         ((kMessageIndex<std::variant_alternative_t<I, Message>> == I) && ...);
}
static_assert(everyMessageHasASchema(std::make_index_sequence<kMessages.size()>()));
static_assert(
    std::is_same_v<std::variant_alternative_t<kMessages.size(), Message>, UnknownMessage>);

TEST(Catalogue, EveryEntryAgreesWithItself) {
  std::set<std::string_view> names;
  uint16_t previous = 0;
  for (size_t i = 0; i < kMessages.size(); ++i) {
    const MessageInfo& m = kMessages[i];
    const auto id = static_cast<uint16_t>(m.id);
    SCOPED_TRACE(std::string(m.name));
    EXPECT_GT(id, previous) << "catalogue lines are in id order";
    previous = id;
    EXPECT_TRUE(names.insert(m.name).second) << "duplicate name";
    EXPECT_EQ(findMessage(id), &m);
    EXPECT_EQ(messageName(id), m.name);
    EXPECT_EQ(messageIdFromName(m.name), m.id);
    EXPECT_EQ(isRequest(id), m.kind == MessageKind::Request);
    EXPECT_EQ(m.name.ends_with("-request"), m.kind == MessageKind::Request);
    EXPECT_EQ(m.name.ends_with("-response"), m.kind == MessageKind::Response);
    EXPECT_EQ(m.name.ends_with("-notification"), m.kind == MessageKind::Notification);
  }
  EXPECT_EQ(messageIdFromName("unknown"), std::nullopt);
}

template <size_t I>
void expectVariantId() {
  using M = std::variant_alternative_t<I, Message>;
  EXPECT_EQ(messageIdOf(Message{std::in_place_index<I>}), static_cast<uint16_t>(kMessages[I].id));
  constexpr MessageId kId = kIdOf<M>;
  EXPECT_EQ(kId, kMessages[I].id);
}
template <size_t... I>
void expectVariantIds(std::index_sequence<I...>) {
  (expectVariantId<I>(), ...);
}

TEST(Catalogue, VariantAlternativesCarryTheirIds) {
  expectVariantIds(std::make_index_sequence<kMessages.size()>());
}

TEST(Catalogue, EveryMessageDecodesFromItsIdAlone) {
  // An empty payload is either valid or misses a mandatory attribute: never "not known".
  for (const MessageInfo& m : kMessages) {
    std::vector<uint8_t> frame = {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
    frame[2] = static_cast<uint8_t>(static_cast<uint16_t>(m.id) >> 8);
    frame[3] = static_cast<uint8_t>(static_cast<uint16_t>(m.id));
    auto decoded = decodeFrame(frame);
    if (decoded) {
      EXPECT_EQ(messageIdOf(decoded->message), static_cast<uint16_t>(m.id));
    } else {
      EXPECT_EQ(decoded.error().code, ErrorCode::MissingAttribute) << m.name;
    }
  }
}

// --- Attributes --------------------------------------------------------------------------------

struct AttributeUse {
  std::set<uint16_t> types;
  std::set<std::type_index> structures;
};

template <class S>
void collectAttributes(AttributeUse& use);

template <class C>
void collectCodec(AttributeUse& use) {
  if constexpr (requires { typename C::Struct; }) {
    collectAttributes<typename C::Struct>(use);
  } else if constexpr (requires { typename C::Element; }) {
    collectAttributes<typename C::Element>(use);
  }
}

template <class S>
void collectAttributes(AttributeUse& use) {
  if (!use.structures.insert(typeid(S)).second) {
    return;
  }
  forEachField<S>([&](const auto& field) {
    using D = std::decay_t<decltype(field)>;
    if constexpr (IsPacked<D>::value) {
      use.types.insert(field.type);
    } else if constexpr (IsField<D>::value) {
      if (field.type != 0) {
        use.types.insert(field.type);
        // A container attribute (bit 15) is exactly one whose value is a TLV structure.
        constexpr bool kContainer = requires {
          typename D::Codec::Struct;
        }
        &&!requires {
          D::Codec::kSize;
        };
        EXPECT_EQ((field.type & attr::kContainerBit) != 0, kContainer) << field.key;
        EXPECT_TRUE(attr::attributeName(field.type).has_value()) << field.key;
      }
      collectCodec<typename D::Codec>(use);
    }
  });
}

template <size_t... I>
AttributeUse attributesOfEveryMessage(std::index_sequence<I...>) {
  AttributeUse use;
  (collectAttributes<std::variant_alternative_t<I, Message>>(use), ...);
  return use;
}

TEST(Catalogue, AttributesAreNamedUniqueAndAllUsed) {
  struct Line {
    uint16_t code;
    std::string_view name;
  };
#define NMSP_ATTRIBUTE_LINE(constant, code, name, codec) Line{code, name},
  const std::vector<Line> lines = {NMSP_ATTRIBUTES(NMSP_ATTRIBUTE_LINE)};
#undef NMSP_ATTRIBUTE_LINE
  std::set<uint16_t> codes;
  std::set<std::string_view> names;
  for (const Line& line : lines) {
    EXPECT_TRUE(codes.insert(line.code).second) << line.name;
    EXPECT_TRUE(names.insert(line.name).second) << line.name;
    EXPECT_EQ(attr::attributeName(line.code), line.name);
  }
  const AttributeUse use = attributesOfEveryMessage(std::make_index_sequence<kMessages.size()>());
  EXPECT_EQ(use.types, codes) << "every attribute is used by a schema, and only these";
  EXPECT_EQ(attr::attributeName(0x7fff), std::nullopt);
}

// --- Enumerations ------------------------------------------------------------------------------

/// The codec accepts a raw value exactly when the table names it, and the names are unique.
template <TableEnum E>
void expectCodecFollowsTable() {
  using U = std::underlying_type_t<E>;
  SCOPED_TRACE(std::string(EnumTable<E>::kWhat));
  std::set<std::string_view> names;
  for (const auto& entry : EnumTable<E>::kEntries) {
    EXPECT_TRUE(names.insert(entry.name).second) << entry.name;
    EXPECT_EQ(enumFromName<E>(entry.name), entry.value);
  }
  const uint32_t top = std::min<uint32_t>(std::numeric_limits<U>::max(), 0x3ff);
  for (uint32_t raw = 0; raw <= top; ++raw) {
    std::vector<uint8_t> bytes(sizeof(U));
    codec::Int<U>::store(static_cast<U>(raw), bytes.data());
    const FieldPath root;
    const Site site{root, "x", -1, 0, 1};
    DecodeContext ctx{bytes.data(), 4, 0};
    E value{};
    const bool accepted = codec::Enum<E>::decode(bytes, value, site, ctx).has_value();
    const bool named = enumName(static_cast<E>(raw)).has_value();
    EXPECT_EQ(accepted, named) << raw;
    EXPECT_EQ(codec::Enum<E>::valid(static_cast<E>(raw)), named) << raw;
  }
}

template <class S>
void checkEnumsOf(std::set<std::type_index>& seen);

template <class C>
void checkCodecEnums(std::set<std::type_index>& seen) {
  using T = typename C::Value;
  if constexpr (requires { typename C::Struct; }) {
    checkEnumsOf<typename C::Struct>(seen);
  } else if constexpr (requires { typename C::Element; }) {
    checkEnumsOf<typename C::Element>(seen);
  } else if constexpr (TableEnum<T>) {
    static_assert(std::is_same_v<C, codec::Enum<T>>, "an enum is read by Enum<E> only");
    if (seen.insert(typeid(T)).second) {
      expectCodecFollowsTable<T>();
    }
  }
}

template <class S>
void checkEnumsOf(std::set<std::type_index>& seen) {
  forEachMember<S>([&](const auto& field) {
    checkCodecEnums<typename std::decay_t<decltype(field)>::Codec>(seen);
  });
}

template <size_t... I>
size_t checkEnumsOfEveryMessage(std::index_sequence<I...>) {
  std::set<std::type_index> seen;
  (checkEnumsOf<std::variant_alternative_t<I, Message>>(seen), ...);
  return seen.size();
}

TEST(Catalogue, EveryEnumCodecAcceptsExactlyItsTable) {
  // peer role, result code, error reason, device kind, band, association state, attach state,
  // telemetry kind, service.
  EXPECT_EQ(checkEnumsOfEveryMessage(std::make_index_sequence<kMessages.size()>()), 9u);
}

}  // namespace
}  // namespace nmsp::proto
