// Splits shell command lines (as Kbuild prints them) into simple commands and words.
#pragma once

#include <string>
#include <vector>

namespace kmodlint {

// One pipeline element: its words (quotes removed) and its output redirection target, if any.
struct ShellCommand {
  std::vector<std::string> words;
  std::string redirect_to;
};

// A pipeline: commands joined by '|'. Pipelines are separated by ';', '&&', '||' and newlines.
using ShellPipeline = std::vector<ShellCommand>;

std::vector<ShellPipeline> split_shell_line(const std::string& line);

// Plain word splitting with shell quoting rules, no operators (for compile_commands "command").
std::vector<std::string> split_shell_words(const std::string& text);

}  // namespace kmodlint
