#include "surface/trace_commands.h"

#include <fmt/format.h>

#include "surface/views.h"

namespace nmsp::surface {

using shell::Mode;
using shell::Reply;
using Args = std::vector<std::string>;

Reply failure(const std::string& why) {
  return Reply::error("% " + why + "\n");
}

void registerTraceCommands(shell::CommandRegistry& registry,
                           std::function<trace::TraceBuffer&()> buffer) {
  registry.describe(Mode::Exec, "set", "Set a run-time option");
  registry.describe(Mode::Exec, "set trace", "Trace settings");
  registry.describe(Mode::Exec, "set trace nmsp", "NMSP traces");
  registry.describe(Mode::Exec, "set trace nmsp connection", "NMSP connection traces");
  registry.describe(Mode::Exec, "show trace", "Trace messages and settings");
  registry.describe(Mode::Exec, "show trace messages", "Recorded trace messages");
  registry.describe(Mode::Exec, "show trace nmsp", "NMSP trace settings");
  registry.describe(Mode::Exec, "clear", "Reset functions");
  registry.describe(Mode::Exec, "clear trace", "Trace buffers");
  registry.describe(Mode::Exec, "clear trace messages", "Recorded trace messages");

  registry.add(Mode::Exec, "set trace nmsp connection level <debug|info|off>",
               "Trace NMSP connections at this level (off stops tracing)",
               [buffer](shell::Session&, const Args& args) {
                 const auto level = trace::parseLevel(args[0]);
                 if (!level) {
                   return Reply::invalidArgument(
                       0,
                       fmt::format("unknown trace level \"{}\": use debug, info or off", args[0]));
                 }
                 buffer().setLevel(*level);
                 return Reply{};
               });
  registry.add(Mode::Exec, "show trace nmsp connection level", "Current NMSP trace level",
               [buffer](shell::Session&, const Args&) {
                 return Reply{fmt::format("nmsp connection trace level: {}\n",
                                          trace::levelName(buffer().level()))};
               });
  registry.add(
      Mode::Exec, "show trace messages nmsp", "Recorded NMSP trace lines, oldest first",
      [buffer](shell::Session&, const Args&) { return Reply{traceView(buffer().report())}; });
  registry.add(Mode::Exec, "clear trace messages nmsp", "Discard the recorded NMSP trace lines",
               [buffer](shell::Session&, const Args&) {
                 buffer().clear();
                 return Reply{};
               });
}

}  // namespace nmsp::surface
