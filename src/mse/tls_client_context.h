#pragma once
// The MSE's TLS client context: TLS 1.2 or 1.3, presents the MSE's self-signed certificate,
// and accepts whatever certificate the controller presents during the handshake: controllers
// use self-signed certificates too, so trust comes from pinning (PinStore) after it.

#include <boost/asio/ssl/context.hpp>
#include <string>

#include "common/result.h"
#include "identity/identity.h"

namespace nmsp::mse {

Result<boost::asio::ssl::context, std::string> makeClientTlsContext(
    const identity::Identity& identity);

}  // namespace nmsp::mse
