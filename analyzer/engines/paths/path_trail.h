// The branch decisions a walk made on its way to a point of a function: what a path-sensitive
// finding shows as its path notes ("assuming 'ret' is false"), like the Clang Static Analyzer's.
// A trail is shared with the paths it branched from, so copying one costs a pointer.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "facts/facts.h"
#include "report/finding.h"

namespace kmodlint {

class PathTrail {
 public:
  // This trail and one more decision, taken at `at`.
  PathTrail then(const SourceLocation& at, std::string decision) const;
  // The decisions taken after `start` (a trail this one grew from; an unrelated or empty start
  // gives every decision), at most the last `limit` of them, in path order.
  std::vector<FindingNote> since(const PathTrail& start, std::size_t limit = kMaxNotes) const;
  std::size_t length() const { return last_ ? last_->length : 0; }
  // This trail after taking successor `successor` of `block`: with the decision when the block
  // ends in a switch or in a two-way branch the author wrote (one with a spelling).
  PathTrail through(const BasicBlock& block, std::size_t successor) const;

  static constexpr std::size_t kMaxNotes = 12;

 private:
  struct Step {
    FindingNote note;
    std::shared_ptr<const Step> before;
    std::size_t length = 0;
  };
  std::shared_ptr<const Step> last_;
};

// "assuming 'IS_ERR(cls)' is false": the decision of taking successor `successor` of a two-way
// branch on `condition`.
std::string branch_decision(const BranchCondition& condition, int successor);
// "assuming 'cmd' is 3", "assuming 'cmd' matches no case": the decision of taking edge `edge`.
std::string switch_decision(const SwitchCases& cases, std::size_t edge);

}  // namespace kmodlint
