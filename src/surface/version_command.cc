#include "surface/version_command.h"

#include <fmt/format.h>

namespace nmsp::surface {

std::string softwareVersion() {
  return NMSP_SOFTWARE_VERSION;
}

void registerVersionCommand(shell::CommandRegistry& registry, const std::string& role,
                            const std::string& host_name) {
  registry.add(shell::Mode::Exec, "show version", "Software version, role and host name",
               [role, host_name](shell::Session&, const std::vector<std::string>&) {
                 return shell::Reply{fmt::format(
                     "OpenNMSP Software (nmsp), Version {}\n"
                     "Role: {}\n"
                     "Host name: {}\n"
                     "Wire protocol: OpenNMSP version 1 (docs/protocol.md); it does not "
                     "interoperate with Cisco controllers or CMX\n",
                     softwareVersion(), role, host_name)};
               });
}

}  // namespace nmsp::surface
