// `nmsp cli --data-dir DIR [COMMAND...]`: sends operator commands to the daemon that owns DIR.
#include <iostream>
#include <string>
#include <vector>

#include "app/subcommands.h"
#include "shell/shell.h"

namespace nmsp::app {

void addCliCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string data_dir;
    std::vector<std::string> words;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cli = app.add_subcommand(
      "cli",
      "Run operator commands on the controller or MSE daemon that owns a data dir.\n"
      "With COMMAND, runs it (words may be abbreviated: sh nmsp st); without, runs each line\n"
      "of standard input on one session, so configure terminal ... end blocks work.\n"
      "Exit status: 0 all commands ok, 1 a command failed, 2 the daemon could not be reached.");
  cli->add_option("-d,--data-dir", options->data_dir, "The daemon's data directory")->required();
  cli->add_option("command", options->words,
                  "Command words, or one quoted string (use -- before words starting with -)");
  // Command words such as "show" or "?" are positionals, not subcommands of `nmsp`.
  cli->positionals_at_end(false);
  cli->callback([options, &exit_code] {
    exit_code = shell::runCli(options->data_dir, options->words, std::cin, std::cout, std::cerr);
  });
}

}  // namespace nmsp::app
