#pragma once
// The controller's counters and per-session status, shared between the I/O thread (writes)
// and the operator commands (reads, any thread). One mutex; every access is short.
// An ended session keeps its row, marked closed (Inactive, last counters), as a Catalyst 9800
// does, until a new session from the same MSE IP replaces it or the bound drops the oldest.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <vector>

#include "api/controller_control.h"

namespace nmsp::controller {

class ControllerState {
 public:
  static constexpr size_t kDefaultMaxClosed = 256;
  explicit ControllerState(size_t max_closed = kDefaultMaxClosed) : max_closed_(max_closed) {}

  template <class F>
  void updateStats(F&& f) {
    std::lock_guard lock(mu_);
    f(stats_);
  }
  /// f(MseSessionStatus&, ControllerStatistics&); no-op if the session is gone or closed.
  template <class F>
  void updateSession(uint32_t id, F&& f) {
    std::lock_guard lock(mu_);
    if (auto it = sessions_.find(id); it != sessions_.end() && !it->second.closed) {
      f(it->second, stats_);
    }
  }
  /// A new session; drops the closed rows of the same MSE IP.
  void addSession(const api::MseSessionStatus& status);
  /// The session ended: its row stays, closed and inactive, with its last counters.
  void closeSession(uint32_t id);

  api::ControllerStatistics statistics() const;
  /// Every row, live and closed, by connection id (i.e. oldest first).
  std::vector<api::MseSessionStatus> sessions() const;

 private:
  mutable std::mutex mu_;
  api::ControllerStatistics stats_;
  std::map<uint32_t, api::MseSessionStatus> sessions_;
  std::deque<uint32_t> closed_;  // ids of closed rows, oldest first
  size_t max_closed_;
};

}  // namespace nmsp::controller
