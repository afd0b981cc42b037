#include "controller/controller_state.h"

#include <algorithm>

namespace nmsp::controller {

void ControllerState::addSession(const api::MseSessionStatus& status) {
  std::lock_guard lock(mu_);
  std::erase_if(closed_, [&](uint32_t id) {
    const auto it = sessions_.find(id);
    if (it == sessions_.end() || it->second.peer_ip != status.peer_ip) {
      return false;
    }
    sessions_.erase(it);
    return true;
  });
  sessions_[status.connection_id] = status;
}

void ControllerState::closeSession(uint32_t id) {
  std::lock_guard lock(mu_);
  const auto it = sessions_.find(id);
  if (it == sessions_.end() || it->second.closed) {
    return;
  }
  it->second.closed = true;
  it->second.active = false;
  closed_.push_back(id);
  while (closed_.size() > max_closed_) {
    sessions_.erase(closed_.front());
    closed_.pop_front();
  }
}

api::ControllerStatistics ControllerState::statistics() const {
  std::lock_guard lock(mu_);
  return stats_;
}

std::vector<api::MseSessionStatus> ControllerState::sessions() const {
  std::lock_guard lock(mu_);
  std::vector<api::MseSessionStatus> out;
  out.reserve(sessions_.size());
  for (const auto& [id, status] : sessions_) {
    out.push_back(status);
  }
  return out;
}

}  // namespace nmsp::controller
