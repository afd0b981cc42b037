#pragma once
// The controller role: listens for MSEs (TLS server on 16113), admits them against the auth
// list in the TLS verify callback, traces handshakes in the seed's wording, and serves each
// admitted MSE an NMSP session. Sessions, handshakes and timers run on one io_context, whose
// thread owns the role's state and never blocks. Operator commands reach it through
// api::ControllerControl from another thread (the shell's): they read snapshots, and their
// changes run on the persistence worker (file writes with fsync), never on the io thread.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "api/controller_control.h"
#include "authlist/auth_list.h"
#include "common/owner_thread.h"
#include "common/worker_thread.h"
#include "controller/admission.h"
#include "controller/controller_options.h"
#include "controller/controller_settings.h"
#include "controller/controller_state.h"
#include "controller/data_path.h"
#include "identity/identity.h"
#include "session/frame_channel.h"
#include "trace/trace_buffer.h"
#include "transport/tls_context.h"

namespace nmsp::controller {

class NmspServerSession;

class Controller : public api::ControllerControl {
 public:
  /// Loads or creates the identity and the auth list in options.data_dir (creating the dir).
  static Result<std::unique_ptr<Controller>, std::string> create(boost::asio::io_context& io,
                                                                 ControllerOptions options);
  ~Controller() override;

  /// Binds and listens, then accepts on the io_context. Error text if the address is unusable.
  Result<void, std::string> start();
  /// Stops accepting and ends every connection (thread-safe; returns at once, the io_context
  /// finishes the work).
  void stop();

  /// The bound port (useful with listen_port 0).
  uint16_t port() const { return bound_port_.load(); }
  const identity::Identity& identity() const { return identity_; }
  const ControllerOptions& options() const { return options_; }

  // api::ControllerControl
  std::vector<api::MseSessionStatus> sessions() const override;
  api::ControllerStatistics statistics() const override;
  std::shared_ptr<const authlist::AuthSnapshot> authList() const override {
    return auth_list_->snapshot();
  }
  Result<void, std::string> editAuthList(api::AuthListEdit edit) override;
  trace::TraceBuffer& trace() override { return trace_; }
  Result<void, std::string> setStrongCipher(bool on) override;
  bool strongCipher() const override { return strong_cipher_.load(); }
  std::string listenAddress() const override;
  std::string name() const override { return options_.name; }
  proto::ServiceMask offeredServices() const override { return options_.offered_services; }
  aggregate::AggregationSettings aggregationSettings() const override;
  Result<void, std::string> setAggregationSettings(
      const aggregate::AggregationSettings& settings) override;

  /// Where the controller's file writes run (tests queue work on it to stall the disk).
  WorkerThread& persistence() { return *persistence_; }

 private:
  Controller(boost::asio::io_context& io, ControllerOptions options);
  class Connection;
  struct HandshakeResult;

  boost::asio::awaitable<void> acceptLoop();
  /// One accepted connection, start to end; `conn` (owned by the coroutine frame) unlinks
  /// itself from the connection table on every way out, exceptions included.
  boost::asio::awaitable<void> serveConnection(std::unique_ptr<Connection> conn);
  /// TLS handshake with admission (traced, logged and counted); the admission if established.
  boost::asio::awaitable<HandshakeResult> handshake(Connection& conn);
  /// Registers the established session (status row, counters), runs it, closes the row.
  boost::asio::awaitable<void> runSession(Connection& conn, const HandshakeResult& handshake);
  void traceAdmission(const std::string& ssl_id, const std::string& peer,
                      const Admission& admission);
  /// co_spawn's completion: logs and counts an exception that escaped a connection.
  void connectionEnded(uint32_t conn_id, std::exception_ptr error);
  std::chrono::system_clock::time_point now() const;
  /// The auth list admission reads: the io thread's own snapshot (asserted), no lock.
  const authlist::AuthSnapshot& admissionList() const;
  /// Hands a saved auth list to the io thread (from the persistence worker).
  void publishAuthList(std::shared_ptr<const authlist::AuthSnapshot> snapshot);
  /// Runs `job` on the persistence worker and waits, at most options_.command_timeout.
  Result<void, std::string> persist(std::function<Result<void, std::string>()> job);

  boost::asio::io_context& io_;
  ControllerOptions options_;
  identity::Identity identity_;
  std::unique_ptr<authlist::AuthList> auth_list_;  // changed only on persistence_
  trace::TraceBuffer trace_;
  ControllerState state_;
  transport::SslContextPtr default_ctx_;
  transport::SslContextPtr strong_ctx_;
  std::atomic<bool> strong_cipher_{false};  // written after a save on persistence_, read anywhere
  std::atomic<uint16_t> bound_port_{0};
  boost::asio::ip::tcp::acceptor acceptor_;
  // Owned by the io thread.
  OwnerThread io_thread_;
  std::shared_ptr<const authlist::AuthSnapshot> admission_list_;
  bool stopping_ = false;
  uint32_t next_conn_id_ = 0;
  size_t open_connections_ = 0;
  std::map<uint32_t, Connection*>
      connections_;                 // live ones (each unlinks itself); stop() ends them
  std::unique_ptr<DataPath> data_;  // sources, store, subscriptions, data timer
  // The settings file's content: changed only on persistence_ (after a save).
  ControllerSettings persisted_;
  // What aggregationSettings() reports (written on persistence_ after a save, read anywhere).
  mutable std::mutex aggregation_mu_;
  aggregate::AggregationSettings aggregation_;
  // Last member: destroyed first, so its queued jobs run while everything they use exists.
  std::unique_ptr<WorkerThread> persistence_;
};

}  // namespace nmsp::controller
