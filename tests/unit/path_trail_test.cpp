// Path notes: a trail keeps the decisions of one path in order, shares its past with the paths
// it branched from, and words each decision by the condition as written.
#include <gtest/gtest.h>

#include "engines/paths/path_trail.h"

namespace kmodlint {
namespace {

SourceLocation at(unsigned line) { return {"drv.c", line, 5}; }

std::vector<std::string> messages(const std::vector<FindingNote>& notes) {
  std::vector<std::string> out;
  for (const FindingNote& n : notes) out.push_back(std::to_string(n.location.line) + " " + n.message);
  return out;
}

TEST(PathTrail, KeepsDecisionsInPathOrderSinceAStart) {
  PathTrail start = PathTrail{}.then(at(3), "a");
  PathTrail left = start.then(at(7), "b").then(at(9), "c");
  PathTrail right = start.then(at(8), "d");
  EXPECT_EQ(messages(left.since(start)), (std::vector<std::string>{"7 b", "9 c"}));
  EXPECT_EQ(messages(right.since(start)), (std::vector<std::string>{"8 d"}));
  EXPECT_EQ(messages(left.since(PathTrail{})), (std::vector<std::string>{"3 a", "7 b", "9 c"}));
  EXPECT_EQ(left.length(), 3u);
  EXPECT_TRUE(start.since(start).empty());
}

TEST(PathTrail, KeepsOnlyTheLastDecisionsUpToTheLimit) {
  PathTrail trail;
  for (unsigned line = 1; line <= 20; ++line) trail = trail.then(at(line), "x");
  std::vector<FindingNote> notes = trail.since(PathTrail{}, 4);
  ASSERT_EQ(notes.size(), 4u);
  EXPECT_EQ(notes.front().location.line, 17u);
  EXPECT_EQ(notes.back().location.line, 20u);
}

TEST(PathTrail, WordsABranchByItsSpelling) {
  BranchCondition c;
  c.spelling = "IS_ERR(cls)";
  EXPECT_EQ(branch_decision(c, 0), "assuming 'IS_ERR(cls)' is true");
  EXPECT_EQ(branch_decision(c, 1), "assuming 'IS_ERR(cls)' is false");
  // `!(a && b)` tests b with the successors the other way round.
  c.spelling = "b";
  c.spelling_negated = true;
  EXPECT_EQ(branch_decision(c, 0), "assuming 'b' is false");
  c.spelling = std::string(80, 'x');
  EXPECT_EQ(branch_decision(c, 1), "assuming '" + std::string(57, 'x') + "...' is true");
}

TEST(PathTrail, WordsASwitchEdgeByItsCase) {
  SwitchCases cases;
  cases.operand.text = "cmd";
  cases.edges = {{SwitchEdge::Kind::Case, 3}, {SwitchEdge::Kind::Other, 0}, {SwitchEdge::Kind::Default, 0}};
  EXPECT_EQ(switch_decision(cases, 0), "assuming 'cmd' is 3");
  EXPECT_EQ(switch_decision(cases, 1), "taking a case range of the switch on 'cmd'");
  EXPECT_EQ(switch_decision(cases, 2), "assuming 'cmd' matches no case");
}

}  // namespace
}  // namespace kmodlint
