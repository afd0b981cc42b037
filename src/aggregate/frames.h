#pragma once
// Encoded frames shared between the sessions that send them (encode once, fan out), and the
// helpers that cut a notification into frames that respect the protocol's frame size limit.

#include <cstdint>
#include <memory>
#include <vector>

#include "common/result.h"
#include "proto/codec.h"
#include "proto/messages.h"

namespace nmsp::aggregate {

/// The same type as session-core's `SharedFrame`: one immutable encoded frame, shared.
using SharedFrame = std::shared_ptr<const std::vector<uint8_t>>;

/// Encoded size of one device-measurement container holding `aps` AP reports:
/// container 4 + device-mac 10 + device-kind 5 + ap-rssi-list 5 + 20 x aps.
constexpr size_t measurementEntryBytes(size_t aps) {
  return 24 + 20 * aps;
}

/// A copy of `frame` with the transaction id (bytes 4..7 of the header) set to `txn`; `frame`
/// itself when it already carries it.
SharedFrame withTransactionId(const SharedFrame& frame, uint32_t txn);

/// Cuts a list of entries into notification frames of at most `max_frame_size` bytes each
/// (transaction id 0; fan-out patches it). `entrySize(e)` is the encoded size of one entry's
/// container; an entry that cannot fit even alone is skipped and counted in `oversize`.
template <class Notification, class Entry, class SizeFn>
void cutIntoFrames(std::vector<Entry>& entries, std::vector<Entry> Notification::*member,
                   size_t max_frame_size, SizeFn entrySize, std::vector<SharedFrame>& out,
                   uint64_t& oversize) {
  proto::Frame frame;
  frame.message = Notification{};
  auto& list = std::get<Notification>(frame.message).*member;
  const proto::Encoder encoder(proto::EncoderOptions{max_frame_size});
  size_t bytes = proto::kHeaderSize;
  auto flush = [&] {
    if (list.empty()) {
      return;
    }
    auto buffer = std::make_shared<std::vector<uint8_t>>();
    buffer->reserve(bytes);
    if (encoder.encode(frame, *buffer)) {
      out.push_back(std::move(buffer));
    } else {
      oversize += list.size();  // a value the codec refuses (should not happen: counted)
    }
    list.clear();
    bytes = proto::kHeaderSize;
  };
  for (auto& entry : entries) {
    const size_t size = entrySize(entry);
    if (proto::kHeaderSize + size > max_frame_size) {
      ++oversize;
      continue;
    }
    if (bytes + size > max_frame_size) {
      flush();
    }
    bytes += size;
    list.push_back(std::move(entry));
  }
  flush();
  entries.clear();
}

/// Exact encoded size of one entry of a notification, by encoding it alone (for the
/// low-volume variable-size entries: info, statistics, attachments, AP info).
template <class Notification, class Entry>
size_t encodedEntrySize(const Entry& entry, std::vector<Entry> Notification::*member) {
  proto::Frame frame;
  Notification notification;
  (notification.*member).push_back(entry);
  frame.message = std::move(notification);
  std::vector<uint8_t> scratch;
  const proto::Encoder encoder(proto::EncoderOptions{size_t{1} << 24});
  if (!encoder.encode(frame, scratch)) {
    return size_t{1} << 24;  // refused by the codec: too large for any frame
  }
  return scratch.size() - proto::kHeaderSize;
}

}  // namespace nmsp::aggregate
