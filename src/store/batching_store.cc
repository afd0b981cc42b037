// The Store: a bounded write queue drained by a writer thread in batches (one transaction
// each), a reader thread for the operator's reads, the same code for both engines.

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/postgres_connection.h"
#include "store/request_queue.h"
#include "store/schema.h"
#include "store/sqlite_connection.h"
#include "store/statements.h"
#include "store/store.h"
#include "store/write_queue.h"

namespace nmsp::store {
namespace {

using std::chrono::milliseconds;
using Connector = std::function<sql::DbResult<std::unique_ptr<sql::Connection>>()>;

uint64_t systemClockMs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

Connector connectorFor(const StoreOptions& options, sql::SqliteConnection::Role role) {
  if (options.target.kind == StoreTarget::Kind::Sqlite) {
    return
        [path = options.target.sqlite_path, role,
         busy = options.sqlite_busy_timeout]() -> sql::DbResult<std::unique_ptr<sql::Connection>> {
          auto c = sql::SqliteConnection::open(path, role, busy);
          if (!c) {
            return Unexpected{c.error()};
          }
          return std::unique_ptr<sql::Connection>(std::move(*c));
        };
  }
  return [uri = options.target.postgres_uri,
          pg = options.postgres]() -> sql::DbResult<std::unique_ptr<sql::Connection>> {
    auto c = sql::PostgresConnection::open(uri, pg);
    if (!c) {
      return Unexpected{c.error()};
    }
    return std::unique_ptr<sql::Connection>(std::move(*c));
  };
}

// The batch the writer holds until it is committed: retried whole after a transient error.
struct PendingBatch {
  std::vector<QueueEntry> entries;
  std::vector<bool> refused;  // the database refused this record alone: never retried
  bool empty() const { return entries.empty(); }
};

enum class WriteOutcome { Done, Retry };

class BatchingStore final : public Store {
 public:
  explicit BatchingStore(StoreOptions options)
      : options_(std::move(options)),
        queue_(options_.queue_limit_bytes, options_.batch_records),
        writer_requests_(options_.max_pending_requests),
        reader_requests_(options_.max_pending_requests),
        connect_writer_(connectorFor(options_, sql::SqliteConnection::Role::Writer)),
        connect_reader_(connectorFor(options_, sql::SqliteConnection::Role::Reader)) {
    if (!options_.wall_clock_ms) {
      options_.wall_clock_ms = systemClockMs;
    }
  }

  ~BatchingStore() override {
    close_deadline_ = SteadyClock::now() + options_.close_timeout;
    closing_.store(true);
    queue_.wake();
    if (writer_.joinable()) {
      writer_.join();
    }
    reader_requests_.close();
    if (reader_.joinable()) {
      reader_.join();
    }
  }

  /// First connection and migration, in the caller's thread. An error only for what retrying
  /// cannot mend.
  Result<void, std::string> start() {
    auto connection = connect_writer_();
    if (connection) {
      auto version = migrate(**connection, migrations(), options_.wall_clock_ms());
      if (!version && !version.error().transient) {
        return Unexpected{options_.target.display() + ": " + version.error().message};
      }
      if (version) {
        writer_connection_ = std::move(*connection);
        schema_version_.store(*version);
        connected_.store(true);
      } else {
        noteError(version.error().message);
      }
    } else if (options_.target.kind == StoreTarget::Kind::Sqlite) {
      return Unexpected{connection.error().message};
    } else {
      noteError(connection.error().message);
    }
    writer_ = std::thread([this] { writerLoop(); });
    reader_ = std::thread([this] { readerLoop(); });
    return {};
  }

  uint64_t submit(LocationRecord record) override { return push(std::move(record)); }
  uint64_t submit(DeviceInfoRecord record) override {
    return push(std::make_unique<DeviceInfoRecord>(std::move(record)));
  }
  uint64_t submit(DeviceStatisticsRecord record) override { return push(std::move(record)); }

