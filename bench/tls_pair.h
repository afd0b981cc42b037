#pragma once
// Benchmark helper: identities for both roles (ECDSA P-256) and the two ends of a mutual-TLS
// connection on loopback (TLS 1.3, the daemons' contexts). The server (controller) end and the
// client (MSE) end are separate coroutines, so they can run on one io_context or on two threads.
// Admission always says yes: its cost is bench_admission's subject.

#include <stdlib.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "identity/identity.h"
#include "session/frame_channel.h"
#include "transport/handshake_observer.h"
#include "transport/tls_context.h"

namespace nmsp::bench {

struct TlsContexts {
  std::filesystem::path dir;  // the identities, removed by the destructor
  transport::SslContextPtr server;
  transport::SslContextPtr client;
  std::string error;  // set when the set-up failed

  TlsContexts() = default;
  TlsContexts(const TlsContexts&) = delete;
  TlsContexts& operator=(const TlsContexts&) = delete;
  ~TlsContexts() {
    std::error_code ignored;
    if (!dir.empty()) {
      std::filesystem::remove_all(dir, ignored);
    }
  }
};

inline void makeTlsContexts(TlsContexts& c) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "nmsp-bench-XXXXXX").string();
  c.dir = mkdtemp(tmpl.data());
  identity::CreateOptions options;
  options.key_type = identity::KeyType::EcdsaP256;
  options.mac = MacAddress{{0x00, 0x50, 0x56, 0x9c, 0x34, 0x89}};
  auto mse = identity::create(c.dir / "mse", options);
  options.mac = MacAddress{{0x00, 0x50, 0x56, 0x00, 0x00, 0x01}};
  options.role = "Controller";
  auto controller = identity::create(c.dir / "controller", options);
  if (!mse || !controller) {
    c.error = "identity setup failed";
    return;
  }
  auto server = transport::makeServerContext(*controller, transport::CipherPolicy::Default);
  auto client = transport::makeClientContext(&*mse);
  if (!server || !client) {
    c.error = "TLS context setup failed";
    return;
  }
  c.server = *server;
  c.client = *client;
}

/// The controller's end: accepts one connection and runs the server handshake.
inline boost::asio::awaitable<std::shared_ptr<session::TlsStream>> acceptTls(
    boost::asio::ip::tcp::acceptor& acceptor, TlsContexts& contexts) {
  auto socket = co_await acceptor.async_accept(boost::asio::use_awaitable);
  auto stream = std::make_shared<session::TlsStream>(std::move(socket), *contexts.server);
  auto observer = std::make_shared<transport::HandshakeObserver>();
  observer->admit = [](X509*) { return true; };
  transport::attachObserver(stream->native_handle(), observer.get());
  co_await stream->async_handshake(boost::asio::ssl::stream_base::server,
                                   boost::asio::use_awaitable);
  transport::attachObserver(stream->native_handle(), nullptr);
  co_return stream;
}

/// The MSE's end: connects to `to` and runs the client handshake.
inline boost::asio::awaitable<std::shared_ptr<session::TlsStream>> connectTls(
    boost::asio::ip::tcp::endpoint to, TlsContexts& contexts) {
  auto ex = co_await boost::asio::this_coro::executor;
  boost::asio::ip::tcp::socket socket(ex);
  co_await socket.async_connect(to, boost::asio::use_awaitable);
  auto stream = std::make_shared<session::TlsStream>(std::move(socket), *contexts.client);
  co_await stream->async_handshake(boost::asio::ssl::stream_base::client,
                                   boost::asio::use_awaitable);
  co_return stream;
}

}  // namespace nmsp::bench
