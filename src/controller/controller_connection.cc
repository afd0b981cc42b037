// One accepted TCP connection: TLS handshake with admission and seed-style tracing, then the
// NMSP session. Every way out (timeout, refusal, peer error, stop) is traced, logged and counted.

#include "controller/controller_connection.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <tuple>

#include "controller/admission.h"
#include "controller/controller.h"
#include "controller/nmsp_server_session.h"
#include "transport/deadline.h"
#include "transport/handshake_observer.h"
#include "transport/tls_errors.h"

namespace nmsp::controller {
namespace asio = boost::asio;
using trace::Level;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string endpointText(const asio::ip::tcp::endpoint& e) {
  return e.address().is_v6() ? fmt::format("[{}]:{}", e.address().to_string(), e.port())
                             : fmt::format("{}:{}", e.address().to_string(), e.port());
}

// The Info trace line that names a refused peer (the seed's lines only name the SSL id).
std::string refusalTraceLine(const std::string& peer, const Admission& admission) {
  const std::string who =
      fmt::format("Peer {} MAC {}", peer, admission.mac ? admission.mac->toString() : "unknown");
  switch (admission.verdict) {
    case AdmissionVerdict::NoEntry:
      return who + ": no auth-list entry for this MAC";
    case AdmissionVerdict::HashMismatch: {
      const bool sha1 = admission.entry && admission.entry->type == authlist::HashType::Sha1;
      return fmt::format("{}: key hash does not match the auth-list entry ({} {} presented)", who,
                         sha1 ? "SHA1" : "SHA2",
                         sha1 ? admission.hashes.sha1_hex : admission.hashes.sha256_hex);
    }
    case AdmissionVerdict::Expired:
    case AdmissionVerdict::NotYetValid:
      return who + ": " + admission.reason;
    case AdmissionVerdict::NoMac:
      return who + ": certificate subject CN is not a MAC address";
    case AdmissionVerdict::Admitted:
      break;
  }
  return who + ": admitted";
}

}  // namespace

Controller::Connection::Connection(Controller& owner, uint32_t id, asio::ip::tcp::socket socket)
    : owner_(owner), id_(id) {
  boost::system::error_code ignored;
  remote_ = socket.remote_endpoint(ignored);
  peer_ = endpointText(remote_);
  auto& ctx = owner_.strong_cipher_.load() ? *owner_.strong_ctx_ : *owner_.default_ctx_;
  stream_ = std::make_shared<session::TlsStream>(std::move(socket), ctx);
  ssl_id_ = transport::sslId(stream_->native_handle());
  owner_.connections_[id_] = this;
  ++owner_.open_connections_;
}

Controller::Connection::~Connection() {
  transport::attachObserver(stream_->native_handle(), nullptr);
  if (session_registered_) {
    owner_.state_.closeSession(id_);
  }
  boost::system::error_code ignored;
  stream_->lowest_layer().close(ignored);
  owner_.trace_.add(Level::Info, fmt::format("freeing Nmsp conn ssl {}, conn id {}", ssl_id_, id_));
  owner_.connections_.erase(id_);
  --owner_.open_connections_;
  owner_.state_.updateStats([&](auto& s) {  // last: a test that sees it sees all of the above
    s.connections_closed += session_registered_ ? 1 : 0;
    ++s.connections_freed;
  });
}

void Controller::Connection::stop() {
  if (session_ != nullptr) {
    session_->shutdown();
  } else {
    boost::system::error_code ignored;
    stream_->lowest_layer().cancel(ignored);
  }
}

struct Controller::HandshakeResult {
  bool established = false;
  std::optional<Admission> admission;
};

void Controller::connectionEnded(uint32_t conn_id, std::exception_ptr error) {
  if (!error) {
    return;
  }
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  state_.updateStats([](auto& s) { ++s.session_exceptions; });
  spdlog::error("conn {}: connection ended by an exception: {}", conn_id, what);
}

asio::awaitable<void> Controller::serveConnection(std::unique_ptr<Connection> conn) {
  trace_.add(Level::Info, fmt::format("New NMSP Connection assigned {}", conn->id()));
  const HandshakeResult result = co_await handshake(*conn);
  if (result.established && !stopping_) {
    co_await runSession(*conn, result);
  }
}

