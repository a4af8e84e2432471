// The fact model: what the frontend learns from one translation unit, as plain data.
// Checks read these facts and never see Clang's AST.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kmodlint {

struct SourceLocation {
  std::string file;  // absolute path
  unsigned line = 0;
  unsigned column = 0;

  bool valid() const { return line != 0; }
  auto operator<=>(const SourceLocation&) const = default;
};

// A summary of an expression that a check can reason about without the AST:
// which variable (and field path) it names, or which constant, function or call it is.
struct ValueRef {
  enum class Kind {
    None,         // no value (void return, missing argument)
    IntConstant,  // integer constant expression, incl. -ENOMEM, NULL
    Local,        // a local variable or something reached from it (p, p->x, p[i])
    Param,        // a parameter of the enclosing function, or something reached from it
    Global,       // a file-scope or static-local variable, or something reached from it
    Function,     // a function designator (&f or f)
    CallResult,   // the result of the call event with index `call_index` in the same function
    String,       // a string literal
    Other,        // anything else (arithmetic, casts of unknown things, ...)
  };
  Kind kind = Kind::None;
  std::string root;           // the variable or function name, for Local/Param/Global/Function; a String's bytes
  std::string path;           // normalized access path from root, e.g. "->cls", ".dev.kobj", "[]"
  bool address_of = false;    // &root... was taken
  bool dereferenced = false;  // *root...
  std::int64_t int_value = 0;  // for IntConstant
  int call_index = -1;         // for CallResult
  std::string record;  // struct type of the last member access in path ("" if none)
  std::string field;   // name of the last member accessed ("" if none)
  std::string text;    // source spelling, for messages

  // root + path: the location this value names, e.g. "dev->cls". Empty for non-lvalues.
  std::string lvalue() const;
};

struct CallEvent {
  std::string callee;  // direct callee name; empty for an indirect call
  ValueRef indirect_target;  // for indirect calls, what was called through (e.g. ops->fn)
  std::vector<ValueRef> args;
  std::optional<ValueRef> result_to;  // where the result was stored (x = f(), T x = f())
  bool noreturn = false;
  bool callee_is_static_inline_in_header = false;
  SourceLocation location;
};

// What the condition of a two-way branch tests. Successor 0 is taken when the test holds
// (when it does not hold, for a negated IS_ERR test: `if (!IS_ERR(p))`).
struct BranchCondition {
  enum class Test {
    Unknown,
    NonZero,    // if (x), if (x != 0), if (x != NULL)
    Zero,       // if (!x), if (x == 0), if (x == NULL)
    Negative,   // if (x < 0)
    NonNegative,  // if (x >= 0)
    IsErr,        // if (IS_ERR(x))
    IsErrOrNull,  // if (IS_ERR_OR_NULL(x))
    BelowPositive,    // if (x < C), if (x <= C) with a constant C > 0 (a loop bound)
    AtLeastPositive,  // if (x >= C), if (x > C) with a constant C > 0
  };
  Test test = Test::Unknown;
  bool negated = false;  // only for IsErr / IsErrOrNull; the others negate into each other
  ValueRef subject;  // the tested value (a variable, or a CallResult)
  SourceLocation location;
  // The condition as written (`IS_ERR(cls)`, `!buf`), for path notes; successor 0 is taken when it
  // is true, or when it is false with spelling_negated (`!(a && b)` tests b). Empty for a branch
  // inside a macro's body, which the author did not write.
  std::string spelling;
  bool spelling_negated = false;
  // An Unknown test that compares a value with a non-zero integer constant (`err == -EBUSY`,
  // `ah->type != MTHCA_AH_PCI_POOL`). The subject stays the whole comparison.
  struct ConstantComparison {
    ValueRef operand;         // the value compared
    std::int64_t constant = 0;  // never 0 (that is a Zero / NonZero test)
    bool equal = true;        // successor 0 is taken when operand == constant (false: when it differs)
  };
  std::optional<ConstantComparison> compared;
};

