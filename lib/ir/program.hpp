// The IR: a checked ruleset, ready to evaluate. Produced by check/, read-only afterwards, and
// shared by every thread that evaluates with it.
//
// Invariants the checker establishes (the evaluator relies on them, and does not re-check):
// every index refers to an existing element; every expression is well typed (a number where a
// number is needed, a truth value where a condition is); event-context expressions only appear
// where an event is current; every node's children allocate no more than its maximum.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ir/index.hpp"
#include "ir/test.hpp"
#include "ir/written.hpp"
#include "kaohe/number.hpp"
#include "support/sources.hpp"

namespace kaohe::ir {

struct Policy {
    std::string name;
    std::string version;
    int year = 0;
    int round_places = 2;
    Rounding rounding = Rounding::half_up;
    bool declared = false;  // a `policy` declaration was written
    Span span;              // that declaration
};

struct Attribute {
    std::string id, label;
    std::vector<std::string> values;        // value ids, in declaration order
    std::vector<std::string> value_labels;
    std::unordered_map<std::string, Index> value_index;
    Span span;
};

struct Event {
    std::string id, label;
    bool has_amount = false;
    Number amount_min, amount_max;
    std::vector<Index> attributes;  // attribute indexes; a record event's values are parallel to this
    bool unit_fact = false;         // may come from a unit record
    Span span;
    // As written (lib/ir/written.hpp), when the event has an amount: `amount LO..HI`.
    std::uint32_t amount_from = 0;  // where `amount` starts
    Span amount_min_span, amount_max_span;
};

struct Measure {
    std::string id, label;
    bool whole = false;
    std::optional<Number> min, max;
    std::optional<Number> default_value;
    Span span;
    // As written (lib/ir/written.hpp): the literals' spans, where the domain (`whole`, `decimal`)
    // and the `default` start.
    Span min_span, max_span, default_span;
    std::uint32_t domain_from = 0, default_from = 0;
};

struct Group {
    std::string id, label;
    Span span;
};

// Expressions are stored flat; an expression is an index into Program::exprs.
struct Expr {
    enum class Op : std::uint8_t {
        constant,      // value
        measure,       // the record's measure `ref`
        group,         // the person is in group `ref` (truth value)
        amount,        // the current event's amount
        attribute_is,  // the current event's attribute slot `ref` has value `value`
        lookup,        // tables[ref] at the current event's attribute: points, or an error
        count,         // occurrences of event `ref` satisfying a (event context; none: all)
        sum_amount,    // sum of amount × count over events `ref` satisfying a
        neg, logical_not,
        add, sub, mul, div, lt, le, gt, ge, eq, ne, logical_and, logical_or,
        min, max,      // over args
        floor, ceil,   // of a
        if_then,       // a ? b : c
    };
    Op op = Op::constant;
    Index a = none, b = none, c = none;
    Index ref = none;
    Index value = none;
    Number constant;
    std::vector<Index> args;
    Span span;
};

// Points by attribute value, for `by ATTR { ... }`.
struct Table {
    Index attribute = none;   // in the ruleset's attributes
    Index slot = none;        // position of that attribute in the event's attribute list
    std::vector<std::optional<Number>> points;  // by attribute value index; nullopt: not in the table
    Span span;
};

struct Rule {
    enum class Form : std::uint8_t { each, whole };
    int sign = -1;           // -1 deduct, +1 add
    Form form = Form::whole;
    Index event = none;      // each: the event type
    Index filter = none;     // each: condition on the event (none: every event)
    Index points = none;     // each: points per occurrence (event context); whole: points
    Index when = none;       // condition on the record (none: always)
    std::optional<Number> cap;
    Index measure = none;    // for explanations: the measure a `per` or 1:1 rule reads
    Span span;
    std::string where;       // "file:line", for explanation lines
    // For coverage, mutation testing and diffs (lib/change/):
    WrittenRule written;                    // the rule as written
    Index table = none;                     // the `by` table, if any
    std::vector<Index> multiplier_conditions;  // per `times` suffix, in order: its condition (none: not checked)
};

struct Node {
    std::string id, path, label, cite;
    bool clause = false;
    std::optional<Number> max;   // none: uncapped
    bool floor = true;           // a clause never goes below 0
    Number unallocated;          // a section's points that its children do not allocate
    Index parent = none;
    std::vector<Index> children;
    std::vector<Index> rules;
    Index role = none;           // none: applies to every role
    int depth = 0;
    Span span;
    WrittenNode written;         // the header as written (lib/change/)
    std::string where;           // "file:line" of the node, for its floor and ceiling lines
};

struct Role {
    std::string id, label;
    std::vector<Index> roots;        // top-level nodes in order: common ones and the role's own
    std::vector<Index> nodes;        // every node of the role's card, depth first (parents first)
    std::vector<bool> uses_measure;  // by measure index
    std::vector<std::string> measure_user;  // a node path that uses the measure, for messages
    std::vector<bool> uses_event;    // by event index
    Span span;
};

struct GradeBand {
    std::string name;
    std::optional<Number> at_least;  // none: otherwise
    Span span, at_least_span;        // the band as written, and its threshold
};

struct Veto {
    Index event = none;
    std::string grade;
};

struct Program {
    Sources sources;
    Policy policy;
    std::vector<Attribute> attributes;
    std::vector<Event> events;
    std::vector<Measure> measures;
    std::vector<Group> groups;
    std::vector<Role> roles;
    std::vector<Node> nodes;
    std::vector<Rule> rules;
    std::vector<Expr> exprs;
    std::vector<Table> tables;
    std::vector<GradeBand> grades;
    std::vector<Veto> vetoes;
    std::optional<Span> grades_span;  // the `grades` declaration, if one was written
    std::vector<Test> tests;

    std::unordered_map<std::string, Index> attribute_index, event_index, measure_index, group_index, role_index;

    // The element at an index the checker produced: every such index is valid (see above).
    const Attribute& attribute(Index i) const { return attributes[static_cast<std::size_t>(i)]; }
    const Event& event(Index i) const { return events[static_cast<std::size_t>(i)]; }
    const Measure& measure(Index i) const { return measures[static_cast<std::size_t>(i)]; }
    const Group& group(Index i) const { return groups[static_cast<std::size_t>(i)]; }
    const Role& role(Index i) const { return roles[static_cast<std::size_t>(i)]; }
    const Node& node(Index i) const { return nodes[static_cast<std::size_t>(i)]; }
    const Rule& rule(Index i) const { return rules[static_cast<std::size_t>(i)]; }
    const Expr& expr(Index i) const { return exprs[static_cast<std::size_t>(i)]; }
    const Table& table(Index i) const { return tables[static_cast<std::size_t>(i)]; }

    // The node at `path` on `role`'s card, or none.
    Index find_node(Index role, std::string_view path) const;
};

}  // namespace kaohe::ir
