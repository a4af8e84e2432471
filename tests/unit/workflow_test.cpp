// Baselines, changed lines, fix-its and DKMS files on hand-made data.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "llvm/Support/JSON.h"
#include "project/dkms_conf.h"
#include "report/baseline.h"
#include "report/changed_lines.h"
#include "report/fixits.h"
#include "report/reporters.h"

using namespace kmodlint;
namespace fs = std::filesystem;

namespace {

Finding finding(const std::string& file, unsigned line, const std::string& function, const std::string& message) {
  Finding f;
  f.check_id = "missing-module-exit";
  f.location = {file, line, 1};
  f.function = function;
  f.message = message;
  return f;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("kmodlint-workflow-" + std::to_string(::getpid()) + "-" + name);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST(Baseline, MessagesLoseTheirNumbers) {
  EXPECT_EQ(normalize_message("leaks buf allocated at line 12, col 3  (2 times)"),
            "leaks buf allocated at line #, col # (# times)");
}

TEST(Baseline, RoundTripIgnoresLineMovesInJsonAndYaml) {
  fs::path dir = scratch("baseline");
  for (std::string name : {"base.json", "base.yaml"}) {
    std::string path = (dir / name).string();
    std::vector<Finding> today = {finding((dir / "a.c").string(), 10, "f", "x at line 10"),
                                  finding((dir / "a.c").string(), 20, "f", "x at line 20"),
                                  finding((dir / "b.c").string(), 5, "", "y")};
    write_baseline(path, today);
    std::vector<BaselineEntry> entries = read_baseline(path);
    ASSERT_EQ(entries.size(), 2u) << read(path);  // the two a.c findings share a key: count 2
    // Tomorrow: lines moved by an edit above, one old finding fixed, one new one.
    std::vector<Finding> tomorrow = {finding((dir / "a.c").string(), 14, "f", "x at line 14"),
                                     finding((dir / "a.c").string(), 24, "f", "x at line 24"),
                                     finding((dir / "a.c").string(), 30, "g", "x at line 30")};
    BaselineResult result = apply_baseline(tomorrow, entries, dir.string());
    EXPECT_EQ(result.known, 2u);
    ASSERT_EQ(result.new_findings.size(), 1u);
    EXPECT_EQ(result.new_findings[0].function, "g");
    ASSERT_EQ(result.stale.size(), 1u);
    EXPECT_EQ(result.stale[0].file, "b.c");
  }
  fs::remove_all(dir);
}

TEST(ChangedLines, HunksOfTheNewSide) {
  std::string diff =
      "diff --git a/src/a.c b/src/a.c\n"
      "--- a/src/a.c\n"
      "+++ b/src/a.c\n"
      "@@ -3 +3 @@ int x;\n"
      "-old\n"
      "+new\n"
      "@@ -10,0 +11,2 @@\n"
      "+a\n"
      "+b\n"
      "@@ -20,3 +22,0 @@\n"
      "diff --git a/gone.c b/gone.c\n"
      "--- a/gone.c\n"
      "+++ /dev/null\n"
      "@@ -1,2 +0,0 @@\n";
  ChangedLines changed = parse_unified_diff(diff, "/repo");
  EXPECT_TRUE(is_changed(changed, "/repo/src/a.c", 3));
  EXPECT_FALSE(is_changed(changed, "/repo/src/a.c", 4));
  EXPECT_TRUE(is_changed(changed, "/repo/src/a.c", 11));
  EXPECT_TRUE(is_changed(changed, "/repo/src/a.c", 12));
  EXPECT_FALSE(is_changed(changed, "/repo/src/a.c", 13));
  EXPECT_FALSE(is_changed(changed, "/repo/src/a.c", 22));
  EXPECT_FALSE(is_changed(changed, "/repo/gone.c", 1));
}

TEST(FixIts, InsertAndReplaceFromTheEnd) {
  std::string text = "int a;\nint b;\n";
  ASSERT_TRUE(apply_fixits_to_text(text, {{"f", 1, 1, 1, "static ", ""}, {"f", 2, 5, 6, "c", ""}, {"f", 2, 7, 7, "\nint d;", ""}}));
  EXPECT_EQ(text, "static int a;\nint c;\nint d;\n");
  std::string same = "int a;\n";
  EXPECT_FALSE(apply_fixits_to_text(same, {{"f", 1, 1, 4, "x", ""}, {"f", 1, 2, 3, "y", ""}}));  // overlap
  EXPECT_FALSE(apply_fixits_to_text(same, {{"f", 1, 20, 20, "x", ""}}));                        // past the line
  EXPECT_EQ(same, "int a;\n");
}

TEST(FixIts, ApplyToFilesKeepsUnfixedFindings) {
  fs::path dir = scratch("fix");
  std::string file = (dir / "a.c").string();
  std::ofstream(file) << "int a;\nint b;\n";
  Finding fixable = finding(file, 1, "", "make it static");
  fixable.fixits.push_back({file, 1, 1, 1, "static ", "insert static"});
  Finding clash = finding(file, 1, "", "same place");
  clash.fixits.push_back({file, 1, 1, 1, "extern ", "insert extern"});
  Finding plain = finding(file, 2, "", "no fix");
  FixResult result = apply_fixits({fixable, clash, plain});
  EXPECT_EQ(result.fixed, 1u);
  EXPECT_EQ(result.remaining.size(), 2u);
  EXPECT_EQ(read(file), "static int a;\nint b;\n");
  fs::remove_all(dir);
}

TEST(FixIts, InEveryReportFormat) {
  static const CheckInfo info{"missing-module-exit", "module", Severity::Warning, "no exit", true, nullptr};
  ReportInput input;
  input.base_dir = "/repo";
  input.checks = {&info};
  Finding f = finding("/repo/a.c", 3, "", "m");
  f.fixits.push_back({"/repo/a.c", 3, 16, 16, "\nMODULE_LICENSE(\"GPL\");", "insert MODULE_LICENSE(\"GPL\"); after line 3"});
  input.findings.push_back(f);
  EXPECT_NE(format_text(input, {false, false}).find("  fix-it (kmodlint --fix): insert MODULE_LICENSE(\"GPL\"); after line 3\n"),
            std::string::npos);
  auto json = llvm::json::parse(format_json(input));
  ASSERT_TRUE(static_cast<bool>(json));
  const llvm::json::Object& fix =
      *json->getAsObject()->getArray("findings")->front().getAsObject()->getArray("fixits")->front().getAsObject();
  EXPECT_EQ(*fix.getInteger("column"), 16);
  EXPECT_EQ(*fix.getString("file"), "a.c");
  auto sarif = llvm::json::parse(format_sarif(input));
  ASSERT_TRUE(static_cast<bool>(sarif));
  const llvm::json::Object& result =
      *sarif->getAsObject()->getArray("runs")->front().getAsObject()->getArray("results")->front().getAsObject();
  const llvm::json::Object& change =
      *result.getArray("fixes")->front().getAsObject()->getArray("artifactChanges")->front().getAsObject();
  EXPECT_EQ(*change.getObject("artifactLocation")->getString("uri"), "a.c");
  const llvm::json::Object& replacement = *change.getArray("replacements")->front().getAsObject();
  EXPECT_EQ(*replacement.getObject("deletedRegion")->getInteger("startColumn"), 16);
  EXPECT_EQ(*replacement.getObject("deletedRegion")->getInteger("endColumn"), 16);
  EXPECT_EQ(*replacement.getObject("insertedContent")->getString("text"), "\nMODULE_LICENSE(\"GPL\");");
}

TEST(Dkms, ModulesLocationsAndMakeDirectories) {
  DkmsConf conf = parse_dkms_conf_text(
      "PACKAGE_NAME=\"hello\"\nPACKAGE_VERSION=1.0\n"
      "BUILT_MODULE_NAME[0]=\"$PACKAGE_NAME\"\n"
      "BUILT_MODULE_LOCATION[0]=\"src/\"\n"
      "BUILT_MODULE_NAME[1]=helper.ko\n"
      "MAKE[0]=\"make -C ${kernel_source_dir} M=${dkms_tree}/${PACKAGE_NAME}/${PACKAGE_VERSION}/build/drv modules\"\n"
      "# BUILT_MODULE_NAME[2]=commented\n");
  EXPECT_EQ(conf.module_names, (std::vector<std::string>{"hello", "helper"}));
  EXPECT_EQ(conf.module_locations, (std::vector<std::string>{"src/"}));
  EXPECT_EQ(conf.make_dirs, (std::vector<std::string>{"drv"}));
  EXPECT_TRUE(conf.make_variables.empty());
}

// lttng-modules' MAKE line: its CONFIG_ variables reach the dry run; a variable DKMS sets only when
// it builds ($kernelver) and the ones kmodlint sets itself (M) do not.
TEST(Dkms, MakeLineVariables) {
  DkmsConf conf = parse_dkms_conf_text(
      "PACKAGE_NAME=lttng\nPACKAGE_VERSION=2.13\n"
      "MAKE[0]=\"make -C $kernel_source_dir M=$dkms_tree/$PACKAGE_NAME/$PACKAGE_VERSION/build modules "
      "CONFIG_LTTNG=m KVER=$kernelver REVISION=$PACKAGE_VERSION CONFIG_LTTNG_CLOCK_PLUGIN_TEST=m\"\n");
  EXPECT_EQ(conf.make_variables,
            (std::vector<std::string>{"CONFIG_LTTNG=m", "REVISION=2.13", "CONFIG_LTTNG_CLOCK_PLUGIN_TEST=m"}));

  // dahdi's: two commands in a subshell; a quoted value with a space is one word.
  DkmsConf dahdi = parse_dkms_conf_text(
      "MAKE[0]=\"(make modules KVERS=$kernelver MODULES_EXTRA='dahdi_dummy dahdi_echocan_oslec'; make KVERS=$kernelver)\"\n");
  EXPECT_EQ(dahdi.make_variables, (std::vector<std::string>{"MODULES_EXTRA=dahdi_dummy dahdi_echocan_oslec"}));
}

// A path in DKMS's build tree (xtables-addons' XA_ABSTOPSRCDIR=${BDIR}) or in the installed source
// (west-chamber's ${PSRC}) is the same path under the dkms.conf directory; a command substitution
// is not a value.
TEST(Dkms, MakeLinePathsInTheSourceTree) {
  DkmsConf xa = parse_dkms_conf_text(
      "PACKAGE_VERSION=\"3.23\"\nPACKAGE_NAME=\"xtables-addons\"\n"
      "BDIR=\"$dkms_tree/${PACKAGE_NAME}/${PACKAGE_VERSION}/build\"\n"
      "MAKEARGS=\"-C $kernel_source_dir M=${BDIR}/extensions XA_ABSTOPSRCDIR=${BDIR} XA_TOPSRCDIR=${BDIR}/ V=1\"\n"
      "MAKE=\"make ${MAKEARGS} modules ; find ${BDIR} -name '*.ko' -exec mv -v {} ${BDIR} \\;\"\n",
      "/src/xa");
  EXPECT_EQ(xa.make_variables, (std::vector<std::string>{"XA_ABSTOPSRCDIR=/src/xa", "XA_TOPSRCDIR=/src/xa/"}));
  EXPECT_EQ(xa.make_dirs, (std::vector<std::string>{"extensions"}));
  DkmsConf wc = parse_dkms_conf_text(
      "PACKAGE_VERSION=\"r124\"\nPACKAGE_NAME=\"west-chamber\"\n"
      "PSRC=\"/usr/src/${PACKAGE_NAME}-${PACKAGE_VERSION}\"\n"
      "XTABLESDIR=`find /usr/src -maxdepth 1 -type d -name 'xtables-addons-*' -print | sort | tail -1`\n"
      "MAKE=\"make -C /lib/modules/$kernelver/build M=${PSRC}/extensions XA_ABSTOPSRCDIR=${PSRC} "
      "XTABLESDIR=${XTABLESDIR} modules\"\n",
      "/src/wc");
  EXPECT_EQ(wc.make_variables, (std::vector<std::string>{"XA_ABSTOPSRCDIR=/src/wc"}));
  // Without the directory (the unit tests above), such a value is not passed at all.
  EXPECT_TRUE(parse_dkms_conf_text("PACKAGE_NAME=a\nMAKE=\"make XA=$dkms_tree/a/1/build\"\n").make_variables.empty());
}
