#pragma once
// Waiting in tests: poll a condition until it holds or a deadline passes. A state decides,
// never a sleep; the deadline only bounds how long a broken build takes to fail.

#include <chrono>
#include <functional>

namespace nmsp::test_support {

/// Between two polls `waitFor` runs `step`; by default it sleeps this long.
inline constexpr std::chrono::milliseconds kPollInterval{10};

/// Polls `condition` until it holds (true) or `timeout` has passed (false). `step` runs between
/// polls: the default sleeps kPollInterval; a test that owns an io_context passes one that runs
/// it for a while instead (`[&] { io.run_one_for(20ms); }`).
bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
             const std::function<void()>& step = {});

}  // namespace nmsp::test_support
