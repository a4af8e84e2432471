#include "report/fixits.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "report/output_file.h"

namespace kmodlint {

namespace {

bool overlaps(const FixIt& a, const FixIt& b) {
  if (a.file != b.file || a.line != b.line) return false;
  if (a.column == a.end_column || b.column == b.end_column)  // an insertion: same point or inside
    return a.column == b.column || (a.column > b.column && a.column < b.end_column) ||
           (b.column > a.column && b.column < a.end_column);
  return a.column < b.end_column && b.column < a.end_column;
}

}  // namespace

bool apply_fixits_to_text(std::string& text, std::vector<FixIt> fixits) {
  std::vector<std::size_t> line_start{0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_start.push_back(i + 1);
  for (std::size_t i = 0; i < fixits.size(); ++i)
    for (std::size_t j = i + 1; j < fixits.size(); ++j)
      if (overlaps(fixits[i], fixits[j])) return false;
  std::sort(fixits.begin(), fixits.end(), [](const FixIt& a, const FixIt& b) {
    return std::tie(a.line, a.column) > std::tie(b.line, b.column);
  });
  std::string result = text;
  for (const FixIt& fix : fixits) {
    if (fix.line == 0 || fix.line > line_start.size() || fix.column == 0 || fix.end_column < fix.column) return false;
    std::size_t begin = line_start[fix.line - 1];
    std::size_t end_of_line = text.find('\n', begin);
    if (end_of_line == std::string::npos) end_of_line = text.size();
    std::size_t from = begin + fix.column - 1, to = begin + fix.end_column - 1;
    if (to > end_of_line) return false;
    result.replace(from, to - from, fix.text);
  }
  text = std::move(result);
  return true;
}

FixResult apply_fixits(const std::vector<Finding>& findings) {
  FixResult result;
  std::map<std::string, std::vector<FixIt>> accepted;
  std::map<std::string, std::vector<std::size_t>> fixed_by_file;
  std::vector<bool> fixed(findings.size(), false);
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Finding& finding = findings[i];
    if (finding.fixits.empty()) continue;
    bool clash = false;
    for (const FixIt& fix : finding.fixits)
      for (const auto& [file, list] : accepted)
        for (const FixIt& other : list) clash = clash || overlaps(fix, other);
    if (clash) continue;
    for (const FixIt& fix : finding.fixits) accepted[fix.file].push_back(fix);
    fixed[i] = true;
  }
  for (auto& [file, list] : accepted) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    if (!in && !in.eof()) continue;
    if (!apply_fixits_to_text(text, list)) {
      for (std::size_t i = 0; i < findings.size(); ++i)
        for (const FixIt& fix : findings[i].fixits)
          if (fix.file == file) fixed[i] = false;
      continue;
    }
    std::error_code error;
    auto permissions = std::filesystem::status(file, error).permissions();
    write_file_atomically(file, text);
    if (!error) std::filesystem::permissions(file, permissions, error);
    result.files.push_back(file);
  }
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (fixed[i]) ++result.fixed;
    else result.remaining.push_back(findings[i]);
  }
  return result;
}

}  // namespace kmodlint
