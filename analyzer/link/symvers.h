// Module.symvers: the symbols the kernel (or another module) exports.
#pragma once

#include <map>
#include <string>

namespace kmodlint {

struct ExportedSymbol {
  std::string name;
  std::string module;  // "vmlinux" for the kernel image
  bool gpl_only = false;
  std::string name_space;
};

class SymbolTable {
 public:
  // Reads a Module.symvers file ("crc<TAB>symbol<TAB>module<TAB>EXPORT_SYMBOL[_GPL]<TAB>namespace").
  // Throws InputError naming the file and line when a line is malformed.
  void load_symvers(const std::string& path);
  void add(const ExportedSymbol& symbol) { symbols_[symbol.name] = symbol; }
  const ExportedSymbol* find(const std::string& name) const;
  std::size_t size() const { return symbols_.size(); }

 private:
  std::map<std::string, ExportedSymbol> symbols_;
};

}  // namespace kmodlint
