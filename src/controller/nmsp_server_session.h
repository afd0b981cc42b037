#pragma once
// The controller's side of one NMSP session, after TLS admission, on the shared session core
// (session/session_core.h: Echo answers, unknown and unexpected messages, malformed input):
// Init exchange (version, clock skew), Capability Notification, Subscribe/Unsubscribe through
// the data path's subscriptions, the requests answered from its store, all per
// docs/protocol.md "Session". Runs on the connection's executor.

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "controller/controller_options.h"
#include "controller/controller_state.h"
#include "controller/data_path.h"
#include "session/frame_channel.h"
#include "session/session_core.h"
#include "trace/trace_buffer.h"

namespace nmsp::controller {

class NmspServerSession {
 public:
  NmspServerSession(std::shared_ptr<session::FrameChannel> channel, uint32_t conn_id,
                    std::string peer, const ControllerOptions& options, ControllerState& state,
                    trace::TraceBuffer& trace, DataPath& data);

  /// Serves the session until the peer leaves, a rule ends it, or the socket is cancelled
  /// (controller stop). Closes the channel before returning.
  boost::asio::awaitable<void> run();

  /// Orderly end (controller stop): the session sends Error(Shutdown) and closes
  /// (docs/protocol.md, Session rule 10), so the MSE can tell a stop from a failure.
  void shutdown();

 private:
  using Next = session::Next;

  Next onFrame(const proto::Frame& frame);
  Next onInit(const proto::Frame& frame);

 public:
  // Handlers of the session core's dispatch (established session only).
  Next on(const proto::Frame& frame, const proto::InitRequest& request);
  Next on(const proto::Frame& frame, const proto::ServiceSubscribeRequest& request);
  Next on(const proto::Frame& frame, const proto::ServiceUnsubscribeRequest& request);
  Next on(const proto::Frame& frame, const proto::MeasurementRequest& request);
  Next on(const proto::Frame& frame, const proto::InfoRequest& request);
  Next on(const proto::Frame& frame, const proto::StatisticsRequest& request);
  Next on(const proto::Frame& frame, const proto::ErrorMessage& error);

 private:
  void onReadError(const session::ChannelError& error);
  bool send(uint32_t txn, proto::Message message) { return core_.send(txn, std::move(message)); }

  session::SessionCore core_;
  uint32_t conn_id_;
  std::string peer_;  // "ip:port" for logs
  const ControllerOptions& options_;
  ControllerState& state_;
  trace::TraceBuffer& trace_;
  DataPath& data_;  // the subscriptions and the store (io thread)
  bool init_done_ = false;
  bool shutting_down_ = false;
};

}  // namespace nmsp::controller
