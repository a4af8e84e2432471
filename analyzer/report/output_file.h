// Writes a report file atomically: readers see the old file or the complete new one, never half.
#pragma once

#include <string>

namespace kmodlint {

// Throws InputError naming `path` when it cannot be written.
void write_file_atomically(const std::string& path, const std::string& contents);

}  // namespace kmodlint