  void putVenue(VenueRecord venue, Reply<void> reply) override {
    write<void>(
        [venue = std::move(venue), this](sql::Connection& c) {
          return statements::putVenue(c, venue, options_.wall_clock_ms());
        },
        std::move(reply));
  }
  void deleteVenue(std::string id, Reply<bool> reply) override {
    write<bool>([id = std::move(id)](sql::Connection& c) { return statements::deleteVenue(c, id); },
                std::move(reply));
  }
  void putController(ControllerRecord controller, Reply<void> reply) override {
    write<void>(
        [controller = std::move(controller), this](sql::Connection& c) {
          return statements::putController(c, controller, options_.wall_clock_ms());
        },
        std::move(reply));
  }
  void deleteController(std::string host, uint16_t port, Reply<bool> reply) override {
    write<bool>([host = std::move(host),
                 port](sql::Connection& c) { return statements::deleteController(c, host, port); },
                std::move(reply));
  }

  void currentLocation(MacAddress device, Reply<std::optional<LocationRecord>> reply) override {
    read<std::optional<LocationRecord>>(
        [device](sql::Connection& c) { return statements::currentLocation(c, device); },
        std::move(reply));
  }
  void currentLocations(LocationFilter filter, Reply<std::vector<LocationRecord>> reply) override {
    read<std::vector<LocationRecord>>(
        [filter = std::move(filter)](sql::Connection& c) {
          return statements::currentLocations(c, filter);
        },
        std::move(reply));
  }
  void locationHistory(MacAddress device, uint64_t from_ms, uint64_t to_ms, uint32_t limit,
                       Reply<std::vector<LocationRecord>> reply) override {
    read<std::vector<LocationRecord>>(
        [=](sql::Connection& c) {
          return statements::locationHistory(c, device, from_ms, to_ms, limit);
        },
        std::move(reply));
  }
  void locationCounts(Reply<std::vector<FloorKindCount>> reply) override {
    read<std::vector<FloorKindCount>>(
        [](sql::Connection& c) { return statements::locationCounts(c); }, std::move(reply));
  }
  void deviceInfo(MacAddress device, Reply<std::optional<DeviceInfoRecord>> reply) override {
    read<std::optional<DeviceInfoRecord>>(
        [device](sql::Connection& c) { return statements::deviceInfo(c, device); },
        std::move(reply));
  }
  void deviceStatistics(MacAddress device,
                        Reply<std::optional<DeviceStatisticsRecord>> reply) override {
    read<std::optional<DeviceStatisticsRecord>>(
        [device](sql::Connection& c) { return statements::deviceStatistics(c, device); },
        std::move(reply));
  }
  void venues(Reply<std::vector<VenueRecord>> reply) override {
    read<std::vector<VenueRecord>>([](sql::Connection& c) { return statements::venues(c); },
                                   std::move(reply));
  }
  void controllers(Reply<std::vector<ControllerRecord>> reply) override {
    read<std::vector<ControllerRecord>>(
        [](sql::Connection& c) { return statements::controllers(c); }, std::move(reply));
  }

  StoreStatus status() const override {
    const auto q = queue_.snapshot();
    StoreStatus s;
    s.backend = std::string(options_.target.backendName());
    s.target = options_.target.display();
    s.connected = connected_.load();
    s.schema_version = schema_version_.load();
    s.queued = q.queued;
    s.queued_bytes = q.bytes;
    s.queue_limit_bytes = q.limit_bytes;
    s.accepted = q.accepted;
    s.written = written_.load();
    s.dropped = q.dropped;
    s.failed = failed_.load();
    s.settled_seq = q.settled_seq;
    if (q.oldest) {
      s.lag = std::chrono::duration_cast<milliseconds>(SteadyClock::now() - *q.oldest);
    }
    s.batches = batches_.load();
    s.reconnects = reconnects_.load();
    s.pruned = pruned_.load();
    std::lock_guard lock(error_mu_);
    s.last_error = last_error_;
    return s;
  }

  LatencyHistogram::Snapshot commitLatency() const override { return latency_.snapshot(); }

  bool flush(milliseconds timeout) override {
    const uint64_t target = queue_.snapshot().accepted;
    const auto deadline = SteadyClock::now() + timeout;
    std::unique_lock lock(progress_mu_);
    return progress_cv_.wait_until(lock, deadline,
                                   [&] { return queue_.snapshot().settled_seq >= target; });
  }

 private:
  uint64_t push(QueuedRecord record) { return queue_.push(std::move(record), SteadyClock::now()); }

  SteadyClock::time_point deadline() const { return SteadyClock::now() + options_.request_timeout; }

  template <class T, class Op>
  void read(Op op, Reply<T> reply) {
    reader_requests_.push(makeRequest<T>(deadline(), std::move(op), std::move(reply), false));
  }