asio::awaitable<Controller::HandshakeResult> Controller::handshake(Connection& conn) {
  const uint32_t conn_id = conn.id();
  const std::string& peer = conn.peer();
  SSL* ssl = conn.ssl();
  HandshakeResult result;

  transport::HandshakeObserver observer;
  observer.conn_id = conn_id;
  observer.ssl_id = conn.sslId();
  observer.trace = &trace_;
  std::optional<Admission>& admission = result.admission;
  observer.admit = [&](X509* leaf) {
    admission = checkAdmission(leaf, admissionList(), now());
    observer.refusal_x509_error = refusalX509Error(admission->verdict);
    traceAdmission(observer.ssl_id, peer, *admission);
    return admission->admitted();
  };
  transport::attachObserver(ssl, &observer);
  trace_.add(Level::Debug,
             fmt::format("sslConnectionInit: SSL_new() conn ssl {}", observer.ssl_id));
  trace_.add(Level::Debug,
             fmt::format("sslConnectionInit: SSL_do_handshake for conn ssl {}, conn state: INIT, "
                         "SSL state: HANDSHAKE",
                         observer.ssl_id));

  boost::system::error_code ec;
  bool timed_out = false;
  {
    auto stream = conn.stream();
    transport::Deadline deadline(io_.get_executor(), options_.handshake_timeout, [stream] {
      boost::system::error_code ignored;
      stream->lowest_layer().cancel(ignored);
    });
    std::tie(ec) = co_await stream->async_handshake(asio::ssl::stream_base::server, kNoThrow);
    timed_out = deadline.expired();
  }
  transport::attachObserver(ssl, nullptr);  // `observer` dies with this frame

  if (timed_out) {
    state_.updateStats([](auto& s) {
      ++s.handshake_timeouts;
      ++s.accept_fail;
    });
    trace_.add(Level::Info,
               fmt::format("handshake failed for conn ssl {}, ssl_err {} error = handshake not "
                           "completed within {} ms",
                           observer.ssl_id, SSL_ERROR_SYSCALL, options_.handshake_timeout.count()));
    spdlog::warn("conn {} ({}): TLS handshake timed out after {} ms", conn_id, peer,
                 options_.handshake_timeout.count());
  } else if (ec) {
    const bool refused = admission && !admission->admitted();
    const bool no_cert = transport::isNoPeerCertificate(ec);
    state_.updateStats(
        [&](auto& s) { ++((refused || no_cert) ? s.accept_reject : s.accept_fail); });
    trace_.add(Level::Info, fmt::format("handshake failed for conn ssl {}, ssl_err {} error = {}",
                                        observer.ssl_id, transport::sslErrorClass(ec),
                                        transport::errorString(ec)));
    if (no_cert) {
      spdlog::info("admission: connection from {} refused: the MSE sent no certificate", peer);
    } else if (!refused && stopping_) {
      // stop() cancelled this handshake ("Operation canceled"): an orderly end, not a fault.
      spdlog::info("conn {} ({}): closed: controller stopping", conn_id, peer);
    } else if (!refused) {
      spdlog::warn("conn {} ({}): TLS handshake failed: {}", conn_id, peer,
                   transport::errorString(ec));
    }
  } else {
    result.established = true;
    state_.updateStats([](auto& s) {
      ++s.accept_success;
      ++s.connections_created;
    });
    trace_.add(Level::Debug,
               fmt::format("SSL_do_handshake() succeeded for conn ssl {}", observer.ssl_id));
    trace_.add(Level::Info, fmt::format("NMSP Connection successful! for conn {}", conn_id));
  }
  co_return result;
}

void Controller::traceAdmission(const std::string& ssl_id, const std::string& peer,
                                const Admission& admission) {
  const bool ok = admission.admitted();
  state_.updateStats([&](auto& s) {
    ++s.verify_count;
    ++(ok ? s.verify_success : s.verify_fail);
    recordAdmission(s, admission, peer);
    if (isValidityRefusal(admission.verdict)) {
      const bool early = admission.verdict == AdmissionVerdict::NotYetValid;
      ++(early ? s.cert_not_yet_valid : s.cert_expired);
      s.last_validity_refusal = refusalTraceLine(peer, admission).substr(5);  // no "Peer "
    }
  });
  const bool time_problem = admission.verdict == AdmissionVerdict::Expired ||
                            admission.verdict == AdmissionVerdict::NotYetValid ||
                            admission.verdict == AdmissionVerdict::NoMac;
  if (time_problem) {
    trace_.add(Level::Debug, fmt::format("Peer certificate Validation failed for conn ssl {}: "
                                         "{}",
                                         ssl_id, admission.reason));
    trace_.add(Level::Info, refusalTraceLine(peer, admission));
  } else {
    trace_.add(
        Level::Debug,
        fmt::format("Peer certificate Validation Done for conn ssl {}, calling authlist.", ssl_id));
    trace_.add(Level::Info, fmt::format("Authlist authentication {} for conn ssl {}",
                                        ok ? "succeeded" : "failed", ssl_id));
    if (!ok) {
      trace_.add(Level::Info, refusalTraceLine(peer, admission));
    }
  }
  trace_.add(Level::Debug, ok ? "Peer Validated against the AuthList"
                              : "Peer Not Validated against the AuthList");
  const std::string mac = admission.mac ? admission.mac->toString() : "(none)";
  if (ok) {
    spdlog::info("admission: MSE {} from {} admitted ({})", mac, peer, admission.reason);
  } else {
    spdlog::info("admission: MSE {} from {} refused ({}): {}", mac, peer,
                 verdictName(admission.verdict), admission.reason);
  }
}

asio::awaitable<void> Controller::runSession(Connection& conn, const HandshakeResult& handshake) {
  SSL* ssl = conn.ssl();
  auto channel = std::make_shared<session::FrameChannel>(conn.stream(), options_.channel);
  channel->addTotals(state_.totals());
  api::MseSessionStatus status;
  status.connection_id = conn.id();
  status.peer_ip = conn.remote().address().to_string();
  status.peer_port = conn.remote().port();
  status.mac = handshake.admission ? handshake.admission->mac : std::nullopt;
  status.tls_version = SSL_get_version(ssl);
  status.cipher = SSL_get_cipher_name(ssl);
  state_.addSession(status, channel->sharedCounters());
  conn.markRegistered();
  spdlog::info("conn {} ({}): TLS up ({}, {})", conn.id(), conn.peer(), status.tls_version,
               status.cipher);
  NmspServerSession session(channel, conn.id(), conn.peer(), options_, state_, trace_, *data_);
  conn.setSession(&session);
  data_->addSession(conn.id(), channel);
  struct Unset {  // the session dies with this frame, exception or not
    Connection& conn;
    DataPath& data;
    ~Unset() {
      data.removeSession(conn.id());  // its subscriptions and streams end with it
      conn.setSession(nullptr);
    }
  } unset{conn, *data_};
  co_await session.run();
}

}  // namespace nmsp::controller
