// Translates a GCC command line printed by Kbuild into the Clang one kmodlint parses with.
#pragma once

#include <string>
#include <vector>

namespace kmodlint {

// What may reach Clang at all, whoever wrote the flag (docs/security.md): include paths, macros,
// -include, -std, and -f/-m options that cannot write or load anything. Everything else is
// dropped, so no flag from a repository makes Clang write a dependency, log or diagnostic file,
// load a plugin or print to standard output.
struct FlagAllowlist {
  std::vector<std::string> with_argument;       // kept together with the next word (-I dir)
  std::vector<std::string> exact;               // kept when written so (-nostdinc)
  std::vector<std::string> prefixes;            // kept when they start so (-D, -f, -m)
  std::vector<std::string> deny_prefixes;       // ...unless they start so (-fplugin, -Wp,)
  std::vector<std::string> drop_with_argument;  // dropped together with the next word (-MJ file)
};

struct FlagTable {
  std::vector<std::string> drop;
  std::vector<std::string> drop_prefixes;
  std::vector<std::string> drop_with_argument;
  std::vector<std::string> path_arguments;
  std::vector<std::string> append;
  FlagAllowlist allow;
};

FlagTable load_flag_table(const std::string& path);
const FlagTable& default_flag_table();  // rules/gcc-flags.yaml, loaded once

// `gcc_words`: the compiler and its arguments, source file included. Relative paths are resolved
// against `directory`. Returns the Clang argv ("clang" first, the source file last), holding only
// flags the table's allowlist admits; the others (each with its argument) go to `refused`.
std::vector<std::string> translate_gcc_command(const std::vector<std::string>& gcc_words, const std::string& source_file,
                                               const std::string& directory, const FlagTable& table,
                                               std::vector<std::string>* refused = nullptr);

}  // namespace kmodlint
