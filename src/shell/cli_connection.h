#pragma once
// One `nmsp cli` connection to a daemon's shell socket (protocol: shell_server.h); every
// operation has a deadline. Internal to the shell's client side.

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <chrono>
#include <optional>
#include <string>

#include "shell/shell.h"

namespace nmsp::shell::detail {

namespace asio = boost::asio;
using asio::local::stream_protocol;
using boost::system::error_code;

constexpr auto kConnectTimeout = std::chrono::seconds(5);
constexpr auto kReplyTimeout = std::chrono::seconds(60);
constexpr size_t kMaxReplyBytes = 64 << 20;
constexpr size_t kMaxLineBytes = 4095;  // the daemon's limit is 4096 with the '\n'
inline std::string lineTooLong() {
  return "% line longer than " + std::to_string(kMaxLineBytes) + " bytes, not sent\n";
}

/// "connection refused", "timed out": for messages to the operator.
inline std::string describe(const error_code& ec) {
  std::string text = ec == asio::error::timed_out ? "timed out" : ec.message();
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

// One connection to a daemon; every operation has a deadline.
class Connection {
 public:
  error_code connect(const std::string& path) {
    return run(kConnectTimeout, [&](auto done) {
      socket_.async_connect(stream_protocol::endpoint(path), [done](error_code ec) { done(ec); });
    });
  }

  /// Sends one line and reads its reply; nullopt (with `error` set) if the connection failed.
  std::optional<Reply> roundTrip(const std::string& line, error_code& error) {
    const std::string request = line + "\n";
    error = run(kReplyTimeout, [&](auto done) {
      asio::async_write(socket_, asio::buffer(request),
                        [done](error_code ec, size_t) { done(ec); });
    });
    if (error) {
      return std::nullopt;
    }
    // Reply text, then "\x1e<status>\n".
    size_t length = 0;
    error = run(kReplyTimeout, [&](auto done) {
      asio::async_read_until(socket_, asio::dynamic_buffer(buffer_, kMaxReplyBytes), EndOfReply{},
                             [done, &length](error_code ec, size_t n) {
                               length = n;
                               done(ec);
                             });
    });
    if (error) {
      return std::nullopt;
    }
    const size_t marker = length - 3;
    Reply reply{buffer_.substr(0, marker), buffer_[marker + 1] == '0'};
    buffer_.erase(0, length);
    return reply;
  }

 private:
  // Matches "\x1e" + one status character + "\n" (the text itself never holds "\x1e").
  struct EndOfReply {
    using result_type = bool;  // marks this type as an Asio match condition
    template <class Iterator>
    std::pair<Iterator, bool> operator()(Iterator begin, Iterator end) const {
      for (Iterator it = begin; it != end; ++it) {
        if (*it != '\x1e') {
          continue;
        }
        Iterator status = it;
        if (++status == end) {
          return {it, false};
        }
        Iterator newline = status;
        if (++newline == end) {
          return {it, false};
        }
        return {++newline, true};
      }
      return {end, false};
    }
  };

  template <class Start>
  error_code run(std::chrono::seconds timeout, Start start) {
    std::optional<error_code> result;
    start([&result](error_code ec) { result = ec; });
    io_.restart();
    io_.run_for(timeout);
    if (!result) {
      error_code ignored;
      socket_.close(ignored);
      io_.restart();
      io_.run();
      return asio::error::timed_out;
    }
    return *result;
  }

  asio::io_context io_;
  stream_protocol::socket socket_{io_};
  std::string buffer_;
};

}  // namespace nmsp::shell::detail
