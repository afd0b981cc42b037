#pragma once
// One connection in the controller's table, from accept to the end of its coroutine
// (Controller::serveConnection owns it). It links itself in on construction and unlinks itself
// (table, connection slot, status row) on destruction, so every way out, an exception included,
// releases what it held. Io thread only.

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "controller/controller.h"
#include "controller/nmsp_server_session.h"
#include "session/frame_channel.h"

namespace nmsp::controller {

class Controller::Connection {
 public:
  Connection(Controller& owner, uint32_t id, boost::asio::ip::tcp::socket socket);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Controller stop: an established session sends Error(Shutdown) and closes; a handshake in
  /// progress is cancelled.
  void stop();

  uint32_t id() const { return id_; }
  const std::string& peer() const { return peer_; }
  const boost::asio::ip::tcp::endpoint& remote() const { return remote_; }
  const std::string& sslId() const { return ssl_id_; }
  const std::shared_ptr<session::TlsStream>& stream() const { return stream_; }
  SSL* ssl() const { return stream_->native_handle(); }
  /// The running session (nullptr: none, or not any more).
  void setSession(NmspServerSession* session) { session_ = session; }
  /// The session has a status row: closed when the connection goes.
  void markRegistered() { session_registered_ = true; }

 private:
  Controller& owner_;
  uint32_t id_;
  boost::asio::ip::tcp::endpoint remote_;
  std::string peer_;
  std::string ssl_id_;
  std::shared_ptr<session::TlsStream> stream_;
  NmspServerSession* session_ = nullptr;  // while its run() is pending
  bool session_registered_ = false;
};

}  // namespace nmsp::controller
