#pragma once
// Shared by the transport and session tests: temporary directories, MSE identities, loopback
// TLS pairs and a runner that drives one coroutine on an io_context with a hard time limit.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>

#include "../support/temp_dir.h"
#include "identity/identity.h"
#include "session/frame_channel.h"

namespace nmsp::testing {

namespace asio = boost::asio;

using TempDir = test_support::TempDir;

inline MacAddress testMac(uint8_t last = 0x89) {
  return MacAddress{{0x00, 0x50, 0x56, 0x9c, 0x34, last}};
}

inline identity::Identity makeIdentity(
    const std::filesystem::path& dir, MacAddress mac,
    identity::KeyType type = identity::KeyType::Rsa2048,
    std::chrono::seconds not_before_offset = -std::chrono::minutes(5),
    std::chrono::seconds validity = std::chrono::hours(24 * 365)) {
  identity::CreateOptions options;
  options.mac = mac;
  options.key_type = type;
  options.not_before_offset = not_before_offset;
  options.validity = validity;
  auto created = identity::create(dir, options);
  if (!created) {
    ADD_FAILURE() << "identity::create: " << created.error();
    std::abort();
  }
  return *created;
}

/// A plain TLS server context (no admission) for channel tests.
inline std::shared_ptr<asio::ssl::context> plainServerContext(const identity::Identity& own) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->use_certificate(asio::buffer(own.cert_pem), asio::ssl::context::pem);
  ctx->use_private_key(asio::buffer(own.key_pem), asio::ssl::context::pem);
  ctx->set_verify_mode(asio::ssl::verify_none);
  return ctx;
}

struct TlsPair {
  std::shared_ptr<session::TlsStream> server;
  std::shared_ptr<session::TlsStream> client;
};

/// Connects a client and a server stream over 127.0.0.1 and completes both handshakes.
inline asio::awaitable<TlsPair> connectPair(asio::ssl::context& server_ctx,
                                            asio::ssl::context& client_ctx) {
  auto ex = co_await asio::this_coro::executor;
  asio::ip::tcp::acceptor acceptor(ex, {asio::ip::make_address("127.0.0.1"), 0});
  asio::ip::tcp::socket client_socket(ex);
  co_await client_socket.async_connect(acceptor.local_endpoint(), asio::use_awaitable);
  auto server_socket = co_await acceptor.async_accept(asio::use_awaitable);
  TlsPair pair;
  pair.server = std::make_shared<session::TlsStream>(std::move(server_socket), server_ctx);
  pair.client = std::make_shared<session::TlsStream>(std::move(client_socket), client_ctx);
  bool server_done = false;
  asio::steady_timer server_finished(ex);  // cancelled by the server coroutine: an event
  server_finished.expires_after(std::chrono::seconds(10));
  asio::co_spawn(
      ex,
      [&]() -> asio::awaitable<void> {
        co_await pair.server->async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
        server_done = true;
        server_finished.cancel();
      },
      asio::detached);
  co_await pair.client->async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
  if (!server_done) {  // TLS 1.3: the server finishes after reading the client's Finished
    co_await server_finished.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  EXPECT_TRUE(server_done);
  co_return pair;
}

/// Runs `body` to completion on `io` (at most `limit`), rethrowing its exception.
template <class F>
void runCoroutine(asio::io_context& io, F&& body,
                  std::chrono::seconds limit = std::chrono::seconds(30)) {
  bool done = false;
  std::exception_ptr error;
  asio::co_spawn(io, std::forward<F>(body), [&](std::exception_ptr e) {
    done = true;
    error = e;
  });
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    if (io.run_one_for(std::chrono::milliseconds(100)) == 0 && io.stopped()) {
      io.restart();
    }
  }
  ASSERT_TRUE(done) << "test coroutine did not finish within " << limit.count() << " s";
  if (error) {
    std::rethrow_exception(error);
  }
}

}  // namespace nmsp::testing
