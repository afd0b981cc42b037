#pragma once
// `nmsp cli` on a terminal: an IOS-style shell over the daemon's socket. libedit gives line
// editing and history; Tab completes keywords and '?' lists the next words at once (both asked
// of the daemon, whose command registry knows them); the prompt is the daemon's
// ("wlc#", "wlc(config)#").

#include <ostream>
#include <string>

#include "shell/cli_connection.h"

namespace nmsp::shell {

/// Reads lines from the terminal until end of file or "exit" in exec mode. Returns 0, or 2 if
/// the connection to the daemon was lost (the reason goes to `err`).
int runInteractive(detail::Connection& connection, const std::string& socket_path,
                   std::ostream& err);

}  // namespace nmsp::shell
