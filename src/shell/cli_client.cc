// `nmsp cli`: the client side of the shell socket (see shell_server.h for the wire protocol).
#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <iostream>
#include <istream>
#include <optional>
#include <ostream>

#include "shell/cli_connection.h"
#include "shell/interactive_cli.h"
#include "shell/shell.h"

namespace nmsp::shell {
namespace {

using detail::Connection;
using detail::describe;
using detail::error_code;

using detail::kMaxLineBytes;

std::string join(const std::vector<std::string>& words) {
  std::string line;
  for (const auto& word : words) {
    line += (line.empty() ? "" : " ") + word;
  }
  return line;
}

}  // namespace

int runCli(const std::filesystem::path& data_dir, const std::vector<std::string>& command,
           std::istream& in, std::ostream& out, std::ostream& err) {
  const auto path = socketPath(data_dir);
  Connection connection;
  error_code ec;
  try {
    ec = connection.connect(path.string());
  } catch (const boost::system::system_error& e) {  // e.g. a path too long for a socket
    ec = e.code();
  }
  if (ec) {
    err << fmt::format("no nmsp daemon is running with data dir {} ({}: {})\n", data_dir.string(),
                       path.string(), describe(ec));
    return 2;
  }
  int status = 0;
  auto send = [&](const std::string& line) {
    if (line.size() > kMaxLineBytes) {
      err << detail::lineTooLong();
      status = 1;
      return true;
    }
    auto reply = connection.roundTrip(line, ec);
    if (!reply) {
      err << fmt::format("lost the connection to the nmsp daemon ({}: {})\n", path.string(),
                         describe(ec));
      return false;
    }
    out << reply->text << std::flush;
    if (!reply->ok) {
      status = 1;
    }
    return true;
  };
  if (!command.empty()) {
    return send(join(command)) ? status : 2;
  }
  // On a terminal: the IOS-style interactive shell (prompt, editing, history, Tab, '?').
  if (&in == &std::cin && ::isatty(STDIN_FILENO) == 1) {
    return runInteractive(connection, path.string(), err);
  }
  std::string line;
  while (std::getline(in, line)) {
    if (!send(line)) {
      return 2;
    }
  }
  return status;
}

}  // namespace nmsp::shell
