#pragma once
// How the protocol's enumerations are defined: each one once, by NMSP_DEFINE_ENUM, which makes
// the C++ enum and its table (wire value and name of every defined value, plus what the values
// are, e.g. "device kind"). The codec takes an enum's valid range from its table; the JSON and
// text views and the MSE's plain-words causes take the names from it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace nmsp::proto {

template <class E>
struct EnumEntry {
  E value;
  std::string_view name;  // lowercase and hyphenated, like the YANG service names
};

/// Specialised by NMSP_DEFINE_ENUM: `kWhat` ("device kind") and `kEntries` (ascending values).
template <class E>
struct EnumTable;

template <class E>
concept TableEnum = requires {
  EnumTable<E>::kWhat;
  EnumTable<E>::kEntries;
};

// NMSP_DEFINE_ENUM(Type, underlying, "what", LIST) where LIST(X) expands X(Enumerator, value,
// "name") once per defined value, in ascending order of value.
#define NMSP_ENUM_ENUMERATOR(enumerator, value, name) enumerator = (value),
#define NMSP_ENUM_ENTRY(enumerator, value, name) EnumEntry<E>{E::enumerator, name},
#define NMSP_DEFINE_ENUM(Type, Underlying, what, LIST)                                   \
  enum class Type : Underlying { LIST(NMSP_ENUM_ENUMERATOR) };                           \
  template <>                                                                            \
  struct EnumTable<Type> {                                                               \
    using E = Type;                                                                      \
    static constexpr std::string_view kWhat = what;                                      \
    static constexpr auto kEntries = std::to_array({LIST(NMSP_ENUM_ENTRY)});             \
    static_assert(enumTableIsContiguous(kEntries), #Type ": values must ascend by one"); \
  };

template <class E, size_t N>
constexpr bool enumTableIsContiguous(const std::array<EnumEntry<E>, N>& entries) {
  for (size_t i = 1; i < N; ++i) {
    if (static_cast<int64_t>(entries[i].value) != static_cast<int64_t>(entries[i - 1].value) + 1) {
      return false;
    }
  }
  return N > 0;
}

/// The lowest and highest defined value (the table is contiguous, so these bound it exactly).
template <TableEnum E>
inline constexpr int64_t kEnumMin = static_cast<int64_t>(EnumTable<E>::kEntries.front().value);
template <TableEnum E>
inline constexpr int64_t kEnumMax = static_cast<int64_t>(EnumTable<E>::kEntries.back().value);

/// True for the raw values the enum defines.
template <TableEnum E>
constexpr bool isDefinedValue(int64_t raw) {
  return raw >= kEnumMin<E> && raw <= kEnumMax<E>;
}

/// The name of a defined value; nullopt for a value outside the enum (only possible for values
/// built in code: the decoder rejects those).
template <TableEnum E>
constexpr std::optional<std::string_view> enumName(E value) {
  const auto raw = static_cast<int64_t>(value);
  if (!isDefinedValue<E>(raw)) {
    return std::nullopt;
  }
  return EnumTable<E>::kEntries[static_cast<size_t>(raw - kEnumMin<E>)].name;
}

template <TableEnum E>
constexpr std::optional<E> enumFromName(std::string_view name) {
  for (const auto& entry : EnumTable<E>::kEntries) {
    if (entry.name == name) {
      return entry.value;
    }
  }
  return std::nullopt;
}

/// The name, or the number in decimal for a value outside the enum.
template <TableEnum E>
std::string enumText(E value) {
  if (auto name = enumName(value)) {
    return std::string(*name);
  }
  return std::to_string(static_cast<uint64_t>(value));
}

/// "client, rfid-tag, rogue-ap" (for error messages).
template <TableEnum E>
std::string enumChoices() {
  std::string text;
  for (const auto& entry : EnumTable<E>::kEntries) {
    if (!text.empty()) {
      text += ", ";
    }
    text += entry.name;
  }
  return text;
}

}  // namespace nmsp::proto
