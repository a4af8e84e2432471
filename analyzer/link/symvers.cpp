#include "link/symvers.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "common/error.h"
#include "common/file_io.h"

namespace kmodlint {

void SymbolTable::load_symvers(const std::string& path) {
  std::istringstream in(read_regular_file(path, kMaxDataBytes, "Module.symvers"));
  std::string line;
  unsigned number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, '\t')) fields.push_back(field);
    if (fields.size() < 4)
      throw InputError(path + ":" + std::to_string(number),
                       "expected 'crc<TAB>symbol<TAB>module<TAB>export type[<TAB>namespace]'; regenerate it with make");
    ExportedSymbol symbol;
    symbol.name = fields[1];
    symbol.module = fields[2];
    symbol.gpl_only = fields[3] == "EXPORT_SYMBOL_GPL";
    if (fields.size() > 4) symbol.name_space = fields[4];
    symbols_[symbol.name] = symbol;
  }
}

const ExportedSymbol* SymbolTable::find(const std::string& name) const {
  auto found = symbols_.find(name);
  return found == symbols_.end() ? nullptr : &found->second;
}

}  // namespace kmodlint
