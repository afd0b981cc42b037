#pragma once
// `show version` on both roles and the version `nmsp --version` prints: one definition, the
// project version of CMakeLists.txt.

#include <string>

#include "shell/shell.h"

namespace nmsp::surface {

/// "0.1.0".
std::string softwareVersion();

/// show version: the software, its role, the host name and the wire protocol.
void registerVersionCommand(shell::CommandRegistry& registry, const std::string& role,
                            const std::string& host_name);

}  // namespace nmsp::surface
