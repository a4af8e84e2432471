// Finding and validating the kernel build directory (what Kbuild's -C points at).
#pragma once

#include <string>

namespace kmodlint {

struct KernelDir {
  std::string path;     // as the user gave it or as found, e.g. /lib/modules/6.1.0-56-amd64/build
  std::string real_path;  // symlinks resolved
  std::string release;  // e.g. 6.1.0-56-amd64, from include/config/kernel.release
  std::string note;     // set when the directory was not the obvious one (uname -r differs)
};

// `requested` empty: /lib/modules/$(uname -r)/build, else the newest /lib/modules/*/build.
// Throws InputError when none exists or `requested` is not a kernel build directory.
KernelDir find_kernel_dir(const std::string& requested, const std::string& modules_root = "/lib/modules");

}  // namespace kmodlint
