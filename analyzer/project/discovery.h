// From the paths a user gives to the modules kmodlint lints and the Clang command of each unit.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "common/read_policy.h"
#include "project/compile_command.h"
#include "project/kernel_dir.h"

namespace kmodlint {

struct DiscoveryOptions {
  std::vector<std::string> paths;   // files or directories; empty means "."
  std::string kernel_dir;           // --kdir
  std::string compile_db;           // -p DIR or FILE
  bool no_make = false;             // never run the repository's own Makefiles
  unsigned jobs = 1;                // at most this many Kbuild dry runs at once
  // Safe mode's confinement of what is read (files and Kbuild files of the linted trees whose
  // real path leads elsewhere are skipped, with a remark). Unrestricted by default.
  const ReadPolicy* policy = nullptr;
};

struct ModuleSpec {
  std::string name;       // foo for foo.ko
  std::string directory;  // the module directory (what M= points at)
  std::string kbuild_file;  // where its composition comes from ("" for a single-file module)
  bool single_file = false;  // no Kbuild file names it: kmodlint guessed it (told once parsed)
  std::vector<CompileCommand> units;
};

struct Project {
  KernelDir kernel;
  std::vector<ModuleSpec> modules;
  std::set<std::string> report_only_files;  // non-empty: report findings in these files only
  std::vector<std::string> remarks;   // always shown (e.g. the kernel headers chosen)
  std::vector<std::string> verbose;   // shown with -v (skipped files and why)
  // Directories under the given paths that could not be read, and Kbuild files make could dry-run
  // only in part (what is missing is not linted): "PATH: reason". A run with any exits 2 unless
  // --exit-zero.
  std::vector<std::string> unreadable;
  // Where the kernel's headers and Kbuild live (the kernel directory, its real path, and the
  // include directories of its own compile command): trusted roots for safe mode's ReadPolicy.
  std::vector<std::string> kernel_trees;
};

// Throws InputError for bad paths, a missing kernel dir, Kbuild files make rejects, and
// malformed compilation databases.
Project discover_project(const DiscoveryOptions& options);

// The git work tree holding the directory `dir` (the nearest ancestor with a .git), else `dir`.
std::string enclosing_repository(const std::string& dir);

// The root of the tree holding `dir`: the nearest ancestor (or `dir` itself) with a .git or a
// dkms.conf (a repository, a DKMS package), else "" (marked_tree_root) or `dir` (tree_root).
// Only names are looked at.
std::string marked_tree_root(const std::string& dir);
std::string tree_root(const std::string& dir);

// The CompileCommand for one file: Clang argv from Kbuild's GCC words. Include directories outside
// module_dir and own_tree (where the module's own headers are) are kernel roots: declarations
// there are not the module's.
CompileCommand make_compile_command(const std::vector<std::string>& gcc_words, const std::string& file,
                                    const std::string& directory, const KernelDir& kernel,
                                    const std::string& module_dir, const std::string& own_tree = "");

}  // namespace kmodlint
