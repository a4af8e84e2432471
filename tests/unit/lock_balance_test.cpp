// The lock-balance engine on hand-made facts: no Clang needed. Each test builds the basic blocks
// of one or two functions the way the frontend does and asserts the engine's exact verdicts.
#include <gtest/gtest.h>

#include "checks/registry.h"
#include "engines/locking/lock_balance.h"
#include "engines/locking/lock_walk.h"
#include "tables/locks.h"

using namespace kmodlint;
using locking::LockBalanceResult;
using locking::UnlockWithoutLock;

namespace {

const char* const kFile = "/m/m.c";

ValueRef constant(std::int64_t value) {
  ValueRef v;
  v.kind = ValueRef::Kind::IntConstant;
  v.int_value = value;
  v.text = std::to_string(value);
  return v;
}

ValueRef call_result(int index) {
  ValueRef v;
  v.kind = ValueRef::Kind::CallResult;
  v.call_index = index;
  return v;
}

ValueRef local(const std::string& name) {
  ValueRef v;
  v.kind = ValueRef::Kind::Local;
  v.root = name;
  v.text = name;
  return v;
}

ValueRef param(const std::string& name) {
  ValueRef v;
  v.kind = ValueRef::Kind::Param;
  v.root = name;
  v.text = name;
  return v;
}

// &d->lock, d a parameter.
ValueRef lock_of(const std::string& param_name) {
  ValueRef v;
  v.kind = ValueRef::Kind::Param;
  v.root = param_name;
  v.path = "->lock";
  v.address_of = true;
  v.record = "dev";
  v.field = "lock";
  v.text = "&" + param_name + "->lock";
  return v;
}

// Builds a function block by block: block 0 is the entry; finish() names the exit block.
struct FunctionBuilder {
  FunctionFacts f;

  FunctionBuilder(const std::string& name, const std::string& return_type, std::vector<std::string> params = {"d"}) {
    f.name = name;
    f.return_type = return_type;
    f.params = std::move(params);
    f.location = {kFile, 1, 1};
    f.end_location = {kFile, 99, 1};
  }
  int block() {
    BasicBlock b;
    b.id = static_cast<int>(f.blocks.size());
    f.blocks.push_back(b);
    return b.id;
  }
  int call(int block, const std::string& callee, std::vector<ValueRef> args, unsigned line) {
    CallEvent c;
    c.callee = callee;
    c.args = std::move(args);
    c.location = {kFile, line, 2};
    f.calls.push_back(c);
    int index = static_cast<int>(f.calls.size()) - 1;
    f.blocks[block].events.push_back({Event::Kind::Call, index});
    return index;
  }
  void assign(int block, ValueRef target, ValueRef value, unsigned line) {
    f.assigns.push_back({std::move(target), std::move(value), {kFile, line, 2}});
    f.blocks[block].events.push_back({Event::Kind::Assign, static_cast<int>(f.assigns.size()) - 1});
  }
  void ret(int block, ValueRef value, unsigned line, int exit) {
    f.returns.push_back({std::move(value), {kFile, line, 2}});
    f.blocks[block].events.push_back({Event::Kind::Return, static_cast<int>(f.returns.size()) - 1});
    f.blocks[block].successors = {exit};
  }
  void branch(int block, BranchCondition::Test test, ValueRef subject, int if_true, int if_false) {
    BranchCondition c;
    c.test = test;
    c.subject = std::move(subject);
    f.blocks[block].condition = c;
    f.blocks[block].successors = {if_true, if_false};
  }
  void jump(int block, int to) { f.blocks[block].successors = {to}; }
  FunctionFacts finish(int exit_block) {
    f.entry_block = 0;
    f.exit_block = exit_block;
    return f;
  }
};

struct FakeModule {
  Project project;
  LinkedProject linked;

