#pragma once
// The replay scheduler (docs/data-path.md): plays a measurement file's observations at their
// relative times scaled by the speed, from an injected start time (the controller starts it
// when the first MSE subscribes), optionally looping. Pure: the caller passes the time and
// provides the observations through a ReplaySource (a stream read on the caller's thread, or
// the controller's reader thread); each observation keeps its original ts_ms.

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

/// Where a scheduler's observations come from, in file order.
class ReplaySource {
 public:
  enum class Pull : uint8_t {
    Observation,  // `out` holds the next observation
    Pending,      // none ready yet (a reader thread is behind): ask again later
    EndOfPass,    // the file ended; rewind() starts it again (looping)
  };
  virtual ~ReplaySource() = default;
  virtual Pull next(measurement::Observation& out) = 0;
  /// After EndOfPass: the next pull reads the file from its start.
  virtual void rewind() = 0;
  /// Lines read and malformed lines skipped so far, every pass.
  virtual measurement::ReadCounts counts() const = 0;
};

/// A source that reads `in` on the caller's thread (tests, `nmsp` tools). `in` must outlive it
/// and be seekable when looping.
std::unique_ptr<ReplaySource> streamReplaySource(
    std::istream& in, measurement::ObservationReader::ProblemSink on_problem = {});

class ReplayScheduler {
 public:
  ReplayScheduler(std::unique_ptr<ReplaySource> source, ReplayOptions options);
  /// Reads `in` on the caller's thread (streamReplaySource).
  ReplayScheduler(std::istream& in, ReplayOptions options,
                  measurement::ObservationReader::ProblemSink on_problem = {})
      : ReplayScheduler(streamReplaySource(in, std::move(on_problem)), options) {}

  /// Playback starts at `now_ms`: the first observation is due then.
  void start(uint64_t now_ms);
  bool started() const { return started_; }
  /// When the next observation is due; nullopt before start(), at the end and while the
  /// source has none ready (waiting()).
  std::optional<uint64_t> nextDueMs();
  /// True when the source is behind (Pending): poll again soon.
  bool waiting() const { return waiting_; }
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

  std::unique_ptr<ReplaySource> source_;
  ReplayOptions options_;
  std::optional<measurement::Observation> next_;
  bool started_ = false;
  bool exhausted_ = false;
  bool waiting_ = false;
  uint64_t start_ms_ = 0;
  std::optional<uint64_t> first_ts_;  // of the file (first observation of the first pass)
  uint64_t last_rel_ms_ = 0;          // relative time of the last observation read, this pass
  uint64_t cycle_offset_ms_ = 0;      // file time added for the passes already played
  uint64_t prev_rel_ms_ = 0;          // relative times never go back within a pass
  ReplayCounters counters_;
};

}  // namespace nmsp::aggregate
