// Writes a report file: a regular file is replaced atomically (readers see the old file or the
// complete new one, never half) and keeps its mode; anything else the path names (a device such
// as /dev/null or /dev/stdout, a FIFO, or a symbolic link to one) is written to directly, never
// replaced.
#pragma once

#include <string>

namespace kmodlint {

// Throws InputError naming `path` when it cannot be written.
void write_file_atomically(const std::string& path, const std::string& contents);

}  // namespace kmodlint