  explicit FakeModule(std::vector<FunctionFacts> functions) {
    UnitFacts unit;
    unit.source_file = kFile;
    unit.parsed = true;
    unit.functions = std::move(functions);
    ModuleSpec spec;
    spec.name = "m";
    spec.units.resize(1);
    project.modules.push_back(spec);
    linked.project = &project;
    linked.units.push_back(std::move(unit));
    linked.modules.emplace_back(project.modules[0], std::vector<const UnitFacts*>{&linked.units[0]});
  }
  LockBalanceResult analyze() const { return locking::analyze_lock_balance(linked.modules[0], default_lock_table()); }
};

// mutex_lock(&d->lock) (l.10); if (v) return -EINVAL (l.12); mutex_unlock (l.13); return 0 (l.14).
FunctionFacts error_return_keeps_lock(bool unlock_on_error) {
  FunctionBuilder b("set_level", "int", {"d", "v"});
  int entry = b.block(), fail = b.block(), ok = b.block(), exit = b.block();
  b.call(entry, "mutex_lock", {lock_of("d")}, 10);
  b.branch(entry, BranchCondition::Test::NonZero, param("v"), fail, ok);
  if (unlock_on_error) b.call(fail, "mutex_unlock", {lock_of("d")}, 11);
  b.ret(fail, constant(-22), 12, exit);
  b.call(ok, "mutex_unlock", {lock_of("d")}, 13);
  b.ret(ok, constant(0), 14, exit);
  return b.finish(exit);
}

// A lock taken with `taker` and tested as `if (taker(&d->lock)) return -EINTR;` (`test`), or
// through `ret = taker(...)` when `through_local`; then unlock (l.13), return 0 (l.14).
FunctionFacts conditional_take(const std::string& taker, BranchCondition::Test test, bool through_local) {
  FunctionBuilder b("take", "int");
  int entry = b.block(), fail = b.block(), ok = b.block(), exit = b.block();
  int c = b.call(entry, taker, {lock_of("d")}, 10);
  if (through_local) b.assign(entry, local("ret"), call_result(c), 10);
  b.branch(entry, test, through_local ? local("ret") : call_result(c), fail, ok);
  b.ret(fail, through_local ? local("ret") : constant(-4), 11, exit);
  b.call(ok, "mutex_unlock", {lock_of("d")}, 13);
  b.ret(ok, constant(0), 14, exit);
  return b.finish(exit);
}

// An acquiring helper `lock_dev(d)`: mutex_lock(&d->lock) (l.40), falls off the end.
FunctionFacts acquiring_helper() {
  FunctionBuilder b("lock_dev", "void");
  int entry = b.block(), exit = b.block();
  b.call(entry, "mutex_lock", {lock_of("d")}, 40);
  b.jump(entry, exit);
  return b.finish(exit);
}

// A releasing helper `unlock_dev(d)`: mutex_unlock(&d->lock) (l.50).
FunctionFacts releasing_helper() {
  FunctionBuilder b("unlock_dev", "void");
  int entry = b.block(), exit = b.block();
  b.call(entry, "mutex_unlock", {lock_of("d")}, 50);
  b.jump(entry, exit);
  return b.finish(exit);
}

// lock_dev(p) (l.20); if (v) { [unlock_dev(p)] return -ENODEV (l.22) }; unlock_dev(p) (l.23); return 0.
FunctionFacts helper_caller(bool release_on_error) {
  FunctionBuilder b("ioctl", "int", {"p", "v"});
  int entry = b.block(), fail = b.block(), ok = b.block(), exit = b.block();
  b.call(entry, "lock_dev", {param("p")}, 20);
  b.branch(entry, BranchCondition::Test::NonZero, param("v"), fail, ok);
  if (release_on_error) b.call(fail, "unlock_dev", {param("p")}, 21);
  b.ret(fail, constant(-19), 22, exit);
  b.call(ok, "unlock_dev", {param("p")}, 23);
  b.ret(ok, constant(0), 24, exit);
  return b.finish(exit);
}

// `calls` in sequence in one block, then return 0 (l.30).
FunctionFacts straight_line(const std::vector<std::string>& calls) {
  FunctionBuilder b("seq", "int");
  int entry = b.block(), exit = b.block();
  unsigned line = 20;
  for (const std::string& callee : calls) {
    std::vector<ValueRef> args;
    if (callee.find("rcu") == std::string::npos) args.push_back(lock_of("d"));
    b.call(entry, callee, args, line++);
  }
  b.ret(entry, constant(0), 30, exit);
  return b.finish(exit);
}

}  // namespace

TEST(LockBalance, ErrorReturnThatKeepsTheLockIsHeldAtReturn) {
  LockBalanceResult r = FakeModule({error_return_keeps_lock(false)}).analyze();
  ASSERT_EQ(r.held_at_return.size(), 1u);
  EXPECT_EQ(r.held_at_return[0].returned_at.line, 12u);
  EXPECT_EQ(r.held_at_return[0].acquired_at.line, 10u);
  EXPECT_EQ(r.held_at_return[0].acquired_with, "mutex_lock");
  EXPECT_EQ(r.held_at_return[0].lock, "&d->lock");
  EXPECT_EQ(r.held_at_return[0].released_elsewhere_at.line, 14u);
  EXPECT_TRUE(r.double_locks.empty());
  EXPECT_TRUE(r.unlocks_without_lock.empty());
  EXPECT_TRUE(FakeModule({error_return_keeps_lock(true)}).analyze().held_at_return.empty());
}

TEST(LockBalance, InterruptibleFailureBranchDoesNotHoldTheLock) {
  for (bool through_local : {false, true}) {
    LockBalanceResult r =
        FakeModule({conditional_take("mutex_lock_interruptible", BranchCondition::Test::NonZero, through_local)})
            .analyze();
    EXPECT_TRUE(r.held_at_return.empty()) << through_local;
    EXPECT_TRUE(r.unlocks_without_lock.empty()) << through_local;
  }
}