  template <class T, class Op>
  void write(Op op, Reply<T> reply) {
    writer_requests_.push(makeRequest<T>(deadline(), std::move(op), std::move(reply), true));
    queue_.wake();
  }

  void noteError(std::string message) {
    std::lock_guard lock(error_mu_);
    last_error_ = std::move(message);
  }

  void notifyProgress() {
    { std::lock_guard lock(progress_mu_); }
    progress_cv_.notify_all();
  }

  bool closingAndPastDeadline() const {
    return closing_.load() && SteadyClock::now() >= close_deadline_;
  }

  // --- writer thread -------------------------------------------------------------------------

  bool connectWriter() {
    auto connection = connect_writer_();
    if (!connection) {
      noteError(connection.error().message);
      return false;
    }
    auto version = migrate(**connection, migrations(), options_.wall_clock_ms());
    if (!version) {
      noteError(version.error().message);
      return false;
    }
    writer_connection_ = std::move(*connection);
    schema_version_.store(*version);
    connected_.store(true);
    return true;
  }

  void lostConnection(const std::string& message) {
    noteError(message);
    writer_connection_.reset();
    connected_.store(false);
    reconnects_.fetch_add(1);
  }

  // A transient error: drop a broken connection (reconnect with backoff), else wait and retry.
  void transientFailure(const sql::DbError& error) {
    if (error.connection_lost || writer_connection_->broken()) {
      lostConnection(error.message);
    } else {
      noteError(error.message);
      pause(options_.reconnect_initial);
    }
  }

  // Sleeps for `delay`, or less if the store starts closing.
  void pause(milliseconds delay) { queue_.sleepUntil(SteadyClock::now() + delay); }

  // Writes the unrefused records of pending_[first, last) in one transaction. A record the
  // database refuses (a value it cannot take) is isolated by halving and counted as failed,
  // so that one bad record never costs its neighbours.
  WriteOutcome writeRange(size_t first, size_t last, uint64_t stored_ms) {
    statements::Batch batch;
    for (size_t i = first; i < last; ++i) {
      if (pending_.refused[i]) {
        continue;
      }
      std::visit(
          [&](const auto& record) {
            using R = std::decay_t<decltype(record)>;
            if constexpr (std::is_same_v<R, LocationRecord>) {
              batch.locations.push_back(&record);
            } else if constexpr (std::is_same_v<R, DeviceStatisticsRecord>) {
              batch.statistics.push_back(&record);
            } else {
              batch.infos.push_back(record.get());
            }
          },
          pending_.entries[i].record);
    }
    if (batch.empty()) {
      return WriteOutcome::Done;
    }
    auto written = sql::inTransaction(*writer_connection_, [&] {
      return statements::writeBatch(*writer_connection_, batch, stored_ms);
    });
    if (written) {
      return WriteOutcome::Done;
    }
    if (written.error().transient) {
      transientFailure(written.error());
      return WriteOutcome::Retry;
    }
    noteError(written.error().message);
    if (last - first == 1) {
      pending_.refused[first] = true;
      return WriteOutcome::Done;
    }
    const size_t middle = first + (last - first) / 2;
    if (writeRange(first, middle, stored_ms) == WriteOutcome::Retry) {
      return WriteOutcome::Retry;
    }
    return writeRange(middle, last, stored_ms);
  }

  // Commits pending_ (all of it, or retry later: rows written by a partial attempt are written
  // again idempotently). Done: the batch is settled.
  WriteOutcome commitPending() {
    if (writeRange(0, pending_.entries.size(), options_.wall_clock_ms()) == WriteOutcome::Retry) {
      return WriteOutcome::Retry;
    }
    const auto now = SteadyClock::now();
    uint64_t refused = 0;
    for (size_t i = 0; i < pending_.entries.size(); ++i) {
      if (pending_.refused[i]) {
        ++refused;
      } else {
        latency_.add(now - pending_.entries[i].submitted);
      }
    }
    written_.fetch_add(pending_.entries.size() - refused);
    failed_.fetch_add(refused);
    batches_.fetch_add(1);
    queue_.release(pending_.entries);
    pending_ = {};
    notifyProgress();
    return WriteOutcome::Done;
  }

