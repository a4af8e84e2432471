#include "frontend/value_summary.h"

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

namespace kmodlint::frontend {

using namespace clang;

namespace {

constexpr std::size_t kMaxSpelling = 96;

bool is_call_to(const CallExpr* call, llvm::StringRef name) {
  const FunctionDecl* callee = call->getDirectCallee();
  return callee && callee->getIdentifier() && callee->getName() == name;
}

BranchCondition::Test negate(BranchCondition::Test test) {
  using T = BranchCondition::Test;
  switch (test) {
    case T::NonZero: return T::Zero;
    case T::Zero: return T::NonZero;
    case T::Negative: return T::NonNegative;
    case T::NonNegative: return T::Negative;
    case T::BelowPositive: return T::AtLeastPositive;
    case T::AtLeastPositive: return T::BelowPositive;
    default: return T::Unknown;
  }
}

// `x < C`, `x <= C`, `x >= C`, `x > C` (or mirrored) with an integer constant C > 0: the tested
// value and whether the comparison says "below C".
std::optional<std::pair<const Expr*, BranchCondition::Test>> positive_bound(const Expr* lhs, const Expr* rhs,
                                                                             BinaryOperatorKind op,
                                                                             const ASTContext& context) {
  using T = BranchCondition::Test;
  auto positive = [&](const Expr* e) {
    Expr::EvalResult value;
    return !e->isValueDependent() && e->EvaluateAsInt(value, context) && value.Val.getInt().isStrictlyPositive();
  };
  if (!positive(rhs)) {
    if (!positive(lhs) || positive(rhs)) return std::nullopt;
    std::swap(lhs, rhs);
    op = BinaryOperator::reverseComparisonOp(op);
  }
  switch (op) {
    case BO_LT:
    case BO_LE: return std::make_pair(lhs, T::BelowPositive);
    case BO_GT:
    case BO_GE: return std::make_pair(lhs, T::AtLeastPositive);
    default: return std::nullopt;
  }
}

// `!c`: the opposite test of the same subject (IS_ERR keeps its test and flips `negated`).
void negate_condition(BranchCondition& condition) {
  using T = BranchCondition::Test;
  if (condition.compared) condition.compared->equal = !condition.compared->equal;
  if (condition.test == T::IsErr || condition.test == T::IsErrOrNull)
    condition.negated = !condition.negated;
  else
    condition.test = negate(condition.test);
}

}  // namespace

std::string record_name(QualType type) {
  if (const auto* pointer = type->getAs<PointerType>()) type = pointer->getPointeeType();
  if (const RecordDecl* record = type->getAsRecordDecl()) {
    if (record->getIdentifier()) return record->getName().str();
    if (const TypedefNameDecl* typedef_decl = record->getTypedefNameForAnonDecl())
      return typedef_decl->getName().str();
  }
  return {};
}

const Expr* ValueSummarizer::strip(const Expr* expr) {
  while (expr) {
    expr = expr->IgnoreParenImpCasts();
    if (const auto* cast = dyn_cast<ExplicitCastExpr>(expr)) {
      expr = cast->getSubExpr();
      continue;
    }
    // `(d = pci_get_device(..., d)) != NULL`: the value of an assignment is what it assigned to.
    if (const auto* assign = dyn_cast<BinaryOperator>(expr); assign && assign->getOpcode() == BO_Assign) {
      expr = assign->getLHS();
      continue;
    }
    if (const auto* call = dyn_cast<CallExpr>(expr)) {
      if (call->getBuiltinCallee() == Builtin::BI__builtin_expect && call->getNumArgs() > 0) {
        expr = call->getArg(0);
        continue;
      }
    }
    break;
  }
  return expr;
}

SourceLocation ValueSummarizer::location(clang::SourceLocation loc) const {
  const SourceManager& sm = context_.getSourceManager();
  if (loc.isInvalid()) return {};
  PresumedLoc presumed = sm.getPresumedLoc(sm.getExpansionLoc(loc));
  if (presumed.isInvalid()) return {};
  return {presumed.getFilename(), presumed.getLine(), presumed.getColumn()};
}

std::string ValueSummarizer::spelling(const Expr* expr) const {
  const SourceManager& sm = context_.getSourceManager();
  clang::SourceLocation begin = expr->getBeginLoc(), end = expr->getEndLoc();
  CharSourceRange range;
  if (begin.isMacroID() && end.isMacroID() && sm.isMacroArgExpansion(begin) && sm.isMacroArgExpansion(end) &&
      sm.getFileID(sm.getSpellingLoc(begin)) == sm.getFileID(sm.getSpellingLoc(end)))
    range = CharSourceRange::getTokenRange(sm.getSpellingLoc(begin), sm.getSpellingLoc(end));  // an argument of a macro
  else
    range = sm.getExpansionRange(expr->getSourceRange());
  std::string text = Lexer::getSourceText(range, sm, context_.getLangOpts()).str();
  for (char& c : text)
    if (c == '\n' || c == '\t') c = ' ';
  if (text.size() > kMaxSpelling) text = text.substr(0, kMaxSpelling - 3) + "...";
  return text;
}

ValueRef ValueSummarizer::summarize(const Expr* expr) const {
  ValueRef value;
  if (!expr) return value;
  const Expr* inner = strip(expr);
  value.text = spelling(expr);

  if (const auto* literal = dyn_cast<StringLiteral>(inner)) {
    value.kind = ValueRef::Kind::String;
    // The literal's bytes: the same name spelled through a macro or not compares equal.
    value.root = literal->getBytes().substr(0, kMaxSpelling).str();
    return value;
  }
  if (!inner->isValueDependent() && inner->getType()->isIntegralOrEnumerationType()) {
    Expr::EvalResult result;
    if (inner->EvaluateAsInt(result, context_)) {
      value.kind = ValueRef::Kind::IntConstant;
      value.int_value = result.Val.getInt().getExtValue();
      return value;
    }
  }
  if (const auto* ref = dyn_cast<DeclRefExpr>(inner)) {
    const ValueDecl* decl = ref->getDecl();
    value.root = decl->getName().str();
    if (isa<FunctionDecl>(decl)) {
      value.kind = ValueRef::Kind::Function;
    } else if (isa<ParmVarDecl>(decl)) {
      value.kind = ValueRef::Kind::Param;
    } else if (const auto* var = dyn_cast<VarDecl>(decl)) {
      value.kind = var->hasGlobalStorage() ? ValueRef::Kind::Global : ValueRef::Kind::Local;
    } else if (const auto* enumerator = dyn_cast<EnumConstantDecl>(decl)) {
      value.kind = ValueRef::Kind::IntConstant;
      value.int_value = enumerator->getInitVal().getExtValue();
    } else {
      value.kind = ValueRef::Kind::Other;
    }
    return value;
  }
  if (const auto* unary = dyn_cast<UnaryOperator>(inner)) {
    if (unary->getOpcode() == UO_AddrOf || unary->getOpcode() == UO_Deref) {
      ValueRef sub = summarize(unary->getSubExpr());
      if (sub.kind == ValueRef::Kind::Function) return sub;
      // *p of a pointer to an array is the array, which decays to p's own address.
      if (unary->getOpcode() == UO_Deref && unary->getType()->isArrayType()) {
        sub.text = value.text;
        return sub;
      }
      if (unary->getOpcode() == UO_AddrOf)
        sub.address_of = true;
      else if (sub.path.empty() && !sub.address_of)
        sub.dereferenced = true;
      else
        sub.path += "[]";
      sub.text = value.text;
      return sub;
    }
  }
  if (const auto* member = dyn_cast<MemberExpr>(inner)) {
    ValueRef base = summarize(member->getBase());
    if (base.kind == ValueRef::Kind::Local || base.kind == ValueRef::Kind::Param ||
        base.kind == ValueRef::Kind::Global) {
      if (base.address_of && member->isArrow()) {
        base.address_of = false;  // (&x)->f is x.f
        base.path += ".";
      } else {
        base.path += member->isArrow() ? "->" : ".";
      }
      base.path += member->getMemberDecl()->getName().str();
      base.record = record_name(member->getBase()->getType());
      base.field = member->getMemberDecl()->getName().str();
      base.text = value.text;
      return base;
    }
    value.kind = ValueRef::Kind::Other;
    value.record = record_name(member->getBase()->getType());
    value.field = member->getMemberDecl()->getName().str();
    return value;
  }
  // (unsigned long)spec | flags: a pointer with tag bits in its low bits, still the object.
  if (const auto* tagged = dyn_cast<BinaryOperator>(inner); tagged && tagged->getOpcode() == BO_Or) {
    for (const Expr* side : {tagged->getLHS(), tagged->getRHS()})
      if (side->IgnoreParenCasts()->getType()->isPointerType()) {
        ValueRef pointer = summarize(side->IgnoreParenCasts());
        pointer.text = value.text;
        return pointer;
      }
  }
  // devs + i (or devs - i): the address of an element, like &devs[i].
  if (const auto* arithmetic = dyn_cast<BinaryOperator>(inner);
      arithmetic && (arithmetic->getOpcode() == BO_Add || arithmetic->getOpcode() == BO_Sub)) {
    const Expr* pointer = arithmetic->getLHS();
    const Expr* offset = arithmetic->getRHS();
    if (!pointer->getType()->isPointerType() && !pointer->getType()->isArrayType()) std::swap(pointer, offset);
    if ((pointer->getType()->isPointerType() || pointer->getType()->isArrayType()) &&
        offset->getType()->isIntegralOrEnumerationType()) {
      ValueRef base = summarize(pointer);
      if ((base.kind == ValueRef::Kind::Local || base.kind == ValueRef::Kind::Param ||
           base.kind == ValueRef::Kind::Global) &&
          !base.address_of) {
        base.path += "[]";
        base.address_of = true;
        base.record.clear();
        base.field.clear();
        base.text = value.text;
        return base;
      }
    }
  }
  if (const auto* subscript = dyn_cast<ArraySubscriptExpr>(inner)) {
    ValueRef base = summarize(subscript->getBase());
    if (base.kind == ValueRef::Kind::Local || base.kind == ValueRef::Kind::Param ||
        base.kind == ValueRef::Kind::Global) {
      base.path += "[]";
      base.text = value.text;
      return base;
    }
  }
  if (const auto* call = dyn_cast<CallExpr>(inner)) {
    auto found = call_indices_.find(call);
    if (found != call_indices_.end()) {
      value.kind = ValueRef::Kind::CallResult;
      value.call_index = found->second;
      return value;
    }
  }
  if (const auto* choice = dyn_cast<ConditionalOperator>(inner)) {
    // bitop(op, nr, addr) (test_bit, __set_bit): `... ? const_op(nr, addr) : op(nr, addr)`, the
    // same operation either way; the value is op's.
    const auto* folded = dyn_cast<CallExpr>(strip(choice->getTrueExpr()));
    const auto* general = dyn_cast<CallExpr>(strip(choice->getFalseExpr()));
    const FunctionDecl* folded_callee = folded ? folded->getDirectCallee() : nullptr;
    const FunctionDecl* general_callee = general ? general->getDirectCallee() : nullptr;
    if (folded_callee && general_callee && folded_callee->getIdentifier() && general_callee->getIdentifier() &&
        folded_callee->getName() == ("const" + general_callee->getName()).str()) {
      ValueRef result = summarize(general);
      result.text = value.text;
      return result;
    }
  }
  if (const auto* statement_expr = dyn_cast<StmtExpr>(inner)) {
    const CompoundStmt* body = statement_expr->getSubStmt();
    if (!body->body_empty())
      if (const auto* last = dyn_cast<Expr>(body->body_back())) {
        ValueRef result = summarize_container_of(*last);
        if (result.kind == ValueRef::Kind::None) result = summarize(last);
        result.text = value.text;
        return result;
      }
  }
  value.kind = ValueRef::Kind::Other;
  return value;
}

// container_of(ptr, type, member) ends in `(type *)(__mptr - offsetof(type, member))`, with
// `void *__mptr = (void *)(ptr);` declared in the same statement expression: the object that
// contains what ptr points to, written as ptr's value with the path suffix "^".
ValueRef ValueSummarizer::summarize_container_of(const Expr& last) const {
  const auto* difference = dyn_cast<BinaryOperator>(strip(&last));
  if (!difference || difference->getOpcode() != BO_Sub) return {};
  const auto* ref = dyn_cast<DeclRefExpr>(strip(difference->getLHS()));
  const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  if (!var || var->hasGlobalStorage() || !var->getInit() || !var->getType()->isPointerType()) return {};
  ValueRef contained = summarize(var->getInit());
  if (contained.kind != ValueRef::Kind::Local && contained.kind != ValueRef::Kind::Param &&
      contained.kind != ValueRef::Kind::Global)
    return {};
  contained.path += "^";
  contained.record.clear();
  contained.field.clear();
  return contained;
}

// `WARN_ON(c)`, `WARN_ON_ONCE(c)`, `WARN(c, ...)`: `({ int __ret_warn_on = !!(c); ...;
// unlikely(__ret_warn_on); })`. The value of the statement expression is a local that the same
// statement expression initialised: the condition it tests is that initialiser, negated when the
// value is (an odd number of `!`).
const Expr* ValueSummarizer::statement_expression_test(const StmtExpr& statement, bool& negated) {
  const CompoundStmt* body = statement.getSubStmt();
  const auto* last = body->body_empty() ? nullptr : dyn_cast<Expr>(body->body_back());
  const Expr* value = last ? strip(last) : nullptr;
  negated = false;
  while (const auto* unary = dyn_cast_or_null<UnaryOperator>(value)) {
    if (unary->getOpcode() != UO_LNot) break;
    negated = !negated;
    value = strip(unary->getSubExpr());
  }
  const auto* ref = dyn_cast_or_null<DeclRefExpr>(value);
  const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  if (!var || !var->getInit()) return nullptr;
  for (const Stmt* child : body->body())
    if (const auto* declaration = dyn_cast<DeclStmt>(child))
      for (const Decl* declared : declaration->decls())
        if (declared == var) return var->getInit();
  return nullptr;
}

bool ValueSummarizer::summarize_condition_into(const Expr* condition, BranchCondition& out) const {
  using T = BranchCondition::Test;
  const Expr* expr = strip(condition);

  if (const auto* unary = dyn_cast<UnaryOperator>(expr); unary && unary->getOpcode() == UO_LNot) {
    summarize_condition_into(unary->getSubExpr(), out);
    negate_condition(out);
    return out.test != T::Unknown;
  }
  if (const auto* statement = dyn_cast<StmtExpr>(expr)) {
    bool negated = false;
    if (const Expr* tested = statement_expression_test(*statement, negated)) {
      summarize_condition_into(tested, out);
      if (negated) negate_condition(out);
      return out.test != T::Unknown;
    }
  }
  if (const auto* binary = dyn_cast<BinaryOperator>(expr); binary && binary->isComparisonOp()) {
    const Expr* lhs = strip(binary->getLHS());
    const Expr* rhs = strip(binary->getRHS());
    BinaryOperatorKind op = binary->getOpcode();
    Expr::EvalResult constant;
    bool rhs_zero = !rhs->isValueDependent() && rhs->EvaluateAsInt(constant, context_) &&
                    constant.Val.getInt() == 0;
    if (auto bound = positive_bound(lhs, rhs, op, context_)) {
      out.subject = summarize(bound->first);
      out.test = bound->second;
      return true;
    }
    if (!rhs_zero) {
      bool lhs_zero = !lhs->isValueDependent() && lhs->EvaluateAsInt(constant, context_) &&
                      constant.Val.getInt() == 0;
      if (!lhs_zero) {
        if (op == BO_EQ || op == BO_NE) out.compared = compared_with_constant(lhs, rhs, op == BO_EQ);
        return false;
      }
      std::swap(lhs, rhs);
      op = BinaryOperator::reverseComparisonOp(op);
    }
    out.subject = summarize(lhs);
    switch (op) {
      case BO_EQ: out.test = T::Zero; break;
      case BO_NE: out.test = T::NonZero; break;
      case BO_LT: out.test = T::Negative; break;
      case BO_GE: out.test = T::NonNegative; break;
      case BO_GT: out.test = T::NonZero; break;  // x > 0 on a 0-or-negative status: success
      case BO_LE: out.test = T::Zero; break;
      default: return false;
    }
    return true;
  }
  if (const auto* call = dyn_cast<CallExpr>(expr); call && call->getNumArgs() == 1) {
    if (is_call_to(call, "IS_ERR") || is_call_to(call, "IS_ERR_OR_NULL")) {
      out.test = is_call_to(call, "IS_ERR") ? T::IsErr : T::IsErrOrNull;
      out.subject = summarize(call->getArg(0));
      return true;
    }
  }
  out.test = T::NonZero;
  out.subject = summarize(expr);
  return true;
}

std::optional<ChosenValue> ValueSummarizer::summarize_choice(const Expr* value) const {
  if (!value) return std::nullopt;
  const Expr* inner = strip(value);
  ChosenValue chosen;
  const Expr* condition = nullptr;
  if (const auto* choice = dyn_cast<ConditionalOperator>(inner)) {
    Expr::EvalResult if_true, if_false;
    const Expr* true_arm = strip(choice->getTrueExpr());
    const Expr* false_arm = strip(choice->getFalseExpr());
    if (true_arm->isValueDependent() || false_arm->isValueDependent() ||
        !true_arm->getType()->isIntegralOrEnumerationType() || !false_arm->getType()->isIntegralOrEnumerationType() ||
        !true_arm->EvaluateAsInt(if_true, context_) || !false_arm->EvaluateAsInt(if_false, context_))
      return std::nullopt;
    chosen.if_true = if_true.Val.getInt().getExtValue();
    chosen.if_false = if_false.Val.getInt().getExtValue();
    condition = choice->getCond();
  } else if (const auto* binary = dyn_cast<BinaryOperator>(inner); binary && binary->isComparisonOp()) {
    condition = inner;
  } else if (const auto* unary = dyn_cast<UnaryOperator>(inner); unary && unary->getOpcode() == UO_LNot) {
    condition = inner;
  } else {
    return std::nullopt;
  }
  if (!summarize_condition_into(condition, chosen.condition) ||
      chosen.condition.test == BranchCondition::Test::Unknown)
    return std::nullopt;
  chosen.condition.location = location(condition->getBeginLoc());
  return chosen;
}

// `x == C` (or `C == x`) with a non-zero integer constant C and an x that is not one.
std::optional<BranchCondition::ConstantComparison> ValueSummarizer::compared_with_constant(const Expr* lhs,
                                                                                         const Expr* rhs,
                                                                                         bool equal) const {
  auto constant = [&](const Expr* e) -> std::optional<std::int64_t> {
    Expr::EvalResult value;
    if (e->isValueDependent() || !e->getType()->isIntegralOrEnumerationType() || !e->EvaluateAsInt(value, context_))
      return std::nullopt;
    const llvm::APSInt& v = value.Val.getInt();
    if (v.getSignificantBits() > 64) return std::nullopt;
    return v.getExtValue();
  };
  std::optional<std::int64_t> c = constant(rhs);
  if (!c) {
    c = constant(lhs);
    std::swap(lhs, rhs);
  }
  if (!c || *c == 0 || constant(lhs)) return std::nullopt;
  BranchCondition::ConstantComparison comparison;
  comparison.operand = summarize(lhs);
  comparison.constant = *c;
  comparison.equal = equal;
  return comparison;
}

BranchCondition ValueSummarizer::summarize_condition(const Expr* condition, bool negated) const {
  BranchCondition result;
  result.location = location(condition->getBeginLoc());
  if (!summarize_condition_into(condition, result)) {
    result.test = BranchCondition::Test::Unknown;
    result.subject = summarize(condition);
  }
  // An Unknown test stays Unknown; only its constant comparison flips.
  if (negated) negate_condition(result);
  return result;
}

}  // namespace kmodlint::frontend