TEST(LockBalance, TrylockFailureBranchDoesNotHoldTheLock) {
  LockBalanceResult r = FakeModule({conditional_take("mutex_trylock", BranchCondition::Test::Zero, false)}).analyze();
  EXPECT_TRUE(r.held_at_return.empty());
  EXPECT_TRUE(r.unlocks_without_lock.empty());
}

TEST(LockBalance, UnlockAfterAnUntestedTrylockIsAnUnlockWithoutLock) {
  LockBalanceResult r = FakeModule({straight_line({"spin_trylock", "spin_unlock"})}).analyze();
  ASSERT_EQ(r.unlocks_without_lock.size(), 1u);
  EXPECT_EQ(r.unlocks_without_lock[0].unlocked_at.line, 21u);
  EXPECT_EQ(r.unlocks_without_lock[0].because, UnlockWithoutLock::Because::TryFailed);
  EXPECT_EQ(r.unlocks_without_lock[0].proof_at.line, 20u);
}

TEST(LockBalance, UnlockAfterTheWrongTestOfInterruptibleIsAnUnlockWithoutLock) {
  // if (!mutex_lock_interruptible(...)) treats 0 (taken) as failure: the path that returns -4
  // holds the lock, the path that unlocks does not.
  LockBalanceResult r =
      FakeModule({conditional_take("mutex_lock_interruptible", BranchCondition::Test::Zero, false)}).analyze();
  ASSERT_EQ(r.unlocks_without_lock.size(), 1u);
  EXPECT_EQ(r.unlocks_without_lock[0].unlocked_at.line, 13u);
}

TEST(LockBalance, SecondLockOnThePathIsADoubleLock) {
  LockBalanceResult r = FakeModule({straight_line({"mutex_lock", "mutex_lock", "mutex_unlock"})}).analyze();
  ASSERT_EQ(r.double_locks.size(), 1u);
  EXPECT_EQ(r.double_locks[0].locked_at.line, 21u);
  EXPECT_EQ(r.double_locks[0].first_locked_at.line, 20u);
}

TEST(LockBalance, SecondUnlockOnThePathIsAnUnlockWithoutLock) {
  LockBalanceResult r = FakeModule({straight_line({"mutex_lock", "mutex_unlock", "mutex_unlock"})}).analyze();
  ASSERT_EQ(r.unlocks_without_lock.size(), 1u);
  EXPECT_EQ(r.unlocks_without_lock[0].unlocked_at.line, 22u);
  EXPECT_EQ(r.unlocks_without_lock[0].because, UnlockWithoutLock::Because::ReleasedBefore);
  EXPECT_EQ(r.unlocks_without_lock[0].proof_at.line, 21u);
}

TEST(LockBalance, LockAgainAfterUnlockIsFine) {
  LockBalanceResult r =
      FakeModule({straight_line({"mutex_lock", "mutex_unlock", "mutex_lock", "mutex_unlock"})}).analyze();
  EXPECT_TRUE(r.double_locks.empty());
  EXPECT_TRUE(r.unlocks_without_lock.empty());
  EXPECT_TRUE(r.held_at_return.empty());
}

TEST(LockBalance, ReadSidesThatNestAreNeitherDoubleLockNorDoubleUnlock) {
  LockBalanceResult r = FakeModule({straight_line({"rcu_read_lock", "rcu_read_lock", "rcu_read_unlock",
                                                   "rcu_read_unlock"})})
                            .analyze();
  EXPECT_TRUE(r.double_locks.empty());
  EXPECT_TRUE(r.unlocks_without_lock.empty());
  LockBalanceResult twice = FakeModule({straight_line({"rcu_read_lock", "rcu_read_unlock", "rcu_read_unlock"})}).analyze();
  ASSERT_EQ(twice.unlocks_without_lock.size(), 1u);
  EXPECT_EQ(twice.unlocks_without_lock[0].lock, "rcu_read_lock()");
}

TEST(LockBalance, UnlockOfTheCallersLockIsAReleasingHelper) {
  LockBalanceResult r = FakeModule({releasing_helper()}).analyze();
  EXPECT_TRUE(r.unlocks_without_lock.empty());
  EXPECT_TRUE(r.held_at_return.empty());
}

TEST(LockBalance, HeldOnEveryReturnIsAnAcquiringHelper) {
  LockBalanceResult r = FakeModule({acquiring_helper()}).analyze();
  EXPECT_TRUE(r.held_at_return.empty());
}

