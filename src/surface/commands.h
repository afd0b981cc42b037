#pragma once
// Registers the operator commands of each role on a shell registry.

#include "api/controller_control.h"
#include "api/location_control.h"
#include "api/mse_control.h"
#include "shell/shell.h"

namespace nmsp::surface {

/// show nmsp status|statistics summary|statistics connection, show auth-list,
/// show running-config, config auth-list ..., configure terminal + IOS-XE username/aaa lines,
/// nmsp strong-cipher, set trace nmsp connection level ..., show trace messages nmsp.
void registerControllerCommands(shell::CommandRegistry& registry,
                                api::ControllerControl& controller);

/// show server-auth-info, config controllers add|delete, show controllers,
/// config unauthenticated-nmsp true|false, set trace nmsp ..., show trace messages nmsp.
/// `location` (may be null: no location columns) gives `show devices` the engine's locations
/// when the MSE locates; it must outlive the registry.
void registerMseCommands(shell::CommandRegistry& registry, api::MseControl& mse,
                         api::LocationControl* location = nullptr);

}  // namespace nmsp::surface
