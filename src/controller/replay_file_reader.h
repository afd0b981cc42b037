#pragma once
// The controller's replay source: reads and parses the measurement file on its own thread, so
// that the io thread never reads or parses JSON (docs/data-path.md, "Replay"). The reader
// thread fills a queue bounded at ReplayQueueLimits (batches of observations) and waits while it is
// full: nothing is dropped, a replay the io thread cannot keep up with only falls behind its
// schedule. The io thread takes whole batches (one lock per batch). When looping, the reader
// starts the file again by itself after each pass; a pass without any observation ends it.

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "aggregate/replay.h"
#include "common/result.h"

namespace nmsp::controller {

struct ReplayQueueLimits {
  size_t batch = 1024;      // observations per batch
  size_t max_batches = 64;  // queued at most: 65,536 observations, about 6 MB
};

class ReplayFileReader : public aggregate::ReplaySource {
 public:
  /// Opens `file` (error: operator text naming it) and starts the reader thread. Problems
  /// (malformed lines) go to `on_problem` on the reader thread.
  static Result<std::unique_ptr<ReplayFileReader>, std::string> open(
      const std::filesystem::path& file, bool loop,
      measurement::ObservationReader::ProblemSink on_problem, ReplayQueueLimits limits = {});
  ~ReplayFileReader() override;  // stops the reader thread and joins it
  ReplayFileReader(const ReplayFileReader&) = delete;
  ReplayFileReader& operator=(const ReplayFileReader&) = delete;

  Pull next(measurement::Observation& out) override;
  /// Nothing to do: the reader thread starts the next pass by itself when looping.
  void rewind() override {}
  measurement::ReadCounts counts() const override;

 private:
  struct Batch {
    std::vector<measurement::Observation> items;
    bool end_of_pass = false;  // the file ended after these items
  };
  ReplayFileReader(bool loop, measurement::ObservationReader::ProblemSink on_problem,
                   ReplayQueueLimits limits);
  void run();
  // Queues `batch` (waits for room); false when stopping.
  bool push(Batch&& batch, const measurement::ReadCounts& counts);

  std::ifstream in_;  // the reader thread's only
  const bool loop_;
  measurement::ObservationReader::ProblemSink on_problem_;
  const ReplayQueueLimits limits_;

  mutable std::mutex mu_;  // guards what is handed between the threads, never held across I/O
  std::condition_variable room_;
  std::deque<Batch> queue_;
  measurement::ReadCounts counts_;
  bool stopping_ = false;
  bool reader_done_ = false;  // the reader thread has queued its last batch

  Batch current_;  // the io thread's batch being handed out
  size_t at_ = 0;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace nmsp::controller
