#include "frontend/unit_extractor.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"
#include "frontend/function_extractor.h"
#include "frontend/value_summary.h"

namespace kmodlint::frontend {

using namespace clang;

namespace {

constexpr llvm::StringLiteral kKstrtabPrefix = "__kstrtab_";
constexpr llvm::StringLiteral kKstrtabNsPrefix = "__kstrtabns_";

bool starts_with_any(const std::string& path, const std::vector<std::string>& prefixes) {
  for (const std::string& prefix : prefixes)
    if (path.compare(0, prefix.size(), prefix) == 0) return true;
  return false;
}

// The value of a condition the compiler folds, if it does: code under a false constant
// condition is dropped before the object file exists, so its references are no symbols.
std::optional<bool> constant_condition(const Expr* condition, const ASTContext& context) {
  if (!condition || condition->isValueDependent()) return std::nullopt;
  Expr::EvalResult result;
  if (!condition->EvaluateAsInt(result, context, Expr::SE_NoSideEffects)) return std::nullopt;
  return result.Val.getInt().getBoolValue();
}

// For `if (__builtin_constant_p(x)) A else B` that Clang cannot fold: which branch is the one
// compiled only when GCC proves x constant after inlining (true: A, false: B of a negated test).
// The kernel's constant-only paths (udelay()'s __bad_udelay(), ndelay()'s __bad_ndelay()) name
// link-time assertions that exist in no kernel, so references there are not symbols.
std::optional<bool> constant_only_branch(const Expr* condition) {
  if (!condition) return std::nullopt;
  bool negated = false;
  condition = condition->IgnoreParenImpCasts();
  while (const auto* unary = dyn_cast<UnaryOperator>(condition)) {
    if (unary->getOpcode() != UO_LNot) return std::nullopt;
    negated = !negated;
    condition = unary->getSubExpr()->IgnoreParenImpCasts();
  }
  const auto* call = dyn_cast<CallExpr>(condition);
  if (!call || call->getBuiltinCallee() != Builtin::BI__builtin_constant_p) return std::nullopt;
  return !negated;
}

bool ends_switch_path(const Stmt* statement) {
  while (const auto* label = dyn_cast_or_null<SwitchCase>(statement)) statement = label->getSubStmt();
  return isa_and_nonnull<BreakStmt>(statement) || isa_and_nonnull<ReturnStmt>(statement);
}

// Collects references to symbols the unit declares but does not define. Like the compiler, it
// skips branches that constant folding removes (`if (0)`, a switch on sizeof() in get_user(),
// __builtin_choose_expr), the constant-only branch of a __builtin_constant_p() test, and
// functions declared with __attribute__((error)) — the kernel's compile-time assertions, which
// are referenced only from such branches.
constexpr unsigned kMaxTraversalDepth = 2000;

class ReferenceCollector : public RecursiveASTVisitor<ReferenceCollector> {
 public:
  ReferenceCollector(const ValueSummarizer& summarizer, ASTContext& context,
                     std::map<std::string, SymbolReference>& out)
      : summarizer_(summarizer), context_(context), out_(out) {}

  void collect(Stmt* body, const std::string& from_function) {
    from_function_ = from_function;
    TraverseStmt(body);
  }

  // Input decides how deep statements nest (a 40,000-term sum is 40,000 levels): below
  // kMaxTraversalDepth the collector stops descending, and says so, instead of recursing on.
  bool TraverseStmt(Stmt* statement, DataRecursionQueue* queue = nullptr) {
    if (depth_ >= kMaxTraversalDepth) {
      if (statement && !too_deep_) too_deep_ = statement->getBeginLoc();
      return true;
    }
    ++depth_;
    bool result = RecursiveASTVisitor::TraverseStmt(statement, queue);
    --depth_;
    return result;
  }

  // Where the first statement nested too deep to follow begins (invalid when none was).
  std::optional<clang::SourceLocation> too_deep() const { return too_deep_; }

