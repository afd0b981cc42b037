#pragma once
// Per-session frame counters: fixed arrays indexed by the message catalogue (one slot per known
// message id, one bucket for every unknown id), so a peer cannot grow them by choosing ids.
// Written by the session's own thread (the io thread), read from any thread without a lock:
// every counter is a relaxed atomic, and readers take a plain-value snapshot().

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>

#include "proto/messages.h"

namespace nmsp::session {

/// A monotonic counter written by one thread (or several: fetch_add), read by any.
class Counter {
 public:
  void add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t get() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

/// Slots of a MessageCounts: one per catalogue message (kMessages order), then the unknown bucket.
inline constexpr size_t kKnownMessageSlots = proto::kMessages.size();
inline constexpr size_t kUnknownMessageSlot = kKnownMessageSlots;
/// Distinct unknown ids that keep a count of their own (for `show nmsp statistics`); frames of
/// further unknown ids are counted in the unknown bucket only.
inline constexpr size_t kTrackedUnknownIds = 8;

/// The slot of a message id: its catalogue index, or kUnknownMessageSlot.
constexpr size_t messageSlot(uint16_t id) {
  const proto::MessageInfo* info = proto::findMessage(id);
  return info != nullptr ? static_cast<size_t>(info - proto::kMessages.data())
                         : kUnknownMessageSlot;
}

/// Frames of one direction, per message id.
class MessageCounts {
 public:
  void count(uint16_t id);
  uint64_t ofSlot(size_t slot) const { return slots_[slot].get(); }
  uint64_t of(uint16_t id) const { return ofSlot(messageSlot(id)); }
  /// Non-zero counts by message id: the known ids and the tracked unknown ones.
  std::map<uint16_t, uint64_t> byId() const;

 private:
  std::array<Counter, kKnownMessageSlots + 1> slots_;
  // id + 1 of each tracked unknown id (0: slot free); set once, by the writer.
  std::array<std::atomic<uint32_t>, kTrackedUnknownIds> unknown_ids_{};
  std::array<Counter, kTrackedUnknownIds> unknown_counts_;
};

/// Everything a session counts. One per session (owned by its FrameChannel through a
/// shared_ptr, so a closed session's row keeps its last figures), and optionally one aggregate
/// that several sessions add to as well (the controller's totals).
struct SessionCounters {
  Counter tx_frames;  // frames written to TLS (Tx Data)
  Counter rx_frames;  // complete frames decoded, unknown ids included (Rx Data)
  Counter tx_bytes;
  Counter rx_bytes;
  Counter unknown_messages;       // frames with an unknown message id
  Counter unknown_attributes;     // attributes skipped
  Counter unsupported;            // unknown ids + known messages this role does not take
  Counter send_drops;             // frames refused by send (channel closed, encode error)
  Counter notifications_dropped;  // oldest queued notifications dropped (queue full)
  MessageCounts tx;
  MessageCounts rx;
};

/// A plain copy of SessionCounters (what tests, views and snapshots read).
struct CountersSnapshot {
  uint64_t tx_frames = 0;
  uint64_t rx_frames = 0;
  uint64_t tx_bytes = 0;
  uint64_t rx_bytes = 0;
  uint64_t unknown_messages = 0;
  uint64_t unknown_attributes = 0;
  uint64_t unsupported = 0;
  uint64_t send_drops = 0;
  uint64_t notifications_dropped = 0;
  std::map<uint16_t, uint64_t> tx_msgs;  // non-zero counts per message id
  std::map<uint16_t, uint64_t> rx_msgs;
};

CountersSnapshot snapshot(const SessionCounters& counters);

}  // namespace nmsp::session
