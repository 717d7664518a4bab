// Range analysis: the values that expressions, rules and clauses can take for any record the
// declarations allow (measure domains, amount ranges, table points), and whether they are always
// whole. The checker runs it once on the finished IR and stores the results there
// (ir::Rule::counted, ir::Node::lowest); coverage and mutation testing read them, and ask it about
// other expressions (a threshold), to tell a floor, a cap or a mutant that no record can reach.
//
// Invariant: every result is conservative. A range holds every value a record can give (an end
// is left unbounded rather than guessed), so "no record reaches X" is only ever concluded when
// it is true; the converse is not promised.
#pragma once

#include "ir/program.hpp"

namespace kaohe::ir {

// The values expression `e` can take, `event` being the current event type for event-context
// expressions (none outside a rule's `each`). Arithmetic beyond the number limits, a division by
// a range holding 0 and any operation it does not know give an unbounded end.
Bounds expression_bounds(const Program& p, ExprId e, EventId event);

// Sets every rule's `counted` and every clause's `lowest`. A weight (`weight 70%`) never stands on
// a clause, and scales only what a section counts in its parent, so these bounds hold for
// weighted parts as they are.
void analyse_ranges(Program& p);

}  // namespace kaohe::ir
