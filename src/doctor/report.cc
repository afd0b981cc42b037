#include "doctor/report.h"

#include <fmt/format.h>

namespace nmsp::doctor {

bool Report::passed() const {
  for (const auto& c : checks) {
    if (c.outcome == Outcome::Fail) {
      return false;
    }
  }
  return true;
}

std::string Report::text() const {
  std::string out;
  const int width = checks.size() >= 10 ? 2 : 1;
  for (size_t i = 0; i < checks.size(); ++i) {
    const auto& c = checks[i];
    const char* tag = c.outcome == Outcome::Ok     ? "[ OK ]"
                      : c.outcome == Outcome::Fail ? "[FAIL]"
                                                   : "[SKIP]";
    out += fmt::format("{:>{}}. {} {}{}{}\n", i + 1, width, tag, c.name,
                       c.detail.empty() ? "" : ": ", c.detail);
    if (c.outcome == Outcome::Fail && !c.fix.empty()) {
      out += fmt::format("{:{}}fix: {}\n", "", width + 9, c.fix);
    }
  }
  out += passed() ? "All checks passed.\n" : "Stopped at the first failure.\n";
  return out;
}

Report runInOrder(const std::vector<Step>& steps) {
  Report report;
  size_t failed_at = 0;  // 1-based; 0: none yet
  for (size_t i = 0; i < steps.size(); ++i) {
    Check c;
    if (failed_at != 0) {
      c = skip(fmt::format("not checked (check {} failed)", failed_at));
    } else {
      c = steps[i].run();
      if (c.outcome == Outcome::Fail) {
        failed_at = i + 1;
      }
    }
    c.name = steps[i].name;
    report.checks.push_back(std::move(c));
  }
  return report;
}

}  // namespace nmsp::doctor
