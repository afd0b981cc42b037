#include "store/write_queue.h"

#include <algorithm>

namespace nmsp::store {
namespace {

size_t heapBytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

size_t heapBytes(const std::optional<std::string>& s) {
  return s ? heapBytes(*s) : 0;
}

}  // namespace

size_t queuedBytes(const QueuedRecord& record) {
  size_t bytes = sizeof(QueueEntry);
  if (const auto* location = std::get_if<LocationRecord>(&record)) {
    bytes += heapBytes(location->venue) + heapBytes(location->floor);
  } else if (const auto* info = std::get_if<std::unique_ptr<DeviceInfoRecord>>(&record)) {
    const DeviceInfoRecord& r = **info;
    bytes += sizeof(DeviceInfoRecord) + heapBytes(r.ssid) + heapBytes(r.username) +
             r.ip_addresses.capacity() * sizeof(IpAddress) +
             r.telemetry.capacity() * sizeof(proto::Telemetry);
  }
  return bytes;
}

WriteQueue::WriteQueue(size_t limit_bytes, size_t batch_records)
    : limit_bytes_(limit_bytes), batch_records_(std::max<size_t>(batch_records, 1)) {}

uint64_t WriteQueue::push(QueuedRecord record, SteadyClock::time_point now) {
  const size_t bytes = queuedBytes(record);
  bool wake_writer = false;
  uint64_t seq = 0;
  {
    std::lock_guard lock(mu_);
    while (!queue_.empty() && queued_bytes_ + batch_bytes_ + bytes > limit_bytes_) {
      queued_bytes_ -= queue_.front().bytes;
      queue_.pop_front();
      ++dropped_;
    }
    if (queued_bytes_ + batch_bytes_ + bytes > limit_bytes_) {
      ++dropped_;
      return 0;
    }
    seq = next_seq_++;
    wake_writer = queue_.empty() || queue_.size() + 1 == batch_records_;
    queued_bytes_ += bytes;
    queue_.push_back(QueueEntry{seq, now, bytes, std::move(record)});
  }
  if (wake_writer) {
    cv_.notify_one();
  }
  return seq;
}

void WriteQueue::waitForRecords(SteadyClock::time_point commit_at,
                                SteadyClock::time_point give_up_at) {
  std::unique_lock lock(mu_);
  while (!woken_ && queue_.size() < batch_records_) {
    const auto now = SteadyClock::now();
    if ((!queue_.empty() && now >= commit_at) || now >= give_up_at) {
      break;
    }
    cv_.wait_until(lock, queue_.empty() ? give_up_at : std::min(commit_at, give_up_at));
  }
  woken_ = false;
}

void WriteQueue::sleepUntil(SteadyClock::time_point until) {
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, until, [this] { return woken_; });
  woken_ = false;
}

void WriteQueue::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

void WriteQueue::take(std::vector<QueueEntry>& out, size_t max_records) {
  std::lock_guard lock(mu_);
  const size_t count = std::min(max_records, queue_.size());
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    QueueEntry& entry = queue_.front();
    queued_bytes_ -= entry.bytes;
    batch_bytes_ += entry.bytes;
    out.push_back(std::move(entry));
    queue_.pop_front();
  }
  batch_records_taken_ = count;
  batch_oldest_ = out.empty() ? std::nullopt : std::optional(out.front().submitted);
}

void WriteQueue::release(const std::vector<QueueEntry>& batch) {
  std::lock_guard lock(mu_);
  batch_bytes_ = 0;
  batch_records_taken_ = 0;
  batch_oldest_.reset();
  if (!batch.empty()) {
    settled_seq_ = std::max(settled_seq_, batch.back().seq);
  }
}

void WriteQueue::releaseDropped(const std::vector<QueueEntry>& batch) {
  release(batch);
  std::lock_guard lock(mu_);
  dropped_ += batch.size();
}

uint64_t WriteQueue::dropQueued() {
  std::lock_guard lock(mu_);
  const uint64_t count = queue_.size();
  if (!queue_.empty()) {
    settled_seq_ = std::max(settled_seq_, queue_.back().seq);
  }
  dropped_ += count;
  queue_.clear();
  queued_bytes_ = 0;
  return count;
}

WriteQueue::Snapshot WriteQueue::snapshot() const {
  std::lock_guard lock(mu_);
  Snapshot s;
  s.queued = queue_.size() + batch_records_taken_;
  s.bytes = queued_bytes_ + batch_bytes_;
  s.limit_bytes = limit_bytes_;
  s.accepted = next_seq_ - 1;
  s.dropped = dropped_;
  s.settled_seq = settled_seq_;
  s.oldest = batch_oldest_;
  if (!s.oldest && !queue_.empty()) {
    s.oldest = queue_.front().submitted;
  }
  // With nothing waiting, every accepted record is settled.
  if (s.queued == 0) {
    s.settled_seq = s.accepted;
  }
  return s;
}

}  // namespace nmsp::store
