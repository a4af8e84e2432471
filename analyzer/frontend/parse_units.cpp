#include "frontend/parse_units.h"

#include <signal.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <vector>

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Basic/Stack.h"
#include "clang/Tooling/Tooling.h"
#include "frontend/confined_file_system.h"
#include "frontend/unit_extractor.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/thread.h"

namespace kmodlint::frontend {

using namespace clang;

namespace {

constexpr unsigned kMaxErrorsKept = 20;
// Clang's parser, Sema and CFG builder recurse on the depth of an expression: a 40,000-term sum
// needs tens of MB of stack. Parse threads get this much (address space, touched only as used).
constexpr unsigned kParseStackBytes = 512u << 20;
constexpr std::size_t kSignalStackBytes = 256u << 10;

// Keeps errors only: kmodlint is not a compiler, and warnings from GCC-tuned flags are noise.
class ErrorCollector : public DiagnosticConsumer {
 public:
  explicit ErrorCollector(UnitFacts& out) : out_(out) {}

  void HandleDiagnostic(DiagnosticsEngine::Level level, const Diagnostic& info) override {
    DiagnosticConsumer::HandleDiagnostic(level, info);
    if (level < DiagnosticsEngine::Error || out_.errors.size() >= kMaxErrorsKept) return;
    ParseDiagnostic diagnostic;
    llvm::SmallString<256> message;
    info.FormatDiagnostic(message);
    diagnostic.message = message.str().str();
    if (info.hasSourceManager() && info.getLocation().isValid()) {
      const SourceManager& sm = info.getSourceManager();
      PresumedLoc presumed = sm.getPresumedLoc(sm.getExpansionLoc(info.getLocation()));
      if (presumed.isValid())
        diagnostic.location = {presumed.getFilename(), presumed.getLine(), presumed.getColumn()};
    }
    out_.errors.push_back(std::move(diagnostic));
  }

 private:
  UnitFacts& out_;
};

class ExtractAction : public ASTFrontendAction {
 public:
  ExtractAction(const CompileCommand& command, UnitFacts& out) : command_(command), out_(out) {}

 protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance& compiler, llvm::StringRef) override {
    compiler.getFrontendOpts().SkipFunctionBodies = true;  // asks the consumer, per function
    compiler.getDiagnosticOpts().ShowCarets = false;       // no "N warnings generated." on stderr
    return make_unit_extractor(command_, out_);
  }

 private:
  const CompileCommand& command_;
  UnitFacts& out_;
};

// Clang crashing on one file (a stack overflow included) must not take the run down: each parse
// runs under LLVM's CrashRecoveryContext, whose signal handlers then need an alternate stack (a
// thread that overflowed its stack has none left to run a handler on).
void enable_crash_recovery() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::CrashRecoveryContext::Enable();
    for (int signal_number : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP}) {
      struct sigaction action;
      if (sigaction(signal_number, nullptr, &action) != 0) continue;
      action.sa_flags |= SA_ONSTACK;
      sigaction(signal_number, &action, nullptr);
    }
  });
}

class AlternateSignalStack {
 public:
  AlternateSignalStack() : memory_(kSignalStackBytes) {
    stack_t stack{};
    stack.ss_sp = memory_.data();
    stack.ss_size = memory_.size();
    installed_ = sigaltstack(&stack, &previous_) == 0;
  }
  ~AlternateSignalStack() {
    if (installed_) sigaltstack(&previous_, nullptr);
  }
  AlternateSignalStack(const AlternateSignalStack&) = delete;
  AlternateSignalStack& operator=(const AlternateSignalStack&) = delete;

 private:
  std::vector<char> memory_;
  stack_t previous_{};
  bool installed_ = false;
};

std::string signal_name(int code) {
  int signal_number = code > 128 ? code - 128 : code;  // LLVM reports 128 + the signal
  const char* name = sigabbrev_np(signal_number);
  return name ? std::string("SIG") + name : "signal " + std::to_string(signal_number);
}

