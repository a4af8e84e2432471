#include "frontend/function_extractor.h"

#include <memory>

#include "clang/AST/Attr.h"
#include "clang/AST/ParentMap.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "frontend/unwind_loops.h"
#include "frontend/lock_annotations.h"
#include "frontend/value_summary.h"

namespace kmodlint::frontend {

using namespace clang;

namespace {

constexpr std::size_t kMaxMacroNames = 8;

class FunctionExtractor {
 public:
  FunctionExtractor(const FunctionDecl& function, ASTContext& context)
      : function_(function), context_(context), summarizer_(context),
        parents_(function.getBody()) {}

  FunctionFacts run();

 private:
  static const Expr* tested_here(const CFGBlock& block, const Expr* condition, bool& negated);
  SwitchCases switch_cases(const SwitchStmt& statement, const CFGBlock& block) const;
  void visit_element(const Stmt* statement, BasicBlock& block);
  void add_call(const CallExpr& call, BasicBlock& block);
  void add_assign(ValueRef target, const Expr* value, clang::SourceLocation loc, BasicBlock& block);
  void add_member_assigns(const ValueRef& target, const InitListExpr& init, clang::SourceLocation loc,
                          BasicBlock& block);
  void add_access(const DeclRefExpr& ref, const VarDecl& var, BasicBlock& block);
  void add_return(const ReturnStmt& statement, BasicBlock& block);
  std::vector<std::string> enclosing_macros(clang::SourceLocation loc) const;
  const Stmt* parent_skipping_parens(const Stmt* statement) const;

