#include "aggregate/replay.h"

#include <algorithm>
#include <cmath>

namespace nmsp::aggregate {

Result<void, std::string> validate(const ReplayOptions& options) {
  if (!(options.speed >= 0.01 && options.speed <= 1000)) {
    return Unexpected{std::string("speed must be 0.01 to 1000")};
  }
  return {};
}

namespace {

class StreamSource : public ReplaySource {
 public:
  StreamSource(std::istream& in, measurement::ObservationReader::ProblemSink on_problem)
      : in_(in), on_problem_(std::move(on_problem)), reader_(makeReader()) {}

  Pull next(measurement::Observation& out) override {
    const bool got = reader_->next(out);
    sync();
    return got ? Pull::Observation : Pull::EndOfPass;
  }
  void rewind() override {
    in_.clear();
    in_.seekg(0);
    done_ = counts_;
    reader_ = makeReader();
  }
  measurement::ReadCounts counts() const override { return counts_; }

 private:
  std::unique_ptr<measurement::ObservationReader> makeReader() {
    return std::make_unique<measurement::ObservationReader>(in_, on_problem_);
  }
  // Totals over the passes: the passes done plus the current reader's.
  void sync() {
    const auto& c = reader_->counts();
    counts_.lines = done_.lines + c.lines;
    counts_.records = done_.records + c.records;
    counts_.skipped = done_.skipped + c.skipped;
  }

  std::istream& in_;
  measurement::ObservationReader::ProblemSink on_problem_;
  std::unique_ptr<measurement::ObservationReader> reader_;
  measurement::ReadCounts done_;
  measurement::ReadCounts counts_;
};

}  // namespace

std::unique_ptr<ReplaySource> streamReplaySource(
    std::istream& in, measurement::ObservationReader::ProblemSink on_problem) {
  return std::make_unique<StreamSource>(in, std::move(on_problem));
}

ReplayScheduler::ReplayScheduler(std::unique_ptr<ReplaySource> source, ReplayOptions options)
    : source_(std::move(source)), options_(options) {}

void ReplayScheduler::start(uint64_t now_ms) {
  if (!started_) {
    started_ = true;
    start_ms_ = now_ms;
  }
}

bool ReplayScheduler::fill() {
  if (next_ || exhausted_) {
    return next_.has_value();
  }
  measurement::Observation observation;
  for (int pass = 0; pass < 2; ++pass) {
    const auto pull = source_->next(observation);
    const auto counts = source_->counts();
    counters_.lines = counts.lines;
    counters_.skipped = counts.skipped;
    waiting_ = pull == ReplaySource::Pull::Pending;
    if (waiting_) {
      return false;
    }
    if (pull == ReplaySource::Pull::Observation) {
      if (!first_ts_) {
        first_ts_ = observation.ts_ms;
      }
      // File time relative to the first observation; never backwards within a pass.
      uint64_t rel = observation.ts_ms > *first_ts_ ? observation.ts_ms - *first_ts_ : 0;
      rel = std::max(rel, prev_rel_ms_);
      prev_rel_ms_ = rel;
      last_rel_ms_ = rel;
      next_ = observation;
      return true;
    }
    // End of the file.
    ++counters_.cycles;
    if (!options_.loop || !first_ts_ || pass == 1) {
      exhausted_ = true;
      return false;
    }
    cycle_offset_ms_ += last_rel_ms_ + 1000;
    prev_rel_ms_ = 0;
    source_->rewind();
  }
  exhausted_ = true;
  return false;
}

uint64_t ReplayScheduler::dueOf(uint64_t rel_ms) const {
  const double scaled = static_cast<double>(rel_ms + cycle_offset_ms_) / options_.speed;
  return start_ms_ + static_cast<uint64_t>(std::llround(scaled));
}

std::optional<uint64_t> ReplayScheduler::nextDueMs() {
  if (!started_ || !fill()) {
    return std::nullopt;
  }
  return dueOf(prev_rel_ms_);
}

size_t ReplayScheduler::poll(uint64_t now_ms, const Sink& sink, size_t max) {
  size_t n = 0;
  while (n < max && started_ && fill() && dueOf(prev_rel_ms_) <= now_ms) {
    sink(*next_);
    next_.reset();
    ++counters_.played;
    ++n;
  }
  return n;
}

bool ReplayScheduler::finished() {
  return !fill() && exhausted_;
}

}  // namespace nmsp::aggregate
