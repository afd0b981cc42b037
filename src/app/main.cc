// nmsp: the one OpenNMSP binary. Subcommands: controller, mse, cli, encode, decode, demo,
// simulate.

// g++ 12 -O2 reports "potential null pointer dereference" inside std::string code inlined from
// CLI11 (a known false positive); silence only that warning, only here.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <exception>
#include <iostream>

#include "app/subcommands.h"

int main(int argc, char** argv) {
  CLI::App app{"OpenNMSP: an open implementation of Cisco's Network Mobility Services Protocol"};
  app.require_subcommand(1);
  int exit_code = 0;
  nmsp::app::addControllerCommand(app, exit_code);
  nmsp::app::addMseCommand(app, exit_code);
  nmsp::app::addCliCommand(app, exit_code);
  nmsp::app::addEncodeCommand(app, exit_code);
  nmsp::app::addDecodeCommand(app, exit_code);
  nmsp::app::addDemoCommand(app, exit_code);
  nmsp::app::addSimulateCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::cerr << "nmsp: " << e.what() << '\n';
    return 1;
  }
  return exit_code;
}
