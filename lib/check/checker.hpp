// Checking: ast::Module → ir::Program. Resolves every name, types every expression, lowers the
// scoring forms (each, per, tables, multipliers) onto the expression core, and checks section
// totals. It reports every problem it finds in one run; a Program is returned only when there
// is no error (warnings are fine).
#pragma once

#include <memory>
#include <vector>

#include "ast/ast.hpp"
#include "ir/program.hpp"
#include "kaohe/diagnostic.hpp"

namespace kaohe::check {

std::unique_ptr<ir::Program> check(ast::Module module, Sources sources, std::vector<Diagnostic>& diagnostics);

}  // namespace kaohe::check
