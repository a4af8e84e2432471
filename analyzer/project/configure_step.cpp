#include "project/configure_step.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace kmodlint {

namespace {

constexpr std::size_t kMaxEntries = 20000;  // a package tree, not a filesystem
constexpr int kMaxDepth = 8;

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

ConfigureStep find_configure_step(const std::string& root, const std::set<std::string>& headers) {
  ConfigureStep step;
  std::error_code error;
  fs::path top(root);
  if (fs::is_regular_file(top / "configure", error))
    step.command = "./configure";
  else if (fs::is_regular_file(top / "configure.ac", error) || fs::is_regular_file(top / "configure.in", error))
    step.command = "autoreconf && ./configure";
  if (step.command.empty()) return step;
  // Template names (X.h.in, X.h.in.in) -> the header file name they make.
  std::map<std::string, std::string> wanted;
  for (const std::string& header : headers) {
    std::string name = fs::path(header).filename().string();
    wanted[name + ".in"] = header;
    wanted[name + ".in.in"] = header;
  }
  std::size_t seen = 0;
  for (auto it = fs::recursive_directory_iterator(top, fs::directory_options::skip_permission_denied, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (++seen > kMaxEntries) break;
    if (it.depth() >= kMaxDepth) it.disable_recursion_pending();
    if (it->is_symlink(error)) {
      it.disable_recursion_pending();
      continue;
    }
    if (auto found = wanted.find(it->path().filename().string()); found != wanted.end()) {
      step.templates.try_emplace(found->second, it->path().string());  // the first one met
      if (step.templates.size() == headers.size()) break;
    }
  }
  return step;
}

}  // namespace kmodlint