  bool TraverseIfStmt(IfStmt* statement) {
    if (statement->getConditionVariable() || statement->getInit()) return RecursiveASTVisitor::TraverseIfStmt(statement);
    std::optional<bool> value = constant_condition(statement->getCond(), context_);
    if (!value) {
      std::optional<bool> constant_only = constant_only_branch(statement->getCond());
      if (!constant_only) return RecursiveASTVisitor::TraverseIfStmt(statement);
      if (!TraverseStmt(statement->getCond())) return false;
      return TraverseStmt(*constant_only ? statement->getElse() : statement->getThen());
    }
    return TraverseStmt(*value ? statement->getThen() : statement->getElse());
  }

  bool TraverseConditionalOperator(ConditionalOperator* expr) {
    std::optional<bool> value = constant_condition(expr->getCond(), context_);
    if (!value) {
      std::optional<bool> constant_only = constant_only_branch(expr->getCond());
      if (!constant_only) return RecursiveASTVisitor::TraverseConditionalOperator(expr);
      if (!TraverseStmt(expr->getCond())) return false;
      return TraverseStmt(*constant_only ? expr->getFalseExpr() : expr->getTrueExpr());
    }
    return TraverseStmt(*value ? expr->getTrueExpr() : expr->getFalseExpr());
  }

  bool TraverseChooseExpr(ChooseExpr* expr) {
    if (expr->isConditionDependent()) return RecursiveASTVisitor::TraverseChooseExpr(expr);
    return TraverseStmt(expr->getChosenSubExpr());
  }

  bool TraverseBinaryOperator(BinaryOperator* expr) {
    if (expr->getOpcode() == BO_LAnd || expr->getOpcode() == BO_LOr) {
      std::optional<bool> left = constant_condition(expr->getLHS(), context_);
      if (left && *left == (expr->getOpcode() == BO_LOr)) return TraverseStmt(expr->getLHS());
    }
    return RecursiveASTVisitor::TraverseBinaryOperator(expr);
  }

  bool TraverseSwitchStmt(SwitchStmt* statement) {
    const auto* body = dyn_cast_or_null<CompoundStmt>(statement->getBody());
    if (statement->getConditionVariable() || statement->getInit() || !body)
      return RecursiveASTVisitor::TraverseSwitchStmt(statement);
    Expr::EvalResult result;
    const Expr* condition = statement->getCond();
    if (condition->isValueDependent() || !condition->EvaluateAsInt(result, context_, Expr::SE_NoSideEffects))
      return RecursiveASTVisitor::TraverseSwitchStmt(statement);
    llvm::APSInt value = result.Val.getInt();
    const SwitchCase* chosen = nullptr;
    const SwitchCase* fallback = nullptr;
    for (const SwitchCase* label = statement->getSwitchCaseList(); label; label = label->getNextSwitchCase()) {
      if (isa<DefaultStmt>(label)) {
        fallback = label;
        continue;
      }
      const auto* case_label = cast<CaseStmt>(label);
      Expr::EvalResult low;
      if (case_label->getRHS() || !case_label->getLHS()->EvaluateAsInt(low, context_))
        return RecursiveASTVisitor::TraverseSwitchStmt(statement);  // ranges: keep it simple
      if (llvm::APSInt::isSameValue(low.Val.getInt(), value)) chosen = label;
    }
    if (!chosen) chosen = fallback;
    if (!chosen) return true;
    // From the chosen label to the first break (or return) at the switch's own level.
    bool started = false;
    for (Stmt* child : body->body()) {
      if (!started) {
        for (const Stmt* label = child; isa_and_nonnull<SwitchCase>(label);
             label = cast<SwitchCase>(label)->getSubStmt())
          if (label == chosen) started = true;
        if (!started) continue;
        TraverseStmt(const_cast<Stmt*>(chosen->getSubStmt()));
        if (ends_switch_path(chosen->getSubStmt())) break;
        continue;
      }
      TraverseStmt(child);
      if (ends_switch_path(child)) break;
    }
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr* ref) {
    const ValueDecl* decl = ref->getDecl();
    bool is_function = false;
    if (decl->isWeak()) return true;  // an undefined weak reference links as NULL
    if (const auto* function = dyn_cast<FunctionDecl>(decl)) {
      if (function->isDefined() || function->getBuiltinID() != 0 || !function->isExternallyVisible() ||
          function->hasAttr<ErrorAttr>())
        return true;
      is_function = true;
    } else if (const auto* var = dyn_cast<VarDecl>(decl)) {
      if (!var->hasGlobalStorage() || var->isStaticLocal() || var->hasDefinition() != VarDecl::DeclarationOnly ||
          !var->isExternallyVisible())
        return true;
    } else {
      return true;
    }
    std::string name = decl->getName().str();
    if (out_.count(name)) return true;
    out_[name] = {name, is_function, summarizer_.location(ref->getLocation()), from_function_};
    return true;
  }

