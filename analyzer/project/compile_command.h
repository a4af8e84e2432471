// One translation unit to parse: the Clang command line kmodlint will use for it.
#pragma once

#include <string>
#include <vector>

namespace kmodlint {

struct CompileCommand {
  std::string file;       // absolute path of the .c file
  std::string directory;  // working directory the arguments are relative to
  std::vector<std::string> arguments;  // full Clang argv, argv[0] included, file last
  // Path prefixes of the kernel's own sources and headers: declarations under them belong
  // to the kernel, anything else outside the main file to the module's own headers.
  std::vector<std::string> kernel_roots;
  // Flags of the original command that the allowlist of rules/gcc-flags.yaml refused (-v says so).
  std::vector<std::string> refused_flags;
};

}  // namespace kmodlint