  void runWriterRequests() {
    while (writer_connection_) {
      auto request = writer_requests_.tryPop();
      if (!request) {
        return;
      }
      if (SteadyClock::now() > request->deadline) {
        request->refuse({StoreError::Code::Timeout, "not answered in time"});
        continue;
      }
      if (request->run(*writer_connection_) || writer_connection_->broken()) {
        lostConnection("connection lost during an operator write");
      }
    }
  }

  void refuseWriterRequests(const StoreError& error) {
    while (auto request = writer_requests_.tryPop()) {
      request->refuse(error);
    }
  }

  void pruneStep(SteadyClock::time_point& next_prune) {
    const uint64_t retention_ms = static_cast<uint64_t>(options_.retention.count());
    const uint64_t now_ms = options_.wall_clock_ms();
    const uint64_t cutoff = now_ms > retention_ms ? now_ms - retention_ms : 0;
    auto deleted = sql::inTransaction(*writer_connection_, [&] {
      return statements::pruneHistory(*writer_connection_, cutoff, options_.prune_batch_rows);
    });
    if (!deleted) {
      if (deleted.error().transient) {
        transientFailure(deleted.error());
      } else {
        noteError("pruning the history: " + deleted.error().message);
        next_prune = SteadyClock::now() + options_.prune_interval;
      }
      return;
    }
    pruned_.fetch_add(*deleted);
    // A full step means more is due: go on after the next batch, else wait for the interval.
    next_prune = *deleted >= options_.prune_batch_rows
                     ? SteadyClock::now()
                     : SteadyClock::now() + options_.prune_interval;
  }

  void writerLoop() {
    milliseconds backoff = options_.reconnect_initial;
    auto next_prune = SteadyClock::now();
    auto next_commit = SteadyClock::now();
    while (!closingAndPastDeadline()) {
      if (!writer_connection_) {
        refuseWriterRequests({StoreError::Code::Unavailable, "no connection to the database"});
        if (closing_.load() || !connectWriter()) {
          if (closing_.load()) {
            break;
          }
          pause(backoff);
          backoff = std::min(backoff * 2, options_.reconnect_max);
          continue;
        }
        backoff = options_.reconnect_initial;
      }
      if (!pending_.empty()) {
        if (commitPending() == WriteOutcome::Retry) {
          continue;
        }
      }
      runWriterRequests();
      if (writer_connection_ && SteadyClock::now() >= next_prune && !closing_.load()) {
        pruneStep(next_prune);
      }
      if (!writer_connection_) {
        continue;
      }
      if (!closing_.load()) {
        queue_.waitForRecords(next_commit,
                              std::min(next_prune, SteadyClock::now() + std::chrono::seconds(1)));
      }
      queue_.take(pending_.entries, options_.batch_records);
      pending_.refused.assign(pending_.entries.size(), false);
      if (pending_.empty()) {
        if (closing_.load()) {
          break;
        }
        continue;
      }
      next_commit = SteadyClock::now() + options_.commit_interval;
      commitPending();
    }
    // Closing: what could not be written in time is dropped, and counted.
    if (!pending_.empty()) {
      queue_.release(pending_.entries);
    }
    queue_.dropQueued();
    writer_requests_.close();
    notifyProgress();
  }

  // --- reader thread -------------------------------------------------------------------------

  void readerLoop() {
    std::unique_ptr<sql::Connection> connection;
    while (auto request = reader_requests_.waitPop()) {
      if (SteadyClock::now() > request->deadline) {
        request->refuse({StoreError::Code::Timeout, "not answered in time"});
        continue;
      }
      if (!connection || connection->broken()) {
        auto made = connect_reader_();
        if (!made) {
          connection.reset();
          request->refuse({StoreError::Code::Unavailable, made.error().message});
          continue;
        }
        connection = std::move(*made);
      }
      if (request->run(*connection)) {
        connection.reset();
      }
    }
  }

  StoreOptions options_;
  WriteQueue queue_;
  RequestQueue writer_requests_;
  RequestQueue reader_requests_;
  Connector connect_writer_;
  Connector connect_reader_;

  // Writer thread only.
  std::unique_ptr<sql::Connection> writer_connection_;
  PendingBatch pending_;

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

  std::thread writer_;
  std::thread reader_;
};

}  // namespace

Result<std::unique_ptr<Store>, std::string> openStore(StoreOptions options) {
  auto store = std::make_unique<BatchingStore>(std::move(options));
  if (auto started = store->start(); !started) {
    return Unexpected{started.error()};
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace nmsp::store
