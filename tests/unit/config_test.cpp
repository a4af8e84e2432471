#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "config/config.h"

using namespace kmodlint;
namespace fs = std::filesystem;

namespace {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("kmodlint-config-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(root_ / "sub" / "deeper");
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const fs::path& relative, const std::string& text) {
    std::ofstream(root_ / relative) << text;
  }
  std::string path(const fs::path& relative) { return (root_ / relative).string(); }
  fs::path root_;
};

std::vector<std::string> messages(const std::vector<ConfigProblem>& problems) {
  std::vector<std::string> out;
  for (const ConfigProblem& problem : problems) out.push_back(std::to_string(problem.line) + ": " + problem.message);
  return out;
}

}  // namespace

TEST_F(ConfigTest, NoFileMeansEveryCheckAtItsDefaultSeverity) {
  ConfigSet set("", {});
  const Config& config = set.for_directory(path("sub"));
  EXPECT_TRUE(config.check_enabled("missing-module-exit"));
  EXPECT_FALSE(config.fail_on().has_value());
}

TEST_F(ConfigTest, OrderedGlobsSeverityOptionsAndExclude) {
  write(".kmodlint.yaml",
        "checks: ['-*', 'missing-*', '-missing-module-license']\n"
        "severity: {missing-module-exit: error}\n"
        "options:\n  missing-module-exit: {extra-init: [my_init, other_init], mode: strict}\n"
        "exclude: ['tests', '*_test.c']\n"
        "kernel-dir: kdir\n"
        "symvers: [../other/Module.symvers]\n"
        "fail-on: warning\n");
  ConfigSet set("", {});
  const Config& config = set.for_file(path("sub/a.c"));
  EXPECT_TRUE(config.check_enabled("missing-module-exit"));
  EXPECT_FALSE(config.check_enabled("missing-module-license"));
  EXPECT_FALSE(config.check_enabled("suppression-problem"));
  CheckInfo exit_info{"missing-module-exit", "module", Severity::Warning, "", true, nullptr};
  EXPECT_EQ(config.severity_of(exit_info), Severity::Error);
  const CheckOptions* options = config.options_of("missing-module-exit");
  ASSERT_NE(options, nullptr);
  EXPECT_EQ(options->at("extra-init"), (std::vector<std::string>{"my_init", "other_init"}));
  EXPECT_EQ(options->at("mode"), (std::vector<std::string>{"strict"}));
  EXPECT_TRUE(config.excluded(path("tests/x/y.c")));
  EXPECT_TRUE(config.excluded(path("sub/foo_test.c")));
  EXPECT_FALSE(config.excluded(path("sub/foo.c")));
  ASSERT_TRUE(config.kernel_dir());
  EXPECT_EQ(config.kernel_dir()->path, path("kdir"));
  EXPECT_EQ(config.kernel_dir()->origin.rfind(path(".kmodlint.yaml") + ":", 0), 0u);  // names the file and line
  ASSERT_EQ(config.symvers().size(), 1u);
  EXPECT_EQ(config.symvers()[0].path, (root_.parent_path() / "other/Module.symvers").string());
  EXPECT_EQ(config.fail_on(), (FailOn{Severity::Warning, false}));
}

TEST_F(ConfigTest, NearestFileWinsAndInheritMergesTheParent) {
  write(".kmodlint.yaml", "checks: ['-missing-module-license']\nseverity: {missing-module-exit: note}\nfail-on: error\n");
  write("sub/.kmodlint.yaml", "inherit: true\nseverity: {missing-module-exit: error}\n");
  write("sub/deeper/.kmodlint.yaml", "checks: ['-missing-module-exit']\n");
  ConfigSet set("", {});
  CheckInfo exit_info{"missing-module-exit", "module", Severity::Warning, "", true, nullptr};
  const Config& sub = set.for_file(path("sub/a.c"));
  EXPECT_FALSE(sub.check_enabled("missing-module-license"));  // from the parent
  EXPECT_EQ(sub.severity_of(exit_info), Severity::Error);     // the child wins
  EXPECT_EQ(sub.fail_on(), (FailOn{Severity::Error, false}));
  const Config& deeper = set.for_file(path("sub/deeper/b.c"));  // no inherit: parent ignored
  EXPECT_TRUE(deeper.check_enabled("missing-module-license"));
  EXPECT_FALSE(deeper.check_enabled("missing-module-exit"));
  EXPECT_FALSE(deeper.fail_on().has_value());
}

TEST_F(ConfigTest, CommandLineLayerComesLast) {
  write(".kmodlint.yaml", "checks: ['-missing-module-exit']\nfail-on: error\n");
  ConfigLayer cli;
  cli.checks = {"missing-module-exit", "-missing-module-license"};
  cli.fail_on = FailOn{Severity::Note, false};
  ConfigSet set("", cli);
  const Config& config = set.for_file(path("a.c"));
  EXPECT_TRUE(config.check_enabled("missing-module-exit"));
  EXPECT_FALSE(config.check_enabled("missing-module-license"));
  EXPECT_EQ(config.fail_on(), (FailOn{Severity::Note, false}));
}