 private:
  const ValueSummarizer& summarizer_;
  ASTContext& context_;
  std::map<std::string, SymbolReference>& out_;
  std::string from_function_;
  unsigned depth_ = 0;
  std::optional<clang::SourceLocation> too_deep_;
};

// The labels an assembler text defines (`name:` at the start of a statement).
std::vector<std::string> asm_labels(const std::string& text) {
  std::vector<std::string> labels;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find_first_of("\n;", start);
    if (end == std::string::npos) end = text.size();
    std::size_t first = text.find_first_not_of(" \t", start);
    if (first < end) {
      std::size_t name_end = first;
      while (name_end < end && (std::isalnum(static_cast<unsigned char>(text[name_end])) || text[name_end] == '_' ||
                                text[name_end] == '.' || text[name_end] == '$'))
        ++name_end;
      if (name_end > first && name_end < end && text[name_end] == ':' &&
          !std::isdigit(static_cast<unsigned char>(text[first])))
        labels.push_back(text.substr(first, name_end - first));
    }
    start = end + 1;
  }
  return labels;
}

class UnitExtractor : public ASTConsumer {
 public:
  UnitExtractor(const CompileCommand& command, UnitFacts& out) : command_(command), out_(out) {}

  bool shouldSkipFunctionBody(Decl* decl) override {
    // Bodies of the kernel's inline header functions are never analysed; skipping them is
    // most of what makes kmodlint faster than a full -fsyntax-only parse.
    const SourceManager& sm = decl->getASTContext().getSourceManager();
    clang::SourceLocation loc = sm.getExpansionLoc(decl->getLocation());
    if (sm.isInMainFile(loc)) return false;
    return is_kernel_file(sm, loc);
  }

  void HandleTranslationUnit(ASTContext& context) override;

 private:
  bool is_kernel_file(const SourceManager& sm, clang::SourceLocation loc) const {
    llvm::StringRef name = sm.getFilename(loc);
    return !name.empty() && starts_with_any(name.str(), command_.kernel_roots);
  }
  bool in_main_file(const SourceManager& sm, clang::SourceLocation loc) const {
    return sm.isInMainFile(sm.getExpansionLoc(loc));
  }
  // Written in the .c file by its author: not a declaration that a header's macro makes where it
  // is used (LTTNG_DEFINE_TRACE() declares the tracepoint's static-call trampoline __SCT__x).
  bool written_in_main_file(const SourceManager& sm, const Decl& decl) const {
    if (!in_main_file(sm, decl.getLocation())) return false;
    // The name, or the declaration's first token, comes from a macro's body (pasted or not).
    for (clang::SourceLocation loc : {decl.getLocation(), decl.getBeginLoc()})
      if (loc.isMacroID() && !sm.isMacroArgExpansion(loc) && !sm.isInMainFile(sm.getSpellingLoc(loc))) return false;
    return true;
  }
  // The unit's own code: its file, or a .c file of the module it #includes (jool's
  // wrapper-types.c is `#include "common/types.c"`): what is defined and exported there, the unit
  // defines and exports.
  bool own_code(const SourceManager& sm, clang::SourceLocation loc) const {
    clang::SourceLocation at = sm.getExpansionLoc(loc);
    if (sm.isInMainFile(at)) return true;
    llvm::StringRef name = sm.getFilename(at);
    return name.ends_with(".c") && !is_kernel_file(sm, at);
  }
  // A definition with external linkage in a header of the module (gost-crypto's
  // gost28147_param.h, which defines the exported parameter tables): the object file of every unit
  // that includes the header defines the symbol, as for the unit's own code.
  bool defines_symbol_here(const SourceManager& sm, const NamedDecl& decl) const {
    if (own_code(sm, decl.getLocation())) return true;
    return decl.hasExternalFormalLinkage() && !is_kernel_file(sm, sm.getExpansionLoc(decl.getLocation()));
  }
  void handle_function(const FunctionDecl& function, ASTContext& context);
  void handle_variable(const VarDecl& var, ASTContext& context);
  void collect_function_stores(const Expr* init, const std::string& holder, ASTContext& context);
  void collect_references(Stmt* code, const std::string& from_function, ASTContext& context);
  void collect_export_details(const std::vector<std::string>& asm_texts);
  void collect_included_files(const SourceManager& sm);
  ExternDecl describe_extern(const DeclaratorDecl& decl, bool is_function, ASTContext& context);

