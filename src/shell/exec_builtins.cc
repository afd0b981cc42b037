// Exec commands every daemon has, the ones automation and IOS habits expect: terminal length,
// show clock, write memory.
#include <fmt/format.h>

#include <array>
#include <charconv>
#include <ctime>

#include "shell/shell.h"

namespace nmsp::shell {

std::string clockText(std::chrono::system_clock::time_point now) {
  static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed",
                                                    "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto seconds = std::chrono::floor<std::chrono::seconds>(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - seconds).count();
  const std::time_t t = std::chrono::system_clock::to_time_t(seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  // '*' as IOS prints it: the time is not NTP-authoritative as far as the shell knows.
  return fmt::format("*{:02}:{:02}:{:02}.{:03} UTC {} {} {} {}\n", tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ms, kDays[static_cast<size_t>(tm.tm_wday)],
                     kMonths[static_cast<size_t>(tm.tm_mon)], tm.tm_mday, tm.tm_year + 1900);
}

void addExecBuiltins(CommandRegistry& registry) {
  registry.describe(Mode::Exec, "terminal", "Set terminal line parameters");
  registry.add(Mode::Exec, "terminal length <0-512>",
               "Lines per screen (accepted for automation tools; output never pages)",
               [](Session&, const std::vector<std::string>& args) {
                 unsigned value = 0;
                 const auto& text = args[0];
                 const auto [end, ec] =
                     std::from_chars(text.data(), text.data() + text.size(), value);
                 if (ec != std::errc() || end != text.data() + text.size() || value > 512) {
                   return Reply::invalidArgument(0, "use 0 to 512");
                 }
                 return Reply{};
               });
  registry.add(Mode::Exec, "show clock", "Time of day (UTC)",
               [](Session&, const std::vector<std::string>&) {
                 return Reply{clockText(std::chrono::system_clock::now())};
               });
  registry.describe(Mode::Exec, "write", "Write running configuration to memory");
  registry.add(Mode::Exec, "write memory",
               "Save the configuration (already saved on every change; prints [OK])",
               [](Session&, const std::vector<std::string>&) { return Reply{"[OK]\n"}; });
}

}  // namespace nmsp::shell
