#include "frontend/unwind_loops.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"

namespace kmodlint::frontend {

using namespace clang;

namespace {

const VarDecl* local_of(const Expr* expr) {
  const auto* ref = expr ? dyn_cast<DeclRefExpr>(expr->IgnoreParenImpCasts()) : nullptr;
  const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  return var && var->hasLocalStorage() ? var : nullptr;
}

// `v--`, `--v`, `v -= n`: the local it counts down.
const VarDecl* decremented(const Expr* expr) {
  if (!expr) return nullptr;
  expr = expr->IgnoreParenImpCasts();
  if (const auto* unary = dyn_cast<UnaryOperator>(expr); unary && unary->isDecrementOp())
    return local_of(unary->getSubExpr());
  if (const auto* compound = dyn_cast<CompoundAssignOperator>(expr); compound && compound->getOpcode() == BO_SubAssign)
    return local_of(compound->getLHS());
  return nullptr;
}

// The first decrement of a local inside a condition (`while (i--)`, `while (--i >= 0)`).
const VarDecl* decremented_within(const Stmt* statement) {
  if (!statement) return nullptr;
  if (const auto* expr = dyn_cast<Expr>(statement))
    if (const VarDecl* var = decremented(expr)) return var;
  for (const Stmt* child : statement->children())
    if (const VarDecl* var = decremented_within(child)) return var;
  return nullptr;
}

// The local an unwind loop counts down, or nullptr for any other loop.
const VarDecl* countdown_counter(const Stmt& loop) {
  if (const auto* for_loop = dyn_cast<ForStmt>(&loop)) {
    if (for_loop->getInc()) return decremented(for_loop->getInc());
    return decremented_within(for_loop->getCond());
  }
  if (const auto* while_loop = dyn_cast<WhileStmt>(&loop)) return decremented_within(while_loop->getCond());
  if (const auto* do_loop = dyn_cast<DoStmt>(&loop)) return decremented_within(do_loop->getCond());
  return nullptr;
}

// Whether `statement` assigns `var`, counts it up or down, or takes its address.
bool changes(const Stmt* statement, const VarDecl* var) {
  if (!statement) return false;
  if (const auto* binary = dyn_cast<BinaryOperator>(statement);
      binary && binary->isAssignmentOp() && local_of(binary->getLHS()) == var)
    return true;
  if (const auto* unary = dyn_cast<UnaryOperator>(statement);
      unary && (unary->isIncrementDecrementOp() || unary->getOpcode() == UO_AddrOf) && local_of(unary->getSubExpr()) == var)
    return true;
  for (const Stmt* child : statement->children())
    if (changes(child, var)) return true;
  return false;
}

bool mentions(const Stmt* statement, const VarDecl* var) {
  if (!statement) return false;
  if (const auto* ref = dyn_cast<DeclRefExpr>(statement); ref && ref->getDecl() == var) return true;
  for (const Stmt* child : statement->children())
    if (mentions(child, var)) return true;
  return false;
}

// A loop that leaves early (break, return, goto) searches or retries; an unwind loop runs through.
bool leaves_early(const Stmt* statement, bool nested_loop) {
  if (!statement) return false;
  if (isa<ReturnStmt>(statement) || isa<GotoStmt>(statement)) return true;
  if (isa<BreakStmt>(statement) && !nested_loop) return true;
  bool nested = nested_loop || isa<ForStmt>(statement) || isa<WhileStmt>(statement) || isa<DoStmt>(statement) ||
                isa<SwitchStmt>(statement);
  for (const Stmt* child : statement->children())
    if (leaves_early(child, nested)) return true;
  return false;
}

void collect_subscripts(const Stmt* statement, std::vector<const ArraySubscriptExpr*>& out) {
  if (!statement) return;
  if (const auto* subscript = dyn_cast<ArraySubscriptExpr>(statement)) out.push_back(subscript);
  for (const Stmt* child : statement->children()) collect_subscripts(child, out);
}

// `bufs[slot] = kzalloc(...)` inside the loop: the loop fills that element itself (a retry), so
// releasing it on every pass is what it means to do.
bool fills_element_indexed_by(const Stmt* statement, const VarDecl* var) {
  if (!statement) return false;
  if (const auto* assign = dyn_cast<BinaryOperator>(statement); assign && assign->getOpcode() == BO_Assign) {
    std::vector<const ArraySubscriptExpr*> subscripts;
    collect_subscripts(assign->getLHS(), subscripts);
    for (const ArraySubscriptExpr* subscript : subscripts)
      if (local_of(subscript->getIdx()) == var) return true;
  }
  for (const Stmt* child : statement->children())
    if (fills_element_indexed_by(child, var)) return true;
  return false;
}

class LoopFinder : public RecursiveASTVisitor<LoopFinder> {
 public:
  explicit LoopFinder(const std::function<int(const CallExpr*)>& call_index) : call_index_(call_index) {}

  bool VisitForStmt(ForStmt* loop) { return look_at(*loop, loop->getBody(), {loop->getCond(), loop->getInc()}); }
  bool VisitWhileStmt(WhileStmt* loop) { return look_at(*loop, loop->getBody(), {loop->getCond(), nullptr}); }
  bool VisitDoStmt(DoStmt* loop) { return look_at(*loop, loop->getBody(), {loop->getCond(), nullptr}); }

  std::vector<MisindexedLoopCall> found;

 private:
  bool look_at(const Stmt& loop, const Stmt* body, std::pair<const Stmt*, const Stmt*> header) {
    const VarDecl* counter = countdown_counter(loop);
    if (!counter || !body || leaves_early(body, false)) return true;
    calls_in(body, [&](const CallExpr& call) {
      if (!call.getDirectCallee()) return;
      int index = call_index_(&call);
      if (index < 0) return;
      for (unsigned a = 0; a < call.getNumArgs(); ++a)
        if (const VarDecl* other = wrong_index(*call.getArg(a), counter, body, header)) {
          found.push_back({index, static_cast<int>(a), counter->getName().str(), other->getName().str()});
          return;
        }
    });
    return true;
  }

  // The local an argument indexes with when it never indexes with the counter: the same element
  // on every pass.
  static const VarDecl* wrong_index(const Expr& arg, const VarDecl* counter, const Stmt* body,
                                    std::pair<const Stmt*, const Stmt*> header) {
    std::vector<const ArraySubscriptExpr*> subscripts;
    collect_subscripts(&arg, subscripts);
    const VarDecl* other = nullptr;
    for (const ArraySubscriptExpr* subscript : subscripts) {
      if (mentions(subscript->getIdx(), counter)) return nullptr;
      if (const VarDecl* var = local_of(subscript->getIdx()); var && var != counter) other = var;
    }
    if (!other || changes(body, other) || changes(header.first, other) || changes(header.second, other) ||
        fills_element_indexed_by(body, other))
      return nullptr;
    return other;
  }

  static void calls_in(const Stmt* statement, const std::function<void(const CallExpr&)>& visit) {
    if (!statement) return;
    if (const auto* call = dyn_cast<CallExpr>(statement)) visit(*call);
    for (const Stmt* child : statement->children()) calls_in(child, visit);
  }

  const std::function<int(const CallExpr*)>& call_index_;
};

}  // namespace

std::vector<MisindexedLoopCall> find_misindexed_loop_calls(const FunctionDecl& function,
                                                           const std::function<int(const CallExpr*)>& call_index) {
  LoopFinder finder(call_index);
  if (Stmt* body = function.getBody()) finder.TraverseStmt(body);
  return std::move(finder.found);
}

}  // namespace kmodlint::frontend
