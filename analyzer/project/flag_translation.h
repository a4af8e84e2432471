// Translates a GCC command line printed by Kbuild into the Clang one kmodlint parses with.
#pragma once

#include <string>
#include <vector>

namespace kmodlint {

struct FlagTable {
  std::vector<std::string> drop;
  std::vector<std::string> drop_prefixes;
  std::vector<std::string> drop_with_argument;
  std::vector<std::string> path_arguments;
  std::vector<std::string> append;
};

FlagTable load_flag_table(const std::string& path);
const FlagTable& default_flag_table();  // rules/gcc-flags.yaml, loaded once

// `gcc_words`: the compiler and its arguments, source file included. Relative paths are resolved
// against `directory`. Returns the Clang argv ("clang" first, the source file last).
std::vector<std::string> translate_gcc_command(const std::vector<std::string>& gcc_words, const std::string& source_file,
                                               const std::string& directory, const FlagTable& table);

}  // namespace kmodlint
