#pragma once
// A service mask in words, for operator output (show commands, nmsp doctor).

#include <string>

#include "proto/services.h"

namespace nmsp::proto {

/// The services of `mask` by name, in bit order, comma separated ("rssi-ms, info-ms"; an unknown
/// bit as "bit-N"); "none" for an empty mask.
inline std::string servicesText(ServiceMask mask) {
  std::string text;
  for (uint8_t bit = 0; bit < 64; ++bit) {
    if ((mask & (ServiceMask{1} << bit)) == 0) {
      continue;
    }
    const auto name = serviceName(bit);
    text += text.empty() ? "" : ", ";
    text += name ? std::string(*name) : "bit-" + std::to_string(bit);
  }
  return text.empty() ? "none" : text;
}

}  // namespace nmsp::proto
