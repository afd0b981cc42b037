#pragma once
// A bounded table keyed by MAC address with least-recently-seen eviction: values live in stable
// slots of one vector (reused after eviction), an index maps the MAC to its slot, and an
// intrusive list orders the slots from least to most recently touched. O(1) find, touch, evict.
// Used by the controller's device store and the MSE's device table.

#include <cstdint>
#include <limits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/mac_address.h"

namespace nmsp {

template <class Value>
class MacTable {
 public:
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

  explicit MacTable(size_t max_entries) : max_(max_entries == 0 ? 1 : max_entries) {}

  static uint64_t key(const MacAddress& mac) {
    uint64_t value = 0;
    for (const uint8_t byte : mac.bytes) {
      value = (value << 8) | byte;
    }
    return value;
  }

  size_t size() const { return index_.size(); }
  size_t capacity() const { return max_; }
  uint64_t evicted() const { return evicted_; }

  Value* find(const MacAddress& mac) {
    auto it = index_.find(key(mac));
    return it == index_.end() ? nullptr : &slots_[it->second].value;
  }
  const Value* find(const MacAddress& mac) const {
    auto it = index_.find(key(mac));
    return it == index_.end() ? nullptr : &slots_[it->second].value;
  }

  /// The entry of `mac`, made the most recently seen; a new one (value-initialised) is created
  /// when absent, evicting the least recently seen entry when the table is full. `created`
  /// tells which; `on_evict(value)` sees an evicted value before it is reset.
  template <class OnEvict>
  std::pair<Value&, bool> touch(const MacAddress& mac, OnEvict on_evict) {
    const uint64_t k = key(mac);
    if (auto it = index_.find(k); it != index_.end()) {
      moveToTail(it->second);
      return {slots_[it->second].value, false};
    }
    if (index_.size() >= max_ && head_ != kNone) {
      const uint32_t victim = head_;
      unlink(victim);
      index_.erase(slots_[victim].key);
      on_evict(slots_[victim].value);
      slots_[victim].value = Value{};
      free_.push_back(victim);
      ++evicted_;
    }
    uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = static_cast<uint32_t>(slots_.size());
      slots_.emplace_back();
    }
    slots_[slot].key = k;
    index_.emplace(k, slot);
    linkTail(slot);
    return {slots_[slot].value, true};
  }
  std::pair<Value&, bool> touch(const MacAddress& mac) {
    return touch(mac, [](const Value&) {});
  }

  /// Visits the entries from the most to the least recently seen until `f` returns false.
  template <class F>
  void forEachRecentFirst(F f) const {
    for (uint32_t s = tail_; s != kNone && f(slots_[s].value); s = slots_[s].prev) {
    }
  }
  /// Visits every entry (slot order).
  template <class F>
  void forEach(F f) const {
    for (const auto& [k, slot] : index_) {
      f(slots_[slot].value);
    }
  }

  /// Bytes of the table's own structures (values by their sizeof).
  size_t memoryBytes() const {
    return slots_.capacity() * sizeof(Slot) + free_.capacity() * sizeof(uint32_t) +
           index_.bucket_count() * sizeof(void*) + index_.size() * 32;
  }

 private:
  struct Slot {
    Value value{};
    uint64_t key = 0;
    uint32_t prev = kNone;
    uint32_t next = kNone;
  };

  void unlink(uint32_t s) {
    Slot& slot = slots_[s];
    (slot.prev != kNone ? slots_[slot.prev].next : head_) = slot.next;
    (slot.next != kNone ? slots_[slot.next].prev : tail_) = slot.prev;
    slot.prev = slot.next = kNone;
  }
  void linkTail(uint32_t s) {
    slots_[s].prev = tail_;
    (tail_ != kNone ? slots_[tail_].next : head_) = s;
    tail_ = s;
  }
  void moveToTail(uint32_t s) {
    if (s != tail_) {
      unlink(s);
      linkTail(s);
    }
  }

  size_t max_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
  std::unordered_map<uint64_t, uint32_t> index_;
  uint32_t head_ = kNone;  // least recently seen
  uint32_t tail_ = kNone;  // most recently seen
  uint64_t evicted_ = 0;
};

}  // namespace nmsp
