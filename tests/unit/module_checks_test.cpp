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
