#include "common/read_policy.h"

#include <algorithm>
#include <filesystem>

namespace kmodlint {

namespace fs = std::filesystem;

namespace {

std::string normal_absolute(const std::string& path) {
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  return (error ? fs::path(path) : absolute).lexically_normal().string();
}

std::string real_path(const std::string& path) {
  std::error_code error;
  fs::path real = fs::canonical(path, error);
  return error ? std::string() : real.string();
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

bool under_any(const std::string& path, const std::vector<std::string>& roots) {
  return std::any_of(roots.begin(), roots.end(), [&](const std::string& root) { return path_is_under(path, root); });
}

}  // namespace

bool path_is_under(const std::string& path, const std::string& dir) {
  if (dir.empty()) return false;
  if (dir == "/") return !path.empty() && path[0] == '/';
  std::string trimmed = dir.back() == '/' ? dir.substr(0, dir.size() - 1) : dir;
  return path == trimmed || (path.size() > trimmed.size() && path.compare(0, trimmed.size(), trimmed) == 0 &&
                             path[trimmed.size()] == '/');
}

ReadPolicy ReadPolicy::confined(const std::vector<std::string>& linted, const std::vector<std::string>& trusted) {
  ReadPolicy policy;
  policy.restricted_ = true;
  for (const std::string& dir : linted) policy.add_linted_root(dir);
  for (const std::string& dir : trusted) policy.add_trusted_root(dir);
  return policy;
}

void ReadPolicy::add_linted_root(const std::string& dir) { add_unique(linted_, real_path(dir)); }

void ReadPolicy::add_trusted_root(const std::string& dir) {
  add_unique(trusted_, normal_absolute(dir));
  add_unique(trusted_, real_path(dir));
}

bool ReadPolicy::allows(const std::string& path) const {
  if (!restricted_) return true;
  std::string written = normal_absolute(path);
  if (under_any(written, trusted_)) return true;
  std::string real = real_path(written);
  if (real.empty()) real = written;  // does not exist: nothing to read there, nothing to follow
  return under_any(real, linted_) || under_any(real, trusted_);
}

bool ReadPolicy::links_out(const std::string& path) const {
  if (!restricted_) return false;
  std::string directory = real_path(fs::path(normal_absolute(path)).parent_path().string());
  return !directory.empty() && under_any(directory, linted_) && !allows(path);
}

std::vector<std::string> ReadPolicy::roots() const {
  std::vector<std::string> all = linted_;
  all.insert(all.end(), trusted_.begin(), trusted_.end());
  return all;
}

}  // namespace kmodlint
