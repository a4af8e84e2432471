// --diff-base REV: the lines changed since a git revision, from `git diff -U0 REV` hunks.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kmodlint {

// Absolute file path -> changed (added or modified) line ranges of its new version, inclusive.
using ChangedLines = std::map<std::string, std::vector<std::pair<unsigned, unsigned>>>;

// Parses unified diff text; paths in "+++ b/path" lines are relative to `repo_root`.
ChangedLines parse_unified_diff(const std::string& diff, const std::string& repo_root);

// Runs git in `directory`'s repository. Throws InputError when it is not one or REV is unknown.
ChangedLines git_changed_lines(const std::string& revision, const std::string& directory);

bool is_changed(const ChangedLines& changed, const std::string& file, unsigned line);

}  // namespace kmodlint