TEST(LockBalance, HelpersAreAppliedInTheCallersTerms) {
  EXPECT_TRUE(FakeModule({acquiring_helper(), releasing_helper(), helper_caller(true)}).analyze().held_at_return.empty());
  LockBalanceResult r = FakeModule({acquiring_helper(), releasing_helper(), helper_caller(false)}).analyze();
  ASSERT_EQ(r.held_at_return.size(), 1u);
  EXPECT_EQ(r.held_at_return[0].function.function->name, "ioctl");
  EXPECT_EQ(r.held_at_return[0].returned_at.line, 22u);
  EXPECT_EQ(r.held_at_return[0].acquired_at.line, 20u);
  EXPECT_EQ(r.held_at_return[0].acquired_with, "lock_dev");
  EXPECT_EQ(r.held_at_return[0].lock, "&p->lock");
}

TEST(LockBalance, HelperHeldOnlyOnSuccessIsAConditionalAcquire) {
  // lock_checked(d): if (mutex_lock_interruptible(&d->lock)) return -4; return 0 -- then its
  // caller: if (lock_checked(p)) return -4; mutex_unlock(&p->lock); return 0.
  FunctionBuilder h("lock_checked", "int");
  int entry = h.block(), fail = h.block(), ok = h.block(), exit = h.block();
  int c = h.call(entry, "mutex_lock_interruptible", {lock_of("d")}, 40);
  h.branch(entry, BranchCondition::Test::NonZero, call_result(c), fail, ok);
  h.ret(fail, constant(-4), 41, exit);
  h.ret(ok, constant(0), 42, exit);
  FunctionFacts helper = h.finish(exit);
  FunctionFacts caller = conditional_take("lock_checked", BranchCondition::Test::NonZero, false);
  caller.calls[0].args = {param("d")};
  LockBalanceResult r = FakeModule({helper, caller}).analyze();
  EXPECT_TRUE(r.held_at_return.empty());
  EXPECT_TRUE(r.unlocks_without_lock.empty());
}

TEST(LockBalance, ScopedGuardsAreNotTracked) {
  FunctionFacts f = error_return_keeps_lock(false);
  f.calls[0].callee = "class_mutex_constructor";
  f.calls[1].callee = "printk";
  LockBalanceResult r = FakeModule({f}).analyze();
  EXPECT_TRUE(r.held_at_return.empty());
  EXPECT_TRUE(r.unlocks_without_lock.empty());
}

TEST(LockBalance, ALocalPointerStandsForWhatItWasAssigned) {
  // priv = d; mutex_lock(&priv->lock); if (v) return -22; mutex_unlock(&d->lock); return 0.
  FunctionFacts f = error_return_keeps_lock(true);
  ValueRef through_local = lock_of("d");
  through_local.kind = ValueRef::Kind::Local;
  through_local.root = "priv";
  through_local.text = "&priv->lock";
  f.calls[0].args = {through_local};
  f.assigns.push_back({local("priv"), param("d"), {kFile, 9, 2}});
  f.blocks[0].events.insert(f.blocks[0].events.begin(), {Event::Kind::Assign, 0});
  LockBalanceResult r = FakeModule({f}).analyze();
  EXPECT_TRUE(r.held_at_return.empty());
  EXPECT_TRUE(r.unlocks_without_lock.empty());
}

TEST(LockBalance, LocksOfArrayElementsAreNeverDoubleLocks) {
  // for (i = 0; i < n; i++) spin_lock(&d->port[i].lock): one key names every element.
  FunctionFacts f = straight_line({"spin_lock", "spin_lock", "spin_unlock", "spin_unlock"});
  for (CallEvent& call : f.calls) {
    call.args[0].path = "->port[].lock";
    call.args[0].text = "&d->port[i].lock";
  }
  LockBalanceResult r = FakeModule({f}).analyze();
  EXPECT_TRUE(r.double_locks.empty());
  EXPECT_TRUE(r.unlocks_without_lock.empty());
}

TEST(LockBalance, NeverReleasingTheLockItselfIsNotAnInconsistentReturn) {
  // if (v) mutex_lock(&d->lock); return: a lock helper for its caller, not a finding.
  FunctionBuilder b("maybe_lock", "void", {"d", "v"});
  int entry = b.block(), take = b.block(), done = b.block(), exit = b.block();
  b.branch(entry, BranchCondition::Test::NonZero, param("v"), take, done);
  b.call(take, "mutex_lock", {lock_of("d")}, 10);
  b.jump(take, done);
  b.jump(done, exit);
  LockBalanceResult r = FakeModule({b.finish(exit)}).analyze();
  EXPECT_TRUE(r.held_at_return.empty());
}

