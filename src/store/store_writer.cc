#include "store/store_writer.h"

#include <algorithm>

#include "store/statements.h"

namespace nmsp::store {

using std::chrono::milliseconds;

StoreWriter::StoreWriter(const StoreOptions& options, WriteQueue& queue, RequestQueue& requests,
                         Connector connect)
    : options_(options), queue_(queue), requests_(requests), connect_(std::move(connect)) {}

StoreWriter::~StoreWriter() {
  close();
}

Result<void, MigrationError> StoreWriter::connect() {
  auto connection = connect_();
  if (!connection) {
    noteError(connection.error().message);
    return Unexpected{MigrationError{connection.error().message, connection.error().transient}};
  }
  auto version = migrate(**connection, migrations(), options_.wall_clock_ms());
  if (!version) {
    MigrationError e{options_.target.display() + ": " + version.error().message,
                     version.error().transient};
    noteError(e.message);
    return Unexpected{std::move(e)};
  }
  connection_ = std::move(*connection);
  schema_version_.store(*version);
  connected_.store(true);
  return {};
}

void StoreWriter::start() {
  thread_ = std::thread([this] { loop(); });
}

void StoreWriter::close() {
  if (!thread_.joinable()) {
    return;
  }
  close_deadline_ = SteadyClock::now() + options_.close_timeout;
  closing_.store(true);
  queue_.wake();
  thread_.join();
}

void StoreWriter::fill(StoreStatus& s) const {
  s.connected = connected_.load();
  s.schema_version = schema_version_.load();
  s.written = written_.load();
  s.failed = failed_.load();
  s.batches = batches_.load();
  s.reconnects = reconnects_.load();
  s.pruned = pruned_.load();
  std::lock_guard lock(error_mu_);
  s.last_error = last_error_;
}

bool StoreWriter::waitSettled(uint64_t seq, SteadyClock::time_point deadline) {
  std::unique_lock lock(progress_mu_);
  return progress_cv_.wait_until(lock, deadline,
                                 [&] { return queue_.snapshot().settled_seq >= seq; });
}

void StoreWriter::noteError(std::string message) {
  std::lock_guard lock(error_mu_);
  last_error_ = std::move(message);
}

void StoreWriter::notifyProgress() {
  { std::lock_guard lock(progress_mu_); }
  progress_cv_.notify_all();
}

bool StoreWriter::pastCloseDeadline() const {
  return closing_.load() && SteadyClock::now() >= close_deadline_;
}

void StoreWriter::lostConnection(const std::string& message) {
  noteError(message);
  connection_.reset();
  connected_.store(false);
  reconnects_.fetch_add(1);
}

// A transient error: drop a lost connection (reconnect with backoff), else wait and retry.
void StoreWriter::transientFailure(const sql::DbError& error) {
  if (error.connection_lost || connection_->broken()) {
    lostConnection(error.message);
  } else {
    noteError(error.message);
    pause(options_.reconnect_initial);
  }
}

// Sleeps for `delay`, or less if the store starts closing.
void StoreWriter::pause(milliseconds delay) {
  queue_.sleepUntil(SteadyClock::now() + delay);
}

// Writes the unrefused records of pending_[first, last) in one transaction. A record the
// database refuses (a value it cannot take) is isolated by halving and counted as failed, so
// that one bad record never costs its neighbours.
StoreWriter::Outcome StoreWriter::writeRange(size_t first, size_t last, uint64_t stored_ms) {
  statements::Batch batch;
  for (size_t i = first; i < last; ++i) {
    if (refused_[i]) {
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
        pending_[i].record);
  }
  if (batch.empty()) {
    return Outcome::Done;
  }
  auto written = sql::inTransaction(
      *connection_, [&] { return statements::writeBatch(*connection_, batch, stored_ms); });
  if (written) {
    return Outcome::Done;
  }
  if (written.error().transient) {
    transientFailure(written.error());
    return Outcome::Retry;
  }
  noteError(written.error().message);
  if (last - first == 1) {
    refused_[first] = true;
    return Outcome::Done;
  }
  const size_t middle = first + (last - first) / 2;
  if (writeRange(first, middle, stored_ms) == Outcome::Retry) {
    return Outcome::Retry;
  }
  return writeRange(middle, last, stored_ms);
}

// Commits pending_ (all of it, or Retry later: rows a partial attempt wrote are written again
// idempotently). Done: the batch is settled.
StoreWriter::Outcome StoreWriter::commitPending() {
  if (writeRange(0, pending_.size(), options_.wall_clock_ms()) == Outcome::Retry) {
    return Outcome::Retry;
  }
  const auto now = SteadyClock::now();
  const auto refused = static_cast<uint64_t>(std::count(refused_.begin(), refused_.end(), true));
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (!refused_[i]) {
      latency_.add(now - pending_[i].submitted);
    }
  }
  written_.fetch_add(pending_.size() - refused);
  failed_.fetch_add(refused);
  batches_.fetch_add(1);
  queue_.release(pending_);
  pending_.clear();
  refused_.clear();
  notifyProgress();
  return Outcome::Done;
}

void StoreWriter::runRequests() {
  while (connection_) {
    auto request = requests_.tryPop();
    if (!request) {
      return;
    }
    if (SteadyClock::now() > request->deadline) {
      request->refuse({StoreError::Code::Timeout, "not answered in time"});
      continue;
    }
    if (request->run(*connection_) || connection_->broken()) {
      lostConnection("connection lost during an operator write");
    }
  }
}

void StoreWriter::refuseRequests(const StoreError& error) {
  while (auto request = requests_.tryPop()) {
    request->refuse(error);
  }
}

void StoreWriter::pruneStep(SteadyClock::time_point& next_prune) {
  const auto retention_ms = static_cast<uint64_t>(options_.retention.count());
  const uint64_t now_ms = options_.wall_clock_ms();
  const uint64_t cutoff = now_ms > retention_ms ? now_ms - retention_ms : 0;
  auto deleted = sql::inTransaction(*connection_, [&] {
    return statements::pruneHistory(*connection_, cutoff, options_.prune_batch_rows);
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
  next_prune = *deleted >= options_.prune_batch_rows ? SteadyClock::now()
                                                     : SteadyClock::now() + options_.prune_interval;
}

void StoreWriter::loop() {
  milliseconds backoff = options_.reconnect_initial;
  auto next_prune = SteadyClock::now();
  auto next_commit = SteadyClock::now();
  while (!pastCloseDeadline()) {
    if (!connection_) {
      refuseRequests({StoreError::Code::Unavailable, "no connection to the database"});
      if (closing_.load()) {
        break;  // what is queued cannot be written: dropped and counted below
      }
      if (!connect()) {
        pause(backoff);
        backoff = std::min(backoff * 2, options_.reconnect_max);
        continue;
      }
      backoff = options_.reconnect_initial;
    }
    if (!pending_.empty() && commitPending() == Outcome::Retry) {
      continue;
    }
    runRequests();
    if (connection_ && SteadyClock::now() >= next_prune && !closing_.load()) {
      pruneStep(next_prune);
    }
    if (!connection_) {
      continue;
    }
    if (!closing_.load()) {
      queue_.waitForRecords(next_commit,
                            std::min(next_prune, SteadyClock::now() + std::chrono::seconds(1)));
    }
    queue_.take(pending_, options_.batch_records);
    refused_.assign(pending_.size(), false);
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
  queue_.releaseDropped(pending_);
  queue_.dropQueued();
  requests_.close();
  notifyProgress();
}

}  // namespace nmsp::store
