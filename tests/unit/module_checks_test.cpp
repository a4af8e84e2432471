// The module-level checks on hand-made facts: no Clang needed.
#include <gtest/gtest.h>

#include "checks/registry.h"

using namespace kmodlint;

namespace {

struct FakeModule {
  Project project;
  LinkedProject linked;

  explicit FakeModule(std::vector<UnitFacts> units) {
    ModuleSpec spec;
    spec.name = "fake";
    spec.units.resize(units.size());
    project.modules.push_back(spec);
    linked.project = &project;
    linked.units = std::move(units);
    std::vector<const UnitFacts*> pointers;
    for (const UnitFacts& unit : linked.units) pointers.push_back(&unit);
    linked.modules.emplace_back(project.modules[0], pointers);
  }

  std::vector<Finding> run(const std::string& check) {
    return run_checks(linked, {find_check(check)});
  }
};

UnitFacts unit(const std::string& file) {
  UnitFacts facts;
  facts.source_file = file;
  facts.parsed = true;
  return facts;
}

}  // namespace

TEST(MissingModuleExit, InitWithoutExitAnywhereInTheModule) {
  UnitFacts a = unit("/m/a.c");
  a.module_init = EntryMacro{"a_init", {"/m/a.c", 20, 1}, false};
  a.module_info.push_back({"license", "GPL", {"/m/a.c", 21, 1}});
  FakeModule module({a, unit("/m/b.c")});
  auto findings = module.run("missing-module-exit");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.line, 20u);
  EXPECT_EQ(findings[0].function, "a_init");
}

TEST(MissingModuleExit, ExitInAnotherUnitCounts) {
  UnitFacts a = unit("/m/a.c"), b = unit("/m/b.c");
  a.module_init = EntryMacro{"a_init", {"/m/a.c", 20, 1}, false};
  b.module_exit = EntryMacro{"b_exit", {"/m/b.c", 9, 1}, false};
  EXPECT_TRUE(FakeModule({a, b}).run("missing-module-exit").empty());
}

TEST(MissingModuleExit, NotConcludedWhenAUnitDidNotParse) {
  UnitFacts a = unit("/m/a.c"), b = unit("/m/b.c");
  a.module_init = EntryMacro{"a_init", {"/m/a.c", 20, 1}, false};
  b.parsed = false;
  EXPECT_TRUE(FakeModule({a, b}).run("missing-module-exit").empty());
}

TEST(MissingModuleLicense, UnknownStringAndMissingLicense) {
  UnitFacts a = unit("/m/a.c");
  a.module_info.push_back({"license", "GPLv2", {"/m/a.c", 30, 1}});
  auto unknown = FakeModule({a}).run("missing-module-license");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].location.line, 30u);

  UnitFacts b = unit("/m/b.c");
  auto missing = FakeModule({b}).run("missing-module-license");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].location.line, 1u);
  EXPECT_NE(missing[0].message.find("missing MODULE_LICENSE() in b.o"), std::string::npos);
}

// The wording follows what the owner does with the variable: a table it fills in at init wants
// __ro_after_init; a value it changes at run time wants accessor functions.
TEST(ExportedMutableGlobal, WordsByWhetherTheOwnerWritesAfterInit) {
  auto exporting = [](bool written_at_run_time) {
    UnitFacts a = unit("/m/a.c");
    GlobalVarFacts table;
    table.name = "lin2mu";
    table.location = {"/m/a.c", 3, 1};
    a.globals.push_back(table);
    a.exports.push_back({"lin2mu", false, "", {"/m/a.c", 4, 1}});
    FunctionFacts init;
    init.name = "a_init";
    init.section = ".init.text";
    init.accesses.push_back({"lin2mu", "[]", AccessEvent::Mode::Write, false, {}, "", {"/m/a.c", 8, 2}});
    a.functions.push_back(init);
    if (written_at_run_time) {
      FunctionFacts ioctl;
      ioctl.name = "a_ioctl";
      ioctl.accesses.push_back({"lin2mu", "[]", AccessEvent::Mode::Write, false, {}, "", {"/m/a.c", 12, 2}});
      a.functions.push_back(ioctl);
    }
    return FakeModule({a}).run("exported-mutable-global");
  };
  auto at_init = exporting(false);
  ASSERT_EQ(at_init.size(), 1u);
  EXPECT_EQ(at_init[0].location.line, 4u);
  EXPECT_NE(at_init[0].message.find("writes it only while it initialises; mark it __ro_after_init"), std::string::npos)
      << at_init[0].message;
  auto at_run_time = exporting(true);
  ASSERT_EQ(at_run_time.size(), 1u);
  EXPECT_NE(at_run_time[0].message.find("also changes it at run time"), std::string::npos) << at_run_time[0].message;
}