TEST(LockBalance, ARecursiveLockHelperIsNotAnInconsistentReturn) {
  // if (d->owner != current) { mutex_lock(&d->lock); if (rc) { mutex_unlock(&d->lock); return rc; } }
  // return 0 (l.20): the same return with and without the lock, by the function's own state.
  FunctionBuilder b("fw_lock", "int");
  int entry = b.block(), take = b.block(), fail = b.block(), done = b.block(), exit = b.block();
  ValueRef owner = param("d");
  owner.kind = ValueRef::Kind::Other;
  owner.text = "d->owner != current";
  b.branch(entry, BranchCondition::Test::Unknown, owner, take, done);
  b.call(take, "mutex_lock", {lock_of("d")}, 10);
  int rc = b.call(take, "wait_empty", {param("d")}, 11);
  b.assign(take, local("rc"), call_result(rc), 11);
  b.branch(take, BranchCondition::Test::NonZero, local("rc"), fail, done);
  b.call(fail, "mutex_unlock", {lock_of("d")}, 13);
  b.ret(fail, local("rc"), 14, exit);
  b.ret(done, constant(0), 20, exit);
  LockBalanceResult r = FakeModule({b.finish(exit)}).analyze();
  EXPECT_TRUE(r.held_at_return.empty());
}

TEST(LockBalance, TheCheckWordsHeldAtReturnWithTheAcquireAsANote) {
  FakeModule module({error_return_keeps_lock(false)});
  std::vector<Finding> findings = run_checks(module.linked, {find_check("lock-imbalance")});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.line, 12u);
  EXPECT_EQ(findings[0].function, "set_level");
  EXPECT_NE(findings[0].message.find("'&d->lock' is still held when set_level() returns here"), std::string::npos);
  ASSERT_EQ(findings[0].notes.size(), 2u);
  EXPECT_EQ(findings[0].notes[0].location.line, 10u);
}

namespace {

using locking::AnnotationBroken;

ContextAnnotation annotation(ContextAnnotation::Kind kind, const std::string& lock) {
  return {kind, lock, {kFile, 1, 30}};
}

// if (v) return (l.12); `taker`/`giver` (l.13) on &d->lock; return (l.14). `annotated` as given.
FunctionFacts early_return(const std::string& name, const std::string& call, ContextAnnotation annotated) {
  FunctionBuilder b(name, "void", {"d", "v"});
  b.f.lock_annotations.push_back(std::move(annotated));
  int entry = b.block(), fail = b.block(), ok = b.block(), exit = b.block();
  b.branch(entry, BranchCondition::Test::NonZero, param("v"), fail, ok);
  b.ret(fail, ValueRef{}, 12, exit);
  b.call(ok, call, {lock_of("d")}, 13);
  b.ret(ok, ValueRef{}, 14, exit);
  return b.finish(exit);
}

// A function with `annotated` whose body calls `calls` (l.20, 21, ...) on &d->lock.
FunctionFacts annotated_straight_line(const std::string& name, ContextAnnotation annotated,
                                      const std::vector<std::string>& calls) {
  FunctionFacts f = straight_line(calls);
  f.name = name;
  f.lock_annotations.push_back(std::move(annotated));
  return f;
}

}  // namespace

TEST(LockAnnotations, TheLockAnAnnotationNamesIsInTheFunctionsTerms) {
  FunctionFacts fn;
  fn.params = {"d", "lock"};
  LockTable table = default_lock_table();
  using K = ContextAnnotation::Kind;
  for (const char* spelling : {"&d->lock", "d->lock", "(d)->lock", "& d -> lock"}) {
    std::optional<locking::LockRef> lock = locking::annotated_lock(annotation(K::Acquires, spelling), fn, table);
    ASSERT_TRUE(lock) << spelling;
    EXPECT_EQ(lock->object.to_string(), lifetimes::ValueKey::param(0, "->lock").to_string()) << spelling;
  }
  EXPECT_EQ(locking::annotated_lock(annotation(K::Releases, "lock"), fn, table)->object.index, 1);
  EXPECT_EQ(locking::annotated_lock(annotation(K::Releases, "RCU"), fn, table)->implicit_class, "rcu");
  EXPECT_EQ(locking::annotated_lock(annotation(K::MustHold, "&dev_list_lock"), fn, table)->object.kind,
            lifetimes::ValueKey::Kind::Global);
  EXPECT_FALSE(locking::annotated_lock(annotation(K::MustHold, "d->locks[0]"), fn, table));
  EXPECT_FALSE(locking::annotated_lock(annotation(K::MustHold, "get_lock(d)"), fn, table));
}

TEST(LockAnnotations, AnAcquiresHelperThatReturnsWithoutTheLockBreaksIt) {
  LockBalanceResult r =
      FakeModule({early_return("lock_dev", "mutex_lock", annotation(ContextAnnotation::Kind::Acquires, "&d->lock"))})
          .analyze();
  ASSERT_EQ(r.annotations_broken.size(), 1u);
  EXPECT_EQ(r.annotations_broken[0].because, AnnotationBroken::Because::AcquiresNotHeld);
  EXPECT_EQ(r.annotations_broken[0].at.line, 12u);
  EXPECT_EQ(r.annotations_broken[0].lock, "&d->lock");
  EXPECT_TRUE(r.held_at_return.empty());
  EXPECT_TRUE(FakeModule({acquiring_helper()}).analyze().annotations_broken.empty());
}

