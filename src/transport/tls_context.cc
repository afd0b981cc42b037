#include "transport/tls_context.h"

#include <fmt/format.h>
#include <openssl/err.h>

#include <boost/asio/buffer.hpp>

#include "transport/handshake_observer.h"
#include "transport/key_log.h"

namespace nmsp::transport {
namespace ssl = boost::asio::ssl;

namespace {

std::string lastOpenSslError(std::string_view what) {
  std::array<char, 256> buf{};
  ERR_error_string_n(ERR_peek_last_error(), buf.data(), buf.size());
  ERR_clear_error();
  return fmt::format("{}: {}", what, buf.data());
}

Result<void, std::string> useIdentity(ssl::context& ctx, const identity::Identity& own) {
  boost::system::error_code ec;
  ctx.use_certificate(boost::asio::buffer(own.cert_pem), ssl::context::pem, ec);
  if (ec) {
    return Unexpected{fmt::format("loading {}: {}", own.cert_path.string(), ec.message())};
  }
  ctx.use_private_key(boost::asio::buffer(own.key_pem), ssl::context::pem, ec);
  if (ec) {
    return Unexpected{fmt::format("loading {}: {}", own.key_path.string(), ec.message())};
  }
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
    return Unexpected{lastOpenSslError("certificate and key do not match")};
  }
  return {};
}

}  // namespace

Result<SslContextPtr, std::string> makeServerContext(const identity::Identity& own,
                                                     CipherPolicy policy) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                  SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET);
  // No resumption: every connection presents its certificate and meets the auth list.
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(native, 0);
  const char* ciphers = policy == CipherPolicy::Strong ? kStrongCipherList : kDefaultCipherList;
  if (SSL_CTX_set_cipher_list(native, ciphers) != 1) {
    return Unexpected{lastOpenSslError(fmt::format("cipher list '{}'", ciphers))};
  }
  if (auto used = useIdentity(*ctx, own); !used) {
    return Unexpected{used.error()};
  }
  installObserverCallbacks(native);
  attachKeyLog(native);
  return ctx;
}

Result<SslContextPtr, std::string> makeClientContext(const identity::Identity* own,
                                                     const ClientTlsOptions& options) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, options.min_version);
  SSL_CTX_set_max_proto_version(native, options.max_version);
  if (!options.cipher_list.empty() &&
      SSL_CTX_set_cipher_list(native, options.cipher_list.c_str()) != 1) {
    return Unexpected{lastOpenSslError(fmt::format("cipher list '{}'", options.cipher_list))};
  }
  if (!options.ciphersuites.empty() &&
      SSL_CTX_set_ciphersuites(native, options.ciphersuites.c_str()) != 1) {
    return Unexpected{lastOpenSslError(fmt::format("ciphersuites '{}'", options.ciphersuites))};
  }
  ctx->set_verify_mode(ssl::verify_none);
  if (own != nullptr) {
    if (auto used = useIdentity(*ctx, *own); !used) {
      return Unexpected{used.error()};
    }
  }
  attachKeyLog(native);
  return ctx;
}

}  // namespace nmsp::transport
