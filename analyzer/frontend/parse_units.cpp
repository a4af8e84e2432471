#include "frontend/parse_units.h"

#include <atomic>
#include <mutex>
#include <thread>

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Tooling/Tooling.h"
#include "frontend/unit_extractor.h"
#include "llvm/ADT/SmallString.h"

namespace kmodlint::frontend {

using namespace clang;

namespace {

constexpr unsigned kMaxErrorsKept = 20;

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

}  // namespace

const char* clang_resource_dir() { return KMODLINT_CLANG_RESOURCE_DIR; }

std::vector<std::string> clang_arguments(const CompileCommand& command) {
  std::vector<std::string> arguments = command.arguments;
  arguments[0] = "clang-19";
  arguments.insert(arguments.begin() + 1, {"-fsyntax-only", "-resource-dir", clang_resource_dir()});
  return arguments;
}

UnitFacts parse_unit(const CompileCommand& command) {
  UnitFacts facts;
  facts.source_file = command.file;
  std::vector<std::string> arguments = clang_arguments(command);

  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> file_system = llvm::vfs::createPhysicalFileSystem();
  file_system->setCurrentWorkingDirectory(command.directory);
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

std::vector<UnitFacts> parse_units(const std::vector<CompileCommand>& commands, unsigned jobs,
                                   const ParseProgress& progress) {
  std::vector<UnitFacts> results(commands.size());
  std::atomic<std::size_t> next{0};
  std::mutex progress_mutex;
  auto worker = [&] {
    for (std::size_t i = next++; i < commands.size(); i = next++) {
      if (progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        progress(i, commands[i].file);
      }
      results[i] = parse_unit(commands[i]);
    }
  };
  unsigned count = std::max(1u, std::min<unsigned>(jobs, commands.size()));
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < count; ++i) threads.emplace_back(worker);
  worker();
  for (std::thread& thread : threads) thread.join();
  return results;
}

}  // namespace kmodlint::frontend
