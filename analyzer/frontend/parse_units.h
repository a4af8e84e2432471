// Parses translation units with Clang, one at a time per worker, and returns their facts.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/read_policy.h"
#include "facts/facts.h"
#include "project/compile_command.h"

namespace kmodlint::frontend {

// The Clang resource directory kmodlint was built against (builtin headers).
const char* clang_resource_dir();

// The exact argv kmodlint hands Clang for `command` (argv[0] is the driver name).
std::vector<std::string> clang_arguments(const CompileCommand& command);

// One unit, on a thread of its own (see parse_units).
UnitFacts parse_unit(const CompileCommand& command, const ReadPolicy& policy = {});

// Called (from worker threads, one at a time) as each unit starts: its index and the file.
using ParseProgress = std::function<void(std::size_t index, const std::string& file)>;

// Results are in the order of `commands`, whatever `jobs` is. Each unit is parsed on a thread with
// a large stack, under crash recovery: a unit Clang crashes on comes back unparsed, with
// `crashed` set and an error saying so. `policy` confines what Clang may read (safe mode).
std::vector<UnitFacts> parse_units(const std::vector<CompileCommand>& commands, unsigned jobs,
                                   const ParseProgress& progress = {}, const ReadPolicy& policy = {});

}  // namespace kmodlint::frontend
