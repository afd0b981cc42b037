#pragma once
// Show output pasted back into a shell (so that a saved configuration restores with one pipe)
// and commands typed on the wrong role. Registered by registerControllerCommands and
// registerMseCommands.

#include <optional>
#include <string>

#include "api/controller_control.h"
#include "authlist/auth_list.h"
#include "shell/shell.h"

namespace nmsp::surface {

/// `show running-config` as printed: "Building configuration..." enters configuration mode
/// (the lines that follow are configuration commands), "Current configuration : N bytes" is
/// accepted; '!' lines are comments and the final "end" returns to exec mode.
void registerRunningConfigPaste(shell::CommandRegistry& registry);

/// A whole `show server-auth-info` output pasted on the controller: its header lines (MAC,
/// key hashes, certificate type) are accepted and remembered, its IOS-XE block applies, and
/// its AireOS lines for the same MAC are skipped with the reason (see skipPastedAireOsLine).
void registerServerAuthInfoPaste(shell::CommandRegistry& registry);

/// For `config auth-list add`: when the line comes from a pasted show server-auth-info of this
/// MAC, the reply that skips it (and why); nullopt to run it.
std::optional<shell::Reply> skipPastedAireOsLine(shell::Session& session,
                                                 api::ControllerControl& controller,
                                                 const MacAddress& mac, authlist::HashType type);

enum class Role { Controller, Mse };

/// The other role's commands, answered with "% This is an MSE; auth-list commands are on the
/// controller" (or the reverse) instead of "% Invalid input detected".
void registerWrongRoleHints(shell::CommandRegistry& registry, Role role);

}  // namespace nmsp::surface
