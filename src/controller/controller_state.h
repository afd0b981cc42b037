#pragma once
// The controller's counters and per-session status rows, written by the io thread and read by
// the operator commands (any thread). Per-frame figures never take a lock: each session's
// frame counters live in its session core (session::SessionCounters, fixed arrays of relaxed
// atomics), and the controller's totals in one more such block that every session adds to; a
// row holds its session's counters and sessions()/statistics() copy them into the snapshot.
// The mutex guards only the rows and the per-event counters (a connection accepted, refused,
// closed; an Init; a subscription): never a frame.
// An ended session keeps its row, marked closed (Inactive, last counters), as a Catalyst 9800
// does, until a new session from the same MSE IP replaces it or the bound drops the oldest.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "api/controller_control.h"
#include "session/counters.h"

namespace nmsp::controller {

class ControllerState {
 public:
  static constexpr size_t kDefaultMaxClosed = 256;
  explicit ControllerState(size_t max_closed = kDefaultMaxClosed) : max_closed_(max_closed) {}

  /// Per-event counters (not per frame).
  template <class F>
  void updateStats(F&& f) {
    std::lock_guard lock(mu_);
    f(stats_);
  }
  /// f(MseSessionStatus&); per-event fields only (Init, subscriptions). No-op if the session is
  /// gone or closed.
  template <class F>
  void updateSession(uint32_t id, F&& f) {
    std::lock_guard lock(mu_);
    if (auto it = sessions_.find(id); it != sessions_.end() && !it->second.status.closed) {
      f(it->second.status);
    }
  }
  /// A new session and its frame counters; drops the closed rows of the same MSE IP.
  void addSession(const api::MseSessionStatus& status,
                  std::shared_ptr<const session::SessionCounters> counters);
  /// The session ended: its row stays, closed and inactive, with its last counters.
  void closeSession(uint32_t id);

  /// The block every session's FrameChannel also counts in (ControllerStatistics' totals).
  const std::shared_ptr<session::SessionCounters>& totals() const { return totals_; }

  api::ControllerStatistics statistics() const;
  /// Every row, live and closed, by connection id (i.e. oldest first).
  std::vector<api::MseSessionStatus> sessions() const;

 private:
  struct Row {
    api::MseSessionStatus status;
    std::shared_ptr<const session::SessionCounters> counters;
  };

  const std::shared_ptr<session::SessionCounters> totals_ =
      std::make_shared<session::SessionCounters>();
  mutable std::mutex mu_;
  api::ControllerStatistics stats_;
  std::map<uint32_t, Row> sessions_;
  std::deque<uint32_t> closed_;  // ids of closed rows, oldest first
  size_t max_closed_;
};

}  // namespace nmsp::controller
