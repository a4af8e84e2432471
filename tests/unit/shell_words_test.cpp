#include <gtest/gtest.h>

#include "project/shell_words.h"

using namespace kmodlint;

TEST(ShellWords, KeepsQuotedDefinesTogether) {
  auto words = split_shell_words(R"(gcc -DKBUILD_BASENAME='"hello"' -I"a b" x\ y.c)");
  ASSERT_EQ(words.size(), 4u);
  EXPECT_EQ(words[1], "-DKBUILD_BASENAME=\"hello\"");
  EXPECT_EQ(words[2], "-Ia b");
  EXPECT_EQ(words[3], "x y.c");
}

TEST(ShellWords, SplitsPipelinesAndRedirections) {
  auto pipelines = split_shell_line(R"(set -e; printf '%s\n' a.o b.o | awk '{ print }' > /m/foo.mod; echo x && true)");
  ASSERT_EQ(pipelines.size(), 4u);
  ASSERT_EQ(pipelines[1].size(), 2u);
  EXPECT_EQ(pipelines[1][0].words, (std::vector<std::string>{"printf", "%s\\n", "a.o", "b.o"}));
  EXPECT_EQ(pipelines[1][1].redirect_to, "/m/foo.mod");
  EXPECT_EQ(pipelines[3][0].words, (std::vector<std::string>{"true"}));
}

TEST(ShellWords, SemicolonInsideQuotesIsNotASeparator) {
  auto pipelines = split_shell_line("echo 'a; b'; echo c");
  ASSERT_EQ(pipelines.size(), 2u);
  EXPECT_EQ(pipelines[0][0].words[1], "a; b");
}
