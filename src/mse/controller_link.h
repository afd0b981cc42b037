#pragma once
// One controller link of the MSE: connect (TCP, with timeout), TLS client handshake presenting
// the MSE certificate, pin check of the controller certificate, NMSP Init, Subscribe to the
// services the controller offers, Echo every interval; when anything ends the session, record
// the cause in plain words and reconnect with capped exponential backoff. Runs as a coroutine
// on one executor; start/stop may be called from any thread, status() on the executor's thread
// (it reads the pins, which that thread owns).

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/mse_control.h"
#include "common/result.h"
#include "devices/device_table.h"
#include "identity/identity.h"
#include "mse/mse_config_store.h"
#include "mse/mse_data.h"
#include "mse/pin_store.h"
#include "session/frame_channel.h"
#include "session/session_core.h"
#include "trace/trace_buffer.h"
#include "transport/handshake_observer.h"
#include "transport/tls_context.h"

namespace nmsp::mse {

struct LinkOptions {
  std::string name = "mse";  // peer-name in Init Request
  std::string software_version;
  std::chrono::milliseconds echo_interval{15000};
  int missed_echoes = 3;  // unanswered echoes that end the session
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{10000};
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds init_timeout{10000};
  std::chrono::seconds clock_tolerance{60};
  /// Name resolution: empty (the default) asks the system resolver through Asio; tests inject
  /// a function so that they need no DNS. Error: the resolver's words ("Host not found").
  std::function<Result<std::vector<boost::asio::ip::tcp::endpoint>, std::string>(
      const std::string& host, uint16_t port)>
      resolve;
};

/// What all links of one MSE share. Held by shared_ptr so that a link coroutine still running
/// while the role object goes away keeps valid state.
struct LinkEnvironment {
  LinkEnvironment(identity::Identity id, transport::SslContextPtr ctx, PinStore pin_store,
                  LinkOptions link_options)
      : identity(std::move(id)),
        tls(std::move(ctx)),
        pins(std::move(pin_store)),
        options(std::move(link_options)) {}

  const identity::Identity identity;
  const transport::SslContextPtr tls;  // transport::makeClientContext (the one client builder)
  PinStore pins;
  const LinkOptions options;
  trace::TraceBuffer trace;
  std::atomic<bool> unauthenticated_nmsp{false};
  MseData data;  // the device table, sinks and recorder: io thread only
};

class ControllerLink : public std::enable_shared_from_this<ControllerLink> {
 public:
  /// On the io thread. `services`: what the link subscribes to (AND-ed with what the
  /// controller offers in its Capability Notification).
  ControllerLink(boost::asio::any_io_executor executor, std::shared_ptr<LinkEnvironment> env,
                 ControllerAddress address, proto::ServiceMask services);

  /// Starts the connect/reconnect loop on the executor.
  void start();
  /// Ends the session (if any) and the loop; returns at once, the coroutine winds down.
  void stop();

  /// The services to subscribe to (io thread). In a session whose Capability Notification has
  /// arrived: a Subscribe Request for the offered services added, an Unsubscribe Request for
  /// the ones removed; else from the next Capability Notification on.
  void setServices(proto::ServiceMask services);

  api::ControllerLinkStatus status() const;
  const ControllerAddress& address() const { return address_; }

 private:
  struct SessionState;
  enum class Phase { Init, Session };

  boost::asio::awaitable<void> run();
  boost::asio::awaitable<std::string> attempt();
  boost::asio::awaitable<std::string> runSession(std::shared_ptr<session::TlsStream> stream);
  boost::asio::awaitable<void> echoLoop(std::shared_ptr<SessionState> state);
  std::optional<std::string> checkControllerCertificate(session::TlsStream& stream);
  std::optional<std::string> checkInitResponse(const proto::InitResponse& response);
  /// Handles one frame of an active session; returns the cause when the frame ends it.
  std::optional<std::string> handleFrame(SessionState& state, const proto::Frame& frame);
  std::string describe(const session::ChannelError& error, Phase phase, bool tls13) const;
  std::string describeHandshakeError(const boost::system::error_code& ec) const;
  uint32_t nextTransactionId();
  void markInactive(const std::string& cause);
  void traceInfo(const std::string& text) const;
  void traceDebug(const std::string& text) const;

  boost::asio::any_io_executor executor_;
  std::shared_ptr<LinkEnvironment> env_;
  const ControllerAddress address_;
  const std::string endpoint_;

  // Touched only on the executor.
  bool stopped_ = false;
  boost::asio::steady_timer backoff_timer_;
  std::weak_ptr<session::TlsStream> current_stream_;
  std::weak_ptr<SessionState> current_session_;
  std::shared_ptr<boost::asio::ip::tcp::resolver> resolver_;
  uint32_t next_txn_ = 1;
  proto::ServiceMask services_;
  devices::ControllerId via_;  // this controller in env_->data's table

  transport::HandshakeObserver observer_;  // client side: alerts and handshake trace

  mutable std::mutex mu_;
  api::ControllerLinkStatus status_;
};

}  // namespace nmsp::mse
