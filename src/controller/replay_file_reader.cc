#include "controller/replay_file_reader.h"

#include <fmt/format.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

namespace nmsp::controller {

Result<std::unique_ptr<ReplayFileReader>, std::string> ReplayFileReader::open(
    const std::filesystem::path& file, bool loop,
    measurement::ObservationReader::ProblemSink on_problem, ReplayQueueLimits limits) {
  std::unique_ptr<ReplayFileReader> reader(
      new ReplayFileReader(loop, std::move(on_problem), limits));
  reader->in_.open(file, std::ios::binary);
  if (!reader->in_) {
    return Unexpected{fmt::format("cannot read the replay file {}", file.string())};
  }
  reader->thread_ = std::thread([r = reader.get()] { r->run(); });
  return reader;
}

ReplayFileReader::ReplayFileReader(bool loop,
                                   measurement::ObservationReader::ProblemSink on_problem,
                                   ReplayQueueLimits limits)
    : loop_(loop), on_problem_(std::move(on_problem)), limits_(limits) {}

ReplayFileReader::~ReplayFileReader() {
  {
    const std::lock_guard lock(mu_);
    stopping_ = true;
  }
  room_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void ReplayFileReader::run() {
  pthread_setname_np(pthread_self(), "nmsp-replay");
  measurement::ReadCounts done;  // of the passes already read
  try {
    for (;;) {
      measurement::ObservationReader reader(in_, on_problem_);
      bool end = false;
      while (!end) {
        Batch batch;
        batch.items.reserve(limits_.batch);
        measurement::Observation observation;
        while (batch.items.size() < limits_.batch && !end) {
          if (reader.next(observation)) {
            batch.items.push_back(observation);
          } else {
            end = true;
          }
        }
        batch.end_of_pass = end;
        const auto& c = reader.counts();
        const measurement::ReadCounts total{done.lines + c.lines, done.records + c.records,
                                            done.skipped + c.skipped};
        if (!push(std::move(batch), total)) {
          return;
        }
      }
      const uint64_t records = reader.counts().records;
      done = counts();
      if (!loop_ || records == 0) {
        break;
      }
      in_.clear();
      in_.seekg(0);
    }
  } catch (const std::exception& e) {  // a reader thread must never take the process down
    spdlog::error("replay: reading the file failed: {}", e.what());
  }
  const std::lock_guard lock(mu_);
  reader_done_ = true;
}

bool ReplayFileReader::push(Batch&& batch, const measurement::ReadCounts& counts) {
  std::unique_lock lock(mu_);
  room_.wait(lock, [&] { return stopping_ || queue_.size() < limits_.max_batches; });
  if (stopping_) {
    return false;
  }
  queue_.push_back(std::move(batch));
  counts_ = counts;
  return true;
}

aggregate::ReplaySource::Pull ReplayFileReader::next(measurement::Observation& out) {
  for (;;) {
    if (at_ < current_.items.size()) {
      out = current_.items[at_++];
      return Pull::Observation;
    }
    if (current_.end_of_pass) {
      current_.end_of_pass = false;
      return Pull::EndOfPass;
    }
    {
      const std::lock_guard lock(mu_);
      if (queue_.empty()) {
        // The reader has ended (no loop, an empty pass, or an error): every pull says so.
        return reader_done_ ? Pull::EndOfPass : Pull::Pending;
      }
      current_ = std::move(queue_.front());
      queue_.pop_front();
    }
    at_ = 0;
    room_.notify_one();
  }
}

measurement::ReadCounts ReplayFileReader::counts() const {
  const std::lock_guard lock(mu_);
  return counts_;
}

}  // namespace nmsp::controller
