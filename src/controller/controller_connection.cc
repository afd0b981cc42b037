// One accepted TCP connection: TLS handshake with admission and seed-style tracing, then the
// NMSP session. Every way out (timeout, refusal, peer error, stop) is traced, logged and counted.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "controller/admission.h"
#include "controller/controller.h"
#include "controller/nmsp_server_session.h"
#include "transport/handshake_observer.h"
#include "transport/tls_errors.h"

namespace nmsp::controller {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;
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

asio::awaitable<void> Controller::serveConnection(asio::ip::tcp::socket socket) {
  const uint32_t conn_id = next_conn_id_++;
  boost::system::error_code ignored;
  const auto remote = socket.remote_endpoint(ignored);
  const std::string peer = endpointText(remote);
  trace_.add(Level::Info, fmt::format("New NMSP Connection assigned {}", conn_id));

  auto& ctx = strong_cipher_.load() ? *strong_ctx_ : *default_ctx_;
  auto stream = std::make_shared<session::TlsStream>(std::move(socket), ctx);
  live_[conn_id] = stream;
  SSL* ssl = stream->native_handle();

  transport::HandshakeObserver observer;
  observer.conn_id = conn_id;
  observer.ssl_id = transport::sslId(ssl);
  observer.trace = &trace_;
  std::optional<Admission> admission;
  observer.admit = [&](X509* leaf) {
    const std::string& id = observer.ssl_id;
    admission = checkAdmission(leaf, admissionList(), now());
    const bool ok = admission->admitted();
    observer.refusal_x509_error = refusalX509Error(admission->verdict);
    state_.updateStats([&](auto& s) {
      ++s.verify_count;
      ++(ok ? s.verify_success : s.verify_fail);
      recordAdmission(s, *admission, peer);
      if (isValidityRefusal(admission->verdict)) {
        const bool early = admission->verdict == AdmissionVerdict::NotYetValid;
        ++(early ? s.cert_not_yet_valid : s.cert_expired);
        s.last_validity_refusal = refusalTraceLine(peer, *admission).substr(5);  // no "Peer "
      }
    });
    const bool time_problem = admission->verdict == AdmissionVerdict::Expired ||
                              admission->verdict == AdmissionVerdict::NotYetValid ||
                              admission->verdict == AdmissionVerdict::NoMac;
    if (time_problem) {
      trace_.add(Level::Debug, fmt::format("Peer certificate Validation failed for conn ssl {}: "
                                           "{}",
                                           id, admission->reason));
      trace_.add(Level::Info, refusalTraceLine(peer, *admission));
    } else {
      trace_.add(
          Level::Debug,
          fmt::format("Peer certificate Validation Done for conn ssl {}, calling authlist.", id));
      trace_.add(Level::Info, fmt::format("Authlist authentication {} for conn ssl {}",
                                          ok ? "succeeded" : "failed", id));
      if (!ok) {
        trace_.add(Level::Info, refusalTraceLine(peer, *admission));
      }
    }
    trace_.add(Level::Debug, ok ? "Peer Validated against the AuthList"
                                : "Peer Not Validated against the AuthList");
    const std::string mac = admission->mac ? admission->mac->toString() : "(none)";
    if (ok) {
      spdlog::info("admission: MSE {} from {} admitted ({})", mac, peer, admission->reason);
    } else {
      spdlog::info("admission: MSE {} from {} refused ({}): {}", mac, peer,
                   verdictName(admission->verdict), admission->reason);
    }
    return ok;
  };
  transport::attachObserver(ssl, &observer);
  trace_.add(Level::Debug,
             fmt::format("sslConnectionInit: SSL_new() conn ssl {}", observer.ssl_id));
  trace_.add(Level::Debug,
             fmt::format("sslConnectionInit: SSL_do_handshake for conn ssl {}, conn state: INIT, "
                         "SSL state: HANDSHAKE",
                         observer.ssl_id));

  asio::steady_timer timer(io_);
  timer.expires_after(options_.handshake_timeout);
  auto outcome = co_await (stream->async_handshake(asio::ssl::stream_base::server, kNoThrow) ||
                           timer.async_wait(kNoThrow));
  transport::attachObserver(ssl, nullptr);  // `observer` dies with this frame

  bool established = false;
  if (outcome.index() == 1) {
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
  } else if (auto [ec] = std::get<0>(outcome); ec) {
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
    established = true;
    state_.updateStats([](auto& s) {
      ++s.accept_success;
      ++s.connections_created;
    });
    trace_.add(Level::Debug,
               fmt::format("SSL_do_handshake() succeeded for conn ssl {}", observer.ssl_id));
    trace_.add(Level::Info, fmt::format("NMSP Connection successful! for conn {}", conn_id));
  }

  if (established && !stopping_) {
    api::MseSessionStatus status;
    status.connection_id = conn_id;
    status.peer_ip = remote.address().to_string();
    status.peer_port = remote.port();
    status.mac = admission ? admission->mac : std::nullopt;
    status.tls_version = SSL_get_version(ssl);
    status.cipher = SSL_get_cipher_name(ssl);
    state_.addSession(status);
    spdlog::info("conn {} ({}): TLS up ({}, {})", conn_id, peer, status.tls_version, status.cipher);
    auto channel = std::make_shared<session::FrameChannel>(stream, options_.channel);
    NmspServerSession session(channel, conn_id, peer, options_, state_, trace_);
    sessions_[conn_id] = &session;
    co_await session.run();
    sessions_.erase(conn_id);
    state_.closeSession(conn_id);
    state_.updateStats([](auto& s) { ++s.connections_closed; });
  } else {
    stream->lowest_layer().close(ignored);
  }
  trace_.add(Level::Info,
             fmt::format("freeing Nmsp conn ssl {}, conn id {}", observer.ssl_id, conn_id));
  live_.erase(conn_id);
  --open_connections_;
}

}  // namespace nmsp::controller
