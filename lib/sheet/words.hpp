// The instructions' words for a ruleset's rules (填表说明): a rule said in Chinese as the policy
// says it ("每次扣2分", "读书笔记字数不足5000的，每缺1000扣1分", "视其情节每次扣3—5分（分值栏填写）",
// "最多扣4分"), or, for a form too complex to say in words, the rule as written with its file:line.
#pragma once

#include <string>
#include <vector>

#include "ir/program.hpp"

namespace kaohe::sheet {

// A rule in words: "每次扣2分，最多扣4分"; "" when its form is too complex to say (a condition, a
// filter, a points table, a multiplier, a period, points computed from the event).
std::string rule_in_words(const ir::Program& p, const ir::Rule& r);

// What the instructions say of a rule: its clause's label and citation and the rule in words, or
// the rule as written and its file:line: "集体学习（一(一)1）：每次扣2分".
std::string rule_line(const ir::Program& p, const ir::Rule& r);

// The rules that read event `e` (each form over it, or a count, sum or run of it anywhere in the
// rule), and those that read measure `m` (directly or through a named value), in declaration order.
std::vector<ir::RuleId> rules_reading_event(const ir::Program& p, ir::EventId e);
std::vector<ir::RuleId> rules_reading_measure(const ir::Program& p, ir::MeasureId m);

}  // namespace kaohe::sheet
