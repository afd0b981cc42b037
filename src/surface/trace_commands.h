#pragma once
// set trace nmsp connection level ..., show trace messages nmsp, clear trace messages nmsp
// (the same on both roles; internal to src/surface).

#include <functional>

#include "shell/shell.h"
#include "trace/trace_buffer.h"

namespace nmsp::surface {

void registerTraceCommands(shell::CommandRegistry& registry,
                           std::function<trace::TraceBuffer&()> buffer);

/// "% <why>\n" as an error reply (the failure of a command that was understood).
shell::Reply failure(const std::string& why);

}  // namespace nmsp::surface
