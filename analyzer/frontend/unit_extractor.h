// The ASTConsumer that turns one parsed translation unit into UnitFacts.
#pragma once

#include <memory>

#include "clang/AST/ASTConsumer.h"
#include "facts/facts.h"
#include "project/compile_command.h"

namespace kmodlint::frontend {

std::unique_ptr<clang::ASTConsumer> make_unit_extractor(const CompileCommand& command, UnitFacts& out);

}  // namespace kmodlint::frontend