  const CompileCommand& command_;
  UnitFacts& out_;
  std::unique_ptr<ValueSummarizer> summarizer_;
  std::map<std::string, SymbolReference> references_;
};

void UnitExtractor::HandleTranslationUnit(ASTContext& context) {
  summarizer_ = std::make_unique<ValueSummarizer>(context);
  const SourceManager& sm = context.getSourceManager();
  std::vector<std::string> asm_texts;
  std::set<std::string> asm_defined;
  for (Decl* decl : context.getTranslationUnitDecl()->decls()) {
    if (const auto* function = dyn_cast<FunctionDecl>(decl)) {
      handle_function(*function, context);
    } else if (const auto* var = dyn_cast<VarDecl>(decl)) {
      handle_variable(*var, context);
    } else if (const auto* file_asm = dyn_cast<FileScopeAsmDecl>(decl)) {
      std::string text = file_asm->getAsmString()->getString().str();
      // Whoever wrote it, top-level asm is assembled into this object: the symbols it defines
      // (static-call trampolines `__SCT__tp_func_x:` of the tracepoints a unit creates) are the unit's.
      for (std::string& label : asm_labels(text)) asm_defined.insert(std::move(label));
      if (own_code(sm, file_asm->getBeginLoc())) asm_texts.push_back(std::move(text));
    }
  }
  collect_export_details(asm_texts);
  for (const std::string& label : asm_defined) references_.erase(label);
  // EXPORT_SYMBOL(sym) declares `extern typeof(sym) sym;` itself: not an extern the author wrote.
  std::erase_if(out_.extern_decls, [&](const ExternDecl& decl) {
    return std::any_of(out_.exports.begin(), out_.exports.end(), [&](const ExportFacts& exported) {
      return exported.symbol == decl.name && exported.location == decl.location;
    });
  });
  for (auto& [name, reference] : references_) out_.external_references.push_back(reference);
  collect_included_files(sm);
}

ExternDecl UnitExtractor::describe_extern(const DeclaratorDecl& decl, bool is_function, ASTContext& context) {
  const SourceManager& sm = context.getSourceManager();
  ExternDecl result;
  result.name = decl.getName().str();
  result.is_function = is_function;
  result.type = decl.getType().getCanonicalType().getAsString();
  result.location = summarizer_->location(decl.getLocation());
  result.in_main_file = in_main_file(sm, decl.getLocation());
  for (const Decl* redecl : decl.redecls()) {
    clang::SourceLocation loc = sm.getExpansionLoc(redecl->getLocation());
    if (!sm.isInMainFile(loc) && loc.isValid()) {
      result.declared_in_header = sm.getFilename(loc).str();
      break;
    }
  }
  if (const auto* function = dyn_cast<FunctionDecl>(&decl)) result.defined_in_unit = function->isDefined();
  if (const auto* var = dyn_cast<VarDecl>(&decl)) result.defined_in_unit = var->hasDefinition() != VarDecl::DeclarationOnly;
  return result;
}

void UnitExtractor::handle_function(const FunctionDecl& function, ASTContext& context) {
  const SourceManager& sm = context.getSourceManager();
  if (!function.getIdentifier()) return;
  llvm::StringRef name = function.getName();

  if (name == "init_module" || name == "cleanup_module") {
    std::optional<EntryMacro>& slot = name == "init_module" ? out_.module_init : out_.module_exit;
    if (const auto* alias = function.getAttr<AliasAttr>()) {
      slot = EntryMacro{alias->getAliasee().str(), summarizer_->location(function.getLocation()), false};
    } else if (function.doesThisDeclarationHaveABody() && in_main_file(sm, function.getLocation())) {
      slot = EntryMacro{name.str(), summarizer_->location(function.getLocation()), true};
    }
  }

  bool main = in_main_file(sm, function.getLocation());
  if (function.doesThisDeclarationHaveABody()) {
    bool inline_in_header = function.isInlineSpecified() && !own_code(sm, function.getLocation());
    if (inline_in_header || !defines_symbol_here(sm, function)) return;
    out_.functions.push_back(extract_function(function, context));
    // A static function nothing in the unit names is not emitted (lttng's compile-time canaries
    // `__attribute__((unused)) static int __canary__task_prio(...)`): its references never link.
    if (function.isExternallyVisible() || function.isReferenced() || function.isUsed())
      collect_references(function.getBody(), name.str(), context);
    return;
  }
  if (function.getBuiltinID() != 0 || function.getStorageClass() == SC_Static) return;
  if (function.hasAttr<AliasAttr>()) return;
  if (main) {
    if ((function.getPreviousDecl() == nullptr || !in_main_file(sm, function.getPreviousDecl()->getLocation())) &&
        written_in_main_file(sm, function))
      out_.extern_decls.push_back(describe_extern(function, true, context));
  } else if (!is_kernel_file(sm, sm.getExpansionLoc(function.getLocation()))) {
    out_.module_header_decls.push_back(describe_extern(function, true, context));
  }
}

void UnitExtractor::handle_variable(const VarDecl& var, ASTContext& context) {
  const SourceManager& sm = context.getSourceManager();
  if (!var.getIdentifier()) return;
  std::string name = var.getName().str();
  bool main = in_main_file(sm, var.getLocation());
  bool own = defines_symbol_here(sm, var);

  if (const auto* section = var.getAttr<SectionAttr>(); section && section->getName() == ".modinfo") {
    if (const auto* literal = dyn_cast_or_null<StringLiteral>(var.getInit() ? var.getInit()->IgnoreParenImpCasts() : nullptr)) {
      std::string text = literal->getString().str();
      std::size_t equals = text.find('=');
      // MODULE_LICENSE() and friends in the module's own header count too (lttng's ring-buffer
      // clients declare theirs in the .h file each client .c includes); kernel headers have none.
      if (equals != std::string::npos && (main || !is_kernel_file(sm, sm.getExpansionLoc(var.getLocation()))))
        out_.module_info.push_back({text.substr(0, equals), text.substr(equals + 1), summarizer_->location(var.getLocation())});
    }
    return;
  }
  // EXPORT_SYMBOL() in a header of the module exports from every unit that includes it.
  if (llvm::StringRef(name).starts_with(kKstrtabPrefix) &&
      (own || !is_kernel_file(sm, sm.getExpansionLoc(var.getLocation())))) {
    ExportFacts exported;
    exported.symbol = name.substr(kKstrtabPrefix.size());
    exported.location = summarizer_->location(var.getLocation());
    out_.exports.push_back(exported);
    return;
  }
  if (llvm::StringRef(name).starts_with("__kstrtabns_") || llvm::StringRef(name).starts_with("__UNIQUE_ID_"))
    return;

  if (var.isThisDeclarationADefinition() == VarDecl::DeclarationOnly) {
    if (var.hasDefinition() != VarDecl::DeclarationOnly) return;  // described where it is defined
    if (main) {
      if ((var.getPreviousDecl() == nullptr || !in_main_file(sm, var.getPreviousDecl()->getLocation())) &&
          written_in_main_file(sm, var))
        out_.extern_decls.push_back(describe_extern(var, false, context));
    } else if (!is_kernel_file(sm, sm.getExpansionLoc(var.getLocation()))) {
      out_.module_header_decls.push_back(describe_extern(var, false, context));
    }
    return;
  }
  if (!own) return;
  if (var.getActingDefinition() != &var && var.getDefinition() != &var) return;  // `int x; int x;`

  GlobalVarFacts global;
  global.name = name;
  global.location = summarizer_->location(var.getLocation());
  global.type = var.getType().getCanonicalType().getAsString();
  global.is_static = var.getStorageClass() == SC_Static;
  global.is_const = var.getType().isConstQualified();
  if (const auto* section = var.getAttr<SectionAttr>()) {
    global.section = section->getName().str();
    global.is_per_cpu = llvm::StringRef(global.section).starts_with(".data..percpu");
  }
  out_.globals.push_back(global);
  for (const VarDecl* redecl : var.redecls()) {
    clang::SourceLocation loc = sm.getExpansionLoc(redecl->getLocation());
    if (!sm.isInMainFile(loc) && !is_kernel_file(sm, loc) && !global.is_static) {
      out_.module_header_decls.push_back(describe_extern(*redecl, false, context));
      break;
    }
  }
  if (const Expr* init = var.getInit()) {
    collect_function_stores(init, name, context);
    collect_references(const_cast<Expr*>(init), "", context);
  }
}

void UnitExtractor::collect_references(Stmt* code, const std::string& from_function, ASTContext& context) {
  ReferenceCollector collector(*summarizer_, context, references_);
  collector.collect(code, from_function);
  if (std::optional<clang::SourceLocation> deep = collector.too_deep()) {
    out_.notes.push_back({summarizer_->location(*deep), "code nested more than " + std::to_string(kMaxTraversalDepth) +
                                                            " levels deep; kmodlint did not look further inside it"});
  }
}

void UnitExtractor::collect_function_stores(const Expr* init, const std::string& holder, ASTContext& context) {
  const auto* list = dyn_cast<InitListExpr>(init->IgnoreParenImpCasts());
  if (!list) return;
  if (list->isSyntacticForm() && list->getSemanticForm()) list = list->getSemanticForm();
  const RecordDecl* record = list->getType()->getAsRecordDecl();
  if (!record) {
    for (const Expr* element : list->inits()) collect_function_stores(element, holder, context);
    return;
  }
  std::string record_label = record_name(list->getType());
  unsigned index = 0;
  for (const FieldDecl* field : record->fields()) {
    if (index >= list->getNumInits()) break;
    const Expr* value = list->getInit(index++);
    if (!value) continue;
    if (isa<InitListExpr>(value->IgnoreParenImpCasts())) {
      collect_function_stores(value, holder, context);
      continue;
    }
    ValueRef summary = summarizer_->summarize(value);
    if (summary.kind == ValueRef::Kind::Function)
      out_.function_stores.push_back({record_label, field->getName().str(), summary.root, holder,
                                      summarizer_->location(value->getBeginLoc())});
    if (record->isUnion()) break;
  }
}

void UnitExtractor::collect_export_details(const std::vector<std::string>& asm_texts) {
  for (ExportFacts& exported : out_.exports) {
    const std::string gpl_section = "___ksymtab_gpl+" + exported.symbol + "\"";
    const std::string ns_label = std::string(kKstrtabNsPrefix) + exported.symbol + ":";
    for (const std::string& text : asm_texts) {
      if (text.find(gpl_section) != std::string::npos) exported.gpl_only = true;
      std::size_t label = text.find(ns_label);
      if (label == std::string::npos) continue;
      std::size_t open = text.find('"', text.find(".asciz", label));
      std::size_t close = open == std::string::npos ? open : text.find('"', open + 1);
      if (close != std::string::npos) exported.name_space = text.substr(open + 1, close - open - 1);
    }
  }
}

void UnitExtractor::collect_included_files(const SourceManager& sm) {
  std::set<std::string> files;
  for (auto entry = sm.fileinfo_begin(); entry != sm.fileinfo_end(); ++entry) {
    std::string path = entry->getFirst().getName().str();
    if (!starts_with_any(path, command_.kernel_roots) && path != out_.source_file) files.insert(path);
  }
  out_.included_files.assign(files.begin(), files.end());
}

}  // namespace

std::unique_ptr<ASTConsumer> make_unit_extractor(const CompileCommand& command, UnitFacts& out) {
  return std::make_unique<UnitExtractor>(command, out);
}

}  // namespace kmodlint::frontend
