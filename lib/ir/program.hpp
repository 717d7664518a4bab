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
    std::optional<Number> total;  // `total 100`: what every card's capped top-level sections add up to
    Span total_span;
};

struct Attribute {
    std::string id, label;
    std::vector<std::string> values;        // value ids, in declaration order
    std::vector<std::string> value_labels;
    std::unordered_map<std::string, ValueId> value_index;
    Span span;

    const std::string& value(ValueId v) const { return values[v.index()]; }
    const std::string& value_label(ValueId v) const { return value_labels[v.index()]; }
};

struct Event {
    std::string id, label;
    bool has_amount = false;
    Number amount_min, amount_max;
    IdVector<SlotId, AttributeId> attributes;  // by slot; a record event's values are parallel to this
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
    ExprId a = none, b = none, c = none;
    std::int32_t ref = -1;  // of the kind the op names: read and set it through the typed members below
    ValueId value = none;
    Number constant;
    std::vector<ExprId> args;
    Span span;

    MeasureId measure() const { return MeasureId(ref); }
    GroupId group() const { return GroupId(ref); }
    SlotId slot() const { return SlotId(ref); }
    TableId table() const { return TableId(ref); }
    EventId event() const { return EventId(ref); }
    template <class Tag>
    void refer(Id<Tag> id) { ref = id.v; }
};

// Points by attribute value, for `by ATTR { ... }`.
struct Table {
    AttributeId attribute = none;
    SlotId slot = none;       // position of that attribute in the event's attribute list
    IdVector<ValueId, std::optional<Number>> points;  // nullopt: not in the table
    std::optional<Number> otherwise;  // `otherwise: N`: the points for a value not listed; none: a record error
    Span span;

    // The event's value is not listed and the table's `otherwise` gives its points.
    bool by_default(ValueId v) const { return otherwise && v != none && !points[v]; }
};

struct Rule {
    enum class Form : std::uint8_t { each, whole };
    int sign = -1;           // -1 deduct, +1 add
    Form form = Form::whole;
    EventId event = none;    // each: the event type
    ExprId filter = none;    // each: condition on the event (none: every event)
    ExprId points = none;    // each: points per occurrence (event context); whole: points
    ExprId when = none;      // condition on the record (none: always)
    std::optional<Number> cap;
    MeasureId measure = none;  // for explanations: the measure a `per` or 1:1 rule reads
    Span span;
    std::string where;       // "file:line", for explanation lines
    std::string cite;        // the rule's own citation (`cite "第3项"`); empty: its clause's
    // For coverage, mutation testing and diffs (lib/change/):
    WrittenRule written;                    // the rule as written
    TableId table = none;                   // the `by` table, if any
    std::vector<ExprId> multiplier_conditions;  // per `times` suffix, in order: its condition (none: not checked)
};

struct Node {
    std::string id, path, label, cite;
    bool clause = false;
    std::optional<Number> max;   // none: uncapped
    bool floor = true;           // a clause never goes below 0
    bool earned = false;         // `from 0`: the clause starts at 0 and earns up to its maximum
    std::optional<Number> within;  // `within 3`: starts at 0, its net held to -3..+3 (no maximum)
    bool holds_within = false;   // a section with a `within` clause among its parts: held to 0..max when capped
    Number unallocated;          // a section's points that its children do not allocate
    NodeId parent = none;
    std::vector<NodeId> children;
    std::vector<RuleId> rules;
    RoleId role = none;          // none: applies to every role
    int depth = 0;
    Span span;
    WrittenNode written;         // the header as written (lib/change/)
    std::string where;           // "file:line" of the node, for its floor and ceiling lines
};

struct Role {
    std::string id, label;
    std::vector<NodeId> roots;       // top-level nodes in order: common ones and the role's own
    std::vector<NodeId> nodes;       // every node of the role's card, depth first (parents first)
    IdVector<MeasureId, bool> uses_measure;
    IdVector<MeasureId, std::string> measure_user;  // a node path that uses the measure, for messages
    IdVector<EventId, bool> uses_event;
    Span span;
    std::optional<Number> total;  // `role r "…" total 100`: overrides the policy's for this card
    Span total_span;
};

struct GradeBand {
    std::string name;
    std::optional<Number> at_least;  // none: otherwise
    Span span, at_least_span;        // the band as written, and its threshold
};

struct Veto {
    EventId event = none;
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

    std::unordered_map<std::string, AttributeId> attribute_index;
    std::unordered_map<std::string, EventId> event_index;
    std::unordered_map<std::string, MeasureId> measure_index;
    std::unordered_map<std::string, GroupId> group_index;
    std::unordered_map<std::string, RoleId> role_index;
    // A scheme that declares no role gives everyone one card: `roles` then holds that card alone,
    // with an empty id that no record or test names (role_index stays empty).
    bool one_card = false;

    // The element with an id the checker produced: every such id is valid (see above).
    const Attribute& attribute(AttributeId i) const { return attributes[i.index()]; }
    const Event& event(EventId i) const { return events[i.index()]; }
    const Measure& measure(MeasureId i) const { return measures[i.index()]; }
    const Group& group(GroupId i) const { return groups[i.index()]; }
    const Role& role(RoleId i) const { return roles[i.index()]; }
    const Node& node(NodeId i) const { return nodes[i.index()]; }
    const Rule& rule(RuleId i) const { return rules[i.index()]; }
    const Expr& expr(ExprId i) const { return exprs[i.index()]; }
    const Table& table(TableId i) const { return tables[i.index()]; }
    // The same, for the checker while it builds the program.
    Node& node(NodeId i) { return nodes[i.index()]; }
    Role& role(RoleId i) { return roles[i.index()]; }

    // The node at `path` on `role`'s card, or none.
    NodeId find_node(RoleId role, std::string_view path) const;
    // Whose card `role` is, for messages: "role `chair`", or "the card" of a scheme with one card.
    std::string card_of(RoleId role) const;
};

}  // namespace kaohe::ir
