#include "mse/recorder.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace nmsp::mse {

Result<std::shared_ptr<Recorder>, std::string> Recorder::open(const std::filesystem::path& file,
                                                              size_t max_pending) {
  auto out =
      std::make_unique<std::ofstream>(file, std::ios::out | std::ios::app | std::ios::binary);
  if (!*out) {
    return Unexpected{fmt::format("--record: cannot open {} for appending: {}", file.string(),
                                  std::strerror(errno))};
  }
  return std::shared_ptr<Recorder>(new Recorder(file, std::move(out), max_pending));
}

Recorder::Recorder(std::filesystem::path path, std::unique_ptr<std::ofstream> out,
                   size_t max_pending)
    : path_(std::move(path)),
      max_pending_(max_pending),
      out_(std::move(out)),
      record_(std::make_unique<measurement::RecordWriter>(*out_)),
      writer_(std::make_unique<WorkerThread>("nmsp-record", kMaxBatches)) {}

Recorder::~Recorder() {
  close();
}

void Recorder::add(const proto::DeviceMeasurement& measurement) {
  if (closed_) {
    return;
  }
  for (const auto& ap : measurement.aps) {
    batch_.push_back(measurement::fromApRssi(measurement.mac, measurement.kind, ap));
  }
}

void Recorder::submit() {
  if (batch_.empty()) {
    return;
  }
  const size_t count = batch_.size();
  if (closed_ || pending_.load(std::memory_order_relaxed) + count > max_pending_) {
    dropped_ += count;
    batch_.clear();
    return;
  }
  pending_ += count;
  auto job = [this, batch = std::move(batch_)] {
    for (const auto& observation : batch) {
      record_->write(observation);
    }
    if (record_->flush()) {  // to the kernel, no fsync
      written_ += batch.size();
    } else {
      ++write_errors_;
      out_->clear();
    }
    pending_ -= batch.size();
  };
  batch_ = {};
  if (!writer_->post(std::move(job))) {  // kMaxBatches waiting
    pending_ -= count;
    dropped_ += count;
  }
}

void Recorder::close() {
  closed_ = true;
  writer_.reset();  // runs the queued jobs, joins
  if (record_) {
    record_->flush();
  }
}

RecorderCounters Recorder::counters() const {
  return {written_.load(), dropped_.load(), write_errors_.load()};
}

}  // namespace nmsp::mse
