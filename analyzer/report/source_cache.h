// Reads source lines for report output (the caret line), each file once.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace kmodlint {

class SourceCache {
 public:
  // The 1-based line of `file`, without its newline; empty if unavailable.
  const std::string& line(const std::string& file, unsigned number);

 private:
  std::map<std::string, std::vector<std::string>> files_;
};

// `path` relative to `base` when it lies below it, else unchanged.
std::string relative_path(const std::string& path, const std::string& base);

}  // namespace kmodlint
