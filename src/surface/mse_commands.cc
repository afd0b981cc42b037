// The MSE's operator commands: its auth info, the controllers it connects to, traces, the
// device table (snapshots taken on the io thread, formatted here on the shell's thread).
#include <fmt/format.h>

#include "devices/device_views.h"
#include "proto/services.h"
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

namespace {

/// "default" or service names separated by spaces or commas; nullopt for the default.
Result<std::optional<uint64_t>, std::string> parseServices(const std::string& text) {
  if (text == "default") {
    return std::optional<uint64_t>{};
  }
  uint64_t mask = 0;
  std::string word;
  const auto take = [&]() -> Result<void, std::string> {
    if (word.empty()) {
      return {};
    }
    const auto service = proto::serviceFromName(word);
    if (!service) {
      return Unexpected{fmt::format("unknown service \"{}\" (service names: {})", word,
                                    proto::enumChoices<proto::Service>())};
    }
    mask |= proto::bit(*service);
    word.clear();
    return {};
  };
  for (const char c : text) {
    if (c == ' ' || c == ',') {
      if (auto ok = take(); !ok) {
        return Unexpected{ok.error()};
      }
    } else {
      word += c;
    }
  }
  if (auto ok = take(); !ok) {
    return Unexpected{ok.error()};
  }
  return std::optional<uint64_t>{mask};
}

/// The device table's rows, and when the MSE locates, each row's location from the engine
/// (two snapshots of the io thread, one after the other).
Reply showDevices(api::MseControl& mse, api::LocationControl* location,
                  std::optional<proto::DeviceKind> kind) {
  auto summary = mse.devices(kind, devices::kShowDevicesLimit);
  if (!summary) {
    return failure(summary.error());
  }
  if (location != nullptr) {
    std::vector<MacAddress> macs;
    macs.reserve(summary->rows.size());
    for (const auto& row : summary->rows) {
      macs.push_back(row.mac);
    }
    auto located = location->engineLocations(macs);
    if (!located) {
      return failure(located.error());
    }
    summary->locating = located->locating;
    for (size_t i = 0; i < located->locations.size() && i < summary->rows.size(); ++i) {
      if (const auto& l = located->locations[i]) {
        summary->rows[i].location =
            devices::RowLocation{l->floor, l->x_m, l->y_m, l->uncertainty_m};
      }
    }
  }
  return Reply{devices::formatDevices(*summary)};
}

}  // namespace

void registerMseCommands(shell::CommandRegistry& registry, api::MseControl& mse,
                         api::LocationControl* location) {
  registry.describe(Mode::Exec, "show", "Show running system information");
  registry.describe(Mode::Exec, "config", "MSE configuration");
  registry.describe(Mode::Exec, "config controllers", "Controllers this MSE connects to");
  registry.add(Mode::Exec, "show server-auth-info",
               "MAC address and key hashes to put in the controllers' auth lists",
               [&mse](Session&, const Args&) { return Reply{serverAuthInfoView(mse.identity())}; });
  registry.add(Mode::Exec, "show controllers", "Controllers, their link status and last failure",
               [&mse](Session&, const Args&) { return Reply{controllersView(mse.controllers())}; });
  registry.add(
      Mode::Exec, "show controllers detail",
      "Controllers, and the services subscribed to and granted on each",
      [&mse](Session&, const Args&) { return Reply{controllersDetailView(mse.controllers())}; });
  registry.add(Mode::Exec, "config controllers services <host[:port]> <services...>",
               "Services to subscribe to on a controller (names, or default)",
               [&mse](Session&, const Args& args) {
                 auto address = parseControllerAddress(args[0]);
                 if (!address) {
                   return Reply::invalidArgument(0, address.error());
                 }
                 auto services = parseServices(args[1]);
                 if (!services) {
                   return Reply::invalidArgument(1, services.error());
                 }
                 auto set = mse.setControllerServices(
                     address->host,
                     address->port_given ? std::optional<uint16_t>(address->port) : std::nullopt,
                     *services);
                 return set ? Reply{} : failure(set.error());
               });
  registry.add(
      Mode::Exec, "show devices", "Devices reported by the controllers, merged",
      [&mse, location](Session&, const Args&) { return showDevices(mse, location, std::nullopt); });
  registry.add(Mode::Exec, "show devices <kind>",
               "Devices of one kind: client, rfid-tag, rogue-ap, rogue-client, interferer, ap",
               [&mse, location](Session&, const Args& args) {
                 const auto kind = proto::enumFromName<proto::DeviceKind>(args[0]);
                 if (!kind) {
                   return Reply::invalidArgument(
                       0, fmt::format("expected one of {}, not \"{}\"",
                                      proto::enumChoices<proto::DeviceKind>(), args[0]));
                 }
                 return showDevices(mse, location, *kind);
               });
  registry.add(
      Mode::Exec, "show device <mac>", "One device: RSSI per AP, info, statistics, last attachment",
      [&mse](Session&, const Args& args) {
        const auto mac = MacAddress::parse(args[0]);
        if (!mac) {
          return Reply::invalidArgument(0, fmt::format("not a MAC address: \"{}\"", args[0]));
        }
        auto detail = mse.device(*mac);
        if (!detail) {
          return failure(detail.error());
        }
        return *detail ? Reply{devices::formatDevice(**detail)}
                       : Reply::error(devices::formatUnknownDevice(*mac));
      });
  registry.add(Mode::Exec, "show recording",
               "The --record file and its counters (written, dropped, write errors)",
               [&mse](Session&, const Args&) { return Reply{recordingView(mse.recording())}; });
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
