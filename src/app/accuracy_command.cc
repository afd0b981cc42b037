// `nmsp accuracy`: scores a location file (`nmsp locate`) against the ground truth of a
// simulated set (docs/accuracy.md, "nmsp accuracy"). Offline; reads both files whole.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/subcommands.h"
#include "measurement/record_reader.h"
#include "measurement/truth.h"

namespace nmsp::app {
namespace {

struct AccuracyArgs {
  std::string truth;
  std::string locations;
  bool json = false;
  double goal_median = 0, goal_p90 = 0, goal_floor = 0, goal_located = 0;
};

struct TruthPoint {
  uint64_t ts_ms;
  std::string floor;
  double x, y;
  measurement::Motion motion;
};

struct Errors {
  std::vector<double> e;
  uint64_t covered = 0;
  uint64_t right_floor = 0;
  uint64_t records = 0;
};

double percentile(std::vector<double> v, double q) {
  if (v.empty()) {
    return NAN;
  }
  std::sort(v.begin(), v.end());
  const double pos = q * double(v.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

// The truth at `ts`: the line of that time, else interpolated between the lines around it
// (the earlier one's floor), else the nearest line.
const TruthPoint* truthAt(const std::vector<TruthPoint>& points, uint64_t ts, TruthPoint& scratch) {
  auto it = std::lower_bound(points.begin(), points.end(), ts,
                             [](const TruthPoint& p, uint64_t t) { return p.ts_ms < t; });
  if (it != points.end() && it->ts_ms == ts) {
    return &*it;
  }
  if (it == points.begin()) {
    return it == points.end() ? nullptr : &*it;
  }
  if (it == points.end()) {
    return &points.back();
  }
  const auto& a = *(it - 1);
  const auto& b = *it;
  scratch = a;
  if (a.floor == b.floor) {
    const double f = double(ts - a.ts_ms) / double(b.ts_ms - a.ts_ms);
    scratch.x = a.x + f * (b.x - a.x);
    scratch.y = a.y + f * (b.y - a.y);
  }
  scratch.ts_ms = ts;
  return &scratch;
}

int runAccuracy(const AccuracyArgs& args) {
  std::ifstream truth_in(args.truth, std::ios::binary);
  std::ifstream loc_in(args.locations, std::ios::binary);
  if (!truth_in || !loc_in) {
    std::cerr << "nmsp accuracy: cannot open " << (!truth_in ? args.truth : args.locations) << '\n';
    return 1;
  }
  std::unordered_map<MacAddress, std::vector<TruthPoint>> truth;
  measurement::TruthReader reader(truth_in, [&](const measurement::LineProblem& p) {
    std::cerr << "nmsp accuracy: " << args.truth << ": " << measurement::describe(p) << '\n';
  });
  measurement::TruthRecord t;
  while (reader.next(t)) {
    truth[t.device].push_back(
        TruthPoint{t.ts_ms, t.floor, t.x_m, t.y_m, t.motion.value_or(measurement::Motion::Still)});
  }
  for (auto& [mac, points] : truth) {
    std::stable_sort(points.begin(), points.end(),
                     [](const TruthPoint& a, const TruthPoint& b) { return a.ts_ms < b.ts_ms; });
  }
  std::map<std::string, Errors> by;  // "all", "still", "walking", "stairs"
  std::set<MacAddress> located_devices;
  uint64_t lines = 0, bad = 0, unknown = 0, presence = 0;
  std::string line;
  while (std::getline(loc_in, line)) {
    ++lines;
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      continue;
    }
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("device") || !j.contains("ts_ms") ||
        !j.contains("floor") || !j.contains("x_m") || !j.contains("y_m") ||
        !j.contains("uncertainty_m") || !j["device"].is_string() || !j["ts_ms"].is_number() ||
        !j["floor"].is_string() || !j["x_m"].is_number() || !j["y_m"].is_number() ||
        !j["uncertainty_m"].is_number()) {
      ++bad;
      std::cerr << "nmsp accuracy: " << args.locations << ": line " << lines
                << ": not a location record\n";
      continue;
    }
    const auto mac = MacAddress::parse(j["device"].get<std::string>());
    auto it = mac ? truth.find(*mac) : truth.end();
    if (it == truth.end()) {
      ++unknown;
      continue;
    }
    const uint64_t aps = j.value("aps_used", uint64_t{3});
    if (aps < 3) {
      ++presence;
      continue;
    }
    TruthPoint scratch;
    const TruthPoint* p = truthAt(it->second, j["ts_ms"].get<uint64_t>(), scratch);
    if (p == nullptr) {
      continue;
    }
    located_devices.insert(*mac);
    const double e = std::hypot(j["x_m"].get<double>() - p->x, j["y_m"].get<double>() - p->y);
    const bool floor_ok = j["floor"].get<std::string>() == p->floor;
    for (const std::string& key :
         {std::string("all"), std::string(measurement::motionName(p->motion))}) {
      Errors& err = by[key];
      ++err.records;
      err.e.push_back(e);
      err.right_floor += floor_ok ? 1 : 0;
      err.covered += (floor_ok && e <= j["uncertainty_m"].get<double>()) ? 1 : 0;
    }
  }
  const Errors& all = by["all"];
  const double median = percentile(all.e, 0.5);
  const double p90 = percentile(all.e, 0.9);
  const double n = std::max<double>(double(all.records), 1.0);
  const double floor_pct = 100.0 * double(all.right_floor) / n;
  const double coverage_pct = 100.0 * double(all.covered) / n;
  const double located_pct =
      100.0 * double(located_devices.size()) / double(std::max<size_t>(truth.size(), 1));
  if (args.json) {
    nlohmann::json j{{"records", all.records},       {"presence_only", presence},
                     {"median_m", median},           {"p90_m", p90},
                     {"right_floor_pct", floor_pct}, {"located_devices_pct", located_pct},
                     {"coverage_pct", coverage_pct}, {"devices", truth.size()}};
    std::cout << j.dump() << '\n';
  } else {
    std::printf("%-8s %8s %9s %9s %12s %10s\n", "motion", "records", "median_m", "p90_m",
                "right_floor", "coverage");
    for (const auto& [key, err] : by) {
      const double m = std::max<double>(double(err.records), 1.0);
      std::printf("%-8s %8llu %9.2f %9.2f %11.1f%% %9.1f%%\n", key.c_str(),
                  static_cast<unsigned long long>(err.records), percentile(err.e, 0.5),
                  percentile(err.e, 0.9), 100.0 * double(err.right_floor) / m,
                  100.0 * double(err.covered) / m);
    }
    std::printf("devices located: %zu of %zu (%.1f%%); presence-only records: %llu\n",
                located_devices.size(), truth.size(), located_pct,
                static_cast<unsigned long long>(presence));
  }
  bool met = true;
  auto check = [&](bool ok, const char* what, double value, double goal) {
    if (!ok) {
      std::fprintf(stderr, "nmsp accuracy: goal missed: %s %.2f (goal %.2f)\n", what, value, goal);
      met = false;
    }
  };
  if (args.goal_median > 0)
    check(median <= args.goal_median, "median_m", median, args.goal_median);
  if (args.goal_p90 > 0)
    check(p90 <= args.goal_p90, "p90_m", p90, args.goal_p90);
  if (args.goal_floor > 0)
    check(floor_pct >= args.goal_floor, "right_floor_pct", floor_pct, args.goal_floor);
  if (args.goal_located > 0)
    check(located_pct >= args.goal_located, "located_devices_pct", located_pct, args.goal_located);
  if (bad > 0 || unknown > 0) {
    std::cerr << "nmsp accuracy: " << bad << " malformed lines, " << unknown
              << " records of devices without truth\n";
  }
  return met ? 0 : 1;
}

}  // namespace

void addAccuracyCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<AccuracyArgs>();
  auto* cmd = app.add_subcommand(
      "accuracy",
      "Score a location file (nmsp locate) against a ground-truth file (docs/accuracy.md)");
  cmd->add_option("--truth", args->truth, "ground-truth file (JSON Lines)")->required();
  cmd->add_option("--locations", args->locations, "location file of nmsp locate")->required();
  cmd->add_flag("--json", args->json, "one JSON object instead of the table");
  cmd->add_option("--goal-median", args->goal_median, "exit 1 if the median error (m) is above");
  cmd->add_option("--goal-p90", args->goal_p90, "exit 1 if the 90th percentile (m) is above");
  cmd->add_option("--goal-floor", args->goal_floor, "exit 1 if right-floor records (%) are below");
  cmd->add_option("--goal-located", args->goal_located,
                  "exit 1 if devices with a position (%) are below");
  cmd->callback([args, &exit_code] { exit_code = runAccuracy(*args); });
}

}  // namespace nmsp::app
