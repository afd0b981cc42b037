// The controller's operator commands: NMSP status and statistics, the auth list in both
// dialects (AireOS exec commands, IOS-XE configuration), strong ciphers and traces.
#include <fmt/format.h>

#include <charconv>

#include "surface/commands.h"
#include "surface/pasted_output.h"
#include "surface/trace_commands.h"
#include "surface/version_command.h"
#include "surface/views.h"

namespace nmsp::surface {
namespace {

using authlist::HashType;
using shell::Mode;
using shell::Reply;
using shell::Session;
using Args = std::vector<std::string>;

constexpr const char* kCredentialDownload =
    "aaa authorization credential-download wcm_loc_serv_cert local";

Reply done(const Result<void, std::string>& result) {
  return result ? Reply{} : failure(result.error());
}

// `config auth-list delete` removes only the AireOS entry: say so when an IOS-XE username
// still admits the MAC ("" when none does).
std::string iosXeAdmissionNote(const authlist::AuthSnapshot& list, const MacAddress& mac) {
  for (const auto& entry : list.entries()) {
    if (entry.mac == mac && !entry.attribute_list.empty()) {
      const std::string user = mac.toCompactString();
      return fmt::format(
          "MAC {} is still admitted by IOS-XE \"username {}\"; remove it with \"no username {}\"",
          mac.toString(), user, user);
    }
  }
  return {};
}

// `attribute type password` on a list that several usernames share, or that had another hash:
// IOS accepts it, but the admission of every username on the list changes (walkthrough A1).
std::string passwordChangeWarning(const authlist::AuthSnapshot& list, const std::string& name,
                                  const std::string& new_hash) {
  const auto previous = list.listPassword(name).value_or("");
  const auto users = list.usernamesOf(name);
  if (previous == new_hash || users.empty()) {
    return {};
  }
  std::string names;
  for (const auto& mac : users) {
    names += (names.empty() ? "username " : ", username ") + mac.toCompactString();
  }
  if (!previous.empty()) {
    return fmt::format(
        "% Warning: attribute list {} had another key hash ({}); {} now admitted only with the "
        "new one\n",
        name, previous, users.size() == 1 ? names + " is" : names + " are");
  }
  if (users.size() > 1) {
    return fmt::format(
        "% Warning: attribute list {} is shared by {}: all of them are now admitted with this one "
        "key hash; give each MSE its own list (e.g. NMSP_<mac>)\n",
        name, names);
  }
  return {};
}

void registerShowCommands(shell::CommandRegistry& registry, api::ControllerControl& controller) {
  registry.describe(Mode::Exec, "show", "Show running system information");
  registry.describe(Mode::Exec, "show nmsp", "NMSP information");
  registry.describe(Mode::Exec, "show nmsp statistics", "NMSP counters");
  registry.describe(Mode::Exec, "show nmsp status", "Status of the MSE connections");
  registry.add(Mode::Exec, "show nmsp status", "Status of the MSE connections",
               [&controller](Session&, const Args&) {
                 return Reply{nmspStatusView(controller.sessions())};
               });
  registry.add(Mode::Exec, "show nmsp statistics summary", "Global NMSP and SSL counters",
               [&controller](Session&, const Args&) {
                 return Reply{statisticsSummaryView(controller.statistics())};
               });
  registry.add(Mode::Exec, "show nmsp statistics connection", "Counters of each MSE connection",
               [&controller](Session&, const Args&) {
                 return Reply{statisticsConnectionView(controller.sessions())};
               });
  registry.add(Mode::Exec, "show nmsp status detail",
               "Status of the MSE connections with each MSE's MAC, clock skew and name",
               [&controller](Session&, const Args&) {
                 return Reply{nmspStatusDetailView(controller.sessions())};
               });
  registry.add(Mode::Exec, "show nmsp admission",
               "Last admission decision per MSE MAC, with the key hashes it presented",
               [&controller](Session&, const Args&) {
                 return Reply{admissionView(controller.statistics().admissions)};
               });
  registry.add(Mode::Exec, "show nmsp capability", "Services this controller offers to MSEs",
               [&controller](Session&, const Args&) {
                 return Reply{capabilityView(controller.offeredServices())};
               });
  registry.describe(Mode::Exec, "show nmsp subscription", "MSE service subscriptions");
  registry.add(Mode::Exec, "show nmsp subscription summary",
               "Services each active MSE subscribed to", [&controller](Session&, const Args&) {
                 return Reply{subscriptionSummaryView(controller.sessions())};
               });
  registry.add(Mode::Exec, "show nmsp subscription detail",
               "Services each active MSE subscribed to, with their notification intervals",
               [&controller](Session&, const Args&) {
                 return Reply{subscriptionDetailView(controller.sessions())};
               });
  registry.describe(Mode::Exec, "show nmsp notification", "NMSP notification settings");
  registry.add(Mode::Exec, "show nmsp notification interval",
               "RSSI notification intervals and location RSSI settings",
               [&controller](Session&, const Args&) {
                 return Reply{notificationIntervalView(controller.aggregationSettings())};
               });
  registry.add(Mode::Exec, "show running-config", "NMSP-related running configuration",
               [&controller](Session&, const Args&) {
                 RunningConfig config;
                 config.hostname = controller.name();
                 config.strong_cipher = controller.strongCipher();
                 config.aggregation = controller.aggregationSettings();
                 const auto list = controller.authList();
                 config.auth_lines = list->runningConfigLines();
                 for (const auto& entry : list->entries()) {
                   if (entry.attribute_list.empty()) {
                     config.aireos_entries.push_back(entry);
                   }
                 }
                 return Reply{runningConfigView(config)};
               });
}

// AireOS: exec-mode "config auth-list ..." and "show auth-list".
void registerAireOsCommands(shell::CommandRegistry& registry, api::ControllerControl& controller) {
  registry.describe(Mode::Exec, "config", "AireOS-style configuration commands");
  registry.describe(Mode::Exec, "config auth-list", "MSE authorization list (AireOS)");
  registry.describe(Mode::Exec, "config auth-list add", "Admit an MSE by MAC and key hash");
  auto add = [&controller](HashType type) {
    return [&controller, type](Session& session, const Args& args) {
      auto mac = authlist::parseMseMac(args[0]);
      if (!mac) {
        return Reply::invalidArgument(0, mac.error());
      }
      if (auto skipped = skipPastedAireOsLine(session, controller, *mac, type)) {
        return *skipped;
      }
      auto hash = authlist::parseHash(args[1], type);
      if (!hash) {
        return Reply::invalidArgument(1, hash.error());
      }
      return done(controller.editAuthList(
          [type, mac = *mac, hash = hash->second](authlist::AuthList& list) {
            return list.addAireOs(type, mac, hash);
          }));
    };
  };
  registry.add(Mode::Exec, "config auth-list add sha1-lbs-ssc <mac> <sha1-key-hash>",
               "Admit an MSE by its SHA1 key hash (40 hex digits)", add(HashType::Sha1));
  registry.add(Mode::Exec, "config auth-list add sha256-lbs-ssc <mac> <sha2-key-hash>",
               "Admit an MSE by its SHA2 key hash (64 hex digits)", add(HashType::Sha256));
  registry.add(Mode::Exec, "config auth-list delete <mac>", "Remove an MSE's AireOS entry",
               [&controller](Session&, const Args& args) {
                 auto mac = authlist::parseMac(args[0]);
                 if (!mac) {
                   return Reply::invalidArgument(0, mac.error());
                 }
                 auto deleted = controller.editAuthList(
                     [mac = *mac](authlist::AuthList& list) { return list.deleteMac(mac); });
                 const std::string note = iosXeAdmissionNote(*controller.authList(), *mac);
                 if (!deleted) {
                   return failure(deleted.error() + (note.empty() ? "" : "; " + note));
                 }
                 return note.empty() ? Reply{} : Reply{"% " + note + "\n"};
               });
  registry.add(Mode::Exec, "show auth-list", "MSEs admitted by MAC address and key hash",
               [&controller](Session&, const Args&) {
                 return Reply{authListView(controller.authList()->entries())};
               });
}

// IOS-XE: configuration mode and the attribute-list sub-mode.
void registerIosXeCommands(shell::CommandRegistry& registry, api::ControllerControl& controller) {
  registry.describe(Mode::Config, "no", "Negate a command");
  registry.describe(Mode::Config, "aaa", "Authentication, authorization and accounting");
  registry.describe(Mode::Config, "aaa attribute", "Attribute lists");
  registry.describe(Mode::Config, "nmsp", "NMSP server settings");
  registry.describe(Mode::Config, "username", "Admit an MSE: its MAC address as user name");
  auto username = [&controller](Session&, const Args& args) {
    auto mac = authlist::parseMseMac(args[0]);
    if (!mac) {
      return Reply::invalidArgument(0, mac.error());
    }
    if (auto valid = authlist::validateListName(args[1]); !valid) {
      return Reply::invalidArgument(1, valid.error());
    }
    return done(controller.editAuthList([mac = *mac, name = args[1]](authlist::AuthList& list) {
      return list.setUsername(mac, name);
    }));
  };
  registry.add(Mode::Config, "username <mac> aaa attribute list <list-name>",
               "Admit the MSE with this MAC; its key hash is the list's password", username);
  // The 9800 form pushed by CMX carries a "mac" keyword.
  registry.add(Mode::Config, "username <mac> mac aaa attribute list <list-name>",
               "Admit the MSE with this MAC; its key hash is the list's password", username);
  registry.add(Mode::Config, "no username <mac>", "Remove an MSE's user name",
               [&controller](Session&, const Args& args) {
                 auto mac = authlist::parseMac(args[0]);
                 if (!mac) {
                   return Reply::invalidArgument(0, mac.error());
                 }
                 return done(controller.editAuthList(
                     [mac = *mac](authlist::AuthList& list) { return list.removeUsername(mac); }));
               });
  registry.add(Mode::Config, "aaa attribute list <list-name>",
               "Define an attribute list (enters its sub-mode)",
               [&controller](Session& session, const Args& args) {
                 if (auto valid = authlist::validateListName(args[0]); !valid) {
                   return Reply::invalidArgument(0, valid.error());
                 }
                 auto created = controller.editAuthList(
                     [name = args[0]](authlist::AuthList& list) { return list.createList(name); });
                 if (!created) {
                   return failure(created.error());
                 }
                 session.enter(Mode::ConfigAttrList, args[0]);
                 return Reply{};
               });
  registry.add(Mode::Config, "no aaa attribute list <list-name>", "Remove an attribute list",
               [&controller](Session&, const Args& args) {
                 return done(controller.editAuthList(
                     [name = args[0]](authlist::AuthList& list) { return list.removeList(name); }));
               });
  registry.describe(Mode::ConfigAttrList, "attribute", "Set an attribute of the list");
  registry.add(Mode::ConfigAttrList, "attribute type password <key-hash>",
               "The MSE's key hash (SHA2: 64 hex digits, or SHA1: 40)",
               [&controller](Session& session, const Args& args) {
                 auto hash = authlist::parseHash(args[0]);
                 if (!hash) {
                   return Reply::invalidArgument(0, hash.error());
                 }
                 const std::string warning =
                     passwordChangeWarning(*controller.authList(), session.context(), hash->second);
                 auto set = controller.editAuthList(
                     [name = session.context(), hash = args[0]](authlist::AuthList& list) {
                       return list.setListPassword(name, hash);
                     });
                 if (!set) {
                   return failure(set.error());
                 }
                 return Reply{warning};
               });
  registry.add(Mode::Config, kCredentialDownload,
               "Authorize MSEs from the local user names (needed for NMSP)",
               [&controller](Session&, const Args&) {
                 return done(controller.editAuthList([](authlist::AuthList& list) {
                   return list.configureCredentialDownload(true);
                 }));
               });
  registry.add(Mode::Config, std::string("no ") + kCredentialDownload,
               "Stop authorizing MSEs from local user names", [&controller](Session&, const Args&) {
                 return done(controller.editAuthList([](authlist::AuthList& list) {
                   return list.configureCredentialDownload(false);
                 }));
               });
  registry.add(
      Mode::Config, "nmsp strong-cipher", "Strong TLS cipher suites for new NMSP connections",
      [&controller](Session&, const Args&) { return done(controller.setStrongCipher(true)); });
  registry.add(
      Mode::Config, "no nmsp strong-cipher", "Default TLS cipher suites for new NMSP connections",
      [&controller](Session&, const Args&) { return done(controller.setStrongCipher(false)); });
  // Accepted so that a pasted running-config applies cleanly.
  registry.add(Mode::Config, "nmsp enable", "NMSP is always enabled while the daemon runs",
               [](Session&, const Args&) { return Reply{}; });
  registry.add(Mode::Config, "no nmsp enable", "Not supported: stop the daemon instead",
               [](Session&, const Args&) {
                 return failure("NMSP cannot be disabled at run time; stop the controller daemon");
               });
  registry.add(Mode::Config, "hostname <name>", "The host name (set when the daemon starts)",
               [&controller](Session&, const Args& args) {
                 if (args[0] == controller.name()) {
                   return Reply{};
                 }
                 return failure(fmt::format(
                     "the host name is \"{}\" and is set when the controller daemon starts",
                     controller.name()));
               });
}

// A whole number of `args[0]` in min..max; else the operator text.
Result<uint16_t, std::string> parseSetting(const std::string& word, const char* what, unsigned min,
                                           unsigned max, const char* unit) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (ec != std::errc() || end != word.data() + word.size() || value < min || value > max) {
    return Unexpected{
        fmt::format("{} must be a whole number of {} from {} to {}", what, unit, min, max)};
  }
  return static_cast<uint16_t>(value);
}

// IOS-XE: the aggregation settings (docs/data-path.md), persisted like strong-cipher.
void registerAggregationCommands(shell::CommandRegistry& registry,
                                 api::ControllerControl& controller) {
  using aggregate::AggregationSettings;
  // Applies `change` (false: the value is refused with `why`) to the settings in force.
  auto apply = [&controller](const std::function<void(AggregationSettings&)>& change) {
    AggregationSettings settings = controller.aggregationSettings();
    change(settings);
    return done(controller.setAggregationSettings(settings));
  };
  registry.describe(Mode::Config, "nmsp notification", "NMSP notification settings");
  registry.describe(Mode::Config, "nmsp notification interval", "Notification intervals");
  registry.describe(Mode::Config, "nmsp notification interval rssi",
                    "RSSI notification interval of a device class (seconds)");
  for (size_t i = 0; i < aggregate::kIntervalClassNames.size(); ++i) {
    const std::string name(aggregate::kIntervalClassNames[i]);
    registry.add(Mode::Config, "nmsp notification interval rssi " + name + " <seconds>",
                 fmt::format("RSSI notification interval of {} ({}..{} s, default {})", name,
                             aggregate::kMinIntervalS, aggregate::kMaxIntervalS,
                             aggregate::kDefaultRssiIntervalS),
                 [apply, i](Session&, const Args& args) {
                   auto value = parseSetting(args[0], "the interval", aggregate::kMinIntervalS,
                                             aggregate::kMaxIntervalS, "seconds");
                   if (!value) {
                     return Reply::invalidArgument(0, value.error());
                   }
                   return apply([&](AggregationSettings& s) { s.interval_s[i] = *value; });
                 });
    registry.add(Mode::Config, "no nmsp notification interval rssi " + name,
                 fmt::format("RSSI notification interval of {} back to {} s", name,
                             aggregate::kDefaultRssiIntervalS),
                 [apply, i](Session&, const Args&) {
                   return apply([&](AggregationSettings& s) {
                     s.interval_s[i] = AggregationSettings{}.interval_s[i];
                   });
                 });
  }
  registry.describe(Mode::Config, "location", "Location settings of the controller's store");
  registry.describe(Mode::Config, "no nmsp notification", "Notification settings to defaults");
  registry.describe(Mode::Config, "no nmsp notification interval", "Intervals to defaults");
  registry.describe(Mode::Config, "no nmsp notification interval rssi",
                    "RSSI notification interval of a class back to its default");
  registry.describe(Mode::Config, "no location", "Location settings to defaults");
  registry.describe(Mode::Config, "no location rssi-half-life", "Half-life back to 0");
  registry.describe(Mode::Config, "no location expiry", "Expiry back to 15 s");
  registry.describe(Mode::Config, "no location notify-threshold", "Threshold back to 0 dB");
  registry.describe(Mode::Config, "location rssi-half-life",
                    "RSSI averaging half-life of a device class (seconds; 0: no averaging)");
  registry.describe(Mode::Config, "location expiry",
                    "How long an RSSI report stays in the store (seconds)");
  registry.describe(Mode::Config, "location notify-threshold",
                    "Smallest RSSI change (dB) notified for a device class (0: every report)");
  for (size_t i = 0; i < aggregate::kLocationClassNames.size(); ++i) {
    const std::string name(aggregate::kLocationClassNames[i]);
    registry.add(Mode::Config, "location rssi-half-life " + name + " <seconds>",
                 fmt::format("RSSI half-life of {}: 0, 1, 2, 5, 10, 20, 30, 60, 90, 120, 180 or "
                             "300 s (default 0)",
                             name),
                 [apply, i](Session&, const Args& args) {
                   auto value = parseSetting(args[0], "the half-life", 0, 300, "seconds");
                   if (!value || !aggregate::validHalfLife(*value)) {
                     return Reply::invalidArgument(
                         0,
                         "the half-life must be one of 0, 1, 2, 5, 10, 20, 30, 60, 90, 120, 180, "
                         "300 seconds");
                   }
                   return apply([&](AggregationSettings& s) { s.half_life_s[i] = *value; });
                 });
    registry.add(Mode::Config, "location expiry " + name + " <seconds>",
                 fmt::format("RSSI expiry of {} ({}..{} s, default 15)", name,
                             aggregate::kMinExpiryS, aggregate::kMaxExpiryS),
                 [apply, i](Session&, const Args& args) {
                   auto value = parseSetting(args[0], "the expiry", aggregate::kMinExpiryS,
                                             aggregate::kMaxExpiryS, "seconds");
                   if (!value) {
                     return Reply::invalidArgument(0, value.error());
                   }
                   return apply([&](AggregationSettings& s) { s.expiry_s[i] = *value; });
                 });
    registry.add(Mode::Config, "no location rssi-half-life " + name,
                 "RSSI half-life of " + name + " back to 0 (no averaging)",
                 [apply, i](Session&, const Args&) {
                   return apply([&](AggregationSettings& s) {
                     s.half_life_s[i] = AggregationSettings{}.half_life_s[i];
                   });
                 });
    registry.add(Mode::Config, "no location expiry " + name,
                 "RSSI expiry of " + name + " back to 15 s", [apply, i](Session&, const Args&) {
                   return apply([&](AggregationSettings& s) {
                     s.expiry_s[i] = AggregationSettings{}.expiry_s[i];
                   });
                 });
  }
  // notify-threshold names the rogue class `rogues` (IOS-XE), the others `rogue-aps`.
  constexpr std::array<const char*, 3> kThresholdNames = {"client", "tags", "rogues"};
  for (size_t i = 0; i < kThresholdNames.size(); ++i) {
    const std::string name(kThresholdNames[i]);
    registry.add(Mode::Config, "location notify-threshold " + name + " <db>",
                 fmt::format("Notify threshold of {} (0..{} dB, default 0)", name,
                             aggregate::kMaxNotifyThresholdDb),
                 [apply, i](Session&, const Args& args) {
                   auto value = parseSetting(args[0], "the threshold", 0,
                                             aggregate::kMaxNotifyThresholdDb, "dB");
                   if (!value) {
                     return Reply::invalidArgument(0, value.error());
                   }
                   return apply([&](AggregationSettings& s) {
                     s.notify_threshold_db[i] = static_cast<uint8_t>(*value);
                   });
                 });
    registry.add(Mode::Config, "no location notify-threshold " + name,
                 "Notify threshold of " + name + " back to 0 dB (every report)",
                 [apply, i](Session&, const Args&) {
                   return apply([&](AggregationSettings& s) {
                     s.notify_threshold_db[i] = AggregationSettings{}.notify_threshold_db[i];
                   });
                 });
  }
}

}  // namespace

void registerControllerCommands(shell::CommandRegistry& registry,
                                api::ControllerControl& controller) {
  registerShowCommands(registry, controller);
  registerAireOsCommands(registry, controller);
  registerIosXeCommands(registry, controller);
  registerAggregationCommands(registry, controller);
  registerTraceCommands(registry,
                        [&controller]() -> trace::TraceBuffer& { return controller.trace(); });
  registerRunningConfigPaste(registry);
  registerServerAuthInfoPaste(registry);
  registerWrongRoleHints(registry, Role::Controller);
  registerVersionCommand(registry, "controller", controller.name());
  registry.setHostName(controller.name());
}

}  // namespace nmsp::surface
