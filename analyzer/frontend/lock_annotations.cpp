#include "frontend/lock_annotations.h"

#include <algorithm>
#include <optional>
#include <set>

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

namespace kmodlint::frontend {

using namespace clang;

namespace {

// Tokens read from a declaration's first token before giving up (a declaration a macro wrote).
constexpr int kMaxTokens = 400;

std::optional<ContextAnnotation::Kind> annotation_kind(llvm::StringRef name) {
  if (name == "__acquires") return ContextAnnotation::Kind::Acquires;
  if (name == "__releases") return ContextAnnotation::Kind::Releases;
  if (name == "__must_hold") return ContextAnnotation::Kind::MustHold;
  return std::nullopt;
}

SourceLocation to_location(const clang::SourceManager& sm, clang::SourceLocation loc) {
  PresumedLoc presumed = sm.getPresumedLoc(loc);
  if (presumed.isInvalid()) return {};
  return {presumed.getFilename(), presumed.getLine(), presumed.getColumn()};
}

// The annotations in the spelling of one declaration.
void read_declaration(const FunctionDecl& decl, const clang::SourceManager& sm, const LangOptions& lang,
                      std::vector<ContextAnnotation>& out) {
  if (decl.getLocation().isMacroID()) return;  // a declaration a macro wrote: its spelling is the macro's
  clang::SourceLocation begin = sm.getExpansionLoc(decl.getBeginLoc());
  if (begin.isInvalid()) return;
  auto [file, offset] = sm.getDecomposedLoc(begin);
  bool invalid = false;
  llvm::StringRef buffer = sm.getBufferData(file, &invalid);
  if (invalid || offset >= buffer.size()) return;
  Lexer lexer(sm.getLocForStartOfFile(file), lang, buffer.begin(), buffer.begin() + offset, buffer.end());
  Token token;
  int depth = 0;
  for (int n = 0; n < kMaxTokens && !lexer.LexFromRawLexer(token); ++n) {
    if (token.is(tok::l_paren)) ++depth;
    if (token.is(tok::r_paren)) --depth;
    if (depth == 0 && token.isOneOf(tok::l_brace, tok::semi)) return;
    if (!token.is(tok::raw_identifier)) continue;
    std::optional<ContextAnnotation::Kind> kind = annotation_kind(token.getRawIdentifier());
    if (!kind) continue;
    clang::SourceLocation at = token.getLocation();
    if (lexer.LexFromRawLexer(token) || !token.is(tok::l_paren)) continue;
    unsigned open_end = sm.getFileOffset(token.getEndLoc());
    int inner = 1;
    while (inner > 0 && !lexer.LexFromRawLexer(token)) {
      if (token.is(tok::l_paren)) ++inner;
      if (token.is(tok::r_paren)) --inner;
    }
    if (inner != 0) return;
    unsigned close = sm.getFileOffset(token.getLocation());
    std::string text = buffer.substr(open_end, close - open_end).trim().str();
    ContextAnnotation annotation{*kind, text, to_location(sm, at)};
    if (!text.empty() && std::find(out.begin(), out.end(), annotation) == out.end()) out.push_back(annotation);
  }
}

}  // namespace

std::vector<ContextAnnotation> read_lock_annotations(const FunctionDecl& function) {
  const clang::SourceManager& sm = function.getASTContext().getSourceManager();
  const LangOptions& lang = function.getASTContext().getLangOpts();
  std::vector<ContextAnnotation> out;
  for (const FunctionDecl* decl : function.redecls()) read_declaration(*decl, sm, lang, out);
  // One annotation per macro and lock: the prototype and the definition usually both carry it.
  std::set<std::pair<ContextAnnotation::Kind, std::string>> seen;
  std::vector<ContextAnnotation> unique;
  for (ContextAnnotation& a : out)
    if (seen.insert({a.kind, a.lock}).second) unique.push_back(std::move(a));
  return unique;
}

bool has_context_markers(const FunctionDecl& function) {
  const Stmt* body = function.getBody();
  if (!body) return false;
  const clang::SourceManager& sm = function.getASTContext().getSourceManager();
  clang::SourceLocation begin = sm.getExpansionLoc(body->getBeginLoc());
  clang::SourceLocation end = sm.getExpansionLoc(body->getEndLoc());
  if (begin.isInvalid() || end.isInvalid() || sm.getFileID(begin) != sm.getFileID(end)) return false;
  auto [file, offset] = sm.getDecomposedLoc(begin);
  unsigned end_offset = sm.getFileOffset(end);
  bool invalid = false;
  llvm::StringRef buffer = sm.getBufferData(file, &invalid);
  if (invalid || offset >= buffer.size() || end_offset > buffer.size()) return false;
  // The raw lexer needs the buffer's own end (it is NUL-terminated there): stop at the body's end.
  Lexer lexer(sm.getLocForStartOfFile(file), function.getASTContext().getLangOpts(), buffer.begin(),
              buffer.begin() + offset, buffer.end());
  Token token;
  while (!lexer.LexFromRawLexer(token) && sm.getFileOffset(token.getLocation()) < end_offset)
    if (token.is(tok::raw_identifier) &&
        (token.getRawIdentifier() == "__acquire" || token.getRawIdentifier() == "__release"))
      return true;
  return false;
}

}  // namespace kmodlint::frontend
