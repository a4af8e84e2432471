#include "project/compile_db.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/file_io.h"
#include "llvm/Support/JSON.h"
#include "project/shell_words.h"

namespace kmodlint {

namespace fs = std::filesystem;

std::vector<CompileDbEntry> read_compile_db(const std::string& path) {
  std::string text = read_regular_file(path, kMaxDataBytes, "compilation database");
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed)
    throw InputError(path, "malformed JSON (" + llvm::toString(parsed.takeError()) +
                               "); regenerate it, e.g. with scripts/clang-tools/gen_compile_commands.py");
  const llvm::json::Array* entries = parsed->getAsArray();
  if (!entries) throw InputError(path, "expected a JSON array of compile commands; regenerate it");
  std::vector<CompileDbEntry> result;
  std::size_t index = 0;
  for (const llvm::json::Value& value : *entries) {
    const llvm::json::Object* object = value.getAsObject();
    auto bad = [&](const std::string& what) {
      return InputError(path, "entry " + std::to_string(index) + ": " + what + "; regenerate the database");
    };
    if (!object) throw bad("not an object");
    std::optional<llvm::StringRef> file = object->getString("file");
    std::optional<llvm::StringRef> directory = object->getString("directory");
    if (!file || !directory) throw bad("needs \"file\" and \"directory\"");
    CompileDbEntry entry;
    entry.directory = directory->str();
    entry.file = fs::path(file->str()).is_absolute() ? file->str() : (fs::path(entry.directory) / file->str()).lexically_normal().string();
    if (const llvm::json::Array* arguments = object->getArray("arguments")) {
      for (const llvm::json::Value& argument : *arguments) {
        std::optional<llvm::StringRef> word = argument.getAsString();
        if (!word) throw bad("\"arguments\" must hold strings");
        entry.words.push_back(word->str());
      }
    } else if (std::optional<llvm::StringRef> command = object->getString("command")) {
      entry.words = split_shell_words(command->str());
    } else {
      throw bad("needs \"arguments\" or \"command\"");
    }
    if (entry.words.empty()) throw bad("empty command");
    result.push_back(std::move(entry));
    ++index;
  }
  return result;
}

}  // namespace kmodlint
