// `nmsp cli --data-dir DIR [COMMAND...]`: sends operator commands to the daemon that owns DIR.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "app/subcommands.h"
#include "shell/shell.h"

namespace nmsp::app {
namespace {

constexpr const char* kDescription =
    "Run operator commands on the controller or MSE daemon that owns a data dir.\n"
    "With COMMAND, runs it (unique abbreviations, as on IOS: sh nmsp statu); without, runs\n"
    "each line of standard input on one session, so configure terminal ... end blocks work;\n"
    "on a terminal, an interactive shell (prompt, history, Tab completion, '?' help).\n"
    "Exit status: 0 all commands ok, 1 a command failed, 2 the daemon could not be reached\n"
    "or the command line was wrong (the reason goes to standard error).";

// The real parser of `nmsp cli`: the subcommand itself only collects its arguments, so that a
// usage error exits 2 as documented instead of with CLI11's own codes from main().
int parseAndRun(std::vector<std::string> args) {
  std::string data_dir;
  std::vector<std::string> words;
  CLI::App cli{kDescription, "nmsp cli"};
  cli.add_option("-d,--data-dir", data_dir, "The daemon's data directory")->required();
  cli.add_option("command", words,
                 "Command words, or one quoted string (use -- before words starting with -)");
  // Command words such as "show" or "?" are positionals wherever the options are.
  cli.positionals_at_end(false);
  std::reverse(args.begin(), args.end());  // CLI11 takes a vector last argument first
  try {
    cli.parse(args);
  } catch (const CLI::CallForHelp&) {
    std::cout << cli.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << "nmsp cli: " << e.what() << "\nRun with --help for more information.\n";
    return 2;
  }
  return shell::runCli(data_dir, words, std::cin, std::cout, std::cerr);
}

}  // namespace

void addCliCommand(CLI::App& app, int& exit_code) {
  CLI::App* cli = app.add_subcommand("cli", kDescription);
  cli->prefix_command();  // every argument after "cli" is left for parseAndRun()
  cli->set_help_flag();   // "--help" too, so that it lists the options of the real parser
  cli->callback([cli, &exit_code] { exit_code = parseAndRun(cli->remaining()); });
}

}  // namespace nmsp::app
