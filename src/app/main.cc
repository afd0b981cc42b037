// nmsp: the one OpenNMSP binary. Subcommands: controller, mse, cli, encode, decode, demo,
// simulate, locate, accuracy.
//
// Exit status, the same for every subcommand (docs/operator-commands.md): 0 success, 1 the
// work failed, 2 a usage error (unknown subcommand or option, missing or invalid value; for
// `nmsp cli` also a daemon that cannot be reached).

// g++ 12 -O2 reports "potential null pointer dereference" inside std::string code inlined from
// CLI11 (a known false positive); silence only that warning, only here.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <algorithm>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "app/subcommands.h"
#include "surface/version_command.h"

namespace {

constexpr int kUsageError = 2;

// Levenshtein distance, for "did you mean" on a mistyped subcommand.
size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "nmsp contoller": names the subcommand meant instead of CLI11's "A subcommand is required".
bool reportUnknownSubcommand(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') {
    return false;
  }
  const std::string word = argv[1];
  std::string best;
  size_t best_distance = 3;  // suggest only close names
  std::string names;
  for (const auto* sub : app.get_subcommands({})) {
    const std::string& name = sub->get_name();
    if (name == word) {
      return false;
    }
    names += (names.empty() ? "" : ", ") + name;
    const size_t d = editDistance(word, name);
    if (d < best_distance || name.starts_with(word)) {
      best_distance = name.starts_with(word) ? 0 : d;
      best = name;
    }
  }
  std::cerr << "nmsp: unknown subcommand '" << word << "'";
  if (!best.empty()) {
    std::cerr << "; did you mean '" << best << "'?";
  }
  std::cerr << "\nSubcommands: " << names << ". Run nmsp --help for more information.\n";
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"OpenNMSP: an open implementation of Cisco's Network Mobility Services Protocol"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "nmsp " + nmsp::surface::softwareVersion());
  int exit_code = 0;
  nmsp::app::addControllerCommand(app, exit_code);
  nmsp::app::addMseCommand(app, exit_code);
  nmsp::app::addCliCommand(app, exit_code);
  nmsp::app::addEncodeCommand(app, exit_code);
  nmsp::app::addDecodeCommand(app, exit_code);
  nmsp::app::addDemoCommand(app, exit_code);
  nmsp::app::addSimulateCommand(app, exit_code);
  nmsp::app::addLocateCommand(app, exit_code);
  nmsp::app::addAccuracyCommand(app, exit_code);
  nmsp::app::addDoctorCommand(app, exit_code);
  if (reportUnknownSubcommand(app, argc, argv)) {
    return kUsageError;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every other parse error is a usage error (CLI11's own codes,
    // 105 to 115, are not part of our scheme).
    const int cli11_code = app.exit(e);
    return cli11_code == 0 ? 0 : kUsageError;
  } catch (const std::exception& e) {
    std::cerr << "nmsp: " << e.what() << '\n';
    return 1;
  }
  return exit_code;
}
