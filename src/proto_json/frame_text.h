#pragma once
// Human-readable view of a frame for operators (`nmsp decode`): a first line with the header,
// then every field, indented, one per line; list items numbered. Strings are quoted and
// escaped so a peer cannot forge extra output lines.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "proto/messages.h"

namespace nmsp::proto_json {

struct TextOptions {
  size_t index = 0;                      // "frame <index>:"
  std::optional<size_t> payload_length;  // as received; computed by encoding when absent
  uint64_t skipped_attributes = 0;       // unknown attributes the decoder skipped in this frame
};

/// frame 0: measurement-notification (0x0022) v1 flags=0x00 txn=7 length=48
///   devices=1
///   device[0] mac=00:11:22:33:44:55 kind=client aps=1
///     ap[0] ap_mac=... slot=0 band=2.4ghz antenna=0 rssi=-60dBm snr=30dB ts=2026-11-23T...
/// Ends with a newline.
std::string toText(const proto::Frame& frame, const TextOptions& options = {});

/// A string in double quotes with '"', '\\' and non-printable bytes escaped.
std::string quoted(std::string_view text);

}  // namespace nmsp::proto_json
