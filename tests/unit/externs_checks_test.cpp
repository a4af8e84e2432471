// The "externs" checks on hand-made facts: no Clang, no kernel needed.
#include <gtest/gtest.h>

#include "checks/externs_common.h"
#include "checks/registry.h"
#include "link/project_symbols.h"

using namespace kmodlint;

namespace {

UnitFacts unit(const std::string& file, const std::string& license = "GPL") {
  UnitFacts facts;
  facts.source_file = file;
  facts.parsed = true;
  if (!license.empty()) facts.module_info.push_back({"license", license, {file, 90, 1}});
  return facts;
}

SymbolReference reference(const std::string& name, unsigned line, bool function = true) {
  return {name, function, {"", line, 5}, "f"};
}

// A run of several modules, each given as its units.
struct FakeProject {
  Project project;
  LinkedProject linked;

  FakeProject(std::vector<std::pair<std::string, std::vector<UnitFacts>>> modules) {
    std::vector<std::size_t> counts;
    for (auto& [name, units] : modules) {
      ModuleSpec spec;
      spec.name = name;
      spec.units.resize(units.size());
      project.modules.push_back(spec);
      counts.push_back(units.size());
      for (UnitFacts& u : units) {
        for (SymbolReference& r : u.external_references) r.location.file = u.source_file;
        linked.units.push_back(std::move(u));
      }
    }
    linked.project = &project;
    std::size_t next = 0;
    for (std::size_t m = 0; m < project.modules.size(); ++m) {
      std::vector<const UnitFacts*> pointers;
      for (std::size_t i = 0; i < counts[m]; ++i) pointers.push_back(&linked.units[next++]);
      linked.modules.emplace_back(project.modules[m], pointers);
    }
  }

  std::vector<Finding> run(const std::string& check) { return run_checks(linked, {find_check(check)}); }
};

}  // namespace

TEST(ExternsCommon, TypesCompatible) {
  EXPECT_TRUE(externs::types_compatible("int", "int"));
  EXPECT_FALSE(externs::types_compatible("int", "long"));
  EXPECT_TRUE(externs::types_compatible("int[]", "int[10]"));
  EXPECT_FALSE(externs::types_compatible("int[]", "long[10]"));
  EXPECT_TRUE(externs::types_compatible("int ()", "int (int, char *)"));
  EXPECT_FALSE(externs::types_compatible("int (char *, int)", "int (char *, unsigned long, int)"));
  EXPECT_TRUE(externs::types_compatible("void (void) __attribute__((noreturn))", "void (void)"));
}

TEST(ExternsCommon, IncludeSpelling) {
  EXPECT_EQ(include_spelling("/usr/src/linux-headers-6.1.0-56-common/include/linux/kstrtox.h"), "<linux/kstrtox.h>");
  EXPECT_EQ(include_spelling("/usr/src/linux-headers-6.1.0-56-common/arch/x86/include/asm/io.h"), "<asm/io.h>");
  EXPECT_EQ(include_spelling("/usr/src/linux-headers-6.1.0-56-common/include/uapi/linux/fs.h"), "<linux/fs.h>");
  EXPECT_EQ(include_spelling("/home/me/drv/drv.h"), "");
}

TEST(UndefinedSymbol, ResolvesAgainstModuleKernelSiblingAndModpost) {
  UnitFacts a = unit("/m/a.c"), b = unit("/m/b.c"), s = unit("/s/s.c");
  a.external_references = {reference("b_helper", 10), reference("kfree", 11), reference("__this_module", 12, false),
                           reference("s_api", 13), reference("nowhere", 14), reference("s_private", 15)};
  b.functions.push_back({});
  b.functions.back().name = "b_helper";
  s.functions.push_back({});
  s.functions.back().name = "s_api";
  s.functions.push_back({});
  s.functions.back().name = "s_private";
  s.exports.push_back({"s_api", false, "", {"/s/s.c", 5, 1}});
  FakeProject run({{"m", {a, b}}, {"s", {s}}});
  run.linked.kernel_symbols.add({"kfree", "vmlinux", false, ""});
  auto findings = run.run("undefined-symbol");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].location.line, 14u);
  EXPECT_NE(findings[0].message.find("ERROR: modpost: \"nowhere\" [m.ko] undefined!"), std::string::npos);
  EXPECT_EQ(findings[1].location.line, 15u);
  EXPECT_NE(findings[1].message.find("defined in s.ko"), std::string::npos);
}

TEST(UndefinedSymbol, StaticDefinitionElsewhereIsNamed) {
  UnitFacts a = unit("/m/a.c"), b = unit("/m/b.c");
  a.external_references = {reference("counter", 7, false)};
  GlobalVarFacts counter;
  counter.name = "counter";
  counter.is_static = true;
  counter.location = {"/m/b.c", 3, 12};
  b.globals.push_back(counter);
  ExternDecl decl{"counter", false, "int", {"/m/a.c", 2, 12}, true, "", false};
  a.extern_decls.push_back(decl);
  FakeProject run({{"m", {a, b}}});
  auto undefined = run.run("undefined-symbol");
  ASSERT_EQ(undefined.size(), 1u);
  EXPECT_NE(undefined[0].message.find("b.c:3, is static"), std::string::npos);
  auto hidden = run.run("extern-of-static");
  ASSERT_EQ(hidden.size(), 1u);
  EXPECT_EQ(hidden[0].location.line, 2u);
}

