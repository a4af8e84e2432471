#include "report/suppressions.h"

#include <climits>
#include <fstream>
#include <map>
#include <sstream>

#include "checks/registry.h"

namespace kmodlint {

std::vector<SourceComment> lex_comments(const std::string& source) {
  std::vector<SourceComment> comments;
  unsigned line = 1, column = 1;
  std::size_t i = 0, n = source.size();
  auto advance = [&]() {
    if (source[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    ++i;
  };
  while (i < n) {
    char c = source[i];
    if (c == '"' || c == '\'') {
      char quote = c;
      advance();
      while (i < n && source[i] != quote && source[i] != '\n') {
        if (source[i] == '\\' && i + 1 < n) advance();
        advance();
      }
      if (i < n && source[i] == quote) advance();
    } else if (c == '/' && i + 1 < n && source[i + 1] == '/') {
      SourceComment comment{line, column, line, {}};
      advance();
      advance();
      while (i < n && source[i] != '\n') {
        if (source[i] == '\\' && i + 1 < n && source[i + 1] == '\n') {  // continued on the next line
          advance();
          comment.text += ' ';
        } else {
          comment.text += source[i];
        }
        advance();
      }
      comment.end_line = line;
      comments.push_back(std::move(comment));
    } else if (c == '/' && i + 1 < n && source[i + 1] == '*') {
      SourceComment comment{line, column, line, {}};
      advance();
      advance();
      while (i < n && !(source[i] == '*' && i + 1 < n && source[i + 1] == '/')) {
        comment.text += source[i];
        advance();
      }
      comment.end_line = line;
      if (i < n) {
        advance();
        advance();
      }
      comments.push_back(std::move(comment));
    } else {
      advance();
    }
  }
  return comments;
}

std::string Suppression::directive() const {
  switch (kind) {
    case Kind::Line: return "kmodlint-disable-line";
    case Kind::NextLine: return "kmodlint-disable-next-line";
    case Kind::Range: return "kmodlint-disable";
    case Kind::File: return "kmodlint-disable-file";
  }
  return "kmodlint-disable";
}

namespace {

std::string trim(const std::string& text) {
  std::size_t start = text.find_first_not_of(" \t\r\n*");
  if (start == std::string::npos) return {};
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(start, end - start + 1);
}

enum class Directive { None, Line, NextLine, Disable, Enable, File };

// Splits "kmodlint-disable-line a, b -- reason" into its directive and check ids.
Directive parse_directive(const std::string& comment, std::vector<std::string>& ids, std::string& word) {
  std::string text = trim(comment);
  static const std::vector<std::pair<std::string, Directive>> words = {
      {"kmodlint-disable-next-line", Directive::NextLine}, {"kmodlint-disable-line", Directive::Line},
      {"kmodlint-disable-file", Directive::File},          {"kmodlint-disable", Directive::Disable},
      {"kmodlint-enable", Directive::Enable}};
  for (const auto& [name, directive] : words) {
    if (text.compare(0, name.size(), name) != 0) continue;
    if (text.size() > name.size() && !std::isspace(static_cast<unsigned char>(text[name.size()])) &&
        text[name.size()] != ':')
      return Directive::None;  // e.g. kmodlint-disable-lines: not ours
    std::string rest = text.substr(name.size());
    if (!rest.empty() && rest[0] == ':') rest.erase(0, 1);
    if (std::size_t reason = rest.find("--"); reason != std::string::npos) rest.erase(reason);
    for (char& ch : rest)
      if (ch == ',') ch = ' ';
    std::istringstream stream(rest);
    for (std::string id; stream >> id;) ids.push_back(id);
    word = name;
    return directive;
  }
  return Directive::None;
}

}  // namespace

void Suppressions::problem(const std::string& file, const SourceComment& comment, const std::string& message) {
  Finding finding;
  finding.check_id = kSuppressionProblem;
  const CheckInfo* info = find_check(kSuppressionProblem);
  finding.severity = info ? info->severity : Severity::Warning;
  finding.location = {file, comment.line, comment.column};
  finding.message = message;
  problems_.push_back(std::move(finding));
}

void Suppressions::add_file(const std::string& path) {
  if (files_.count(path)) return;
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  add_source(path, buffer.str());
}

void Suppressions::add_source(const std::string& path, const std::string& source) {
  if (!files_.insert(path).second) return;
  if (source.find("kmodlint-") == std::string::npos) return;
  std::map<std::string, std::vector<std::pair<SourceComment, bool>>> open;  // id -> disables still open
  for (const SourceComment& comment : lex_comments(source)) {
    std::vector<std::string> ids;
    std::string word;
    Directive directive = parse_directive(comment.text, ids, word);
    if (directive == Directive::None) continue;
    if (ids.empty()) {
      problem(path, comment, word + " names no check; write the check ids it silences, e.g. " + word +
                                 " missing-module-exit (or * for every check)");
      continue;
    }
    for (const std::string& raw : ids) {
      std::string id = raw == "all" ? "*" : raw;
      if (id != "*" && !known_.count(id)) {
        problem(path, comment, word + " names unknown check '" + id + "'; kmodlint --list-checks lists them");
        continue;
      }
      Suppression entry;
      entry.check = id;
      entry.file = path;
      entry.comment_line = comment.line;
      entry.comment_column = comment.column;
      switch (directive) {
        case Directive::Line:
          entry.kind = Suppression::Kind::Line;
          entry.first_line = entry.last_line = comment.line;
          suppressions_.push_back(entry);
          break;
        case Directive::NextLine:
          entry.kind = Suppression::Kind::NextLine;
          entry.first_line = entry.last_line = comment.end_line + 1;
          suppressions_.push_back(entry);
          break;
        case Directive::File:
          entry.kind = Suppression::Kind::File;
          entry.first_line = 1;
          entry.last_line = UINT_MAX;
          suppressions_.push_back(entry);
          break;
        case Directive::Disable:
          open[id].push_back({comment, true});
          break;
        case Directive::Enable: {
          auto& stack = open[id];
          if (stack.empty()) {
            problem(path, comment, "kmodlint-enable " + id + " has no kmodlint-disable " + id + " before it");
            break;
          }
          SourceComment start = stack.back().first;
          stack.pop_back();
          entry.kind = Suppression::Kind::Range;
          entry.comment_line = start.line;
          entry.comment_column = start.column;
          entry.first_line = start.line;
          entry.last_line = comment.end_line;
          suppressions_.push_back(entry);
          break;
        }
        case Directive::None: break;
      }
    }
  }
  for (const auto& [id, stack] : open)
    for (const auto& [comment, unused] : stack)
      problem(path, comment,
              "kmodlint-disable " + id + " has no matching kmodlint-enable " + id +
                  " and silences nothing; close the range, or use kmodlint-disable-file " + id + " for the whole file");
}

bool Suppressions::suppresses(const Finding& finding) {
  bool found = false;
  for (Suppression& entry : suppressions_) {
    if (entry.file != finding.location.file || (entry.check != "*" && entry.check != finding.check_id)) continue;
    if (finding.location.line < entry.first_line || finding.location.line > entry.last_line) continue;
    entry.used = true;
    found = true;
  }
  return found;
}

std::vector<Finding> Suppressions::problems(bool report_unused, const std::set<std::string>& checks_that_ran) const {
  std::vector<Finding> result = problems_;
  if (!report_unused) return result;
  for (const Suppression& entry : suppressions_) {
    if (entry.used || (entry.check != "*" && !checks_that_ran.count(entry.check))) continue;
    if (entry.check == kSuppressionProblem) continue;  // used only after this list is made
    SourceComment where{entry.comment_line, entry.comment_column, entry.comment_line, {}};
    Finding finding;
    finding.check_id = kSuppressionProblem;
    const CheckInfo* info = find_check(kSuppressionProblem);
    finding.severity = info ? info->severity : Severity::Warning;
    finding.location = {entry.file, entry.comment_line, entry.comment_column};
    finding.message = entry.directive() + " " + entry.check + " silences nothing" +
                      (entry.kind == Suppression::Kind::File ? " in this file" : " here") + "; remove it";
    result.push_back(std::move(finding));
  }
  return result;
}

}  // namespace kmodlint
