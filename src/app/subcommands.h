#pragma once
// Each subcommand of the one binary `nmsp` registers itself here. A subcommand's callback
// stores its process exit code in `exit_code`. Exceptions stop at this edge (main.cc).

#include <CLI/CLI.hpp>

namespace nmsp::app {

void addEncodeCommand(CLI::App& app, int& exit_code);      // src/app/encode_decode_command.cc
void addDecodeCommand(CLI::App& app, int& exit_code);      // src/app/encode_decode_command.cc
void addControllerCommand(CLI::App& app, int& exit_code);  // src/app/controller_command.cc
void addMseCommand(CLI::App& app, int& exit_code);         // src/app/mse_command.cc
void addCliCommand(CLI::App& app, int& exit_code);         // src/app/cli_command.cc
void addDemoCommand(CLI::App& app, int& exit_code);        // src/app/demo_command.cc
void addSimulateCommand(CLI::App& app, int& exit_code);    // src/app/simulate_command.cc
void addLocateCommand(CLI::App& app, int& exit_code);      // src/app/locate_command.cc
void addAccuracyCommand(CLI::App& app, int& exit_code);    // src/app/accuracy_command.cc
void addDoctorCommand(CLI::App& app, int& exit_code);      // src/app/doctor_command.cc

}  // namespace nmsp::app