  const FunctionDecl& function_;
  ASTContext& context_;
  ValueSummarizer summarizer_;
  ParentMap parents_;
  FunctionFacts facts_;
};

bool is_two_way_branch(const CFGBlock& block) {
  return block.succ_size() == 2 && block.getTerminatorStmt() &&
         !isa<SwitchStmt>(block.getTerminatorStmt());
}

// The expression names no local variable: only parameters, what they point to, globals and
// constants (`t->depth - 2`, `ARRAY_SIZE(ports) - 1`).
bool free_of_locals(const Stmt* statement) {
  if (!statement) return true;
  if (const auto* ref = dyn_cast<DeclRefExpr>(statement))
    if (const auto* var = dyn_cast<VarDecl>(ref->getDecl()); var && !isa<ParmVarDecl>(var) && var->hasLocalStorage())
      return false;
  for (const Stmt* child : statement->children())
    if (!free_of_locals(child)) return false;
  return true;
}

// `for (i = t->depth - 2; i >= 0; i--)`: a for loop that counts a variable down to 0 from a count
// the function did not compute itself. An unwind loop starts from the local index that failed
// (`for (j = i - 1; j >= 0; j--)`) and is not one.
bool counts_down_from_outside(const ForStmt& loop, const BinaryOperator& compare) {
  if (compare.getOpcode() != BO_GE && compare.getOpcode() != BO_GT) return false;
  const auto* counter = dyn_cast<DeclRefExpr>(compare.getLHS()->IgnoreParenImpCasts());
  const auto* bound = dyn_cast<IntegerLiteral>(compare.getRHS()->IgnoreParenImpCasts());
  if (!counter || !bound || bound->getValue() != 0) return false;
  const Expr* start = nullptr;
  if (const auto* init = dyn_cast_or_null<BinaryOperator>(loop.getInit()); init && init->getOpcode() == BO_Assign) {
    const auto* assigned = dyn_cast<DeclRefExpr>(init->getLHS()->IgnoreParenImpCasts());
    if (assigned && assigned->getDecl() == counter->getDecl()) start = init->getRHS();
  } else if (const auto* declaration = dyn_cast_or_null<DeclStmt>(loop.getInit());
             declaration && declaration->isSingleDecl()) {
    if (const auto* var = dyn_cast<VarDecl>(declaration->getSingleDecl()); var && var == counter->getDecl())
      start = var->getInit();
  }
  return start && free_of_locals(start);
}

// The block ends in the whole condition of a for or while loop, and it compares a variable with a
// bound it counts up to: `i < n`, `i <= last` (or `n > i`), or a for loop counts down to 0 from a
// count it did not compute (counts_down_from_outside).
bool is_counted_loop_test(const CFGBlock& block) {
  if (block.succ_size() != 2) return false;
  const Stmt* terminator = block.getTerminatorStmt();
  const Expr* condition = nullptr;
  const auto* for_loop = dyn_cast_or_null<ForStmt>(terminator);
  if (for_loop) condition = for_loop->getCond();
  else if (const auto* loop = dyn_cast_or_null<WhileStmt>(terminator)) condition = loop->getCond();
  if (!condition) return false;
  const auto* compare = dyn_cast<BinaryOperator>(condition->IgnoreParenImpCasts());
  if (!compare) return false;
  if (for_loop && counts_down_from_outside(*for_loop, *compare)) return true;
  const Expr* counter = nullptr;
  if (compare->getOpcode() == BO_LT || compare->getOpcode() == BO_LE) counter = compare->getLHS();
  else if (compare->getOpcode() == BO_GT || compare->getOpcode() == BO_GE) counter = compare->getRHS();
  return counter && isa<DeclRefExpr>(counter->IgnoreParenImpCasts());
}

}  // namespace

FunctionFacts describe_function(const FunctionDecl& function, ASTContext& context) {
  ValueSummarizer summarizer(context);
  FunctionFacts facts;
  facts.name = function.getName().str();
  facts.location = summarizer.location(function.getLocation());
  facts.is_static = function.getStorageClass() == SC_Static;
  facts.is_inline = function.isInlineSpecified();
  if (const auto* section = function.getAttr<SectionAttr>()) facts.section = section->getName().str();
  facts.return_type = function.getReturnType().getCanonicalType().getAsString();
  facts.signature = function.getType().getCanonicalType().getAsString();
  for (const ParmVarDecl* param : function.parameters()) facts.params.push_back(param->getName().str());
  facts.end_location = summarizer.location(function.getEndLoc());
  facts.lock_annotations = read_lock_annotations(function);
  facts.context_markers = has_context_markers(function);
  return facts;
}

FunctionFacts extract_function(const FunctionDecl& function, ASTContext& context) {
  return FunctionExtractor(function, context).run();
}

FunctionFacts FunctionExtractor::run() {
  facts_ = describe_function(function_, context_);
  CFG::BuildOptions options;
  options.setAllAlwaysAdd();
  options.PruneTriviallyFalseEdges = true;
  std::unique_ptr<CFG> cfg = CFG::buildCFG(&function_, function_.getBody(), &context_, options);
  if (!cfg) return facts_;

  facts_.blocks.resize(cfg->getNumBlockIDs());
  facts_.entry_block = static_cast<int>(cfg->getEntry().getBlockID());
  facts_.exit_block = static_cast<int>(cfg->getExit().getBlockID());
  // Visit blocks in source order of their IDs' reverse (Clang numbers blocks backwards), so
  // call indices follow evaluation order along straight-line code.
  std::vector<const CFGBlock*> ordered(cfg->begin(), cfg->end());
  std::reverse(ordered.begin(), ordered.end());
  for (const CFGBlock* cfg_block : ordered) {
    BasicBlock& block = facts_.blocks[cfg_block->getBlockID()];
    block.id = static_cast<int>(cfg_block->getBlockID());
    for (const CFGElement& element : *cfg_block)
      if (std::optional<CFGStmt> statement = element.getAs<CFGStmt>())
        visit_element(statement->getStmt(), block);
    for (const CFGBlock::AdjacentBlock& successor : cfg_block->succs()) {
      const CFGBlock* reachable = successor.getReachableBlock();
      block.successors.push_back(reachable ? static_cast<int>(reachable->getBlockID()) : -1);
    }
    if (is_two_way_branch(*cfg_block))
      if (const auto* condition = dyn_cast_or_null<Expr>(cfg_block->getTerminatorCondition(false)))
        if (bool negated = false; const Expr* tested = tested_here(*cfg_block, condition, negated)) {
          block.condition = summarizer_.summarize_condition(tested, negated);
          // Only branches the author wrote get a spelling (path notes): not the ones inside a
          // macro's body (printk's index check, WARN_ON's unlikely(), list iterators' tests).
          const SourceManager& sm = context_.getSourceManager();
          clang::SourceLocation written = cfg_block->getTerminatorStmt()->getBeginLoc();
          if (!written.isMacroID() || sm.isMacroArgExpansion(written)) {
            block.condition->spelling = summarizer_.spelling(tested);
            block.condition->spelling_negated = negated;
          }
        }
    block.counted_loop_test = is_counted_loop_test(*cfg_block);
    if (const auto* statement = dyn_cast_or_null<SwitchStmt>(cfg_block->getTerminatorStmt()))
      block.switch_cases = switch_cases(*statement, *cfg_block);
  }
  facts_.misindexed_loop_calls = find_misindexed_loop_calls(
      function_, [this](const CallExpr* call) { return summarizer_.call_index(call); });
  return facts_;
}

// Each successor of a switch block starts at a case label, at the default label, or (with no
// default) after the switch: Clang's CFG adds the default edge last.
SwitchCases FunctionExtractor::switch_cases(const SwitchStmt& statement, const CFGBlock& block) const {
  SwitchCases out;
  out.operand = summarizer_.summarize(statement.getCond());
  out.location = summarizer_.location(statement.getSwitchLoc());
  std::size_t index = 0;
  for (const CFGBlock::AdjacentBlock& successor : block.succs()) {
    SwitchEdge edge;
    const CFGBlock* target = successor.getReachableBlock();
    if (!target) target = successor.getPossiblyUnreachableBlock();
    const Stmt* label = target ? target->getLabel() : nullptr;
    bool last = ++index == block.succ_size();
    if (const auto* case_label = dyn_cast_or_null<CaseStmt>(label); case_label && !case_label->getRHS()) {
      Expr::EvalResult value;
      const Expr* lhs = case_label->getLHS();
      if (!lhs->isValueDependent() && lhs->EvaluateAsInt(value, context_) &&
          value.Val.getInt().getSignificantBits() <= 64) {
        edge.kind = SwitchEdge::Kind::Case;
        edge.value = value.Val.getInt().getExtValue();
      }
    } else if (last && !isa_and_nonnull<CaseStmt>(label)) {
      edge.kind = SwitchEdge::Kind::Default;
    }
    out.edges.push_back(edge);
  }
  return out;
}

// The part of `condition` this block's branch decides. `if (a && b)` ends two blocks: the one
// ending in the `&&` tests a (getTerminatorCondition gives a), the one ending in the `if` is only
// reached with a true and tests b, though its condition is the whole `a && b`. Under a `!`
// (`if (!(a && b))`) that block tests !b: `negated` says so.
const Expr* FunctionExtractor::tested_here(const CFGBlock& block, const Expr* condition, bool& negated) {
  const Stmt* terminator = block.getTerminatorStmt();
  const Expr* tested = condition;
  negated = false;
  while (true) {
    const Expr* bare = tested->IgnoreParens();
    if (const auto* logical = dyn_cast<BinaryOperator>(bare); logical && logical->isLogicalOp() && logical != terminator) {
      tested = logical->getRHS();
      continue;
    }
    if (const auto* unary = dyn_cast<UnaryOperator>(bare); unary && unary->getOpcode() == UO_LNot) {
      const auto* inner = dyn_cast<BinaryOperator>(unary->getSubExpr()->IgnoreParens());
      if (inner && inner->isLogicalOp() && inner != terminator) {
        negated = !negated;
        tested = inner;
        continue;
      }
    }
    return tested;
  }
}

void FunctionExtractor::visit_element(const Stmt* statement, BasicBlock& block) {
  if (const auto* call = dyn_cast<CallExpr>(statement)) {
    add_call(*call, block);
  } else if (const auto* binary = dyn_cast<BinaryOperator>(statement)) {
    if (binary->getOpcode() == BO_Assign)
      add_assign(summarizer_.summarize(binary->getLHS()), binary->getRHS(), binary->getOperatorLoc(),
                 block);
    else if (binary->isCompoundAssignmentOp())  // x += n: x changes to a value the facts cannot name
      add_assign(summarizer_.summarize(binary->getLHS()), binary, binary->getOperatorLoc(), block);
  } else if (const auto* unary = dyn_cast<UnaryOperator>(statement); unary && unary->isIncrementDecrementOp()) {
    add_assign(summarizer_.summarize(unary->getSubExpr()), unary, unary->getOperatorLoc(), block);
  } else if (const auto* declaration = dyn_cast<DeclStmt>(statement)) {
    for (const Decl* decl : declaration->decls()) {
      const auto* var = dyn_cast<VarDecl>(decl);
      if (var && !var->hasGlobalStorage() && var->hasAttr<CleanupAttr>())
        facts_.scope_cleaned_locals.push_back(var->getName().str());
      if (!var || !var->hasInit() || var->hasGlobalStorage()) continue;
      ValueRef target;
      target.kind = ValueRef::Kind::Local;
      target.root = var->getName().str();
      target.text = target.root;
      add_assign(target, var->getInit(), var->getLocation(), block);
    }
  } else if (const auto* ref = dyn_cast<DeclRefExpr>(statement)) {
    // Static locals that macros declare for themselves (lockdep's __key) are not module state.
    if (const auto* var = dyn_cast<VarDecl>(ref->getDecl());
        var && var->hasGlobalStorage() && !(var->isStaticLocal() && var->getLocation().isMacroID()))
      add_access(*ref, *var, block);
  } else if (const auto* return_statement = dyn_cast<ReturnStmt>(statement)) {
    add_return(*return_statement, block);
  }
}

void FunctionExtractor::add_call(const CallExpr& call, BasicBlock& block) {
  CallEvent event;
  if (const FunctionDecl* callee = call.getDirectCallee()) {
    event.callee = callee->getName().str();
    event.noreturn = callee->isNoReturn();
    event.callee_is_static_inline_in_header =
        callee->isInlined() && !context_.getSourceManager().isInMainFile(
                                   context_.getSourceManager().getExpansionLoc(callee->getLocation()));
  } else {
    event.indirect_target = summarizer_.summarize(call.getCallee());
  }
  for (const Expr* arg : call.arguments()) event.args.push_back(summarizer_.summarize(arg));
  event.location = summarizer_.location(call.getBeginLoc());
  int index = static_cast<int>(facts_.calls.size());
  facts_.calls.push_back(std::move(event));
  summarizer_.remember_call(&call, index);
  block.events.push_back({Event::Kind::Call, index});
}

namespace {

// The expression is an array member of a struct, used as a pointer to its first element.
bool decays_from_member_array(const Expr* value) {
  const Expr* e = value->IgnoreParens();
  while (const auto* cast = dyn_cast<CastExpr>(e)) {
    if (cast->getCastKind() == CK_ArrayToPointerDecay) return isa<MemberExpr>(cast->getSubExpr()->IgnoreParens());
    e = cast->getSubExpr()->IgnoreParens();
  }
  return false;
}

}  // namespace

void FunctionExtractor::add_assign(ValueRef target, const Expr* value, clang::SourceLocation loc,
                                   BasicBlock& block) {
  AssignEvent event;
  event.target = std::move(target);
  // `a->f = *tmp = dma_map_single(...)`: the outer target gets the value the inner assignment
  // stored, not a read through its target (the inner assignment is an event of its own).
  bool chained = false;
  while (value) {
    const auto* inner = dyn_cast<BinaryOperator>(value->IgnoreParenImpCasts());
    if (!inner || inner->getOpcode() != BO_Assign) break;
    value = inner->getRHS();
    chained = true;
  }
  event.value = summarizer_.summarize(value);
  // `device->port_data = pdata_rcu->pdata` with an array member: the address of storage inside
  // the object is assigned, not a pointer read from it.
  if (value && decays_from_member_array(value) && !event.value.address_of && !event.value.path.empty())
    event.value.address_of = true;
  event.chosen = summarizer_.summarize_choice(value);
  event.location = summarizer_.location(loc);
  if (event.value.kind == ValueRef::Kind::CallResult && !chained)
    facts_.calls[event.value.call_index].result_to = event.target;
  ValueRef assigned_target = event.target;
  int index = static_cast<int>(facts_.assigns.size());
  facts_.assigns.push_back(std::move(event));
  block.events.push_back({Event::Kind::Assign, index});
  const Expr* aggregate = value ? value->IgnoreParenImpCasts() : nullptr;
  if (const auto* literal = dyn_cast_or_null<CompoundLiteralExpr>(aggregate)) aggregate = literal->getInitializer();
  if (const auto* init = dyn_cast_or_null<InitListExpr>(aggregate))
    add_member_assigns(assigned_target, *init, loc, block);
}

// `io = (struct dm_io_request){ .notify.context = ctx }` or `struct x a = { .buf = buf }`: one
// assignment per member initialised with a variable's value (io.notify.context = ctx), so that
// what the aggregate holds is followed like a member assignment. Constants and functions are
// left out (function stores are facts of their own).
void FunctionExtractor::add_member_assigns(const ValueRef& target, const InitListExpr& init,
                                           clang::SourceLocation loc, BasicBlock& block) {
  const InitListExpr* semantic = init.isSemanticForm() ? &init : init.getSemanticForm();
  if (!semantic || target.kind == ValueRef::Kind::None || target.kind == ValueRef::Kind::Other) return;
  const RecordDecl* record = semantic->getType()->getAsRecordDecl();
  if (!record || record->isUnion()) return;
  std::string record_name = frontend::record_name(semantic->getType());
  unsigned i = 0;
  for (const FieldDecl* field : record->fields()) {
    if (i >= semantic->getNumInits()) break;
    const Expr* member_value = semantic->getInit(i++);
    if (!member_value || !field->getIdentifier() || isa<ImplicitValueInitExpr>(member_value)) continue;
    ValueRef member = target;
    member.path += "." + field->getName().str();
    member.record = record_name;
    member.field = field->getName().str();
    member.text = target.text + "." + member.field;
    member.address_of = false;
    if (const auto* nested = dyn_cast<InitListExpr>(member_value->IgnoreParenImpCasts())) {
      add_member_assigns(member, *nested, loc, block);
      continue;
    }
    ValueRef summary = summarizer_.summarize(member_value);
    if (summary.kind != ValueRef::Kind::Local && summary.kind != ValueRef::Kind::Param &&
        summary.kind != ValueRef::Kind::Global)
      continue;
    add_assign(std::move(member), member_value, loc, block);
  }
}

const Stmt* FunctionExtractor::parent_skipping_parens(const Stmt* statement) const {
  const Stmt* parent = parents_.getParent(statement);
  while (parent && isa<ParenExpr>(parent)) parent = parents_.getParent(parent);
  return parent;
}

void FunctionExtractor::add_access(const DeclRefExpr& ref, const VarDecl& var, BasicBlock& block) {
  AccessEvent event;
  event.variable = var.getName().str();
  event.is_static_local = var.isStaticLocal();
  event.location = summarizer_.location(ref.getBeginLoc());
  event.macros = enclosing_macros(ref.getBeginLoc());

  // Walk up through member accesses and subscripts to the full accessed location.
  const Stmt* current = &ref;
  const Stmt* parent = parent_skipping_parens(current);
  while (parent) {
    if (const auto* member = dyn_cast<MemberExpr>(parent); member && member->getBase()->IgnoreParenImpCasts() == current) {
      event.path += (member->isArrow() ? "->" : ".") + member->getMemberDecl()->getName().str();
    } else if (const auto* subscript = dyn_cast<ArraySubscriptExpr>(parent);
               subscript && subscript->getBase()->IgnoreParenImpCasts() == current) {
      event.path += "[]";
    } else if (const auto* cast = dyn_cast<ImplicitCastExpr>(parent);
               cast && cast->getCastKind() == CK_ArrayToPointerDecay) {
      // a[i] is a subscript of the decayed array; anything else uses the array's address
      const Stmt* above = parent_skipping_parens(parent);
      if (const auto* subscript = dyn_cast_or_null<ArraySubscriptExpr>(above)) {
        event.path += "[]";
        current = subscript;
        parent = parent_skipping_parens(current);
        continue;
      }
      break;
    } else {
      break;
    }
    current = parent;
    parent = parent_skipping_parens(current);
  }

  event.mode = AccessEvent::Mode::Read;
  if (const auto* binary = dyn_cast_or_null<BinaryOperator>(parent)) {
    if (binary->getLHS()->IgnoreParens() == current) {
      if (binary->getOpcode() == BO_Assign) event.mode = AccessEvent::Mode::Write;
      else if (binary->isCompoundAssignmentOp()) event.mode = AccessEvent::Mode::ReadWrite;
    }
  } else if (const auto* unary = dyn_cast_or_null<UnaryOperator>(parent)) {
    if (unary->isIncrementDecrementOp()) event.mode = AccessEvent::Mode::ReadWrite;
    else if (unary->getOpcode() == UO_AddrOf) event.mode = AccessEvent::Mode::AddressTaken;
  } else if (const auto* cast = dyn_cast_or_null<ImplicitCastExpr>(parent)) {
    if (cast->getCastKind() == CK_ArrayToPointerDecay) event.mode = AccessEvent::Mode::AddressTaken;
  }
  if (event.mode == AccessEvent::Mode::AddressTaken) {
    const Stmt* user = parent_skipping_parens(parent);
    while (user && (isa<CastExpr>(user))) user = parent_skipping_parens(user);
    if (const auto* call = dyn_cast_or_null<CallExpr>(user))
      if (const FunctionDecl* callee = call->getDirectCallee()) event.address_passed_to = callee->getName().str();
  }
  int index = static_cast<int>(facts_.accesses.size());
  facts_.accesses.push_back(std::move(event));
  block.events.push_back({Event::Kind::Access, index});
}

void FunctionExtractor::add_return(const ReturnStmt& statement, BasicBlock& block) {
  ReturnEvent event;
  if (statement.getRetValue()) event.value = summarizer_.summarize(statement.getRetValue());
  event.location = summarizer_.location(statement.getReturnLoc());
  int index = static_cast<int>(facts_.returns.size());
  facts_.returns.push_back(std::move(event));
  block.events.push_back({Event::Kind::Return, index});
}

std::vector<std::string> FunctionExtractor::enclosing_macros(clang::SourceLocation loc) const {
  std::vector<std::string> names;
  const SourceManager& sm = context_.getSourceManager();
  while (loc.isMacroID() && names.size() < kMaxMacroNames) {
    llvm::StringRef name = Lexer::getImmediateMacroName(loc, sm, context_.getLangOpts());
    if (!name.empty() && (names.empty() || names.back() != name)) names.push_back(name.str());
    loc = sm.getImmediateMacroCallerLoc(loc);
  }
  return names;
}

}  // namespace kmodlint::frontend
