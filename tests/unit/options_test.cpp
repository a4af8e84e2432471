#include <gtest/gtest.h>

#include "cli/options.h"
#include "common/error.h"

using namespace kmodlint;

TEST(Options, ParsesValuesInEveryForm) {
  Options options = parse_options({"-j4", "--format=sarif", "--kdir", "/k", "-o", "out.sarif", "src", "--", "-odd.c"});
  EXPECT_EQ(options.jobs, 4u);
  EXPECT_EQ(options.format, OutputFormat::Sarif);
  EXPECT_EQ(options.kernel_dir, "/k");
  EXPECT_EQ(options.output_file, "out.sarif");
  EXPECT_EQ(options.paths, (std::vector<std::string>{"src", "-odd.c"}));
}

TEST(Options, UsageErrorsSayWhatToDo) {
  auto message = [](std::vector<std::string> args) {
    try {
      parse_options(args);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({"--frobnicate"}), "unknown option '--frobnicate'; see kmodlint --help");
  EXPECT_EQ(message({"-j", "0"}), "-j takes a positive whole number, not '0'");
  EXPECT_EQ(message({"--format", "xml"}), "--format takes text, json, sarif or github, not 'xml'");
  EXPECT_EQ(message({"--kdir"}), "option '--kdir' needs a value; see kmodlint --help");
}

TEST(Options, WorkflowOptions) {
  Options options = parse_options({"--checks=-*,missing-module-exit", "--checks", "suppression-problem", "--fail-on",
                                   "warning", "--baseline", "b.json", "--diff-base", "origin/main", "--exit-zero",
                                   "--no-suppressions", "--report-unused-suppressions", "--fix", "--config", "k.yaml"});
  EXPECT_EQ(options.checks, (std::vector<std::string>{"-*,missing-module-exit", "suppression-problem"}));
  EXPECT_EQ(options.fail_on, (FailOn{Severity::Warning, false}));
  EXPECT_EQ(options.baseline, "b.json");
  EXPECT_EQ(options.diff_base, "origin/main");
  EXPECT_TRUE(options.exit_zero && options.no_suppressions && options.report_unused_suppressions && options.fix);
  EXPECT_EQ(options.config_file, "k.yaml");
  Options verify = parse_options({"--verify-config", "a/.kmodlint.yaml"});
  EXPECT_TRUE(verify.verify_config);
  EXPECT_EQ(verify.paths, (std::vector<std::string>{"a/.kmodlint.yaml"}));
  EXPECT_THROW(parse_options({"--fail-on", "fatal"}), InputError);
  EXPECT_EQ(parse_options({"--fail-on", "bugs"}).fail_on, (FailOn{Severity::Note, true}));
  EXPECT_THROW(parse_options({"--baseline", "a", "--baseline-create", "b"}), InputError);
}