TEST_F(ConfigTest, ExplicitFileReplacesTheSearch) {
  write(".kmodlint.yaml", "checks: ['-missing-module-exit']\n");
  write("other.yaml", "checks: ['-missing-module-license']\n");
  ConfigSet set(path("other.yaml"), {});
  const Config& config = set.for_file(path("sub/a.c"));
  EXPECT_TRUE(config.check_enabled("missing-module-exit"));
  EXPECT_FALSE(config.check_enabled("missing-module-license"));
}

TEST_F(ConfigTest, EveryProblemIsReportedWithItsLine) {
  write(".kmodlint.yaml",
        "checks: ['*', '-no-such-check', 'nothing-*']\n"   // 1
        "severity:\n"                                       // 2
        "  missing-module-exit: fatal\n"                    // 3
        "  not-a-check: error\n"                            // 4
        "options: {bogus-check: {a: b}}\n"                  // 5
        "exlude: [tests]\n"                                 // 6
        "fail-on: sometimes\n"                              // 7
        "inherit: maybe\n");                                // 8
  std::vector<ConfigProblem> problems;
  parse_config_file(path(".kmodlint.yaml"), problems);
  EXPECT_EQ(messages(problems),
            (std::vector<std::string>{
                "1: key 'checks': unknown check 'no-such-check'; kmodlint --list-checks lists them",
                "1: key 'checks': 'nothing-*' matches no check",
                "3: key 'severity': check 'missing-module-exit': expected error, warning or note, not 'fatal'",
                "4: key 'severity': unknown check 'not-a-check'; kmodlint --list-checks lists them",
                "5: key 'options': unknown check 'bogus-check'; kmodlint --list-checks lists them",
                "6: unknown key 'exlude' (known keys: inherit, checks, severity, options, exclude, kernel-dir, symvers, fail-on)",
                "7: key 'fail-on': expected error, warning, note or bugs, not 'sometimes'",
                "8: key 'inherit': expected true or false",
            }));
}

TEST_F(ConfigTest, ABrokenFileStopsTheRunWithItsLine) {
  write(".kmodlint.yaml", "checks: [\n");
  ConfigSet set("", {});
  try {
    set.for_file(path("a.c"));
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find(path(".kmodlint.yaml") + ":2: invalid YAML"), std::string::npos)
        << error.what();
  }
}

TEST_F(ConfigTest, DumpShowsTheMergedResult) {
  write(".kmodlint.yaml", "checks: ['-missing-module-license']\nseverity: {missing-module-exit: error}\n");
  ConfigSet set("", {});
  std::string dump = set.for_file(path("a.c")).dump();
  EXPECT_NE(dump.find(path(".kmodlint.yaml")), std::string::npos) << dump;
  EXPECT_NE(dump.find("missing-module-exit: error"), std::string::npos) << dump;
  EXPECT_NE(dump.find("disabled-checks: [missing-module-license, unreleased-callback-resource]"), std::string::npos)
      << dump;
}

TEST_F(ConfigTest, AnOptInCheckRunsOnlyWhenAGlobNamesIt) {
  ConfigSet without("", {});
  EXPECT_FALSE(without.for_file(path("a.c")).check_enabled("unreleased-callback-resource"));
  EXPECT_TRUE(without.for_file(path("a.c")).check_enabled("unreleased-in-exit"));
  write(".kmodlint.yaml", "checks: ['*', '-unreleased-in-exit']\n");
  ConfigSet with("", {});
  EXPECT_TRUE(with.for_file(path("a.c")).check_enabled("unreleased-callback-resource"));
  EXPECT_FALSE(with.for_file(path("a.c")).check_enabled("unreleased-in-exit"));
}

TEST_F(ConfigTest, OptionsOfSeveralLayersMergeKeyByKey) {
  write(".kmodlint.yaml", "options: {missing-module-exit: {a: x, b: y}}\n");
  write("sub/.kmodlint.yaml", "inherit: true\noptions: {missing-module-exit: {b: z}}\n");
  ConfigSet set("", {});
  const Config& config = set.for_file(path("sub/a.c"));
  const CheckOptions* first = config.options_of("missing-module-exit");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->at("a"), (std::vector<std::string>{"x"}));
  EXPECT_EQ(first->at("b"), (std::vector<std::string>{"z"}));
  EXPECT_EQ(config.options_of("missing-module-license"), nullptr);
  EXPECT_EQ(config.options_of("missing-module-exit"), first);  // stable while the Config lives
}

TEST(CheckContextOptions, ChecksReadTheirOptions) {
  LinkedProject project;
  CheckInfo info{"missing-module-exit", "module", Severity::Warning, "", true, nullptr};
  std::vector<Finding> sink;
  CheckContext ctx(project, info, sink);
  EXPECT_TRUE(ctx.option_list("extra-init").empty());
  EXPECT_EQ(ctx.option("mode", "default"), "default");
  CheckOptions options{{"extra-init", {"a_init", "b_init"}}, {"mode", {"strict"}}};
  ctx.set_options(&options);
  EXPECT_EQ(ctx.option_list("extra-init"), (std::vector<std::string>{"a_init", "b_init"}));
  EXPECT_EQ(ctx.option("mode", "default"), "strict");
}
