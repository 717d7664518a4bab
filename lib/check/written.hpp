// The parts of the IR that keep the ruleset and its tests as written (ir/written.hpp,
// ir/test.hpp), lowered from the AST by the checker.
#pragma once

#include "ast/ast.hpp"
#include "ir/program.hpp"

namespace kaohe::check {

// A number literal as the IR keeps it, with its span.
inline ir::Literal literal(const ast::NumberLit& n) { return ir::Literal{n.value, n.span}; }
inline std::optional<ir::Literal> literal(const std::optional<ast::NumberLit>& n) {
    if (!n) return std::nullopt;
    return literal(*n);
}

ir::WrittenRule written_rule(const ast::Rule& r);
ir::WrittenNode written_node(const ast::Node& n);
// An expression's numbers, comparisons and min/max calls, in the order written.
std::vector<ir::Phrase> phrases(const ast::ExprPtr& e);

// A test block with its names resolved in `p` (whose roles, cards and vocabulary are complete).
// Resolves only: the checker reports the names that do not resolve (check_test).
ir::Test lower_test(const ir::Program& p, const ast::Test& t);

}  // namespace kaohe::check
