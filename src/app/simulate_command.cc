// `nmsp simulate`: a measurement file (and its ground truth) from the radio simulator, offline
// and deterministic per seed. CLI wiring only; the work is in src/radio.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "app/subcommands.h"
#include "measurement/record_writer.h"
#include "radio/recording_sink.h"
#include "radio/simulator.h"
#include "venue/venue_file.h"

namespace nmsp::app {
namespace {

struct SimulateArgs {
  std::string venue;
  std::string out;
  std::string truth;
  uint64_t seed = 1;
  uint32_t duration_s = 600;
  uint32_t rogues = 4;
  bool no_ap_neighbours = false;
  nmsp::radio::SimulatorConfig config;
};

// "-": stdout. Returns nullptr (after printing why) when the file cannot be created.
std::ostream* openOutput(const std::string& path, std::unique_ptr<std::ofstream>& file) {
  if (path == "-") {
    return &std::cout;
  }
  file = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
  if (!*file) {
    std::cerr << "nmsp simulate: cannot create " << path << ": " << std::strerror(errno) << '\n';
    return nullptr;
  }
  return file.get();
}

int runSimulate(SimulateArgs& args) {
  auto venue = nmsp::venue::loadVenueFile(args.venue);
  if (!venue) {
    std::cerr << "nmsp simulate: " << venue.error() << '\n';
    return 1;
  }
  args.config.seed = args.seed;
  args.config.population.rogue_aps = (args.rogues + 1) / 2;
  args.config.population.rogue_clients = args.rogues / 2;
  args.config.ap_neighbours = !args.no_ap_neighbours;
  auto simulator = nmsp::radio::Simulator::create(*venue, args.config);
  if (!simulator) {
    std::cerr << "nmsp simulate: " << args.venue << ": " << simulator.error() << '\n';
    return 1;
  }
  std::unique_ptr<std::ofstream> out_file;
  std::unique_ptr<std::ofstream> truth_file;
  std::ostream* out = openOutput(args.out, out_file);
  std::ostream* truth = args.truth.empty() ? nullptr : openOutput(args.truth, truth_file);
  if (out == nullptr || (!args.truth.empty() && truth == nullptr)) {
    return 1;
  }
  nmsp::measurement::RecordWriter observations(*out);
  std::unique_ptr<nmsp::measurement::RecordWriter> truths;
  if (truth != nullptr) {
    truths = std::make_unique<nmsp::measurement::RecordWriter>(*truth);
  }
  nmsp::radio::RecordingSink sink(*venue, observations, truths.get());
  (*simulator)->advanceTo(uint64_t{args.duration_s} * 1000, sink);
  if (!observations.flush() || (truths && !truths->flush())) {
    std::cerr << "nmsp simulate: write failed: " << std::strerror(errno) << '\n';
    return 1;
  }
  const auto& c = (*simulator)->counters();
  std::cerr << "nmsp simulate: " << args.duration_s << " s of \"" << venue->name << "\" ("
            << nmsp::venue::apCount(*venue) << " APs, seed " << args.seed
            << "): " << observations.lines() << " observations in " << c.measurements
            << " measurements";
  if (truths) {
    std::cerr << ", " << truths->lines() << " truth lines";
  }
  std::cerr << '\n';
  return 0;
}

}  // namespace

void addSimulateCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SimulateArgs>();
  auto* cmd = app.add_subcommand(
      "simulate",
      "Write a measurement file (and its ground truth) from the radio simulator: offline, the "
      "same seed gives the same files (docs/simulator.md)");
  cmd->add_option("--venue", args->venue, "venue file (JSON, docs/simulator.md)")->required();
  cmd->add_option("--out", args->out, "measurement file to write (JSON Lines; '-': stdout)")
      ->required();
  cmd->add_option("--truth", args->truth, "ground-truth file to write (JSON Lines)");
  cmd->add_option("--seed", args->seed, "random seed")->capture_default_str();
  cmd->add_option("--duration", args->duration_s, "simulated seconds")
      ->capture_default_str()
      ->check(CLI::Range(1u, 7u * 24 * 3600));
  cmd->add_option("--clients", args->config.population.clients, "Wi-Fi clients")
      ->capture_default_str()
      ->check(CLI::Range(0u, 1000000u));
  cmd->add_option("--tags", args->config.population.tags, "RFID tags")
      ->capture_default_str()
      ->check(CLI::Range(0u, 1000000u));
  cmd->add_option("--rogues", args->rogues, "rogue devices (half rogue APs, half rogue clients)")
      ->capture_default_str()
      ->check(CLI::Range(0u, 1000000u));
  cmd->add_option("--interferers", args->config.population.interferers, "non-Wi-Fi interferers")
      ->capture_default_str()
      ->check(CLI::Range(0u, 100000u));
  cmd->add_option("--start-ms", args->config.start_utc_ms,
                  "timestamp of the start, UTC ms (default 0: times relative to the start)");
  cmd->add_flag("--no-ap-neighbours", args->no_ap_neighbours,
                "leave out the APs' reports of each other (kind \"ap\")");
  cmd->callback([args, &exit_code] { exit_code = runSimulate(*args); });
}

}  // namespace nmsp::app
