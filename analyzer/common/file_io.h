// Reading files kmodlint does not control (tables, configurations, baselines, Module.symvers,
// Kbuild files, compilation databases): only regular files, and only up to a size limit, so a
// path to a device, a FIFO or a huge file is a clear error instead of a hang or a memory blow-up.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace kmodlint {

inline constexpr std::size_t kMaxTableBytes = 16u << 20;    // YAML tables, configurations, baselines, Kbuild, dkms.conf
inline constexpr std::size_t kMaxDataBytes = 256u << 20;    // Module.symvers, compile_commands.json

// The whole file. Throws InputError naming `path` when it is missing, unreadable, not a regular
// file (a device, FIFO, socket or directory) or larger than `max_bytes`; `what` names the kind of
// file in the message ("Module.symvers", "baseline", ...).
std::string read_regular_file(const std::string& path, std::size_t max_bytes, const std::string& what);

// The same, without throwing: nullopt and `why` set when the file cannot be read as above.
std::optional<std::string> try_read_regular_file(const std::string& path, std::size_t max_bytes, std::string& why);

}  // namespace kmodlint
