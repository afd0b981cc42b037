#include "controller/controller_state.h"

#include <algorithm>

namespace nmsp::controller {

void ControllerState::addSession(const api::MseSessionStatus& status,
                                 std::shared_ptr<const session::SessionCounters> counters) {
  std::lock_guard lock(mu_);
  std::erase_if(closed_, [&](uint32_t id) {
    const auto it = sessions_.find(id);
    if (it == sessions_.end() || it->second.status.peer_ip != status.peer_ip) {
      return false;
    }
    sessions_.erase(it);
    return true;
  });
  sessions_[status.connection_id] = Row{status, std::move(counters)};
}

void ControllerState::closeSession(uint32_t id) {
  std::lock_guard lock(mu_);
  const auto it = sessions_.find(id);
  if (it == sessions_.end() || it->second.status.closed) {
    return;
  }
  it->second.status.closed = true;
  it->second.status.active = false;
  closed_.push_back(id);
  while (closed_.size() > max_closed_) {
    sessions_.erase(closed_.front());
    closed_.pop_front();
  }
}

api::ControllerStatistics ControllerState::statistics() const {
  api::ControllerStatistics out;
  {
    std::lock_guard lock(mu_);
    out = stats_;
  }
  out.unsupported_msgs = totals_->unsupported.get();
  out.tx_msgs = totals_->tx.byId();
  out.rx_msgs = totals_->rx.byId();
  return out;
}

std::vector<api::MseSessionStatus> ControllerState::sessions() const {
  std::vector<Row> rows;
  {
    std::lock_guard lock(mu_);
    rows.reserve(sessions_.size());
    for (const auto& [id, row] : sessions_) {
      rows.push_back(row);
    }
  }
  std::vector<api::MseSessionStatus> out;
  out.reserve(rows.size());
  for (Row& row : rows) {
    api::MseSessionStatus& s = row.status;
    if (row.counters) {
      const session::SessionCounters& c = *row.counters;
      s.tx_data = c.tx_frames.get();
      s.rx_data = c.rx_frames.get();
      s.tx_echo_resp = c.tx.of(static_cast<uint16_t>(proto::MessageId::EchoResponse));
      s.rx_echo_req = c.rx.of(static_cast<uint16_t>(proto::MessageId::EchoRequest));
      s.unsupported_msgs = c.unsupported.get();
      s.notifications_dropped = c.notifications_dropped.get();
      s.tx_msgs = c.tx.byId();
      s.rx_msgs = c.rx.byId();
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace nmsp::controller
