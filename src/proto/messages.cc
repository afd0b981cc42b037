#include "proto/messages.h"

#include <type_traits>

namespace nmsp::proto {

uint16_t messageIdOf(const Message& m) {
  if (const auto* unknown = std::get_if<UnknownMessage>(&m)) {
    return unknown->id;
  }
  return static_cast<uint16_t>(kMessages[m.index()].id);
}

}  // namespace nmsp::proto
