#pragma once
// `nmsp doctor`: the checks an engineer runs on a tunnel that stays down, as values. A check is
// a name and a function; runInOrder() runs them in order and stops at the first failure (the
// rest are skipped), so the report names one cause and its fix. Pure: the checks that need the
// network get what they observed handed in (doctor/probe.h does the observing).

#include <functional>
#include <string>
#include <vector>

namespace nmsp::doctor {

enum class Outcome { Ok, Fail, Skip };

struct Check {
  std::string name;  // "name resolution"
  Outcome outcome = Outcome::Skip;
  std::string detail;  // what was found, one line
  std::string fix;     // for a failure: what to do, one sentence
};

inline Check ok(std::string detail) {
  return {{}, Outcome::Ok, std::move(detail), {}};
}
inline Check fail(std::string detail, std::string fix) {
  return {{}, Outcome::Fail, std::move(detail), std::move(fix)};
}
/// Not applicable here (counts as passed): says why.
inline Check skip(std::string why) {
  return {{}, Outcome::Skip, std::move(why), {}};
}

struct Step {
  std::string name;
  std::function<Check()> run;
};

struct Report {
  std::vector<Check> checks;
  /// True when no check failed.
  bool passed() const;
  /// 0 when passed, 1 otherwise (docs/operator-commands.md "Exit codes").
  int exitCode() const { return passed() ? 0 : 1; }
  /// One numbered line a check, "[ OK ]", "[FAIL]" or "[SKIP]", and the fix under a failure:
  ///   " 1. [ OK ] name resolution: wlc resolves to 10.0.0.5"
  ///   " 2. [FAIL] TCP reachability: connection refused by 10.0.0.5:16113"
  ///   "           fix: start the controller ..."
  std::string text() const;
};

/// Runs `steps` in order; after the first failure the later steps are not run and are reported
/// as "[SKIP] NAME: not checked (check N failed)".
Report runInOrder(const std::vector<Step>& steps);

}  // namespace nmsp::doctor
