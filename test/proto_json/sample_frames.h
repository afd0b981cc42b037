#pragma once
// One realistic frame of every message type (plus an unknown id), for round-trip tests.

#include <vector>

#include "proto/messages.h"

namespace nmsp::proto_json::testing {

MacAddress mac(const char* text);
IpAddress ip(const char* text);

/// Every MessageId once, in id order, then an UnknownMessage.
std::vector<proto::Frame> sampleFrames();

}  // namespace nmsp::proto_json::testing
