// A stand-in MSE for the kill -9 test: submits location updates through the store at a steady
// rate and reports, every 20 ms on stdout, how far it has submitted and how far the store has
// settled (written or dropped; with no drops: committed). The test kills it with SIGKILL.
//
//   store_writer_child STORE [RATE_PER_S [DEVICES]]
//
// Record n (1, 2, ...) is device (n % DEVICES) + 1 at ts_ms n. Report lines:
//   report t_ms=<CLOCK_MONOTONIC ms> submitted=<n> settled=<seq> dropped=<d> written=<w>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "store/statements.h"
#include "store/store.h"

using namespace std::chrono;
using namespace nmsp::store;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: store_writer_child STORE [RATE_PER_S [DEVICES]]\n");
    return 2;
  }
  const uint64_t rate = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 5000;
  const uint64_t devices = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 100;
  auto target = parseStoreTarget(argv[1], ".");
  if (!target) {
    std::fprintf(stderr, "%s\n", target.error().c_str());
    return 2;
  }
  StoreOptions options;
  options.target = *target;
  auto store = openStore(options);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().c_str());
    return 1;
  }
  const auto start = steady_clock::now();
  auto next_report = start;
  uint64_t submitted = 0;
  // Runs until killed; a minute at most, should the test die first.
  while (steady_clock::now() - start < minutes(1)) {
    const auto now = steady_clock::now();
    const auto due =
        static_cast<uint64_t>(duration_cast<microseconds>(now - start).count()) * rate / 1'000'000;
    for (; submitted < due;) {
      ++submitted;
      LocationRecord r;
      r.device = statements::macFromInteger(static_cast<int64_t>(submitted % devices + 1));
      r.ts_ms = submitted;
      r.venue = "hq";
      r.floor = "f1";
      r.x_m = static_cast<double>(submitted % 50);
      r.y_m = 2;
      r.uncertainty_m = 4;
      r.aps_used = 5;
      (*store)->submit(std::move(r));
    }
    if (now >= next_report) {
      const auto s = (*store)->status();
      std::printf(
          "report t_ms=%lld submitted=%llu settled=%llu dropped=%llu written=%llu\n",
          static_cast<long long>(duration_cast<milliseconds>(now.time_since_epoch()).count()),
          static_cast<unsigned long long>(submitted),
          static_cast<unsigned long long>(s.settled_seq),
          static_cast<unsigned long long>(s.dropped), static_cast<unsigned long long>(s.written));
      std::fflush(stdout);
      next_report = now + milliseconds(20);
    }
    std::this_thread::sleep_for(milliseconds(1));
  }
  return 0;
}
