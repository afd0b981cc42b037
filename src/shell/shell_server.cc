#include "shell/shell_server.h"

#include <fmt/format.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <set>
#include <stdexcept>

namespace nmsp::shell {
namespace {

namespace asio = boost::asio;
using asio::local::stream_protocol;
using namespace asio::experimental::awaitable_operators;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// State shared by the accept loop and the client sessions; lives on the strand.
struct Core {
  Core(asio::io_context& io, const CommandRegistry& reg)
      : strand(asio::make_strand(io)), acceptor(strand), registry(reg) {}
  asio::strand<asio::io_context::executor_type> strand;
  stream_protocol::acceptor acceptor;
  const CommandRegistry& registry;
  ShellLimits limits;
  std::set<std::shared_ptr<stream_protocol::socket>> clients;
  bool stopped = false;
};

// The reply terminator must not occur inside a reply (trace lines can carry peer text).
std::string frame(const Reply& reply) {
  std::string out = reply.text;
  std::replace(out.begin(), out.end(), '\x1e', ' ');
  out += reply.ok ? "\x1e"
                    "0\n"
                  : "\x1e"
                    "1\n";
  return out;
}

using SocketPtr = std::shared_ptr<stream_protocol::socket>;

// Writes with a deadline so that a client that stops reading cannot pin a session.
asio::awaitable<bool> writeAll(Core& core, stream_protocol::socket& socket, std::string data) {
  asio::steady_timer timer(socket.get_executor(), core.limits.write_timeout);
  auto result = co_await (asio::async_write(socket, asio::buffer(data), kNoThrow) ||
                          timer.async_wait(kNoThrow));
  co_return result.index() == 0 && !std::get<0>(std::get<0>(result));
}

asio::awaitable<void> serveClient(std::shared_ptr<Core> core, SocketPtr socket) {
  core->clients.insert(socket);
  Session session;
  std::string buffer;
  asio::steady_timer timer(socket->get_executor());
  while (!core->stopped) {
    timer.expires_after(core->limits.idle_timeout);
    auto result = co_await (
        asio::async_read_until(*socket, asio::dynamic_buffer(buffer, core->limits.max_line_bytes),
                               '\n', kNoThrow) ||
        timer.async_wait(kNoThrow));
    if (result.index() == 1) {
      co_await writeAll(*core, *socket,
                        frame(Reply::error(fmt::format("% idle for {} s, closing the session\n",
                                                       core->limits.idle_timeout.count()))));
      break;
    }
    const auto [ec, length] = std::get<0>(result);
    if (ec == asio::error::not_found) {
      co_await writeAll(*core, *socket,
                        frame(Reply::error(fmt::format("% line longer than {} bytes, closing\n",
                                                       core->limits.max_line_bytes))));
      break;
    }
    if (ec) {
      break;  // client went away
    }
    const std::string line = buffer.substr(0, length - 1);
    buffer.erase(0, length);
    const Reply reply = core->registry.execute(session, line);
    if (!co_await writeAll(*core, *socket, frame(reply))) {
      break;
    }
  }
  boost::system::error_code ignored;
  socket->shutdown(stream_protocol::socket::shutdown_both, ignored);
  socket->close(ignored);
  core->clients.erase(socket);
}

asio::awaitable<void> refuseClient(std::shared_ptr<Core> core, SocketPtr socket) {
  co_await writeAll(*core, *socket,
                    frame(Reply::error(fmt::format("% too many shell sessions (limit {})\n",
                                                   core->limits.max_connections))));
  boost::system::error_code ignored;
  socket->close(ignored);
}

asio::awaitable<void> acceptLoop(std::shared_ptr<Core> core) {
  asio::steady_timer backoff(core->strand);
  while (!core->stopped) {
    auto [ec, accepted] = co_await core->acceptor.async_accept(kNoThrow);
    if (core->stopped || ec == asio::error::operation_aborted) {
      co_return;
    }
    if (ec) {
      // e.g. EMFILE: pause instead of spinning on the same error.
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(kNoThrow);
      continue;
    }
    auto socket = std::make_shared<stream_protocol::socket>(std::move(accepted));
    if (core->clients.size() >= core->limits.max_connections) {
      asio::co_spawn(core->strand, refuseClient(core, socket), asio::detached);
      continue;
    }
    asio::co_spawn(core->strand, serveClient(core, socket), asio::detached);
  }
}

// Refuses to steal the socket of a running daemon; removes a stale one.
void clearStaleSocket(asio::io_context& io, const std::filesystem::path& path) {
  std::error_code fs_ec;
  const auto status = std::filesystem::symlink_status(path, fs_ec);
  if (fs_ec || !std::filesystem::exists(status)) {
    return;
  }
  if (!std::filesystem::is_socket(status)) {
    throw std::runtime_error(path.string() + " exists and is not a socket; remove it");
  }
  stream_protocol::socket probe(io);
  boost::system::error_code ec;
  probe.connect(stream_protocol::endpoint(path.string()), ec);
  if (!ec) {
    throw std::runtime_error("another nmsp daemon is already serving " + path.string());
  }
  std::filesystem::remove(path, fs_ec);
}

}  // namespace

struct ShellServer::Impl {
  std::shared_ptr<Core> core;
  std::filesystem::path path;
  ino_t inode = 0;  // of the socket file we bound, so stop() never removes someone else's
  bool started = false;
  bool stop_requested = false;  // owner's thread only; `core->stopped` belongs to the strand
};

ShellServer::ShellServer(boost::asio::io_context& io, std::filesystem::path socket_path,
                         const CommandRegistry& registry)
    : impl_(std::make_unique<Impl>()) {
  impl_->core = std::make_shared<Core>(io, registry);
  impl_->path = std::move(socket_path);
  const std::string path = impl_->path.string();
  if (path.size() >= sizeof(sockaddr_un::sun_path)) {
    throw std::runtime_error(fmt::format(
        "shell socket path {} is {} bytes long, the limit is {}; use a shorter data dir", path,
        path.size(), sizeof(sockaddr_un::sun_path) - 1));
  }
  clearStaleSocket(io, impl_->path);
  // Bind under a temporary name, restrict it to 0600, then rename: the socket is never
  // reachable by others, not even for an instant.
  std::string bind_path = fmt::format("{}.{}.tmp", path, ::getpid());
  if (bind_path.size() >= sizeof(sockaddr_un::sun_path)) {
    bind_path = path;
  }
  ::unlink(bind_path.c_str());
  auto& acceptor = impl_->core->acceptor;
  acceptor.open(stream_protocol());
  acceptor.bind(stream_protocol::endpoint(bind_path));
  if (::chmod(bind_path.c_str(), 0600) != 0 ||
      (bind_path != path && ::rename(bind_path.c_str(), path.c_str()) != 0)) {
    const std::string why = std::strerror(errno);
    ::unlink(bind_path.c_str());
    throw std::runtime_error(fmt::format("cannot set up {}: {}", path, why));
  }
  acceptor.listen();
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    impl_->inode = st.st_ino;
  }
}