// What a parser recursing without bound does: runs the thread out of stack (SIGSEGV). Only the
// tests of crash containment call it (KMODLINT_TEST_CRASH_IN names the file to crash on).
[[gnu::noinline]] unsigned overflow_the_stack(unsigned depth) {
  volatile char frame[4096];
  frame[0] = static_cast<char>(depth);
  if (depth == 0) return 0;  // never: unsigned depth starts at 1 and the stack ends first
  return overflow_the_stack(depth + 1) + frame[0];
}

UnitFacts parse_unit_uncontained(const CompileCommand& command, const ReadPolicy& policy) {
  UnitFacts facts;
  facts.source_file = command.file;
  std::vector<std::string> arguments = clang_arguments(command);

  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> real = llvm::vfs::createPhysicalFileSystem();
  real->setCurrentWorkingDirectory(command.directory);
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> file_system = make_confined_file_system(real, policy);
  llvm::IntrusiveRefCntPtr<FileManager> files(new FileManager(FileSystemOptions{command.directory}, file_system));
  ErrorCollector errors(facts);
  tooling::ToolInvocation invocation(arguments, std::make_unique<ExtractAction>(command, facts), files.get());
  invocation.setDiagnosticConsumer(&errors);
  bool ok = invocation.run();
  facts.parsed = ok && facts.errors.empty();
  if (!ok && facts.errors.empty())
    facts.errors.push_back({{command.file, 0, 0}, "Clang could not start a compilation for this file"});
  return facts;
}

// On the calling thread, which must have a large stack (see parse_units).
UnitFacts parse_unit_contained(const CompileCommand& command, const ReadPolicy& policy) {
  UnitFacts facts;
  llvm::CrashRecoveryContext recovery;
  bool finished = recovery.RunSafely([&] {
    if (const char* crash = std::getenv("KMODLINT_TEST_CRASH_IN")) {  // tests of the containment
      if (*crash && command.file.find(crash) != std::string::npos) overflow_the_stack(1);
    }
    facts = parse_unit_uncontained(command, policy);
  });
  if (finished) return facts;
  UnitFacts crashed;
  crashed.source_file = command.file;
  crashed.crashed = true;
  crashed.errors.push_back({{command.file, 0, 0},
                            "Clang crashed while parsing this file (" + signal_name(recovery.RetCode) +
                                "); it is not analysed, the other files are"});
  return crashed;
}

}  // namespace

const char* clang_resource_dir() { return KMODLINT_CLANG_RESOURCE_DIR; }

std::vector<std::string> clang_arguments(const CompileCommand& command) {
  std::vector<std::string> arguments = command.arguments;
  arguments[0] = "clang-19";
  arguments.insert(arguments.begin() + 1, {"-fsyntax-only", "-resource-dir", clang_resource_dir()});
  return arguments;
}

UnitFacts parse_unit(const CompileCommand& command, const ReadPolicy& policy) {
  return parse_units({command}, 1, {}, policy).front();
}

std::vector<UnitFacts> parse_units(const std::vector<CompileCommand>& commands, unsigned jobs,
                                   const ParseProgress& progress, const ReadPolicy& policy) {
  enable_crash_recovery();
  std::vector<UnitFacts> results(commands.size());
  std::atomic<std::size_t> next{0};
  std::mutex progress_mutex;
  auto worker = [&] {
    clang::noteBottomOfStack();  // lets Sema move deep recursion to a fresh thread in time
    AlternateSignalStack signal_stack;
    for (std::size_t i = next++; i < commands.size(); i = next++) {
      if (progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        progress(i, commands[i].file);
      }
      results[i] = parse_unit_contained(commands[i], policy);
    }
  };
  unsigned count = std::max(1u, std::min<unsigned>(jobs, commands.size()));
  std::vector<llvm::thread> threads;
  for (unsigned i = 0; i < count; ++i) threads.emplace_back(std::optional<unsigned>(kParseStackBytes), worker);
  for (llvm::thread& thread : threads) thread.join();
  return results;
}

}  // namespace kmodlint::frontend
