// Parse failures that a configure step explains: a module tree with a configure script whose
// files fail on a missing header (openafs's afsconfig.h, ipt-netflow's compat_def.h) needs that
// step before it can be built, or linted. kmodlint says so in one line instead of one parse
// failure per file.
#pragma once

#include <map>
#include <set>
#include <string>

#include "facts/facts.h"

namespace kmodlint {

// The header the unit's parse failed to find first ("afsconfig.h"), or "".
std::string missing_header(const UnitFacts& unit);

struct ConfigureStep {
  std::string command;  // "./configure" (or "autoreconf && ./configure"); empty: the tree has none
  std::map<std::string, std::string> templates;  // a missing header -> the path of its X.h.in
};

// How the tree at `root` sets up its build before make, with the templates of `headers` it has
// (src/config/afsconfig.h.in). Reads directory entries under `root` only, in one bounded walk,
// never a file's contents; no walk when the tree has no configure script.
ConfigureStep find_configure_step(const std::string& root, const std::set<std::string>& headers);

}  // namespace kmodlint