// A value chosen by a condition: `cond ? 0 : 1`, or a comparison used as a value (`ok = p != NULL`).
struct ChosenValue {
  BranchCondition condition;
  std::int64_t if_true = 1;
  std::int64_t if_false = 0;
};

struct AssignEvent {
  ValueRef target;  // the assigned location (a local declared with an initializer counts)
  ValueRef value;
  SourceLocation location;
  std::optional<ChosenValue> chosen = std::nullopt;  // set when the value is one of two integer constants
};

struct AccessEvent {
  enum class Mode { Read, Write, ReadWrite, AddressTaken };
  std::string variable;  // global (or static local) name
  std::string path;      // field path under it, e.g. ".count", "->buf", "[]"
  Mode mode = Mode::Read;
  bool is_static_local = false;
  std::vector<std::string> macros;  // function-like macros the access is spelled in, innermost first
  std::string address_passed_to;  // for AddressTaken: the callee the address went to, if any
  SourceLocation location;
};

struct ReturnEvent {
  ValueRef value;
  SourceLocation location;
};

// One step inside a basic block, in evaluation order.
struct Event {
  enum class Kind { Call, Assign, Access, Return };
  Kind kind;
  int index;  // into FunctionFacts::calls / assigns / accesses / returns
};


// How one successor of a switch is reached: by one case value, as the default (no case value
// matched), or otherwise (a GNU case range).
struct SwitchEdge {
  enum class Kind { Case, Default, Other };
  Kind kind = Kind::Other;
  std::int64_t value = 0;  // for Case
};

// A block that ends in a switch: the switched value and one edge per successor.
struct SwitchCases {
  ValueRef operand;
  SourceLocation location;  // the `switch` keyword
  std::vector<SwitchEdge> edges;  // parallel to BasicBlock::successors
};

struct BasicBlock {
  int id = 0;
  std::vector<Event> events;
  std::vector<int> successors;  // -1 for an unreachable successor
  std::optional<BranchCondition> condition;  // set when the block ends in a two-way branch
  std::optional<SwitchCases> switch_cases;   // set when the block ends in a switch
  // The test of a for/while loop that counts up to a bound (`i < n`, `port <= last`), or of a for
  // loop that counts down to 0 from a count the function did not compute (`i = t->depth - 2;
  // i >= 0`): successor 0 enters the body, successor 1 leaves the loop.
  bool counted_loop_test = false;
};

// A call inside a loop that counts a local down (an unwind loop: `while (i--)`, `while (--i >= 0)`,
// `for (j = i - 1; j >= 0; j--)`) with an argument that indexes an array by another local the
// loop never changes (`kfree(bufs[i])` in the loop over j), and never by the counter.
struct MisindexedLoopCall {
  int call_index = -1;   // into FunctionFacts::calls
  int arg = 0;           // the argument that indexes
  std::string counter;   // the local the loop counts down ("j")
  std::string index;     // the local the argument indexes with ("i")
};

// A sparse context annotation of a function, read from its declarations' spelling (outside sparse
// the macros expand to nothing): `__acquires(&d->lock)` returns with the lock held,
// `__releases(x)` releases its caller's lock, `__must_hold(x)` needs it held on entry and keeps it.
struct ContextAnnotation {
  enum class Kind { Acquires, Releases, MustHold };
  Kind kind = Kind::Acquires;
  std::string lock;  // the macro argument as written: "&priv->lock", "priv->lock", "RCU"
  SourceLocation location;
  bool operator==(const ContextAnnotation& other) const = default;
};

struct FunctionFacts {
  std::string name;
  SourceLocation location;
  bool is_static = false;
  bool is_inline = false;
  std::string section;  // ".init.text" for __init, ".exit.text" for __exit, "" otherwise
  std::string return_type;
  std::vector<std::string> params;
  std::string signature;  // canonical type, e.g. "int (struct file *, char *)"
  SourceLocation end_location;
  std::vector<ContextAnnotation> lock_annotations;
  bool context_markers = false;  // the body adjusts sparse's context by hand: __acquire(x), __release(x)