ShellServer::~ShellServer() {
  stop();
}

void ShellServer::setLimits(const ShellLimits& limits) {
  impl_->core->limits = limits;
}

void ShellServer::start() {
  if (impl_->started) {
    return;
  }
  impl_->started = true;
  asio::co_spawn(impl_->core->strand, acceptLoop(impl_->core), asio::detached);
}

void ShellServer::stop() {
  if (!impl_ || impl_->stop_requested) {
    return;
  }
  impl_->stop_requested = true;
  auto core = impl_->core;
  asio::post(core->strand, [core] {
    core->stopped = true;
    boost::system::error_code ignored;
    core->acceptor.close(ignored);
    for (const auto& client : core->clients) {
      client->close(ignored);
    }
  });
  struct stat st {};
  if (::stat(impl_->path.c_str(), &st) == 0 && st.st_ino == impl_->inode) {
    ::unlink(impl_->path.c_str());
  }
  impl_->inode = 0;
}

ShellServerThread::ShellServerThread(std::filesystem::path socket_path,
                                     const CommandRegistry& registry)
    : server_(io_, std::move(socket_path), registry) {}

ShellServerThread::~ShellServerThread() {
  stop();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void ShellServerThread::start() {
  if (thread_.joinable()) {
    return;
  }
  server_.start();
  thread_ = std::thread([this] {
    ::pthread_setname_np(::pthread_self(), "nmsp-shell");
    io_.run();  // returns once stop() has closed the listener and the sessions
  });
}

void ShellServerThread::stop() {
  server_.stop();
}

}  // namespace nmsp::shell
