#pragma once
// Which role a data directory belongs to, from what is in it (before anything is written).

#include <filesystem>
#include <optional>
#include <string>

namespace nmsp::doctor {

enum class DataDirRole { Controller, Mse };

/// The role recorded by identity/cert.pem (subject OU "Controller" or "MSE"), else by the
/// role's own files (authlist.json / controller-settings.json / controller.port for a
/// controller, controllers.json / known_controllers.json for an MSE); nullopt: neither (empty
/// or not an nmsp data directory).
std::optional<DataDirRole> dataDirRole(const std::filesystem::path& dir);

std::string roleName(DataDirRole role);  // "controller", "MSE"

}  // namespace nmsp::doctor
