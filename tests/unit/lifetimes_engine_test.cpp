// The lifetimes engine (the cleanup-pairs path analysis) on hand-made facts: no Clang needed.
#include <gtest/gtest.h>

#include "engines/lifetimes/lifetimes.h"
#include "checks/registry.h"
#include "tables/api_names.h"
#include "tables/rule_tables.h"
#include "tables/cleanup_pairs.h"

using namespace kmodlint;

namespace {

ValueRef global(const std::string& name, bool address_of = false) {
  ValueRef v;
  v.kind = ValueRef::Kind::Global;
  v.root = name;
  v.address_of = address_of;
  v.text = (address_of ? "&" : "") + name;
  return v;
}

ValueRef constant(std::int64_t value) {
  ValueRef v;
  v.kind = ValueRef::Kind::IntConstant;
  v.int_value = value;
  return v;
}

ValueRef call_result(int index) {
  ValueRef v;
  v.kind = ValueRef::Kind::CallResult;
  v.call_index = index;
  return v;
}

// Builds a function block by block; block 0 is the entry, the last block added by finish() the exit.
struct FunctionBuilder {
  FunctionFacts f;
  std::string file;

  FunctionBuilder(const std::string& name, const std::string& return_type, const std::string& file) : file(file) {
    f.name = name;
    f.return_type = return_type;
    f.location = {file, 1, 1};
  }
  int block() {
    BasicBlock b;
    b.id = static_cast<int>(f.blocks.size());
    f.blocks.push_back(b);
    return b.id;
  }
  int call(int block, const std::string& callee, std::vector<ValueRef> args, unsigned line,
           std::optional<ValueRef> result_to = std::nullopt) {
    CallEvent c;
    c.callee = callee;
    c.args = std::move(args);
    c.location = {file, line, 2};
    int index = static_cast<int>(f.calls.size());
    f.calls.push_back(c);
    f.blocks[block].events.push_back({Event::Kind::Call, index});
    if (result_to) {
      f.calls[index].result_to = result_to;
      f.assigns.push_back({*result_to, call_result(index), {file, line, 2}});
      f.blocks[block].events.push_back({Event::Kind::Assign, static_cast<int>(f.assigns.size()) - 1});
    }
    return index;
  }
  void ret(int block, ValueRef value, unsigned line) {
    f.returns.push_back({value, {file, line, 2}});
    f.blocks[block].events.push_back({Event::Kind::Return, static_cast<int>(f.returns.size()) - 1});
  }
  void branch(int block, BranchCondition::Test test, ValueRef subject, int if_true, int if_false) {
    BranchCondition c;
    c.test = test;
    c.subject = subject;
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

  explicit FakeModule(UnitFacts unit) {
    ModuleSpec spec;
    spec.name = "fake";
    spec.units.resize(1);
    project.modules.push_back(spec);
    linked.project = &project;
    linked.units.push_back(std::move(unit));
    linked.modules.emplace_back(project.modules[0], std::vector<const UnitFacts*>{&linked.units[0]});
  }
  std::vector<Finding> run(const std::string& check) { return run_checks(linked, {find_check(check)}); }
};

// init: buf = kzalloc(); if (!buf) return -ENOMEM (l.11); wq = alloc_workqueue();
//       if (!wq) return -ENOMEM (l.14, leaks buf); return 0.
FunctionFacts init_function() {
  FunctionBuilder b("m_init", "int", "/m/m.c");
  int entry = b.block(), check_buf = b.block(), fail_buf = b.block(), alloc_wq = b.block(), fail_wq = b.block(),
      ok = b.block(), exit = b.block();
  b.jump(entry, check_buf);
  b.call(check_buf, "kzalloc", {constant(64), constant(0xcc0)}, 10, global("buf"));
  b.branch(check_buf, BranchCondition::Test::Zero, global("buf"), fail_buf, alloc_wq);
  b.ret(fail_buf, constant(-12), 11);
  b.jump(fail_buf, exit);
  ValueRef name;
  name.kind = ValueRef::Kind::String;
  b.call(alloc_wq, "alloc_workqueue", {name, constant(0), constant(0)}, 13, global("wq"));
  b.branch(alloc_wq, BranchCondition::Test::Zero, global("wq"), fail_wq, ok);
  b.ret(fail_wq, constant(-12), 14);
  b.jump(fail_wq, exit);
  b.ret(ok, constant(0), 15);
  b.jump(ok, exit);
  return b.finish(exit);
}

// exit: kfree(buf) (l.21); kfree(buf) again (l.22) when `twice`.
FunctionFacts exit_function(bool twice) {
  FunctionBuilder b("m_exit", "void", "/m/m.c");
  int entry = b.block(), body = b.block(), exit = b.block();
  b.jump(entry, body);
  b.call(body, "kfree", {global("buf")}, 21);
  if (twice) b.call(body, "kfree", {global("buf")}, 22);
  b.jump(body, exit);
  return b.finish(exit);
}

UnitFacts module_unit(bool twice) {
  UnitFacts unit;
  unit.source_file = "/m/m.c";
  unit.parsed = true;
  unit.functions = {init_function(), exit_function(twice)};
  unit.module_init = EntryMacro{"m_init", {"/m/m.c", 30, 1}, false};
  unit.module_exit = EntryMacro{"m_exit", {"/m/m.c", 31, 1}, false};
  return unit;
}

// exit: log_buffer(buf) (l.21), a function kmodlint knows nothing about; destroy_workqueue(wq) (l.22).
UnitFacts logging_exit_unit() {
  UnitFacts unit = module_unit(false);
  FunctionBuilder b("m_exit", "void", "/m/m.c");
  int entry = b.block(), body = b.block(), exit = b.block();
  b.jump(entry, body);
  b.call(body, "log_buffer", {global("buf")}, 21);
  b.call(body, "destroy_workqueue", {global("wq")}, 22);
  b.jump(body, exit);
  unit.functions[1] = b.finish(exit);
  return unit;
}

}  // namespace

TEST(LifetimesEngine, ErrorReturnLeaksWhatThePathAcquired) {
  auto findings = FakeModule(module_unit(false)).run("leak-on-init-error");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.line, 14u);  // not 11: the failed kzalloc holds nothing
  EXPECT_NE(findings[0].message.find("kzalloc() at m.c:10"), std::string::npos) << findings[0].message;
  ASSERT_EQ(findings[0].notes.size(), 1u);
  EXPECT_EQ(findings[0].notes[0].location.line, 10u);
}

