// Baselines: record today's findings, then report only new ones. Entries are keyed on the check,
// the file, the enclosing function and the message with numbers taken out, never on line numbers,
// so edits elsewhere in a file do not invalidate them. See docs/baseline.md.
#pragma once

#include <string>
#include <vector>

#include "report/finding.h"

namespace kmodlint {

struct BaselineEntry {
  std::string check;
  std::string file;      // relative to the baseline file's directory
  std::string function;  // "" at file scope
  std::string message;   // normalized
  unsigned count = 1;    // identical findings (same key) in that file
};

// The directory entries' files are relative to: the baseline file's, symlinks resolved.
std::string baseline_directory(const std::string& path);

// The message with every run of digits replaced by '#' and blanks collapsed.
std::string normalize_message(const std::string& message);

// The baseline of `findings`, written to `path` (YAML for .yaml/.yml, JSON otherwise).
// Throws InputError when it cannot be written.
void write_baseline(const std::string& path, const std::vector<Finding>& findings);

// Throws InputError "path:line: ..." for a malformed file.
std::vector<BaselineEntry> read_baseline(const std::string& path);

struct BaselineResult {
  std::vector<Finding> new_findings;  // not in the baseline
  std::size_t known = 0;              // findings the baseline accounted for
  std::vector<BaselineEntry> stale;   // entries no finding matched any more (fixed)
};

// `baseline_dir`: the baseline file's directory (entries' files are relative to it).
BaselineResult apply_baseline(const std::vector<Finding>& findings, const std::vector<BaselineEntry>& entries,
                              const std::string& baseline_dir);

}  // namespace kmodlint
