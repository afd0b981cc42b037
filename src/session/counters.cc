#include "session/counters.h"

namespace nmsp::session {

void MessageCounts::count(uint16_t id) {
  const size_t slot = messageSlot(id);
  slots_[slot].add();
  if (slot != kUnknownMessageSlot) {
    return;
  }
  const uint32_t tag = static_cast<uint32_t>(id) + 1;
  for (size_t i = 0; i < kTrackedUnknownIds; ++i) {
    const uint32_t held = unknown_ids_[i].load(std::memory_order_relaxed);
    if (held == tag) {
      unknown_counts_[i].add();
      return;
    }
    if (held == 0) {
      // The count first, then the id (release): a reader that sees the id sees its count.
      unknown_counts_[i].add();
      unknown_ids_[i].store(tag, std::memory_order_release);
      return;
    }
  }
}

std::map<uint16_t, uint64_t> MessageCounts::byId() const {
  std::map<uint16_t, uint64_t> out;
  for (size_t slot = 0; slot < kKnownMessageSlots; ++slot) {
    if (const uint64_t n = slots_[slot].get(); n != 0) {
      out[static_cast<uint16_t>(proto::kMessages[slot].id)] = n;
    }
  }
  for (size_t i = 0; i < kTrackedUnknownIds; ++i) {
    const uint32_t tag = unknown_ids_[i].load(std::memory_order_acquire);
    if (tag == 0) {
      break;
    }
    out[static_cast<uint16_t>(tag - 1)] = unknown_counts_[i].get();
  }
  return out;
}

CountersSnapshot snapshot(const SessionCounters& c) {
  CountersSnapshot s;
  s.tx_frames = c.tx_frames.get();
  s.rx_frames = c.rx_frames.get();
  s.tx_bytes = c.tx_bytes.get();
  s.rx_bytes = c.rx_bytes.get();
  s.unknown_messages = c.unknown_messages.get();
  s.unknown_attributes = c.unknown_attributes.get();
  s.unsupported = c.unsupported.get();
  s.send_drops = c.send_drops.get();
  s.notifications_dropped = c.notifications_dropped.get();
  s.tx_msgs = c.tx.byId();
  s.rx_msgs = c.rx.byId();
  return s;
}

}  // namespace nmsp::session
