#pragma once
// The bounded queue between the callers of Store::submit (the MSE's io thread) and the writer
// thread. Bounded in bytes (each record counts its own size plus its heap text); the batch the
// writer holds counts too, until it is committed. When a record would not fit, the oldest
// queued records are dropped (and counted) to make room: the freshest locations are the ones
// worth keeping. A push never waits for anything but this queue's mutex, held for a few
// instructions (the writer takes a whole batch under it at once).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <variant>
#include <vector>

#include "store/records.h"

namespace nmsp::store {

using SteadyClock = std::chrono::steady_clock;

using QueuedRecord =
    std::variant<LocationRecord, std::unique_ptr<DeviceInfoRecord>, DeviceStatisticsRecord>;

struct QueueEntry {
  uint64_t seq = 0;  // 1, 2, ... in submission order
  SteadyClock::time_point submitted;
  size_t bytes = 0;
  QueuedRecord record;
};

/// Bytes a record holds in the queue (what the bound counts).
size_t queuedBytes(const QueuedRecord& record);

class WriteQueue {
 public:
  /// `limit_bytes`: the bound; `batch_records`: a queue this long wakes the writer at once.
  WriteQueue(size_t limit_bytes, size_t batch_records);

  /// Queues a record; its sequence number, or 0 if it alone exceeds what the bound leaves
  /// beside the writer's batch (then it is the one dropped). Never blocks.
  uint64_t push(QueuedRecord record, SteadyClock::time_point now);

  /// Writer: waits until a batch is worth writing (batch_records queued, or some queued and
  /// `commit_at` reached), or `give_up_at` passes, or wake() is called.
  void waitForRecords(SteadyClock::time_point commit_at, SteadyClock::time_point give_up_at);
  /// Writer: waits until `until` or a wake(), whatever is queued (a pause between retries).
  void sleepUntil(SteadyClock::time_point until);
  /// Makes the current or next waitForRecords or sleepUntil return (a task or a close for the
  /// writer).
  void wake();
  /// Writer: moves up to `max_records` of the oldest records to `out` (which must be empty).
  /// They keep counting against the bound until release().
  void take(std::vector<QueueEntry>& out, size_t max_records);
  /// Writer: the batch taken last is committed (or given up): its bytes are free again, and
  /// every sequence number up to its last is settled (committed or counted as dropped).
  void release(const std::vector<QueueEntry>& batch);
  /// Writer: as release(), for a batch given up unwritten (closing): counted as dropped.
  void releaseDropped(const std::vector<QueueEntry>& batch);
  /// Drops everything still queued (closing), counting it; the number dropped.
  uint64_t dropQueued();

  struct Snapshot {
    uint64_t queued = 0;  // records waiting, the writer's batch included
    uint64_t bytes = 0;   // their bytes
    uint64_t limit_bytes = 0;
    uint64_t accepted = 0;     // records pushed and given a sequence number
    uint64_t dropped = 0;      // records dropped by the bound (or at close)
    uint64_t settled_seq = 0;  // every record up to this one is committed or dropped
    std::optional<SteadyClock::time_point> oldest;  // submission of the oldest record waiting
  };
  Snapshot snapshot() const;

 private:
  const size_t limit_bytes_;
  const size_t batch_records_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<QueueEntry> queue_;
  size_t queued_bytes_ = 0;
  size_t batch_bytes_ = 0;  // taken by the writer, not released yet
  size_t batch_records_taken_ = 0;
  std::optional<SteadyClock::time_point> batch_oldest_;
  uint64_t next_seq_ = 1;
  uint64_t dropped_ = 0;
  uint64_t settled_seq_ = 0;
  bool woken_ = false;
};

}  // namespace nmsp::store
