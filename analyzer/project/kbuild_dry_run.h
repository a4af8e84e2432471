// Asks Kbuild itself, without building, how it would compile a module directory:
// `make -B -n -C KDIR M=DIR DIR` prints every compiler command and each .mod object list.
#pragma once

#include <string>
#include <vector>

#include "project/kernel_dir.h"

namespace kmodlint {

struct DryRunCompile {
  std::string source_file;         // absolute .c path
  std::string directory;           // where make ran the command
  std::vector<std::string> words;  // compiler and arguments as the shell would pass them
};

struct DryRunModule {
  std::string name;                  // foo for foo.ko
  std::string directory;             // directory of foo.mod
  std::vector<std::string> objects;  // absolute .o paths
};

struct DryRun {
  std::vector<DryRunCompile> compiles;
  std::vector<DryRunModule> modules;
  // When make failed on part of the directory (an object whose generated source it cannot
  // make) but dry-ran the rest: its first error line. The rest is linted; kmodlint says so.
  std::string partial_failure;
};

// Parses captured `make -n` output (exposed for tests).
DryRun parse_dry_run_output(const std::string& output, const std::string& initial_directory);

// Runs the dry run (make -k: one object make cannot make does not hide the others). Throws
// InputError naming the Kbuild file when make fails and dry-ran no module.
DryRun kbuild_dry_run(const KernelDir& kernel, const std::string& module_dir,
                      const std::vector<std::string>& make_variables = {});

// The compiler command Kbuild uses for a module object in `kernel`, for a stand-in source file:
// the flags kmodlint gives files that no Kbuild file of their own describes. Cached per kernel.
DryRunCompile kernel_compile_template(const KernelDir& kernel);

// `template_command` adapted to `source_file` of module `module_name`, with `extra_flags`.
std::vector<std::string> instantiate_template(const DryRunCompile& template_command, const std::string& source_file,
                                              const std::string& module_name, const std::vector<std::string>& extra_flags);

}  // namespace kmodlint
