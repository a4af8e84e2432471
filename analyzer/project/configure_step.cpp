#include "project/configure_step.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace kmodlint {

namespace {

constexpr std::size_t kMaxEntries = 20000;  // a package tree, not a filesystem
constexpr int kMaxDepth = 8;

std::string relative_to(const fs::path& path, const fs::path& root) {
  std::error_code error;
  fs::path relative = fs::relative(path, root, error);
  return error || relative.empty() ? path.string() : relative.string();
}

}  // namespace

std::string missing_header(const UnitFacts& unit) {
  static const std::string suffix = "' file not found";
  for (const ParseDiagnostic& error : unit.errors) {
    const std::string& m = error.message;
    if (m.size() > suffix.size() + 1 && m.front() == '\'' && m.ends_with(suffix))
      return m.substr(1, m.size() - suffix.size() - 1);
  }
  return {};
}

std::string configure_step(const std::string& root, const std::string& header) {
  std::error_code error;
  fs::path top(root);
  bool has_configure = fs::is_regular_file(top / "configure", error) ||
                       fs::is_regular_file(top / "configure.ac", error) ||
                       fs::is_regular_file(top / "configure.in", error);
  if (!has_configure) return {};
  std::string step = fs::is_regular_file(top / "configure", error) ? "./configure" : "autoreconf && ./configure";
  // The header's template, if the tree has one (src/config/afsconfig.h.in).
  std::string name = fs::path(header).filename().string();
  std::size_t seen = 0;
  for (auto it = fs::recursive_directory_iterator(top, fs::directory_options::skip_permission_denied, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (++seen > kMaxEntries) break;
    if (it.depth() >= kMaxDepth) it.disable_recursion_pending();
    if (it->is_symlink(error)) {
      it.disable_recursion_pending();
      continue;
    }
    std::string entry = it->path().filename().string();
    if (entry == name + ".in" || entry == name + ".in.in")
      return step + ", which makes " + name + " from " + relative_to(it->path(), top);
  }
  return step;
}

}  // namespace kmodlint
