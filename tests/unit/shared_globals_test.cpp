// The tables of the shared-globals checks (entry points, locks) and the checks on hand-made facts.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "checks/registry.h"
#include "engines/concurrency/shared_globals.h"
#include "tables/entry_points.h"
#include "tables/locks.h"
#include "tables/yaml_table.h"

#include "temp_table.h"

using namespace kmodlint;

namespace {

std::string write_temp(const std::string& text) { return test_support::write_temp_yaml("sg", text); }

using test_support::error_of;

}  // namespace

TEST(EntryPointTable, LoadsTheBuiltInTable) {
  const EntryPointTable& table = default_entry_point_table();
  const CallContext* read = table.field_context("file_operations", "read");
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->concurrent_with_self, "always");
  EXPECT_TRUE(read->has_context("process"));
  const Registration* timer = table.find_registration_by_callee("init_timer_key");
  ASSERT_NE(timer, nullptr);
  EXPECT_EQ(timer->name, "timer_setup");
  ASSERT_EQ(timer->callbacks.size(), 1u);
  EXPECT_EQ(timer->callbacks[0].arg, 1);
  EXPECT_TRUE(timer->callbacks[0].context.has_context("softirq"));
  const Registration* irq = table.find_registration_by_callee("request_irq");
  ASSERT_NE(irq, nullptr);
  EXPECT_TRUE(irq->callbacks[0].context.may_run_in_hardirq());
  const Registration* notifier = table.find_registration("atomic_notifier_chain_register");
  ASSERT_NE(notifier, nullptr);
  ASSERT_EQ(notifier->ops_args.size(), 1u);
  EXPECT_TRUE(notifier->ops_args[0].overrides.at("notifier_call").has_context("hardirq"));
  const SerializerInfo* rtnl = table.find_serializer("rtnl");
  ASSERT_NE(rtnl, nullptr);
  EXPECT_EQ(rtnl->scope, "global");
  EXPECT_FALSE(table.lifecycle.empty());
}

TEST(EntryPointTable, UnknownKeyNamesFileAndLine) {
  std::string path = write_temp(
      "schema_version: 1\ntable: entry-points\ncontexts: []\nserializers: []\nstructs:\n"
      "  - {struct: s, family: misc, instance: x, source: y, fields: [], nested: [], colour: red}\n"
      "registrations: []\nlifecycle: []\n");
  std::string error = error_of([&] { load_entry_point_table(path); });
  EXPECT_NE(error.find(path + ":6:"), std::string::npos) << error;
  EXPECT_NE(error.find("colour"), std::string::npos) << error;
}

