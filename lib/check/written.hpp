// The parts of the IR that keep the ruleset and its tests as written (ir/written.hpp,
// ir/test.hpp), lowered from the AST by the checker.
#pragma once

#include "ast/ast.hpp"
#include "ir/program.hpp"

namespace kaohe::check {

ir::WrittenRule written_rule(const ast::Rule& r);
ir::WrittenNode written_node(const ast::Node& n);

// A test block with its names resolved in `p` (whose roles, cards and vocabulary are complete).
// Resolves only: the checker reports the names that do not resolve (check_test).
ir::Test lower_test(const ir::Program& p, const ast::Test& t);

}  // namespace kaohe::check
