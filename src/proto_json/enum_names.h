#pragma once
// The names of the protocol enums are defined with the enums themselves (proto/enums.h, the
// tables made by NMSP_DEFINE_ENUM); new code should use nmsp::proto::enumName and friends
// directly. These declarations keep the proto_json spellings working for code that used them.

#include "proto/messages.h"

namespace nmsp::proto_json {

using proto::enumChoices;
using proto::EnumEntry;
using proto::enumFromName;
using proto::enumName;
using proto::enumText;

/// The former name table of an enum: `kWhat` and `entries` (value, name) from proto::EnumTable.
template <proto::TableEnum E>
struct EnumNames {
  static constexpr std::string_view kWhat = proto::EnumTable<E>::kWhat;
  static constexpr const auto& entries = proto::EnumTable<E>::kEntries;
};

}  // namespace nmsp::proto_json
