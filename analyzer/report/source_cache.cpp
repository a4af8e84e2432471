#include "report/source_cache.h"

#include <fstream>

namespace kmodlint {

const std::string& SourceCache::line(const std::string& file, unsigned number) {
  static const std::string empty;
  auto found = files_.find(file);
  if (found == files_.end()) {
    std::vector<std::string> lines;
    std::ifstream in(file);
    std::string text;
    while (std::getline(in, text)) lines.push_back(text);
    found = files_.emplace(file, std::move(lines)).first;
  }
  if (number == 0 || number > found->second.size()) return empty;
  return found->second[number - 1];
}

std::string relative_path(const std::string& path, const std::string& base) {
  if (base.empty()) return path;
  std::string prefix = base.back() == '/' ? base : base + "/";
  if (path.compare(0, prefix.size(), prefix) == 0) return path.substr(prefix.size());
  return path;
}

}  // namespace kmodlint
