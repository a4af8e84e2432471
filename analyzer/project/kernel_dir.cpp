#include "project/kernel_dir.h"

#include <sys/utsname.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

#include "common/error.h"

namespace kmodlint {

namespace fs = std::filesystem;

namespace {

bool is_kernel_build_dir(const fs::path& dir) {
  std::error_code error;
  return fs::is_regular_file(dir / "Makefile", error) &&
         (fs::is_regular_file(dir / "include/config/auto.conf", error) || fs::is_regular_file(dir / ".config", error));
}

std::string read_release(const fs::path& dir) {
  std::ifstream in(dir / "include/config/kernel.release");
  std::string release;
  std::getline(in, release);
  return release;
}

// Orders "6.1.0-9-amd64" before "6.1.0-56-amd64": numbers compare as numbers.
bool version_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t i_end = i, j_end = j;
      while (i_end < a.size() && std::isdigit(static_cast<unsigned char>(a[i_end]))) ++i_end;
      while (j_end < b.size() && std::isdigit(static_cast<unsigned char>(b[j_end]))) ++j_end;
      unsigned long long x = std::stoull(a.substr(i, i_end - i)), y = std::stoull(b.substr(j, j_end - j));
      if (x != y) return x < y;
      i = i_end;
      j = j_end;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

KernelDir describe(const fs::path& dir) {
  KernelDir result;
  result.path = dir.string();
  std::error_code error;
  result.real_path = fs::canonical(dir, error).string();
  if (error) result.real_path = result.path;
  result.release = read_release(dir);
  return result;
}

}  // namespace

KernelDir find_kernel_dir(const std::string& requested, const std::string& modules_root) {
  if (!requested.empty()) {
    std::error_code error;
    if (!fs::is_directory(requested, error))
      throw InputError(requested, "no such kernel build directory; pass --kdir /lib/modules/<release>/build");
    if (!is_kernel_build_dir(requested))
      throw InputError(requested,
                       "not a kernel build directory (no Makefile and .config); pass --kdir /lib/modules/<release>/build");
    return describe(requested);
  }
  utsname names{};
  std::string running = uname(&names) == 0 ? names.release : "";
  fs::path own = fs::path(modules_root) / running / "build";
  if (!running.empty() && is_kernel_build_dir(own)) return describe(own);

  std::vector<std::string> releases;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(modules_root, error))
    if (is_kernel_build_dir(entry.path() / "build")) releases.push_back(entry.path().filename().string());
  if (releases.empty())
    throw InputError("", "no kernel build directory in " + modules_root +
                             "/*/build; install the kernel headers (Debian: apt-get install linux-headers-amd64) "
                             "or pass --kdir DIR");
  std::sort(releases.begin(), releases.end(), version_less);
  KernelDir result = describe(fs::path(modules_root) / releases.back() / "build");
  result.note = "using kernel headers " + result.path + " (the running kernel " + running + " has none)";
  return result;
}

}  // namespace kmodlint
