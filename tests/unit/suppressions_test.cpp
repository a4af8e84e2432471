#include <gtest/gtest.h>

#include "report/suppressions.h"

using namespace kmodlint;

namespace {

Finding at(const std::string& check, unsigned line) {
  Finding finding;
  finding.check_id = check;
  finding.location = {"/m/a.c", line, 1};
  return finding;
}

Suppressions load(const std::string& source) {
  Suppressions suppressions({"missing-module-exit", "missing-module-license", "suppression-problem"});
  suppressions.add_source("/m/a.c", source);
  return suppressions;
}

std::vector<std::string> problem_lines(const Suppressions& suppressions, bool unused = false) {
  std::vector<std::string> out;
  for (const Finding& finding : suppressions.problems(unused, {"missing-module-exit", "missing-module-license"}))
    out.push_back(std::to_string(finding.location.line) + ": " + finding.message);
  return out;
}

}  // namespace

TEST(Comments, LexerSkipsStringsAndCharacters) {
  auto comments = lex_comments(
      "char *s = \"/* not a comment */\"; // one\n"
      "char c = '\"'; /* two\n  lines */ int x; // three \\\n continued\n"
      "char *t = \"\\\" // still a string\";\n");
  ASSERT_EQ(comments.size(), 3u);
  EXPECT_EQ(comments[0].text, " one");
  EXPECT_EQ(comments[0].line, 1u);
  EXPECT_EQ(comments[1].line, 2u);
  EXPECT_EQ(comments[1].end_line, 3u);
  EXPECT_EQ(comments[2].line, 3u);
  EXPECT_EQ(comments[2].end_line, 4u);
}

TEST(Suppressions, EveryForm) {
  Suppressions s = load(
      "module_init(a); /* kmodlint-disable-line missing-module-exit */\n"       // 1
      "// kmodlint-disable-next-line missing-module-license, missing-module-exit\n"  // 2
      "module_init(b);\n"                                                        // 3
      "/* kmodlint-disable missing-module-exit -- legacy code */\n"              // 4
      "x;\n"                                                                     // 5
      "/* kmodlint-enable missing-module-exit */\n"                              // 6
      "y; // kmodlint-disable-line missing-module-license\n"                     // 7
      "z;\n");                                                                   // 8
  EXPECT_TRUE(s.suppresses(at("missing-module-exit", 1)));
  EXPECT_FALSE(s.suppresses(at("missing-module-license", 1)));
  EXPECT_TRUE(s.suppresses(at("missing-module-license", 3)));
  EXPECT_TRUE(s.suppresses(at("missing-module-exit", 3)));
  EXPECT_TRUE(s.suppresses(at("missing-module-exit", 5)));
  EXPECT_FALSE(s.suppresses(at("missing-module-exit", 7)));
  EXPECT_TRUE(s.suppresses(at("missing-module-license", 7)));
  EXPECT_FALSE(s.suppresses(at("missing-module-exit", 8)));
  EXPECT_TRUE(problem_lines(s).empty());
}

TEST(Suppressions, WholeFileAndWildcard) {
  Suppressions s = load("/* kmodlint-disable-file missing-module-license */\nint a;\nint b; // kmodlint-disable-line *\n");
  EXPECT_TRUE(s.suppresses(at("missing-module-license", 200)));
  EXPECT_FALSE(s.suppresses(at("missing-module-exit", 2)));
  EXPECT_TRUE(s.suppresses(at("missing-module-exit", 3)));
  Finding other = at("missing-module-license", 2);
  other.location.file = "/m/b.c";
  EXPECT_FALSE(s.suppresses(other));
}

TEST(Suppressions, CommentsInStringsDoNotCount) {
  Suppressions s = load("printk(\"/* kmodlint-disable-line missing-module-exit */\");\n");
  EXPECT_FALSE(s.suppresses(at("missing-module-exit", 1)));
}

TEST(Suppressions, ProblemsAreReported) {
  Suppressions s = load(
      "int a; // kmodlint-disable-line no-such-check\n"       // 1
      "/* kmodlint-enable missing-module-exit */\n"           // 2
      "/* kmodlint-disable missing-module-license */\n"       // 3
      "int b; // kmodlint-disable-line\n"                     // 4
      "int c; // kmodlint-disable-line missing-module-exit\n" // 5
      "/* kmodlint-expect: missing-module-exit */\n");        // 6: a fixture marker, not a suppression
  EXPECT_FALSE(s.suppresses(at("missing-module-license", 4)));  // an unmatched disable silences nothing
  EXPECT_EQ(problem_lines(s),
            (std::vector<std::string>{
                "1: kmodlint-disable-line names unknown check 'no-such-check'; kmodlint --list-checks lists them",
                "2: kmodlint-enable missing-module-exit has no kmodlint-disable missing-module-exit before it",
                "4: kmodlint-disable-line names no check; write the check ids it silences, e.g. kmodlint-disable-line "
                "missing-module-exit (or * for every check)",
                "3: kmodlint-disable missing-module-license has no matching kmodlint-enable missing-module-license and "
                "silences nothing; close the range, or use kmodlint-disable-file missing-module-license for the whole file",
            }));
  std::vector<std::string> with_unused = problem_lines(s, true);
  ASSERT_EQ(with_unused.size(), 5u);
  EXPECT_EQ(with_unused.back(), "5: kmodlint-disable-line missing-module-exit silences nothing here; remove it");
}