TEST(LifetimesEngine, WhatExitDoesNotReleaseIsReportedAtTheAcquire) {
  auto findings = FakeModule(module_unit(false)).run("unreleased-in-exit");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.line, 13u);
  EXPECT_NE(findings[0].message.find("destroy_workqueue"), std::string::npos) << findings[0].message;
}

TEST(LifetimesEngine, SecondReleaseOnThePathIsADoubleRelease) {
  auto findings = FakeModule(module_unit(true)).run("double-release");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.line, 22u);
  EXPECT_TRUE(FakeModule(module_unit(false)).run("double-release").empty());
}

TEST(LifetimesEngine, ReadsTheApiNamesOfTheRun) {
  // By default an unknown callee may free what it is handed: exit may release buf.
  EXPECT_TRUE(FakeModule(logging_exit_unit()).run("unreleased-in-exit").empty());
  // With tables that say log_*() only borrows, buf is never released.
  ApiNameTable names = default_api_name_table();
  names.borrows.push_back("log_");
  RuleTables tables = default_rule_tables();
  tables.api_names = &names;
  FakeModule module(logging_exit_unit());
  auto findings = run_checks(module.linked, {find_check("unreleased-in-exit")}, {}, &tables);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.line, 10u);
  EXPECT_NE(findings[0].message.find("kfree"), std::string::npos) << findings[0].message;
}

namespace {

ValueRef local(const std::string& name) {
  ValueRef v;
  v.kind = ValueRef::Kind::Local;
  v.root = name;
  v.text = name;
  return v;
}

// helper(): d = bus_find_device(...) (l.40); the calls of `calls` on d in turn (l.41, 42, ...);
// return 0 (l.60). A function of no phase: only the every-function walk sees it.
UnitFacts reference_unit(const std::vector<std::string>& calls) {
  FunctionBuilder b("m_helper", "int", "/m/r.c");
  int entry = b.block(), body = b.block(), exit = b.block();
  b.jump(entry, body);
  b.call(body, "bus_find_device", {global("bus", true), constant(0), constant(0), constant(0)}, 40, local("d"));
  unsigned line = 41;
  for (const std::string& callee : calls) b.call(body, callee, {local("d")}, line++);
  b.ret(body, constant(0), 60);
  b.jump(body, exit);
  UnitFacts unit;
  unit.source_file = "/m/r.c";
  unit.parsed = true;
  unit.functions = {b.finish(exit)};
  return unit;
}

}  // namespace

TEST(LifetimesEngine, ReferenceCountsAreCounts) {
  // The lookup's reference and get_device()'s, two puts: balanced, nothing lost or released twice.
  auto balanced = reference_unit({"get_device", "put_device", "put_device"});
  EXPECT_TRUE(FakeModule(balanced).run("double-release").empty());
  EXPECT_TRUE(FakeModule(balanced).run("lost-resource").empty());
  // put, get, put: each release undoes one acquire.
  auto in_turn = reference_unit({"put_device", "get_device", "put_device"});
  EXPECT_TRUE(FakeModule(in_turn).run("double-release").empty());
  EXPECT_TRUE(FakeModule(in_turn).run("lost-resource").empty());
  // One put too many.
  auto too_many = reference_unit({"put_device", "put_device"});
  auto doubled = FakeModule(too_many).run("double-release");
  ASSERT_EQ(doubled.size(), 1u);
  EXPECT_EQ(doubled[0].location.line, 42u);
  // One too few: the lookup's reference is lost at the return.
  auto too_few = reference_unit({"get_device", "put_device"});
  auto lost = FakeModule(too_few).run("lost-resource");
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0].location.line, 60u);
  ASSERT_EQ(lost[0].notes.size(), 1u);
  EXPECT_EQ(lost[0].notes[0].location.line, 40u);
}

TEST(LifetimesEngine, HandingTheLocalOnIsNotLosingIt) {
  // An unknown callee may keep it; a borrowing one (dev_info) does not.
  EXPECT_TRUE(FakeModule(reference_unit({"keep_it"})).run("lost-resource").empty());
  auto borrowed = FakeModule(reference_unit({"_dev_info"})).run("lost-resource");
  ASSERT_EQ(borrowed.size(), 1u);
  EXPECT_EQ(borrowed[0].location.line, 60u);
}