TEST(GplOnlySymbol, LicenseDecides) {
  for (auto [license, expected] : std::vector<std::pair<std::string, std::size_t>>{
           {"GPL", 0}, {"Dual BSD/GPL", 0}, {"Proprietary", 1}, {"", 0}}) {
    UnitFacts a = unit("/m/a.c", license);
    a.external_references = {reference("device_create", 20), reference("printk_like", 21)};
    FakeProject run({{"m", {a}}});
    run.linked.kernel_symbols.add({"device_create", "vmlinux", true, ""});
    run.linked.kernel_symbols.add({"printk_like", "vmlinux", false, ""});
    EXPECT_EQ(run.run("gpl-only-symbol").size(), expected) << "license '" << license << "'";
  }
}

TEST(NamespaceNotImported, ImportSilencesIt) {
  UnitFacts a = unit("/m/a.c");
  a.external_references = {reference("dma_buf_get", 20)};
  FakeProject missing({{"m", {a}}});
  missing.linked.kernel_symbols.add({"dma_buf_get", "vmlinux", true, "DMA_BUF"});
  auto findings = missing.run("namespace-not-imported");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].message.find("MODULE_IMPORT_NS(DMA_BUF)"), std::string::npos);

  a.module_info.push_back({"import_ns", "DMA_BUF", {"/m/a.c", 95, 1}});
  FakeProject imported({{"m", {a}}});
  imported.linked.kernel_symbols.add({"dma_buf_get", "vmlinux", true, "DMA_BUF"});
  EXPECT_TRUE(imported.run("namespace-not-imported").empty());
}

TEST(InvalidExport, StaticInitElsewhereMissingAndTwice) {
  UnitFacts a = unit("/m/a.c"), b = unit("/m/b.c");
  FunctionFacts local, early, fine;
  local.name = "local_fn";
  local.is_static = true;
  early.name = "early_fn";
  early.section = ".init.text";
  fine.name = "fine_fn";
  a.functions = {local, early, fine};
  a.exports = {{"local_fn", false, "", {"/m/a.c", 10, 1}},
               {"early_fn", false, "", {"/m/a.c", 11, 1}},
               {"fine_fn", true, "", {"/m/a.c", 12, 1}}};
  b.exports = {{"fine_fn", false, "", {"/m/b.c", 5, 1}}, {"ghost_fn", false, "", {"/m/b.c", 6, 1}}};
  FakeProject run({{"m", {a, b}}});
  auto findings = run.run("invalid-export");
  ASSERT_EQ(findings.size(), 4u);
  EXPECT_NE(findings[0].message.find("local symbol local_fn was exported"), std::string::npos);
  EXPECT_NE(findings[1].message.find(".init.text"), std::string::npos);
  EXPECT_NE(findings[2].message.find("exported twice"), std::string::npos);
  EXPECT_NE(findings[3].message.find("exported without definition"), std::string::npos);
}

TEST(ExternTypeMismatch, ComparesWithTheDefinitionInAnotherFile) {
  UnitFacts a = unit("/m/a.c"), b = unit("/m/b.c");
  GlobalVarFacts count;
  count.name = "count";
  count.type = "int";
  count.location = {"/m/a.c", 3, 5};
  a.globals.push_back(count);
  b.extern_decls.push_back({"count", false, "long", {"/m/b.c", 4, 13}, true, "", false});
  b.extern_decls.push_back({"count2", false, "long", {"/m/b.c", 5, 13}, true, "", false});
  b.external_references = {reference("count", 9, false), reference("count2", 10, false)};
  FakeProject run({{"m", {a, b}}});
  auto findings = run.run("extern-type-mismatch");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.line, 4u);
  auto in_source = run.run("extern-in-source");
  EXPECT_EQ(in_source.size(), 2u);
}

TEST(ExternOfStatic, UnusedHeaderDeclarationsAreNoProblem) {
  // mei-me.ko includes mei_dev.h, which declares functions only mei.ko defines (unexported):
  // harmless as long as mei-me.ko does not use them.
  UnitFacts core = unit("/mei/client.c"), me = unit("/mei/pci-me.c");
  FunctionFacts helper;
  helper.name = "mei_cl_link";
  core.functions.push_back(helper);
  me.module_header_decls.push_back({"mei_cl_link", true, "int (void)", {"/mei/client.h", 131, 5}, false, "/mei/client.h", false});
  FakeProject unused({{"mei", {core}}, {"mei-me", {me}}});
  EXPECT_TRUE(unused.run("extern-of-static").empty());

  me.external_references = {reference("mei_cl_link", 40)};
  FakeProject used({{"mei", {core}}, {"mei-me", {me}}});
  EXPECT_EQ(used.run("extern-of-static").size(), 1u);
}
