#pragma once
// Allocation counting for a benchmark program: replaces the global operator new (include this
// header in exactly one file of the program, its only .cc) and reports, as the Google Benchmark
// counter `allocs_per_frame`, the calls made during a timed loop divided by the frames it
// handled. The benchmark library's own allocations, outside the timed loop, are excluded by
// reading the counter around the loop. Not inlined, so that GCC does not mistake the
// malloc/free pairing for a mismatched new/delete.

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace nmsp::bench {
inline std::atomic<uint64_t> g_allocations{0};
}  // namespace nmsp::bench

[[gnu::noinline]] void* operator new(size_t size) {
  nmsp::bench::g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) {
    return p;
  }
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete(void* p, size_t /*size*/) noexcept {
  std::free(p);
}

namespace nmsp::bench {

/// Counts the allocations of a timed loop: construct before `for (auto _ : state)`, call
/// report() after it (frames_per_iteration: frames the loop handles per iteration).
class AllocationCount {
 public:
  AllocationCount() : before_(g_allocations.load(std::memory_order_relaxed)) {}
  void report(benchmark::State& state, double frames_per_iteration = 1.0) const {
    const uint64_t after = g_allocations.load(std::memory_order_relaxed);
    const double frames = static_cast<double>(state.iterations()) * frames_per_iteration;
    state.counters["allocs_per_frame"] =
        frames == 0 ? 0.0 : static_cast<double>(after - before_) / frames;
  }

 private:
  uint64_t before_;
};

/// Allocations per iteration of the timed loop run by `loop` (which runs `for (auto _ : state)`).
template <class Loop>
void countAllocations(benchmark::State& state, Loop&& loop) {
  AllocationCount count;
  loop();
  count.report(state);
}

}  // namespace nmsp::bench
