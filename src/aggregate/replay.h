#pragma once
// The replay scheduler (docs/data-path.md): plays a measurement file's observations at their
// relative times scaled by the speed, from an injected start time (the controller starts it
// when the first MSE subscribes), optionally looping. Pure: the caller passes the time and
// owns the stream; each observation keeps its original ts_ms.

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "measurement/observation.h"
#include "measurement/record_reader.h"

namespace nmsp::aggregate {

struct ReplayOptions {
  double speed = 1.0;  // 0.01..1000: 2 plays twice as fast
  bool loop = false;   // at the end, start again (a cycle lasts last - first ts_ms + 1 s)
};
Result<void, std::string> validate(const ReplayOptions& options);

struct ReplayCounters {
  uint64_t played = 0;   // observations handed out
  uint64_t cycles = 0;   // completed passes over the file
  uint64_t lines = 0;    // of the reader(s), all passes
  uint64_t skipped = 0;  // malformed lines (each reported to the problem sink, per pass)
};

class ReplayScheduler {
 public:
  /// `in` must outlive the scheduler and be seekable when looping.
  ReplayScheduler(std::istream& in, ReplayOptions options,
                  measurement::ObservationReader::ProblemSink on_problem = {});

  /// Playback starts at `now_ms`: the first observation is due then.
  void start(uint64_t now_ms);
  bool started() const { return started_; }
  /// When the next observation is due; nullopt before start() and at the end.
  std::optional<uint64_t> nextDueMs();
  /// Hands every observation due at or before `now_ms` to `sink`, at most `max` of them (the
  /// caller keeps its loop responsive); returns how many.
  using Sink = std::function<void(const measurement::Observation&)>;
  size_t poll(uint64_t now_ms, const Sink& sink, size_t max = SIZE_MAX);
  /// True when the file is exhausted (never when looping over a file with observations).
  bool finished();
  const ReplayCounters& counters() const { return counters_; }

 private:
  bool fill();  // reads the next observation into next_ (rewinds when looping)
  uint64_t dueOf(uint64_t ts_ms) const;

  std::istream& in_;
  ReplayOptions options_;
  measurement::ObservationReader::ProblemSink on_problem_;
  std::unique_ptr<measurement::ObservationReader> reader_;
  std::optional<measurement::Observation> next_;
  bool started_ = false;
  bool exhausted_ = false;
  uint64_t start_ms_ = 0;
  std::optional<uint64_t> first_ts_;  // of the file (first observation of the first pass)
  uint64_t last_rel_ms_ = 0;          // relative time of the last observation read, this pass
  uint64_t cycle_offset_ms_ = 0;      // file time added for the passes already played
  uint64_t prev_rel_ms_ = 0;          // relative times never go back within a pass
  ReplayCounters counters_;
};

}  // namespace nmsp::aggregate