TEST(LockAnnotations, AnAcquireTheWalkCannotSeeIsTakenFromTheAnnotation) {
  // lock_dev() takes the lock in a way the walk cannot see; its annotation says it does.
  FunctionBuilder b("lock_dev", "void");
  b.f.lock_annotations.push_back(annotation(ContextAnnotation::Kind::Acquires, "&d->lock"));
  int entry = b.block(), exit = b.block();
  b.call(entry, "arch_take", {param("d")}, 40);
  b.jump(entry, exit);
  LockBalanceResult r = FakeModule({b.finish(exit), releasing_helper(), helper_caller(false)}).analyze();
  ASSERT_EQ(r.held_at_return.size(), 1u);
  EXPECT_EQ(r.held_at_return[0].returned_at.line, 22u);
  EXPECT_TRUE(r.annotations_broken.empty());
}

TEST(LockAnnotations, AReleasesHelperThatReturnsStillHoldingTheLockBreaksIt) {
  LockBalanceResult r = FakeModule({early_return("unlock_dev", "mutex_unlock",
                                                 annotation(ContextAnnotation::Kind::Releases, "&d->lock"))})
                            .analyze();
  ASSERT_EQ(r.annotations_broken.size(), 1u);
  EXPECT_EQ(r.annotations_broken[0].because, AnnotationBroken::Because::ReleasesStillHeld);
  EXPECT_EQ(r.annotations_broken[0].at.line, 12u);
  // Releasing twice what the caller held once is an unlock without lock.
  LockBalanceResult twice =
      FakeModule({annotated_straight_line("put", annotation(ContextAnnotation::Kind::Releases, "&d->lock"),
                                          {"mutex_unlock", "mutex_unlock"})})
          .analyze();
  ASSERT_EQ(twice.unlocks_without_lock.size(), 1u);
  EXPECT_EQ(twice.unlocks_without_lock[0].unlocked_at.line, 21u);
}

TEST(LockAnnotations, AMustHoldFunctionKeepsTheCallersLock) {
  using K = ContextAnnotation::Kind;
  LockBalanceResult released =
      FakeModule({early_return("update", "mutex_unlock", annotation(K::MustHold, "&d->lock"))}).analyze();
  ASSERT_EQ(released.annotations_broken.size(), 1u);
  EXPECT_EQ(released.annotations_broken[0].because, AnnotationBroken::Because::MustHoldReleased);
  EXPECT_EQ(released.annotations_broken[0].at.line, 14u);
  EXPECT_EQ(released.annotations_broken[0].proof_at.line, 13u);
  EXPECT_TRUE(released.held_at_return.empty());

  LockBalanceResult retaken = FakeModule({annotated_straight_line("wait", annotation(K::MustHold, "&d->lock"),
                                                                  {"mutex_unlock", "mutex_lock"})})
                                  .analyze();
  EXPECT_TRUE(retaken.annotations_broken.empty());
  EXPECT_TRUE(retaken.double_locks.empty());
  EXPECT_TRUE(retaken.held_at_return.empty());

  LockBalanceResult again = FakeModule({annotated_straight_line("reset", annotation(K::MustHold, "&d->lock"),
                                                                {"mutex_lock", "mutex_unlock"})})
                                .analyze();
  ASSERT_EQ(again.double_locks.size(), 1u);
  EXPECT_EQ(again.double_locks[0].locked_at.line, 20u);
  EXPECT_TRUE(again.annotations_broken.empty());
}

TEST(LockAnnotations, CallingAMustHoldFunctionAfterReleasingTheLockBreaksIt) {
  FunctionBuilder touch("touch", "void");
  touch.f.lock_annotations.push_back(annotation(ContextAnnotation::Kind::MustHold, "&d->lock"));
  int t_entry = touch.block(), t_exit = touch.block();
  touch.call(t_entry, "pr_info", {}, 60);
  touch.jump(t_entry, t_exit);

  FunctionBuilder caller("ioctl", "int", {"p"});
  int entry = caller.block(), exit = caller.block();
  caller.call(entry, "mutex_lock", {lock_of("p")}, 20);
  caller.call(entry, "touch", {param("p")}, 21);
  caller.call(entry, "mutex_unlock", {lock_of("p")}, 22);
  caller.call(entry, "touch", {param("p")}, 23);
  caller.ret(entry, constant(0), 24, exit);
  LockBalanceResult r = FakeModule({touch.finish(t_exit), caller.finish(exit)}).analyze();
  ASSERT_EQ(r.annotations_broken.size(), 1u);
  EXPECT_EQ(r.annotations_broken[0].because, AnnotationBroken::Because::CalledWithoutLock);
  EXPECT_EQ(r.annotations_broken[0].at.line, 23u);
  EXPECT_EQ(r.annotations_broken[0].callee, "touch");
  EXPECT_EQ(r.annotations_broken[0].proof_at.line, 22u);
}

