// Where kmodlint may read in safe mode (--no-make): the trees it was asked to lint, the kernel
// directory, Clang's builtin headers and kmodlint's own data (docs/security.md). Trusted roots
// (everything but the linted trees) are compared as written; a path in a linted tree is compared
// by its real path, so a symbolic link in the repository cannot lead out of it.
#pragma once

#include <string>
#include <vector>

namespace kmodlint {

class ReadPolicy {
 public:
  // No restriction: normal mode.
  ReadPolicy() = default;

  // Safe mode: only under these roots. `linted`: the repository trees; `trusted`: the kernel
  // directory and kmodlint's own directories.
  static ReadPolicy confined(const std::vector<std::string>& linted, const std::vector<std::string>& trusted);

  void add_linted_root(const std::string& dir);
  void add_trusted_root(const std::string& dir);

  bool restricted() const { return restricted_; }
  // True when kmodlint may read `path` (absolute, or relative to the current directory).
  bool allows(const std::string& path) const;
  // True when `path` sits in a linted tree but its real path leads out of every root (a symbolic
  // link in the repository to a file elsewhere). Always false when unrestricted.
  bool links_out(const std::string& path) const;
  // The roots, for messages and tests.
  std::vector<std::string> roots() const;

 private:
  bool restricted_ = false;
  std::vector<std::string> linted_;   // real paths
  std::vector<std::string> trusted_;  // as written, and their real paths
};

// True when `path` is `dir` or lies below it (both absolute and normalised).
bool path_is_under(const std::string& path, const std::string& dir);

}  // namespace kmodlint
