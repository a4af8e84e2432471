// Parse failures that a configure step explains: a module tree with a configure script whose
// files fail on a missing header (openafs's afsconfig.h, ipt-netflow's compat_def.h) needs that
// step before it can be built, or linted. kmodlint says so in one line instead of one parse
// failure per file.
#pragma once

#include <string>

#include "facts/facts.h"

namespace kmodlint {

// The header the unit's parse failed to find first ("afsconfig.h"), or "".
std::string missing_header(const UnitFacts& unit);

// How the tree at `root` sets up its build before make: "./configure" (with the template of
// `header` when the tree has one: "./configure, which makes src/config/afsconfig.h from
// src/config/afsconfig.h.in"), or "" when the tree has no configure script. Reads directory
// entries under `root` only (a bounded walk), never a file's contents.
std::string configure_step(const std::string& root, const std::string& header);

}  // namespace kmodlint
