#pragma once
// `nmsp mse --record FILE`: every RSSI observation the MSE receives, appended to FILE in the
// measurement format (JSON Lines, docs/simulator.md "Measurement files"), one line per AP report
// of every Measurement Notification, in arrival order.
// Threads: add() and submit() run on the io thread and only copy observations into a batch and
// hand it to the recorder's own writer thread; the file is opened, written and flushed (no
// fsync) there, never on the io thread.
// Bound and overflow policy: at most `max_pending` observations (default 1,000,000, about
// 100 MB of lines) wait for the writer, in at most 1,024 batches. A batch that would exceed
// either bound is dropped whole (drop newest: the file keeps a gap-free prefix of what was
// received up to the overload) and its observations are counted in `dropped`.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/worker_thread.h"
#include "measurement/observation.h"
#include "measurement/record_writer.h"
#include "proto/messages.h"

namespace nmsp::mse {

struct RecorderCounters {
  uint64_t written = 0;       // observations handed to the file
  uint64_t dropped = 0;       // observations dropped because the writer was behind
  uint64_t write_errors = 0;  // batches the stream refused (disk full, ...)
};

class Recorder {
 public:
  static constexpr size_t kDefaultMaxPending = 1'000'000;
  static constexpr size_t kMaxBatches = 1024;

  /// Opens FILE for appending (created if absent); error text for the operator.
  static Result<std::shared_ptr<Recorder>, std::string> open(
      const std::filesystem::path& file, size_t max_pending = kDefaultMaxPending);
  /// Drains the queued batches, then joins the writer.
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  /// io thread: adds the AP reports of one device to the current batch.
  void add(const proto::DeviceMeasurement& measurement);
  /// io thread: hands the current batch to the writer (or drops it, counted).
  void submit();
  /// Stops accepting, writes what is queued, flushes and joins (any thread but the io thread).
  void close();

  RecorderCounters counters() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  Recorder(std::filesystem::path path, std::unique_ptr<std::ofstream> out, size_t max_pending);

  const std::filesystem::path path_;
  const size_t max_pending_;
  std::vector<measurement::Observation> batch_;  // io thread
  std::atomic<bool> closed_{false};              // set by close()
  std::atomic<size_t> pending_{0};
  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> write_errors_{0};
  // Used only by jobs on writer_.
  std::unique_ptr<std::ofstream> out_;
  std::unique_ptr<measurement::RecordWriter> record_;
  std::unique_ptr<WorkerThread> writer_;  // last: its jobs use the members above
};

}  // namespace nmsp::mse
