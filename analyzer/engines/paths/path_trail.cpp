#include "engines/paths/path_trail.h"

#include <algorithm>

namespace kmodlint {

namespace {

constexpr std::size_t kMaxSpelling = 60;

std::string quoted(std::string text) {
  if (text.size() > kMaxSpelling) text = text.substr(0, kMaxSpelling - 3) + "...";
  return "'" + text + "'";
}

}  // namespace

PathTrail PathTrail::then(const SourceLocation& at, std::string decision) const {
  PathTrail next;
  next.last_ = std::make_shared<const Step>(Step{{at, std::move(decision)}, last_, length() + 1});
  return next;
}

PathTrail PathTrail::through(const BasicBlock& block, std::size_t successor) const {
  if (block.switch_cases) return then(block.switch_cases->location, switch_decision(*block.switch_cases, successor));
  if (block.condition && !block.condition->spelling.empty() && block.successors.size() == 2)
    return then(block.condition->location, branch_decision(*block.condition, static_cast<int>(successor)));
  return *this;
}

std::vector<FindingNote> PathTrail::since(const PathTrail& start, std::size_t limit) const {
  std::vector<FindingNote> notes;
  for (const Step* step = last_.get(); step && step != start.last_.get() && notes.size() < limit;
       step = step->before.get())
    notes.push_back(step->note);
  std::reverse(notes.begin(), notes.end());
  return notes;
}

std::string branch_decision(const BranchCondition& condition, int successor) {
  bool spelled_true = (successor == 0) != condition.spelling_negated;
  std::string spelling = condition.spelling.empty() ? condition.subject.text : condition.spelling;
  if (spelling.empty()) return successor == 0 ? "taking the true branch" : "taking the false branch";
  return "assuming " + quoted(spelling) + " is " + (spelled_true ? "true" : "false");
}

std::string switch_decision(const SwitchCases& cases, std::size_t edge) {
  std::string operand = cases.operand.text.empty() ? "the switched value" : quoted(cases.operand.text);
  if (edge >= cases.edges.size()) return "taking a case of the switch on " + operand;
  const SwitchEdge& e = cases.edges[edge];
  switch (e.kind) {
    case SwitchEdge::Kind::Case: return "assuming " + operand + " is " + std::to_string(e.value);
    case SwitchEdge::Kind::Default: return "assuming " + operand + " matches no case";
    case SwitchEdge::Kind::Other: break;
  }
  return "taking a case range of the switch on " + operand;
}

}  // namespace kmodlint
