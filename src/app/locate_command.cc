// `nmsp locate`: the location engine (src/locate) over a measurement file, one JSON line per
// location update (docs/accuracy.md, "nmsp locate"). CLI wiring and batching only.
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/subcommands.h"
#include "locate/engine.h"
#include "measurement/observation.h"
#include "measurement/record_reader.h"
#include "proto/enums.h"
#include "venue/venue_file.h"

namespace nmsp::app {
namespace {

// A device's batch is emitted when a line of the same device with another time arrives, when
// the file's time has passed the batch's by more than this, or at the end of the file.
constexpr uint64_t kBatchHoldMs = 1000;
constexpr size_t kMaxPendingDevices = 100000;

struct LocateArgs {
  std::string venue;
  std::string measurements;
  std::string out;
};

struct Pending {
  uint64_t ts_ms = 0;
  proto::DeviceKind kind = proto::DeviceKind::Client;
  std::vector<locate::Reading> readings;
  bool open = false;
};

class Runner {
 public:
  Runner(locate::Engine& engine, std::ostream& out) : engine_(engine), out_(out) {}

  void add(const measurement::Observation& o) {
    Pending& p = pending_[o.device];
    if (p.open && p.ts_ms != o.ts_ms) {
      flush(o.device, p);
    }
    if (!p.open) {
      p.open = true;
      p.ts_ms = o.ts_ms;
      p.kind = o.kind;
      p.readings.clear();
      order_.emplace_back(o.device, o.ts_ms);
    }
    p.readings.push_back(
        locate::Reading{o.ap, o.rssi, o.band.value_or(measurement::bandForSlot(o.slot)), o.ts_ms});
    // Emit the batches the file's time has left behind.
    emitWhile([&](uint64_t ts) {
      return ts + kBatchHoldMs < o.ts_ms || order_.size() > kMaxPendingDevices;
    });
  }

  void finish() {
    emitWhile([](uint64_t) { return true; });
    out_.flush();
  }

  uint64_t locations() const { return locations_; }
  uint64_t presenceOnly() const { return presence_only_; }
  size_t devices() const { return pending_.size(); }

 private:
  // Emits the oldest open batches while `due(their time)` holds.
  template <class Due>
  void emitWhile(Due due) {
    while (!order_.empty() && due(order_.front().second)) {
      const auto [device, ts] = order_.front();
      order_.pop_front();
      auto it = pending_.find(device);
      if (it != pending_.end() && it->second.open && it->second.ts_ms == ts) {
        flush(device, it->second);
      }
    }
  }

  void flush(const MacAddress& device, Pending& p) {
    p.open = false;
    const auto where = engine_.update(device, p.kind, p.readings);
    if (!where) {
      return;
    }
    ++locations_;
    presence_only_ += where->presence_only ? 1 : 0;
    char numbers[160];
    std::snprintf(numbers, sizeof(numbers), "\"x_m\":%.3f,\"y_m\":%.3f,\"uncertainty_m\":%.2f,",
                  where->x_m, where->y_m, where->uncertainty_m);
    out_ << "{\"ts_ms\":" << where->ts_ms << ",\"device\":\"" << device.toString()
         << "\",\"kind\":\"" << proto::enumText(p.kind)
         << "\",\"floor\":" << nlohmann::json(engine_.floorId(where->floor)).dump() << ','
         << numbers << "\"aps_used\":" << where->aps_used << "}\n";
  }

  locate::Engine& engine_;
  std::ostream& out_;
  std::unordered_map<MacAddress, Pending> pending_;
  std::deque<std::pair<MacAddress, uint64_t>> order_;
  uint64_t locations_ = 0;
  uint64_t presence_only_ = 0;
};

bool isRegularFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

int runLocate(const LocateArgs& args) {
  auto venue = venue::loadVenueFile(args.venue);
  if (!venue) {
    std::cerr << "nmsp locate: " << venue.error() << '\n';
    return 1;
  }
  locate::Engine engine(std::move(*venue));
  std::ifstream in(args.measurements, std::ios::binary);
  if (!in) {
    std::cerr << "nmsp locate: cannot open " << args.measurements << ": " << std::strerror(errno)
              << '\n';
    return 1;
  }
  // Calibration first: a regular file is read twice, the first time for the APs' reports of
  // each other only, so that the first devices are located with the calibrated model.
  const bool prepass = isRegularFile(args.measurements);
  if (prepass) {
    measurement::ObservationReader reader(in);
    measurement::Observation o;
    while (reader.next(o)) {
      if (o.kind == proto::DeviceKind::Ap) {
        engine.addApReport(o.device, o.ap, o.band.value_or(measurement::bandForSlot(o.slot)),
                           o.rssi);
      }
    }
    engine.recalibrate();
    in.clear();
    in.seekg(0);
  }
  std::unique_ptr<std::ofstream> out_file;
  std::ostream* out = &std::cout;
  if (!args.out.empty() && args.out != "-") {
    out_file = std::make_unique<std::ofstream>(args.out, std::ios::binary | std::ios::trunc);
    if (!*out_file) {
      std::cerr << "nmsp locate: cannot create " << args.out << ": " << std::strerror(errno)
                << '\n';
      return 1;
    }
    out = out_file.get();
  }
  Runner runner(engine, *out);
  measurement::ObservationReader reader(in, [&](const measurement::LineProblem& problem) {
    std::cerr << "nmsp locate: " << args.measurements << ": " << measurement::describe(problem)
              << '\n';
  });
  measurement::Observation o;
  while (reader.next(o)) {
    if (o.kind == proto::DeviceKind::Ap) {
      if (!prepass) {
        engine.addApReport(o.device, o.ap, o.band.value_or(measurement::bandForSlot(o.slot)),
                           o.rssi);
      }
      continue;
    }
    runner.add(o);
  }
  runner.finish();
  if (!*out) {
    std::cerr << "nmsp locate: write failed: " << std::strerror(errno) << '\n';
    return 1;
  }
  const auto& c = engine.counters();
  std::cerr << "nmsp locate: " << measurement::describe(reader.counts(), "observations") << "; "
            << runner.locations() << " locations (" << runner.presenceOnly()
            << " presence-only) of " << runner.devices() << " devices";
  if (c.unknown_ap > 0) {
    std::cerr << "; " << c.unknown_ap << " readings from APs not in the venue";
  }
  std::cerr << "; path loss:";
  const auto& model = engine.model();
  for (size_t f = 0; f < model.floors.size(); ++f) {
    char text[96];
    std::snprintf(text, sizeof(text), " floor %s n=%.2f%s", engine.floorId(f).c_str(),
                  model.floors[f].exponent, model.floors[f].calibrated ? "" : " (default)");
    std::cerr << text;
  }
  std::cerr << '\n';
  return 0;
}

}  // namespace

void addLocateCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<LocateArgs>();
  auto* cmd = app.add_subcommand(
      "locate",
      "Run the location engine over a measurement file: one JSON line per location update "
      "(docs/accuracy.md)");
  cmd->add_option("--venue", args->venue, "venue file (JSON, docs/simulator.md)")->required();
  cmd->add_option("--measurements", args->measurements, "measurement file (JSON Lines)")
      ->required();
  cmd->add_option("--out", args->out, "location file to write (default: standard output)");
  cmd->callback([args, &exit_code] { exit_code = runLocate(*args); });
}

}  // namespace nmsp::app
