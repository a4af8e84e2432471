// Inline suppressions: kmodlint-disable-line, -next-line, -file, and disable/enable ranges,
// read from the comments of the source files with a small lexer that skips strings.
// See docs/suppressions.md.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "report/finding.h"

namespace kmodlint {

struct SourceComment {
  unsigned line = 0;      // where the comment starts
  unsigned column = 0;
  unsigned end_line = 0;  // where it ends
  std::string text;       // without the // or /* */
};

// Every comment of a C source, in order; string and character literals are skipped.
std::vector<SourceComment> lex_comments(const std::string& source);

// One check id silenced over a range of lines of one file.
struct Suppression {
  enum class Kind { Line, NextLine, Range, File };
  Kind kind = Kind::Line;
  std::string check;  // a check id, or "*" for every check
  std::string file;
  unsigned comment_line = 0;
  unsigned comment_column = 0;
  unsigned first_line = 0;
  unsigned last_line = 0;
  bool used = false;

  std::string directive() const;  // "kmodlint-disable-line", ...
};

class Suppressions {
 public:
  // `known_checks`: ids a suppression may name (others are reported).
  explicit Suppressions(std::set<std::string> known_checks) : known_(std::move(known_checks)) {}

  // Reads `path`'s comments (once per path). `source` given: use it instead of reading the file.
  void add_file(const std::string& path);
  void add_source(const std::string& path, const std::string& source);

  // True when a suppression covers the finding; marks that suppression used.
  bool suppresses(const Finding& finding);

  // Malformed, unknown or unmatched suppressions; with `report_unused`, also those that
  // silenced nothing among the checks in `checks_that_ran` (as suppression-problem findings).
  std::vector<Finding> problems(bool report_unused, const std::set<std::string>& checks_that_ran) const;

  const std::vector<Suppression>& all() const { return suppressions_; }

 private:
  void problem(const std::string& file, const SourceComment& comment, const std::string& message);

  std::set<std::string> known_;
  std::set<std::string> files_;
  std::vector<Suppression> suppressions_;
  std::vector<Finding> problems_;
};

}  // namespace kmodlint
