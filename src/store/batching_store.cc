// The Store: a bounded write queue drained by the writer thread (store_writer.h), a reader
// thread with its own connection for the operator's reads, the same code for both engines.

#include <thread>

#include "store/connector.h"
#include "store/request_queue.h"
#include "store/statements.h"
#include "store/store.h"
#include "store/store_writer.h"
#include "store/write_queue.h"

namespace nmsp::store {
namespace {

uint64_t systemClockMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

StoreOptions withDefaults(StoreOptions options) {
  if (!options.wall_clock_ms) {
    options.wall_clock_ms = systemClockMs;
  }
  return options;
}

class BatchingStore final : public Store {
 public:
  explicit BatchingStore(StoreOptions options)
      : options_(withDefaults(std::move(options))),
        queue_(options_.queue_limit_bytes, options_.batch_records),
        writer_requests_(options_.max_pending_requests),
        reader_requests_(options_.max_pending_requests),
        writer_(options_, queue_, writer_requests_,
                connectorFor(options_, sql::SqliteConnection::Role::Writer)),
        connect_reader_(connectorFor(options_, sql::SqliteConnection::Role::Reader)) {}

  ~BatchingStore() override {
    writer_.close();
    reader_requests_.close();
    if (reader_.joinable()) {
      reader_.join();
    }
  }

  /// First connection and migration, in the caller's thread; then the threads. An error only
  /// for what waiting cannot mend (an unreachable PostgreSQL server is not one).
  Result<void, std::string> start() {
    if (auto connected = writer_.connect(); !connected) {
      const bool sqlite = options_.target.kind == StoreTarget::Kind::Sqlite;
      if (sqlite || !connected.error().transient) {
        return Unexpected{connected.error().message};
      }
    }
    writer_.start();
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
    s.queued = q.queued;
    s.queued_bytes = q.bytes;
    s.queue_limit_bytes = q.limit_bytes;
    s.accepted = q.accepted;
    s.dropped = q.dropped;
    s.settled_seq = q.settled_seq;
    if (q.oldest) {
      s.lag = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - *q.oldest);
    }
    writer_.fill(s);
    return s;
  }

  LatencyHistogram::Snapshot commitLatency() const override { return writer_.latency(); }

  bool flush(std::chrono::milliseconds timeout) override {
    return writer_.waitSettled(queue_.snapshot().accepted, SteadyClock::now() + timeout);
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

  // The reader thread: requests in order, on a connection of its own made when needed.
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

  const StoreOptions options_;
  WriteQueue queue_;
  RequestQueue writer_requests_;
  RequestQueue reader_requests_;
  StoreWriter writer_;
  Connector connect_reader_;
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
