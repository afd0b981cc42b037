#pragma once
// JSON view of NMSP frames (schema: docs/protocol-json.md). toJson always writes the canonical
// form (names for enums and services, every list, optional fields only when present);
// fromJson accepts that form plus a few conveniences (defaults, any MAC spelling, numeric
// service masks) and rejects anything else, naming the JSON path of the first problem.

#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "common/result.h"
#include "proto/messages.h"

namespace nmsp::proto_json {

nlohmann::json toJson(const proto::Frame& frame);

/// "devices[2].aps[0].rssi_dbm: expected integer -128..127, got \"x\"" on error.
Result<proto::Frame, std::string> fromJson(const nlohmann::json& value);

/// Every message id defined in proto/messages.h, in numeric order.
std::span<const proto::MessageId> allMessageIds();

}  // namespace nmsp::proto_json
