// Turns Clang expressions into the plain ValueRef / BranchCondition summaries of the fact model.
#pragma once

#include <string>
#include <unordered_map>

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "facts/facts.h"

namespace kmodlint::frontend {

class ValueSummarizer {
 public:
  explicit ValueSummarizer(clang::ASTContext& context) : context_(context) {}

  // Calls already turned into events, so that a call's result can be named by its index.
  void remember_call(const clang::CallExpr* call, int index) { call_indices_[call] = index; }
  void forget_calls() { call_indices_.clear(); }
  int call_index(const clang::CallExpr* call) const {
    auto found = call_indices_.find(call);
    return found == call_indices_.end() ? -1 : found->second;
  }

  ValueRef summarize(const clang::Expr* expr) const;
  // `negated`: the branch tests the opposite of `condition` (see FunctionExtractor::tested_here).
  BranchCondition summarize_condition(const clang::Expr* condition, bool negated = false) const;
  // `c ? 0 : 1` with integer constant arms, or a comparison or `!x` used as a value.
  std::optional<ChosenValue> summarize_choice(const clang::Expr* value) const;
  SourceLocation location(clang::SourceLocation loc) const;
  std::string spelling(const clang::Expr* expr) const;

  // Strips parentheses, implicit and explicit casts and __builtin_expect() wrappers.
  static const clang::Expr* strip(const clang::Expr* expr);

 private:
  bool summarize_condition_into(const clang::Expr* condition, BranchCondition& out) const;
  std::optional<BranchCondition::ConstantComparison> compared_with_constant(const clang::Expr* lhs,
                                                                            const clang::Expr* rhs, bool equal) const;
  ValueRef summarize_container_of(const clang::Expr& last) const;
  static const clang::Expr* statement_expression_test(const clang::StmtExpr& statement, bool& negated);

  clang::ASTContext& context_;
  std::unordered_map<const clang::CallExpr*, int> call_indices_;
};

std::string record_name(clang::QualType type);

}  // namespace kmodlint::frontend
