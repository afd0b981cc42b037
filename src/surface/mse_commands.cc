// The MSE's operator commands: its auth info, the controllers it connects to, traces.
#include <fmt/format.h>

#include "surface/commands.h"
#include "surface/controller_address.h"
#include "surface/pasted_output.h"
#include "surface/trace_commands.h"
#include "surface/version_command.h"
#include "surface/views.h"

namespace nmsp::surface {

using shell::Mode;
using shell::Reply;
using shell::Session;
using Args = std::vector<std::string>;

void registerMseCommands(shell::CommandRegistry& registry, api::MseControl& mse) {
  registry.describe(Mode::Exec, "show", "Show running system information");
  registry.describe(Mode::Exec, "config", "MSE configuration");
  registry.describe(Mode::Exec, "config controllers", "Controllers this MSE connects to");
  registry.add(Mode::Exec, "show server-auth-info",
               "MAC address and key hashes to put in the controllers' auth lists",
               [&mse](Session&, const Args&) { return Reply{serverAuthInfoView(mse.identity())}; });
  registry.add(Mode::Exec, "show controllers", "Controllers, their link status and last failure",
               [&mse](Session&, const Args&) { return Reply{controllersView(mse.controllers())}; });
  registry.add(Mode::Exec, "config controllers add <host[:port]>",
               "Connect to a controller (port 16113 unless given; IPv6 as [address]:port)",
               [&mse](Session&, const Args& args) {
                 auto address = parseControllerAddress(args[0]);
                 if (!address) {
                   return Reply::invalidArgument(0, address.error());
                 }
                 auto added = mse.addController(address->host, address->port);
                 return added ? Reply{} : failure(added.error());
               });
  registry.add(Mode::Exec, "config controllers delete <host[:port]>",
               "Stop using a controller (without a port: the one on 16113, or the only one on the "
               "host)",
               [&mse](Session&, const Args& args) {
                 auto address = parseControllerAddress(args[0]);
                 if (!address) {
                   return Reply::invalidArgument(0, address.error());
                 }
                 auto deleted = mse.deleteController(
                     address->host,
                     address->port_given ? std::optional<uint16_t>(address->port) : std::nullopt);
                 return deleted ? Reply{} : failure(deleted.error());
               });
  registry.add(Mode::Exec, "config unauthenticated-nmsp <true|false>",
               "true: accept any controller certificate (no pinning)",
               [&mse](Session&, const Args& args) {
                 if (args[0] != "true" && args[0] != "false") {
                   return Reply::invalidArgument(
                       0, fmt::format("expected true or false, not \"{}\"", args[0]));
                 }
                 mse.setUnauthenticatedNmsp(args[0] == "true");
                 return Reply{};
               });
  registry.add(Mode::Exec, "show unauthenticated-nmsp",
               "Whether controller certificates are pinned", [&mse](Session&, const Args&) {
                 return Reply{fmt::format("Unauthenticated NMSP: {}\n",
                                          mse.unauthenticatedNmsp() ? "true" : "false")};
               });
  registerTraceCommands(registry, [&mse]() -> trace::TraceBuffer& { return mse.trace(); });
  registerWrongRoleHints(registry, Role::Mse);
  registerVersionCommand(registry, "MSE", mse.name());
  registry.setHostName(mse.name());
}

}  // namespace nmsp::surface
