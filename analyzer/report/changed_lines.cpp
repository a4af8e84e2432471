#include "report/changed_lines.h"

#include <filesystem>
#include <sstream>

#include "common/error.h"
#include "common/subprocess.h"

namespace kmodlint {

namespace fs = std::filesystem;

ChangedLines parse_unified_diff(const std::string& diff, const std::string& repo_root) {
  ChangedLines changed;
  std::istringstream in(diff);
  std::string line, file;
  while (std::getline(in, line)) {
    if (line.rfind("+++ ", 0) == 0) {
      std::string path = line.substr(4);
      if (std::size_t tab = path.find('\t'); tab != std::string::npos) path.erase(tab);
      if (path == "/dev/null") {
        file.clear();
        continue;
      }
      if (path.size() >= 2 && path[0] == '"') path = path.substr(1, path.size() - 2);  // quoted names
      if (path.rfind("b/", 0) == 0) path.erase(0, 2);
      file = (fs::path(repo_root) / path).lexically_normal().string();
      changed[file];
    } else if (line.rfind("@@ ", 0) == 0 && !file.empty()) {
      // @@ -old[,count] +new[,count] @@
      std::size_t plus = line.find(" +");
      if (plus == std::string::npos) continue;
      unsigned start = 0, count = 1;
      std::size_t i = plus + 2;
      while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) start = start * 10 + (line[i++] - '0');
      if (i < line.size() && line[i] == ',') {
        count = 0;
        ++i;
        while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) count = count * 10 + (line[i++] - '0');
      }
      if (count > 0) changed[file].push_back({start, start + count - 1});
    }
  }
  return changed;
}

ChangedLines git_changed_lines(const std::string& revision, const std::string& directory) {
  ProcessResult top = run_process({"git", "rev-parse", "--show-toplevel"}, directory, 60);
  if (top.exit_code != 0)
    throw InputError(directory, "--diff-base needs a git repository, and this is not in one");
  std::string root = top.out.substr(0, top.out.find('\n'));
  ProcessResult verify = run_process({"git", "rev-parse", "--verify", "--quiet", revision + "^{commit}"}, root, 60);
  if (verify.exit_code != 0)
    throw InputError("", "--diff-base: '" + revision + "' is not a commit of the repository at " + root);
  ProcessResult diff = run_process(
      {"git", "-c", "core.quotepath=off", "diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames", revision, "--"},
      root, 300);
  if (diff.exit_code != 0) throw InputError("", "--diff-base: git diff " + revision + " failed: " + diff.err);
  return parse_unified_diff(diff.out, root);
}

bool is_changed(const ChangedLines& changed, const std::string& file, unsigned line) {
  auto found = changed.find(file);
  if (found == changed.end()) return false;
  for (const auto& [first, last] : found->second)
    if (line >= first && line <= last) return true;
  return false;
}

}  // namespace kmodlint
