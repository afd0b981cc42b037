#pragma once
// The controller's side of one NMSP session, after TLS admission: Init exchange (version, clock
// skew), Capability Notification, Echo answers, Subscribe/Unsubscribe, unknown and malformed
// input, all per docs/protocol.md "Session". Runs on the connection's executor.

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "controller/controller_options.h"
#include "controller/controller_state.h"
#include "session/frame_channel.h"
#include "trace/trace_buffer.h"

namespace nmsp::controller {

class NmspServerSession {
 public:
  NmspServerSession(std::shared_ptr<session::FrameChannel> channel, uint32_t conn_id,
                    std::string peer, const ControllerOptions& options, ControllerState& state,
                    trace::TraceBuffer& trace);

  /// Serves the session until the peer leaves, a rule ends it, or the socket is cancelled
  /// (controller stop). Closes the channel before returning.
  boost::asio::awaitable<void> run();

  /// Orderly end (controller stop): the session sends Error(Shutdown) and closes
  /// (docs/protocol.md, Session rule 10), so the MSE can tell a stop from a failure.
  void shutdown();

 private:
  enum class Next { Continue, Close };
  Next onFrame(const proto::Frame& frame);
  Next onInit(const proto::Frame& frame);
  void onEcho(const proto::Frame& frame, const proto::EchoRequest& request);
  void onSubscribe(const proto::Frame& frame, const proto::ServiceSubscribeRequest& request);
  void onUnsubscribe(const proto::Frame& frame, const proto::ServiceUnsubscribeRequest& request);
  void onReadError(const session::ChannelError& error);
  void sendError(uint32_t txn, proto::ErrorReason reason, uint16_t offending, std::string text);
  bool send(uint32_t txn, proto::Message message);
  uint64_t nowMs() const;

  std::shared_ptr<session::FrameChannel> channel_;
  uint32_t conn_id_;
  std::string peer_;  // "ip:port" for logs
  const ControllerOptions& options_;
  ControllerState& state_;
  trace::TraceBuffer& trace_;
  bool init_done_ = false;
  bool shutting_down_ = false;
  proto::ServiceMask subscriptions_ = 0;
};

}  // namespace nmsp::controller
