#include <gtest/gtest.h>

#include "llvm/Support/JSON.h"
#include "report/reporters.h"

using namespace kmodlint;

namespace {

ReportInput sample() {
  static const CheckInfo info{"missing-module-exit", "module", Severity::Warning, "no exit", true, nullptr};
  ReportInput input;
  input.base_dir = "/repo";
  input.checks = {&info};
  Finding finding;
  finding.check_id = "missing-module-exit";
  finding.severity = Severity::Warning;
  finding.location = {"/repo/src/a,b.c", 12, 3};
  finding.message = "module 'a' can never be unloaded: 100% sure";
  finding.notes.push_back({{"/repo/src/a,b.c", 5, 1}, "init is here"});
  finding.function = "a_init";
  finding.module = "a";
  input.findings.push_back(finding);
  return input;
}

}  // namespace

TEST(Reporters, TextIsCompilerStyle) {
  std::string text = format_text(sample(), {false, false});
  EXPECT_EQ(text,
            "src/a,b.c:12:3: warning: module 'a' can never be unloaded: 100% sure [missing-module-exit]\n"
            "src/a,b.c:5:1: note: init is here\n");
}

TEST(Reporters, GithubEscapesPropertiesAndData) {
  EXPECT_EQ(format_github(sample()),
            "::warning file=src/a%2Cb.c,line=12,col=3,title=kmodlint missing-module-exit::module 'a' can never "
            "be unloaded: 100%25 sure%0Asrc/a,b.c:5: init is here\n");
}

TEST(Reporters, JsonHasRelativePathsAndNotes) {
  auto parsed = llvm::json::parse(format_json(sample()));
  ASSERT_TRUE(static_cast<bool>(parsed));
  const llvm::json::Object& finding = *parsed->getAsObject()->getArray("findings")->front().getAsObject();
  EXPECT_EQ(*finding.getString("file"), "src/a,b.c");
  EXPECT_EQ(*finding.getInteger("line"), 12);
  EXPECT_EQ(*finding.getString("check"), "missing-module-exit");
  EXPECT_EQ(finding.getArray("notes")->size(), 1u);
}

TEST(Reporters, SarifHasTheFieldsCodeScanningReads) {
  auto parsed = llvm::json::parse(format_sarif(sample()));
  ASSERT_TRUE(static_cast<bool>(parsed));
  const llvm::json::Object& root = *parsed->getAsObject();
  EXPECT_EQ(*root.getString("version"), "2.1.0");
  const llvm::json::Object& run = *root.getArray("runs")->front().getAsObject();
  const llvm::json::Object& driver = *run.getObject("tool")->getObject("driver");
  EXPECT_EQ(*driver.getString("name"), "kmodlint");
  const llvm::json::Object& rule = *driver.getArray("rules")->front().getAsObject();
  EXPECT_EQ(*rule.getString("id"), "missing-module-exit");
  EXPECT_EQ(*rule.getObject("shortDescription")->getString("text"), "no exit");
  const llvm::json::Object& result = *run.getArray("results")->front().getAsObject();
  EXPECT_EQ(*result.getString("ruleId"), "missing-module-exit");
  EXPECT_EQ(*result.getString("level"), "warning");
  EXPECT_EQ(*result.getInteger("ruleIndex"), 0);
  EXPECT_EQ(*result.getObject("message")->getString("text"), "module 'a' can never be unloaded: 100% sure");
  const llvm::json::Object& physical =
      *result.getArray("locations")->front().getAsObject()->getObject("physicalLocation");
  EXPECT_EQ(*physical.getObject("artifactLocation")->getString("uri"), "src/a%2Cb.c");
  EXPECT_EQ(*physical.getObject("artifactLocation")->getString("uriBaseId"), "SRCROOT");
  EXPECT_EQ(*physical.getObject("region")->getInteger("startLine"), 12);
  EXPECT_EQ(*physical.getObject("region")->getInteger("startColumn"), 3);
  EXPECT_EQ(result.getObject("partialFingerprints")->getString("kmodlintFingerprint/v1")->size(), 32u);
  EXPECT_EQ(result.getArray("relatedLocations")->size(), 1u);
}

TEST(Reporters, FingerprintIgnoresLineMoves) {
  Finding a = sample().findings[0];
  Finding b = a;
  b.location.line += 40;
  EXPECT_EQ(fingerprint(a, "src/a.c"), fingerprint(b, "src/a.c"));
  b.message += "!";
  EXPECT_NE(fingerprint(a, "src/a.c"), fingerprint(b, "src/a.c"));
}
