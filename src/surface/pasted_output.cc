#include "surface/pasted_output.h"

#include <fmt/format.h>

#include <array>

namespace nmsp::surface {

using shell::Mode;
using shell::Reply;
using shell::Session;
using Args = std::vector<std::string>;

namespace {

constexpr const char* kPastedMac = "server-auth-info.mac";

Reply accept(Session&, const Args&) {
  return Reply{};
}

}  // namespace

void registerRunningConfigPaste(shell::CommandRegistry& registry) {
  for (const Mode mode : {Mode::Exec, Mode::Config}) {
    registry.addHidden(mode, "Building configuration...", [](Session& session, const Args&) {
      session.enter(Mode::Config);
      return Reply{};
    });
    registry.addHidden(mode, "Current configuration : <n> bytes", accept);
  }
}

void registerServerAuthInfoPaste(shell::CommandRegistry& registry) {
  // The header, as `show server-auth-info` prints it (and as Cisco's MSE does).
  registry.addHidden(Mode::Exec, "----------------", accept);
  registry.addHidden(Mode::Exec, "Server Auth Info", [](Session& session, const Args&) {
    session.forget(kPastedMac);
    return Reply{};
  });
  registry.addHidden(Mode::Exec, "MAC Address: <mac>", [](Session& session, const Args& args) {
    auto mac = authlist::parseMac(args[0]);
    if (!mac) {
      return Reply::invalidArgument(0, mac.error());
    }
    session.remember(kPastedMac, mac->toString());
    return Reply{};
  });
  registry.addHidden(Mode::Exec, "SHA1 Key Hash: <hash>", accept);
  registry.addHidden(Mode::Exec, "SHA2 Key Hash: <hash>", accept);
  registry.addHidden(Mode::Exec, "Certificate Type: <type>", [](Session& session, const Args&) {
    const std::string mac = session.recall(kPastedMac);
    return Reply{fmt::format(
        "% Pasted show server-auth-info of MSE {}: its header changes nothing here; its IOS-XE "
        "block (configure terminal ... end) admits the MSE, its AireOS lines are skipped\n",
        mac.empty() ? "(no MAC Address line)" : mac)};
  });
}

std::optional<Reply> skipPastedAireOsLine(Session& session, api::ControllerControl& controller,
                                          const MacAddress& mac, authlist::HashType type) {
  if (session.recall(kPastedMac) != mac.toString()) {
    return std::nullopt;
  }
  // The AireOS lines are the last ones of the output: the SHA1 line ends the paste.
  if (type == authlist::HashType::Sha1) {
    session.forget(kPastedMac);
  }
  bool admitted_by_ios_xe = false;
  for (const auto& entry : controller.authList()->entries()) {
    admitted_by_ios_xe = admitted_by_ios_xe || (entry.mac == mac && !entry.attribute_list.empty());
  }
  if (admitted_by_ios_xe) {
    return Reply{fmt::format(
        "% Skipped: AireOS form of the pasted show server-auth-info; the IOS-XE block above "
        "admits {}\n",
        mac.toString())};
  }
  return Reply::error(fmt::format(
      "% Not applied: AireOS line of a pasted show server-auth-info, and no IOS-XE username "
      "admits {}: paste its IOS-XE block (configure terminal ... end), or run this line on its "
      "own\n",
      mac.toString()));
}

void registerWrongRoleHints(shell::CommandRegistry& registry, Role role) {
  struct Hint {
    Mode mode;
    const char* keywords;
    const char* message;
  };
  constexpr const char* kAuthList = "% This is an MSE; auth-list commands are on the controller\n";
  constexpr const char* kPasteHere =
      "% This is an MSE; paste this output into the controller's shell (nmsp cli --data-dir "
      "<controller's dir>)\n";
  static constexpr std::array<Hint, 12> kOnTheMse{{
      {Mode::Exec, "config auth-list", kAuthList},
      {Mode::Exec, "show auth-list", kAuthList},
      {Mode::Exec, "show nmsp",
       "% This is an MSE; show nmsp commands are on the controller (here: show controllers)\n"},
      {Mode::Exec, "show running-config",
       "% This is an MSE; show running-config is on the controller\n"},
      {Mode::Exec, "Building configuration...", kPasteHere},
      {Mode::Exec, "Server Auth Info", kPasteHere},
      {Mode::Config, "username", kAuthList},
      {Mode::Config, "no username", kAuthList},
      {Mode::Config, "aaa", kAuthList},
      {Mode::Config, "no aaa", kAuthList},
      {Mode::Config, "nmsp", "% This is an MSE; nmsp server settings are on the controller\n"},
      {Mode::Config, "hostname",
       "% This is an MSE; its name is set when it starts (nmsp mse --name)\n"},
  }};
  static constexpr std::array<Hint, 5> kOnTheController{{
      {Mode::Exec, "show server-auth-info",
       "% This is a controller; show server-auth-info is on the MSE\n"},
      {Mode::Exec, "config controllers",
       "% This is a controller; controller links are configured on the MSE\n"},
      {Mode::Exec, "show controllers",
       "% This is a controller; show controllers is on the MSE (here: show nmsp status)\n"},
      {Mode::Exec, "config unauthenticated-nmsp",
       "% This is a controller; certificate pinning is an MSE setting\n"},
      {Mode::Exec, "show unauthenticated-nmsp",
       "% This is a controller; certificate pinning is an MSE setting\n"},
  }};
  if (role == Role::Mse) {
    for (const auto& hint : kOnTheMse) {
      registry.addForeign(hint.mode, hint.keywords, hint.message);
    }
  } else {
    for (const auto& hint : kOnTheController) {
      registry.addForeign(hint.mode, hint.keywords, hint.message);
    }
  }
}

}  // namespace nmsp::surface
