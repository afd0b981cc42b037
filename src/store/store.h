#pragma once
// The MSE's store (docs/storage.md): current and past locations, device info and statistics,
// venues and controllers, in SQLite (default) or PostgreSQL (several MSEs, one database).
//
// Threads. The store runs its own two threads: a writer, which commits the submitted records in
// batches and runs the operator's writes and the history pruning, and a reader with its own
// connection for the operator's reads. Nothing the io thread calls waits for either:
//   - submit() queues a record (bounded in bytes, the oldest dropped and counted beyond it);
//   - reads and operator writes take a Reply, called once on a store thread with the result,
//     a database error, or a timeout (StoreOptions::request_timeout). A reply is called on the
//     calling thread only when the request is refused at once (its queue full, store closed).
// openStore() and the destructor (which drains the queue for at most close_timeout) block:
// call them before the io thread runs and after it stops.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/latency_histogram.h"
#include "store/postgres_connection.h"
#include "store/records.h"
#include "store/store_target.h"

namespace nmsp::store {

struct StoreOptions {
  StoreTarget target;
  /// Bound of the write queue: 64 MiB holds about 420,000 location records, 21 s of
  /// 20,000 updates/s (docs/storage.md, "Queue bound and overflow").
  size_t queue_limit_bytes = size_t{64} << 20;
  /// At most this many records per transaction; a queue this long is written at once.
  size_t batch_records = 5000;
  /// With fewer than batch_records queued, the next transaction starts this long after the
  /// previous one started (at once if that time has passed): the batching window.
  std::chrono::milliseconds commit_interval{50};
  /// History rows older than this (by the time they were stored) are deleted.
  std::chrono::milliseconds retention{std::chrono::hours(24 * 7)};
  std::chrono::milliseconds prune_interval{std::chrono::minutes(1)};
  uint64_t prune_batch_rows = 5000;  // rows per pruning transaction
  std::chrono::milliseconds reconnect_initial{100};
  std::chrono::milliseconds reconnect_max{std::chrono::seconds(5)};
  /// Reads and operator writes not answered by then get StoreError::Code::Timeout.
  std::chrono::milliseconds request_timeout{std::chrono::seconds(5)};
  size_t max_pending_requests = 1024;  // per thread; beyond, Code::Busy at once
  /// The destructor writes what is queued for at most this long; the rest is dropped.
  std::chrono::milliseconds close_timeout{std::chrono::seconds(2)};
  std::chrono::milliseconds sqlite_busy_timeout{std::chrono::seconds(5)};
  sql::PostgresOptions postgres;
  /// UTC milliseconds (stored_ms, retention); tests inject their own clock.
  std::function<uint64_t()> wall_clock_ms;
};

struct StoreError {
  enum class Code {
    Timeout,      // not answered within request_timeout
    Unavailable,  // no connection to the database
    Busy,         // too many requests pending
    Closed,       // the store is closing
    Failed,       // the database refused the statement
  };
  Code code = Code::Failed;
  std::string message;
};

template <class T>
using Reply = std::function<void(Result<T, StoreError>)>;

/// What `show location summary` shows about the store.
struct StoreStatus {
  std::string backend;  // "sqlite" or "postgresql"
  std::string target;   // file, or URI without its password
  bool connected = false;
  int schema_version = 0;
  uint64_t queued = 0;  // records not yet committed (the batch being written included)
  uint64_t queued_bytes = 0;
  uint64_t queue_limit_bytes = 0;
  uint64_t accepted = 0;     // records submitted and queued
  uint64_t written = 0;      // records committed
  uint64_t dropped = 0;      // records dropped: queue full (oldest first), or left at close
  uint64_t failed = 0;       // records the database refused (a bad value); last_error says why
  uint64_t settled_seq = 0;  // every submit() up to this sequence number is written or dropped
  std::chrono::milliseconds lag{0};  // age of the oldest record not yet committed
  uint64_t batches = 0;
  uint64_t reconnects = 0;  // connections lost (and later made again)
  uint64_t pruned = 0;      // history rows deleted by retention
  std::string last_error;   // empty if none since the store opened
};

class Store {
 public:
  virtual ~Store() = default;

  // --- the measurement path: never blocks --------------------------------------------------
  /// Queues a record for the next batch; its sequence number (see StoreStatus::settled_seq),
  /// or 0 if it was dropped at once (it would not fit beside the batch being written).
  virtual uint64_t submit(LocationRecord record) = 0;
  virtual uint64_t submit(DeviceInfoRecord record) = 0;
  virtual uint64_t submit(DeviceStatisticsRecord record) = 0;

  // --- operator writes (writer thread, one transaction each) --------------------------------
  virtual void putVenue(VenueRecord venue, Reply<void> reply) = 0;
  /// true if the venue existed.
  virtual void deleteVenue(std::string id, Reply<bool> reply) = 0;
  virtual void putController(ControllerRecord controller, Reply<void> reply) = 0;
  virtual void deleteController(std::string host, uint16_t port, Reply<bool> reply) = 0;

  // --- reads (reader thread): committed data only ------------------------------------------
  virtual void currentLocation(MacAddress device, Reply<std::optional<LocationRecord>> reply) = 0;
  virtual void currentLocations(LocationFilter filter,
                                Reply<std::vector<LocationRecord>> reply) = 0;
  /// Fixes with from_ms <= ts_ms < to_ms, oldest first, at most `limit`.
  virtual void locationHistory(MacAddress device, uint64_t from_ms, uint64_t to_ms, uint32_t limit,
                               Reply<std::vector<LocationRecord>> reply) = 0;
  virtual void locationCounts(Reply<std::vector<FloorKindCount>> reply) = 0;
  virtual void deviceInfo(MacAddress device, Reply<std::optional<DeviceInfoRecord>> reply) = 0;
  virtual void deviceStatistics(MacAddress device,
                                Reply<std::optional<DeviceStatisticsRecord>> reply) = 0;
  virtual void venues(Reply<std::vector<VenueRecord>> reply) = 0;
  virtual void controllers(Reply<std::vector<ControllerRecord>> reply) = 0;

  // --- status ------------------------------------------------------------------------------
  virtual StoreStatus status() const = 0;
  /// Submit-to-commit latency of every record written so far.
  virtual LatencyHistogram::Snapshot commitLatency() const = 0;
  /// Blocks (never call it on the io thread) until every record submitted before the call is
  /// written or dropped, at most `timeout`; true if it came to that.
  virtual bool flush(std::chrono::milliseconds timeout) = 0;
};

/// Opens the database (creating the SQLite file), migrates its schema, starts the threads.
/// Fails on what waiting cannot fix: a file that cannot be opened, a schema newer than this
/// build's, a failed migration step. An unreachable PostgreSQL server is not a failure: the
/// store starts disconnected, buffers, and connects when it can (status().last_error says why).
Result<std::unique_ptr<Store>, std::string> openStore(StoreOptions options);

}  // namespace nmsp::store