namespace {

// reload_down(d, v): mutex_lock(&d->lock) (l.10); if (v) { mutex_unlock (l.11); return (l.12) };
// return (l.14) with the lock held for another function.
FunctionFacts leaves_lock_held() {
  FunctionBuilder b("reload_down", "void", {"d", "v"});
  int entry = b.block(), fail = b.block(), ok = b.block(), exit = b.block();
  b.call(entry, "mutex_lock", {lock_of("d")}, 10);
  b.branch(entry, BranchCondition::Test::NonZero, param("v"), fail, ok);
  b.call(fail, "mutex_unlock", {lock_of("d")}, 11);
  b.ret(fail, ValueRef{}, 12, exit);
  b.ret(ok, ValueRef{}, 14, exit);
  return b.finish(exit);
}

}  // namespace

TEST(LockBalance, ALockHandedToACallbackThatReleasesItIsNotHeldAtReturn) {
  // reload_up (releasing_helper, "unlock_dev") gives back its caller's &d->lock and nothing in the
  // module calls it: the framework calls it after reload_down.
  EXPECT_TRUE(FakeModule({leaves_lock_held(), releasing_helper()}).analyze().held_at_return.empty());
  // Alone, or with the releasing function a helper the module calls (lock, then unlock_dev()),
  // the held return is reported.
  LockBalanceResult alone = FakeModule({leaves_lock_held()}).analyze();
  ASSERT_EQ(alone.held_at_return.size(), 1u);
  EXPECT_EQ(alone.held_at_return[0].returned_at.line, 14u);
  FunctionBuilder user("other", "void", {"p"});
  int entry = user.block(), exit = user.block();
  user.call(entry, "mutex_lock", {lock_of("p")}, 29);
  user.call(entry, "unlock_dev", {param("p")}, 30);
  user.jump(entry, exit);
  LockBalanceResult helper = FakeModule({leaves_lock_held(), releasing_helper(), user.finish(exit)}).analyze();
  EXPECT_EQ(helper.held_at_return.size(), 1u);
}

TEST(LockBalance, ALockOfTheSameKindReleasedUnderAnotherNameIsNotHeldAtReturn) {
  // mutex_lock(&d->lock); if (v) { unlock_dev(q); return -22; } mutex_unlock(&d->lock); return 0:
  // q->lock is a struct dev's lock too, which the path never took -- most likely the same one.
  FunctionFacts f = error_return_keeps_lock(false);
  BasicBlock& fail = f.blocks[1];
  CallEvent c;
  c.callee = "unlock_dev";
  c.args = {local("q")};
  c.location = {kFile, 11, 2};
  f.calls.push_back(c);
  fail.events.insert(fail.events.begin(), {Event::Kind::Call, static_cast<int>(f.calls.size()) - 1});
  EXPECT_TRUE(FakeModule({releasing_helper(), f}).analyze().held_at_return.empty());
}

namespace {

ValueRef spelled(const std::string& text) {
  ValueRef v;
  v.kind = ValueRef::Kind::Other;
  v.text = text;
  return v;
}

// mutex_lock(&p->lock) (l.29); unlock_dev(p) (l.30): makes unlock_dev a helper the module calls.
FunctionFacts calls_unlock_helper() {
  FunctionBuilder user("other", "void", {"p"});
  int entry = user.block(), exit = user.block();
  user.call(entry, "mutex_lock", {lock_of("p")}, 29);
  user.call(entry, "unlock_dev", {param("p")}, 30);
  user.jump(entry, exit);
  return user.finish(exit);
}

}  // namespace

TEST(LockBalance, AComparisonAndItsNegationAreOneSpelledTest) {
  using locking::canonical_test;
  EXPECT_EQ(canonical_test("gfp != GFP_ATOMIC").key, "gfp == GFP_ATOMIC");
  EXPECT_FALSE(canonical_test("gfp != GFP_ATOMIC").holds);
  EXPECT_TRUE(canonical_test("gfp == GFP_ATOMIC").holds);
  locking::SpelledTest loop = canonical_test("++cnt < max_retries");
  EXPECT_EQ(loop.key, "cnt < max_retries");
  EXPECT_TRUE(loop.holds);
  EXPECT_TRUE(loop.counter);
  locking::SpelledTest after = canonical_test("cnt >= max_retries");
  EXPECT_EQ(after.key, "cnt < max_retries");
  EXPECT_FALSE(after.holds);
  EXPECT_FALSE(after.counter);
  EXPECT_EQ(canonical_test("a > b").key, "b < a");
  EXPECT_TRUE(canonical_test("a > b").holds);
  EXPECT_FALSE(canonical_test("a <= b").holds);
  EXPECT_EQ(canonical_test("a << b").key, "a << b");
  EXPECT_EQ(canonical_test("p->state == 3").key, "p->state == 3");
}

