// Reading compile_commands.json (as Kbuild's scripts/clang-tools/gen_compile_commands.py writes it).
#pragma once

#include <string>
#include <vector>

namespace kmodlint {

struct CompileDbEntry {
  std::string file;       // absolute
  std::string directory;
  std::vector<std::string> words;  // compiler first
};

// Throws InputError naming the file on malformed JSON or entries.
std::vector<CompileDbEntry> read_compile_db(const std::string& path);

}  // namespace kmodlint