TEST(EntryPointTable, UnknownContextIsAnError) {
  std::string path = write_temp(
      "schema_version: 1\ntable: entry-points\ncontexts: [{id: process, atomic: false, description: p}]\n"
      "serializers: []\nstructs:\n"
      "  - struct: s\n    family: misc\n    instance: x\n    source: y\n    nested: []\n    fields:\n"
      "      - {field: f, context: [warp], may_sleep: true, concurrent_with_self: always}\n"
      "registrations: []\nlifecycle: []\n");
  std::string error = error_of([&] { load_entry_point_table(path); });
  EXPECT_NE(error.find(path + ":12:"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown context 'warp'"), std::string::npos) << error;
}

TEST(LockTable, LoadsTheBuiltInTable) {
  const LockTable& table = default_lock_table();
  const LockPrimitive* irqsave = table.find_primitive_by_callee("_raw_spin_lock_irqsave");
  ASSERT_NE(irqsave, nullptr);
  EXPECT_EQ(irqsave->name, "spin_lock_irqsave");
  EXPECT_TRUE(irqsave->disables_irq());
  EXPECT_EQ(irqsave->unwrap, std::vector<std::string>{"spinlock_check"});
  const LockPrimitive* interruptible = table.find_primitive("mutex_lock_interruptible");
  ASSERT_NE(interruptible, nullptr);
  EXPECT_EQ(interruptible->op, "try_acquire");
  EXPECT_EQ(interruptible->held_when, "zero");
  const LockPrimitive* rcu = table.find_primitive("rcu_read_lock");
  ASSERT_NE(rcu, nullptr);
  EXPECT_EQ(rcu->lock_arg, -1);
  const LockGuard* guard = table.find_guard_by_constructor("class_mutex_constructor");
  ASSERT_NE(guard, nullptr);
  EXPECT_EQ(guard->acquire, "mutex_lock");
  ASSERT_NE(table.find_lockless_macro("READ_ONCE"), nullptr);
  EXPECT_TRUE(table.find_lockless_macro("READ_ONCE")->atomic);
  ASSERT_NE(table.find_lockless_by_callee("atomic_inc"), nullptr);
  EXPECT_EQ(table.find_lockless_macro("atomic_inc"), nullptr);
}

TEST(LockTable, BadEnumNamesKeyAndLine) {
  std::string path = write_temp(
      "schema_version: 1\ntable: locks\nlock_classes: [{id: spinlock, type: spinlock_t, sleeps: false}]\n"
      "primitives:\n"
      "  - {name: spin_lock, kind: inline, class: spinlock, op: grab, mode: exclusive, lock_arg: 0, source: x}\n"
      "guards: []\nlockless: []\nannotations: []\n");
  std::string error = error_of([&] { load_lock_table(path); });
  EXPECT_NE(error.find(path + ":5:"), std::string::npos) << error;
  EXPECT_NE(error.find("key 'op'"), std::string::npos) << error;
}

namespace {

// A module of one unit: a file_operations with open() and release() sharing `open_count`.
struct CheckThenAct {
  UnitFacts unit;
  ModuleSpec spec;

  static BasicBlock block(int id, std::vector<Event> events, std::vector<int> successors) {
    BasicBlock b;
    b.id = id;
    b.events = std::move(events);
    b.successors = std::move(successors);
    return b;
  }

  FunctionFacts callback(const std::string& name, AccessEvent::Mode mode, bool locked, unsigned line) {
    FunctionFacts f;
    f.name = name;
    f.is_static = true;
    f.location = {"/m/m.c", line, 1};
    AccessEvent access;
    access.variable = "open_count";
    access.mode = mode;
    access.location = {"/m/m.c", line + 2, 2};
    f.accesses.push_back(access);
    std::vector<Event> events;
    if (locked) {
      CallEvent lock;
      lock.callee = "mutex_lock";
      ValueRef arg;
      arg.kind = ValueRef::Kind::Global;
      arg.root = "lock";
      arg.address_of = true;
      lock.args.push_back(arg);
      CallEvent unlock = lock;
      unlock.callee = "mutex_unlock";
      f.calls = {lock, unlock};
      events = {{Event::Kind::Call, 0}, {Event::Kind::Access, 0}, {Event::Kind::Call, 1}};
    } else {
      events = {{Event::Kind::Access, 0}};
    }
    f.blocks = {block(0, events, {1}), block(1, {}, {})};
    f.entry_block = 0;
    f.exit_block = 1;
    return f;
  }

  CheckThenAct(bool open_locked, bool release_locked) {
    unit.source_file = "/m/m.c";
    unit.parsed = true;
    unit.functions.push_back(callback("m_open", AccessEvent::Mode::ReadWrite, open_locked, 10));
    unit.functions.push_back(callback("m_release", AccessEvent::Mode::ReadWrite, release_locked, 20));
    GlobalVarFacts g;
    g.name = "open_count";
    g.type = "int";
    g.is_static = true;
    g.location = {"/m/m.c", 5, 12};
    unit.globals.push_back(g);
    unit.function_stores.push_back({"file_operations", "open", "m_open", "m_fops", {"/m/m.c", 30, 2}});
    unit.function_stores.push_back({"file_operations", "release", "m_release", "m_fops", {"/m/m.c", 31, 2}});
    spec.name = "m";
  }

  std::vector<Finding> run(const std::string& check) {
    LinkedProject project;
    project.modules.emplace_back(spec, std::vector<const UnitFacts*>{&unit});
    return run_checks(project, {find_check(check)});
  }
};

}  // namespace

TEST(UnprotectedSharedGlobal, ReportsUnlockedCounterOnceAtFirstWrite) {
  CheckThenAct module(false, false);
  std::vector<Finding> findings = module.run("unprotected-shared-global");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.line, 12u);
  EXPECT_EQ(findings[0].notes.size(), 2u);
  EXPECT_NE(findings[0].message.find("m_release()"), std::string::npos) << findings[0].message;
}

TEST(UnprotectedSharedGlobal, CommonLockIsClean) {
  CheckThenAct module(true, true);
  EXPECT_TRUE(module.run("unprotected-shared-global").empty());
}

TEST(UnprotectedSharedGlobal, NamesTheLockUsedElsewhere) {
  CheckThenAct module(true, false);
  std::vector<Finding> findings = module.run("unprotected-shared-global");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.line, 22u);  // the unlocked write in release()
  EXPECT_NE(findings[0].message.find("protected by 'lock' elsewhere"), std::string::npos) << findings[0].message;
}
