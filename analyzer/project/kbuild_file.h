// Reads a Kbuild file (or a Kbuild-style Makefile) literally, without running make:
// which objects make which module, the module's extra C flags, and its subdirectories.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace kmodlint {

struct KbuildModule {
  std::string name;                  // "foo" for foo.ko
  std::vector<std::string> objects;  // absolute .o paths
};

struct KbuildFile {
  std::string path;                 // the file read
  std::vector<KbuildModule> modules;
  std::vector<std::string> ccflags;  // ccflags-y, EXTRA_CFLAGS, subdir-ccflags-y, paths made absolute
  std::map<std::string, std::vector<std::string>> object_cflags;  // CFLAGS_foo.o
  std::vector<std::string> subdirs;  // absolute directories named as obj-m += dir/
  bool names_objects = false;        // mentions obj-m / obj-y / obj-$(...) at all
};

// The file Kbuild reads in `directory`: Kbuild, else Makefile; empty if neither exists.
std::string kbuild_file_in(const std::string& directory);

// Throws InputError if the file cannot be read.
KbuildFile parse_kbuild_file(const std::string& path);

// The logical lines of a Makefile or Kbuild file: continuation backslashes joined, comments
// removed (a recipe line keeps its leading tab).
std::vector<std::string> logical_lines(std::istream& in);

}  // namespace kmodlint
