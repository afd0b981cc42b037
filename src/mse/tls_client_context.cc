#include "mse/tls_client_context.h"

#include <fmt/format.h>
#include <openssl/ssl.h>

#include "transport/key_log.h"

namespace nmsp::mse {

Result<boost::asio::ssl::context, std::string> makeClientTlsContext(
    const identity::Identity& identity) {
  boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_client);
  SSL_CTX* native = ctx.native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) != 1) {
    return Unexpected{std::string("cannot restrict TLS to versions 1.2 and 1.3")};
  }
  boost::system::error_code ec;
  ctx.use_certificate(boost::asio::buffer(identity.cert_pem), boost::asio::ssl::context::pem, ec);
  if (ec) {
    return Unexpected{
        fmt::format("cannot use certificate {}: {}", identity.cert_path.string(), ec.message())};
  }
  ctx.use_private_key(boost::asio::buffer(identity.key_pem), boost::asio::ssl::context::pem, ec);
  if (ec) {
    return Unexpected{
        fmt::format("cannot use private key {}: {}", identity.key_path.string(), ec.message())};
  }
  // The chain of a self-signed controller certificate never verifies against a CA store; the
  // pin check after the handshake decides (or is skipped with unauthenticated-nmsp).
  SSL_CTX_set_verify(native, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
  transport::attachKeyLog(native);
  return ctx;
}

}  // namespace nmsp::mse