TEST(LockBalance, ALockTakenUnderAConditionIsReleasedUnderItsNegation) {
  // if (gfp == A) spin_lock (l.10); if (gfp != A) {} else spin_unlock (l.12); return 0 (l.14).
  FunctionBuilder b("refill", "int");
  int entry = b.block(), take = b.block(), mid = b.block(), give = b.block(), out = b.block(), exit = b.block();
  b.branch(entry, BranchCondition::Test::Unknown, spelled("gfp == A"), take, mid);
  b.call(take, "spin_lock", {lock_of("d")}, 10);
  b.jump(take, mid);
  b.branch(mid, BranchCondition::Test::Unknown, spelled("gfp != A"), out, give);
  b.call(give, "spin_unlock", {lock_of("d")}, 12);
  b.jump(give, out);
  b.ret(out, constant(0), 14, exit);
  LockBalanceResult r = FakeModule({b.finish(exit)}).analyze();
  EXPECT_TRUE(r.held_at_return.empty());
  EXPECT_TRUE(r.unlocks_without_lock.empty());
}

TEST(LockBalance, AFlagSetToAConstantIsFollowedToItsTest) {
  // rebooted = 0; if (v) { rtnl_lock() (l.10); rebooted = 1; } if (!rebooted) rtnl_lock() (l.12);
  // rtnl_unlock() (l.13).
  FunctionBuilder b("watchdog", "void", {"d", "v"});
  int entry = b.block(), reboot = b.block(), mid = b.block(), take = b.block(), out = b.block(), exit = b.block();
  b.assign(entry, local("rebooted"), constant(0), 8);
  b.branch(entry, BranchCondition::Test::NonZero, param("v"), reboot, mid);
  b.call(reboot, "rtnl_lock", {}, 10);
  b.assign(reboot, local("rebooted"), constant(1), 11);
  b.jump(reboot, mid);
  b.branch(mid, BranchCondition::Test::Zero, local("rebooted"), take, out);
  b.call(take, "rtnl_lock", {}, 12);
  b.jump(take, out);
  b.call(out, "rtnl_unlock", {}, 13);
  b.jump(out, exit);
  LockBalanceResult r = FakeModule({b.finish(exit)}).analyze();
  EXPECT_TRUE(r.double_locks.empty());
}

TEST(LockBalance, ARetryLoopLeftByABreakHasNotRunOutOfRetries) {
  // do { spin_lock (l.10); if (done) break; spin_unlock (l.12); } while (++cnt < max);
  // if (cnt >= max) return -11 (l.14); spin_unlock (l.15); return 0 (l.16).
  FunctionBuilder b("mcp_cmd", "int", {"d", "done"});
  int entry = b.block(), body = b.block(), cont = b.block(), after = b.block(), fail = b.block(), ok = b.block(),
      exit = b.block();
  b.assign(entry, local("cnt"), constant(0), 8);
  b.jump(entry, body);
  b.call(body, "spin_lock", {lock_of("d")}, 10);
  b.branch(body, BranchCondition::Test::NonZero, param("done"), after, cont);
  b.call(cont, "spin_unlock", {lock_of("d")}, 12);
  b.assign(cont, local("cnt"), spelled("++cnt"), 13);
  b.branch(cont, BranchCondition::Test::Unknown, spelled("++cnt < max"), body, after);
  b.branch(after, BranchCondition::Test::Unknown, spelled("cnt >= max"), fail, ok);
  b.ret(fail, constant(-11), 14, exit);
  b.call(ok, "spin_unlock", {lock_of("d")}, 15);
  b.ret(ok, constant(0), 16, exit);
  LockBalanceResult r = FakeModule({b.finish(exit)}).analyze();
  EXPECT_TRUE(r.held_at_return.empty());
  EXPECT_TRUE(r.unlocks_without_lock.empty());
  EXPECT_TRUE(r.double_locks.empty());
}

TEST(LockBalance, ALockGivenToACallbackThatReleasesItIsHandedOver) {
  // reload_down, but its held return first passes unlock_dev as a callback (l.13); unlock_dev is
  // also a helper the module calls, so only the callback excuses the held return.
  FunctionFacts f = leaves_lock_held();
  ValueRef callback;
  callback.kind = ValueRef::Kind::Function;
  callback.root = "unlock_dev";
  callback.text = "unlock_dev";
  CallEvent c;
  c.callee = "queue_callback";
  c.args = {callback};
  c.location = {kFile, 13, 2};
  f.calls.push_back(c);
  f.blocks[2].events.insert(f.blocks[2].events.begin(), {Event::Kind::Call, static_cast<int>(f.calls.size()) - 1});
  EXPECT_TRUE(FakeModule({f, releasing_helper(), calls_unlock_helper()}).analyze().held_at_return.empty());
  EXPECT_EQ(FakeModule({leaves_lock_held(), releasing_helper(), calls_unlock_helper()}).analyze().held_at_return.size(),
            1u);
}