  std::vector<BasicBlock> blocks;
  int entry_block = -1;
  int exit_block = -1;
  std::vector<CallEvent> calls;
  std::vector<AssignEvent> assigns;
  std::vector<AccessEvent> accesses;
  std::vector<ReturnEvent> returns;
  // Locals declared with a cleanup function (`__free(kfree)`, `guard()`): the scope releases
  // what they hold when it ends.
  std::vector<std::string> scope_cleaned_locals;
  std::vector<MisindexedLoopCall> misindexed_loop_calls;
};

struct GlobalVarFacts {
  std::string name;
  SourceLocation location;
  std::string type;  // canonical type
  bool is_static = false;
  bool is_const = false;
  bool is_definition = true;
  std::string section;  // e.g. ".data..ro_after_init", ".init.data"
  bool is_per_cpu = false;
  bool is_static_local = false;  // a function's static local variable
  std::string enclosing_function;  // for static locals
};

// A function stored into a struct field, by an initializer or an assignment:
// `static const struct file_operations fops = { .read = my_read }` or `t.function = cb`.
struct FunctionStore {
  std::string record;    // struct type name, e.g. "file_operations"
  std::string field;     // field name, e.g. "read"
  std::string function;  // the stored function
  std::string holder;    // the global variable initialized (for initializers), else the lvalue text
  SourceLocation location;
};

// A declaration without a definition in this unit (extern variable or function prototype),
// or a reference to a symbol this unit does not define.
struct ExternDecl {
  std::string name;
  bool is_function = false;
  std::string type;  // canonical type
  SourceLocation location;
  bool in_main_file = false;  // written in the .c file rather than in a header
  std::string declared_in_header;  // first header (include path as spelled) that also declares it
  bool defined_in_unit = false;    // a definition follows in the same unit (a forward declaration)
};

struct SymbolReference {
  std::string name;
  bool is_function = false;
  SourceLocation location;  // first reference in this unit
  std::string from_function;  // enclosing function of that reference ("" for initializers)
};

struct ExportFacts {
  std::string symbol;
  bool gpl_only = false;
  std::string name_space;  // EXPORT_SYMBOL_NS
  SourceLocation location;
};

struct ModuleInfoEntry {
  std::string tag;    // "license", "import_ns", "author", ...
  std::string value;
  SourceLocation location;
};

struct EntryMacro {
  std::string function;     // the function named by module_init / module_exit
  SourceLocation location;  // the macro line, or the legacy function's definition
  bool legacy_name = false; // init_module/cleanup_module defined directly
};

struct ParseDiagnostic {
  SourceLocation location;
  std::string message;
};

// Everything learnt from one translation unit.
struct UnitFacts {
  std::string source_file;  // absolute path of the main .c file
  bool parsed = false;
  bool crashed = false;  // Clang crashed on it (contained): not parsed, and `errors` says why
  std::vector<ParseDiagnostic> errors;
  std::vector<ParseDiagnostic> notes;  // parts skipped on purpose (code nested too deep)

  std::vector<FunctionFacts> functions;  // defined in the main file
  std::vector<GlobalVarFacts> globals;   // defined in the main file
  std::vector<FunctionStore> function_stores;
  std::vector<ExternDecl> extern_decls;  // declarations in the main file without a definition
  std::vector<SymbolReference> external_references;
  std::vector<ExportFacts> exports;
  std::vector<ModuleInfoEntry> module_info;
  std::optional<EntryMacro> module_init;
  std::optional<EntryMacro> module_exit;
  // Non-static declarations made in headers of the module itself (not the kernel's),
  // so that checks can tell a header-declared global from an undeclared one.
  std::vector<ExternDecl> module_header_decls;
  std::vector<std::string> included_files;  // every file the unit included, absolute
};

const char* to_string(ValueRef::Kind kind);
const char* to_string(AccessEvent::Mode mode);
const char* to_string(BranchCondition::Test test);
const char* to_string(ContextAnnotation::Kind kind);  // the macro: "__acquires", ...

}  // namespace kmodlint
