#pragma once
// The store's writer thread: drains the write queue in batches (one transaction each), runs the
// operator's writes between batches, prunes the history, and reconnects with backoff when the
// database goes away, keeping the batch it holds (docs/storage.md, "Write path", "Outage").

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/connector.h"
#include "store/latency_histogram.h"
#include "store/request_queue.h"
#include "store/schema.h"
#include "store/store.h"
#include "store/write_queue.h"

namespace nmsp::store {

class StoreWriter {
 public:
  StoreWriter(const StoreOptions& options, WriteQueue& queue, RequestQueue& requests,
              Connector connect);
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  /// Connects and migrates in the caller's thread (before start()). The error's `transient`
  /// says whether waiting may mend it.
  Result<void, MigrationError> connect();
  void start();
  /// Writes what is queued for at most close_timeout, drops and counts the rest, joins.
  void close();

  /// Fills the writer's fields of a status snapshot.
  void fill(StoreStatus& status) const;
  LatencyHistogram::Snapshot latency() const { return latency_.snapshot(); }
  /// Blocks until the queue has settled `seq`, at most until `deadline`.
  bool waitSettled(uint64_t seq, SteadyClock::time_point deadline);

 private:
  enum class Outcome { Done, Retry };

  void loop();
  void noteError(std::string message);
  void lostConnection(const std::string& message);
  void transientFailure(const sql::DbError& error);
  void pause(std::chrono::milliseconds delay);
  Outcome writeRange(size_t first, size_t last, uint64_t stored_ms);
  Outcome commitPending();
  void runRequests();
  void refuseRequests(const StoreError& error);
  void pruneStep(SteadyClock::time_point& next_prune);
  void notifyProgress();
  bool pastCloseDeadline() const;

  const StoreOptions& options_;
  WriteQueue& queue_;
  RequestQueue& requests_;
  Connector connect_;

  // Writer thread only (and the caller of connect() before start()).
  std::unique_ptr<sql::Connection> connection_;
  std::vector<QueueEntry> pending_;  // the batch held until committed; retried whole
  std::vector<bool> refused_;        // pending_[i] refused by the database: never retried

  std::atomic<bool> closing_{false};
  SteadyClock::time_point close_deadline_;  // written before closing_ is set
  std::atomic<bool> connected_{false};
  std::atomic<int> schema_version_{0};
  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> failed_{0};
  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> reconnects_{0};
  std::atomic<uint64_t> pruned_{0};
  LatencyHistogram latency_;
  mutable std::mutex error_mu_;
  std::string last_error_;
  std::mutex progress_mu_;
  std::condition_variable progress_cv_;
  std::thread thread_;
};

}  // namespace nmsp::store
