# Warnings are errors on our own code (third-party headers come in as SYSTEM).
add_library(nmsp_warnings INTERFACE)
target_compile_options(nmsp_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror
  -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
  -Wnull-dereference -Wimplicit-fallthrough -Wformat=2)
