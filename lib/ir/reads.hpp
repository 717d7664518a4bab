// Which measures a person's card can read, decided from the person's role and groups alone
// (before any measure or event is looked at). A record must give a measure, or the ruleset a
// default, only where some rule that can apply to the person reads it.
#pragma once

#include <utility>
#include <vector>

#include "ir/program.hpp"

namespace kaohe::ir {

// A rule on `role`'s card that may read measure `m` for a person in `groups`,
// as {node, rule}; {none, none} when no rule can. Like the evaluator, it skips a rule whose
// `when` is false, and the side of an `and`, `or` or `if` that the groups already decide.
std::pair<NodeId, RuleId> rule_reading(const Program& p, const Role& role, MeasureId m, const IdVector<GroupId, bool>& groups);

// A flag (`flag ... when COND`) whose condition may read measure `m` for a person in `groups`,
// or null. A flag is raised on every card.
const Flag* flag_reading(const Program& p, MeasureId m, const IdVector<GroupId, bool>& groups);

// The attributes of events that the conditions on `role`'s card read, the vetoes', grade rules'
// and flags' included, each once with the first reader (Role::attribute_needs).
// The events whose full dates its `longest_run`s read (Role::run_needs) are set alongside.
void attribute_needs(const Program& p, Role& role);

// A veto's `where` or a grade rule's condition that may read measure `m` for a person in
// `groups`, as "the veto at FILE:LINE" or "the grade rule at FILE:LINE"; empty when none does.
std::string outcome_reading(const Program& p, MeasureId m, const IdVector<GroupId, bool>& groups);

}  // namespace kaohe::ir
