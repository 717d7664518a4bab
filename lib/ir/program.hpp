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
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ir/index.hpp"
#include "ir/period.hpp"
#include "ir/test.hpp"
#include "ir/written.hpp"
#include "kaohe/number.hpp"
#include "support/sources.hpp"

namespace kaohe::ir {

// A figure's declared decimal places and rounding mode (保留两位小数, 四舍五入: 2, half_up).
struct Places {
    int places = 2;
    Rounding mode = Rounding::half_up;
    Span span;  // the declaration, `round each clause 1 place half_up`
    Span places_span;  // its number of places, `1`
    Number apply(const Number& n) const { return n.round(places, mode); }
};

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
    // `report 2 places half_up`: the figures cards and results show (scores and total), rounded;
    // the arithmetic and the grade use the exact values. Its places and mode are also
    // round_places and rounding.
    std::optional<Places> report;
    // `round each clause 1 place`, `round each section 2 places`, `round total 2 places`: rounding
    // inside the arithmetic, at that level; what follows (the parent, the total, the grade) adds
    // the rounded figure.
    std::optional<Places> each_clause, each_section, at_total;
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

// A measure, or a fact that is not a number (`fact ... yes/no`, `standing ... { ... }`). A fact's
// value is held as the index of its value: `no` 0 and `yes` 1, a standing's values in
// declaration order, so that conditions and tables over it are comparisons with constants.
struct Measure {
    // votes: a vote rating (`rating ... votes { excellent "优秀", ... }`), whose values are its
    // grades; not a number, read only through `share(...)`.
    enum class Kind : std::uint8_t { number, yes_no, standing, votes };
    Kind kind = Kind::number;
    std::vector<std::string> values, value_labels;  // a fact's values (yes/no: `no`, `yes`); a vote rating's grades
    std::string id, label;
    bool whole = false;
    std::optional<Number> min, max;
    std::optional<Number> default_value;
    Span span;
    // As written (lib/ir/written.hpp): the literals' spans, where the domain (`whole`, `decimal`)
    // and the `default` start.
    Span min_span, max_span, default_span;
    std::uint32_t domain_from = 0, default_from = 0;
    // `scale { 优秀: 95, ... }`: the only values allowed, in declaration order, with their labels
    // and the spans of their numbers (empty: any value of the domain). min and max are the
    // scale's ends, so that range analysis reads a scale as any other domain.
    std::vector<std::string> scale_labels;
    std::vector<Number> scale_values;
    std::vector<Span> scale_spans;
    // `rating ... marks 0..100 mean`: a number combined from several raters' marks (the record's
    // `ratings`), whose domain (or scale) is the marks'; `dropping` leaves out the highest and the
    // lowest mark before the mean ("去掉一个最高分和一个最低分").
    bool rating = false;
    bool dropping = false;
    Span dropping_span;  // `dropping highest and lowest`, when written
    Span method_span;    // `mean ...`, for mutants that toggle the dropping

    // `each quarter`: given once per period, in the record's `periods` (year: once, in `measures`).
    // The hook for every input given per period: read only inside a period rule or section of the
    // same kind (the checker's C045, C049), from Record::period_measures.
    PeriodKind period = PeriodKind::year;

    // The label of `v` on the scale, or null when `v` is not on it.
    const std::string* scale_label(const Number& v) const {
        for (std::size_t i = 0; i < scale_values.size(); ++i)
            if (scale_values[i] == v) return &scale_labels[i];
        return nullptr;
    }
    bool fact() const { return kind == Kind::yes_no || kind == Kind::standing; }
    // How a rating combines its marks, in the policy's words.
    const char* method_text() const { return dropping ? "mean dropping highest and lowest" : "mean"; }
    // The value of a fact named by its id or its label, or -1.
    int fact_value(std::string_view name) const {
        for (std::size_t i = 0; i < values.size(); ++i)
            if (values[i] == name || value_labels[i] == name) return static_cast<int>(i);
        return -1;
    }
    // "`autonomous` (村民自治村), `other` (其他)": a fact's values as messages name them.
    std::string values_text() const {
        std::string s;
        for (std::size_t i = 0; i < values.size(); ++i)
            s += (i ? ", `" : "`") + values[i] + "` (" + value_labels[i] + ")";
        return s;
    }
    // "优秀 95, 良好 85": the scale as messages name it.
    std::string scale_text() const {
        std::string s;
        for (std::size_t i = 0; i < scale_values.size(); ++i)
            s += (i ? ", " : "") + scale_labels[i] + " " + scale_values[i].to_string();
        return s;
    }
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
        longest_run,   // the most consecutive calendar days with an event `ref` satisfying a
        neg, logical_not,
        add, sub, mul, div, lt, le, gt, ge, eq, ne, logical_and, logical_or,
        min, max,      // over args
        floor, ceil,   // of a
        if_then,       // a ? b : c
        named,         // the named value `ref` (Program::values), computed once per record
        share,         // the fraction of vote rating `ref`'s votes cast for `grades`, in 0..1
        // The person's unit in a batch (eval::UnitStats), by the total (`ref` -1) or measure `ref`:
        unit_mean,     // the mean over the unit's people scored (those with a value of the measure)
        unit_rank,     // the person's rank by total, highest first, ties sharing one (1, 2, 2, 4)
        unit_size,     // the unit's people scored
        total,         // the person's total (read by grade rules and flags, decided after it)
    };
    Op op = Op::constant;
    ExprId a = none, b = none, c = none;
    std::int32_t ref = -1;  // of the kind the op names: read and set it through the typed members below
    ValueId value = none;
    Number constant;
    std::vector<ExprId> args;
    std::vector<ValueId> grades;  // share: the grades counted (indexes of the rating's values)
    Span span;

    MeasureId measure() const { return MeasureId(ref); }
    GroupId group() const { return GroupId(ref); }
    SlotId slot() const { return SlotId(ref); }
    TableId table() const { return TableId(ref); }
    EventId event() const { return EventId(ref); }
    NamedId named() const { return NamedId(ref); }
    template <class Tag>
    void refer(Id<Tag> id) { ref = id.v; }
};

// A named value: `value workload "工作量" = lessons + 0.5 * duties`. A number, computed once per
// record; the checker excludes cycles, so evaluating `expr` ends.
struct NamedValue {
    std::string id, label;
    ExprId expr = none;
    Span span;        // the declaration
    Span expr_span;   // its expression as written (mutants and diffs read it)
    std::string where;  // "file:line"
    std::vector<Phrase> written;  // its numbers, comparisons and min/max, for mutants
};

// `flag further_action "另作处理" when count(absent) >= 10 cite "第八条"`: raised in the result
// when its condition holds for the record (read over the year); it moves no score.
struct Flag {
    std::string id, label, cite;  // cite: empty when none is given
    ExprId when = none;
    Span span;        // the declaration
    Span when_span;   // its condition as written
    std::string where;  // "file:line"
    std::vector<Phrase> written;  // its numbers and comparisons, for mutants
};

// Points by attribute value, for `by ATTR { ... }`, or by a standing's value (`fact`).
struct Table {
    AttributeId attribute = none;
    MeasureId fact = none;    // a standing's table: points by the fact's value (indexes as ValueIds)
    SlotId slot = none;       // position of that attribute in the event's attribute list
    IdVector<ValueId, std::optional<Number>> points;  // nullopt: not in the table
    std::optional<Number> otherwise;  // `otherwise: N`: the points for a value not listed; none: a record error
    Span span;

    // The event's value is not listed and the table's `otherwise` gives its points.
    bool by_default(ValueId v) const { return otherwise && v != none && !points[v]; }
};

// A closed interval of exact numbers, set by the checker's range analysis (lib/ir/range.hpp);
// an end that is none is unbounded. It holds every value that any record the declarations allow
// can give: a tool may rely on a value outside it never occurring, not on each value inside it
// occurring.
struct Bounds {
    std::optional<Number> lo, hi;
    bool whole = false;  // every value is a whole number
};

struct Rule {
    enum class Form : std::uint8_t { each, whole };
    int sign = -1;           // -1 deduct, +1 add
    Form form = Form::whole;
    EventId event = none;    // each: the event type
    ExprId filter = none;    // each: condition on the event (none: every event)
    ExprId points = none;    // each: points per occurrence (event context); whole: points
    ExprId when = none;      // condition on the record (none: always)
    // `each month|quarter`: counted once per period of the year whose `when` holds, `when` and
    // points read over that period's events (none: once for the year).
    PeriodKind period = PeriodKind::year;
    std::optional<Number> cap;
    MeasureId measure = none;  // for explanations: the measure a `per` or 1:1 rule reads
    NamedId named = none;      // for explanations: the named value a `per` or 1:1 rule reads
    ExprId threshold = none;   // per: the threshold when it is an expression, for explanations (none: a number)
    Span arithmetic;           // each: the points as written when they are arithmetic (empty: a number or `amount`)
    Span span;
    std::string where;       // "file:line", for explanation lines
    std::string cite;        // the rule's own citation (`cite "第3项"`); empty: its clause's
    // For coverage, mutation testing and diffs (lib/change/):
    WrittenRule written;                    // the rule as written
    TableId table = none;                   // the `by` table, if any
    std::vector<ExprId> multiplier_conditions;  // per `times` suffix, in order: its condition (none: not checked)
    Bounds counted;  // what the rule counts (its magnitude, before its sign and its cap), 0 included when it may count nothing

    // What the rule counts after its `at most`.
    Bounds capped() const {
        Bounds b = counted;
        if (cap && (!b.hi || *b.hi > *cap)) b.hi = *cap;
        if (cap && b.lo && *b.lo > *cap) b.lo = *cap;
        return b;
    }
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
    // `weight 70%`: a capped section that counts in its parent (or the total) at its score × 70/100.
    std::optional<Number> weight;
    // `each quarter mean|sum`: scored once per period of the year, each period held to 0..max; the
    // year's score is the periods' mean (at most max) or their sum (at most max × 4 or × 12).
    PeriodKind period = PeriodKind::year;
    bool period_sum = false;
    NodeId parent = none;
    std::vector<NodeId> children;
    std::vector<RuleId> rules;
    RoleId role = none;          // none: applies to every role
    int depth = 0;
    Span span;
    WrittenNode written;         // the header as written (lib/change/)
    std::string where;           // "file:line" of the node, for its floor and ceiling lines
    // A clause: its lowest and highest score before its floor, ceiling or `within` bound hold it,
    // from the range analysis (none: unbounded). A bound can cut only where these pass it.
    std::optional<Number> lowest, highest;
    // What a score of this node counts in its parent: itself, or its weighted part, exactly.
    Number contribution(const Number& score) const { return weight ? score * *weight / Number(100) : score; }
    // The most the node scores over the year: its maximum, or the sum of its periods' (none: uncapped).
    std::optional<Number> year_max() const {
        if (!max) return std::nullopt;
        return period_sum ? *max * Number(periods_in_year(period)) : *max;
    }
    // The most the node can count in its parent (none: uncapped).
    std::optional<Number> counted_max() const {
        if (!max) return std::nullopt;
        return contribution(*year_max());
    }
    // The floor of 0 can cut (not a `within` clause, which is held to -N..+N instead).
    bool floor_reachable() const { return clause && floor && !within && (!lowest || lowest->is_negative()); }
    // An earned clause's additions can pass its maximum.
    bool ceiling_reachable() const { return clause && earned && max && (!highest || *highest > *max); }
    // A `within N` clause's net can pass +N (`upper`) or -N.
    bool within_reachable(bool upper) const {
        if (!clause || !within) return false;
        return upper ? (!highest || *highest > *within) : (!lowest || *lowest < -*within);
    }
};

struct Role {
    std::string id, label;
    std::vector<NodeId> roots;       // top-level nodes in order: common ones and the role's own
    std::vector<NodeId> nodes;       // every node of the role's card, depth first (parents first)
    IdVector<MeasureId, bool> uses_measure;
    IdVector<MeasureId, std::string> measure_user;  // a node path that uses the measure, for messages
    IdVector<EventId, bool> uses_event;
    // Each attribute of an event that a condition on the card reads (a rule's `where` or points,
    // a count's `where`, a veto's, a grade rule's or a flag's): a record's event of that kind
    // must give it, or the condition would silently not match. `reader` says who reads it.
    struct AttributeNeed {
        EventId event;
        SlotId slot;
        std::string reader;
    };
    std::vector<AttributeNeed> attribute_needs;
    // Each event that a `longest_run` on the card reads, with its reader: every event of the kind
    // needs a full date, checked up front so that no record's validity hangs on which grade rule fired.
    std::vector<std::pair<EventId, std::string>> run_needs;
    Span span;
    std::optional<Number> total;  // `role r "…" total 100`: overrides the policy's for this card
    Span total_span;
};

// `quota 15% round down ties all_in`: applied over a batch's people, per unit (ir/quota.hpp).
struct GradeQuota {
    Number share;            // percent, 0..100
    bool nearest = false;    // round the count to the nearest whole person (.5 up); else down
    bool all_in = false;     // people tied on total at the boundary all keep the grade; else none does
    std::string where;       // "file:line"
    Span span;
    // `ties by highest M then ...`: people tied on total are ranked by measure M first (highest or
    // lowest first; a person without a value after those with one); all_in then says what
    // happens to those still tied. none: ranked by total alone.
    MeasureId tie_measure = none;
    bool tie_highest = true;
};

struct GradeBand {
    std::string name;
    std::optional<Number> at_least;  // none: otherwise
    Span span, at_least_span;        // the band as written, and its threshold
    std::optional<GradeQuota> quota;
};

struct Veto {
    enum class Action : std::uint8_t { forces, caps, alone };  // alone: `veto E` in a scheme without grades, the veto is the outcome
    EventId event = none;
    std::string grade;       // the grade forced or the cap; empty for Action::alone
    ExprId filter = none;    // `where COND`, in the event's context; none: every event of the kind
    Action action = Action::forces;
    std::string where;       // "file:line" of the veto
    std::string cite;        // `cite "..."`, or ""
    std::vector<Phrase> written;  // the `where` condition's numbers and comparisons, for mutation testing
    Span span, grade_span;   // the veto as written, and its grade
};

// `grade "不称职" when COND`, `grade at most "称职" when COND`.
struct GradeRule {
    std::string grade;
    bool at_most = false;
    ExprId when = none;      // whole-record context
    std::string where;       // "file:line"
    std::string cite;        // `cite "..."`, or ""
    std::string condition;   // the condition as written, on one line
    std::vector<Phrase> written;  // the condition's numbers and comparisons, for mutation testing
    std::vector<EventId> events;  // the events the condition counts (through named values too)
    Span span, grade_span, when_span;
};

// `coefficient pay_factor "考核系数" by grade { "优秀": 1.2, otherwise: 0 }` or `by total { >= 95:
// 1.3, otherwise: 1 }`: a number the result carries for the pay office; it moves no score.
struct CoefficientEntry {
    std::string grade;                // by grade: the grade ("" for `otherwise`)
    std::optional<Number> at_least;   // by total: the band's threshold (none for `otherwise`)
    Number value;                     // 0 or more
    std::string where;                // "file:line" of the entry
    Span span, at_least_span, value_span;
};
struct Coefficient {
    std::string id, label, cite;  // cite: empty when none is given
    bool by_grade = true;         // false: by the total, bands from the highest threshold down
    std::vector<CoefficientEntry> entries;  // as written; `otherwise`, when given, last
    Span span;
    std::string where;            // "file:line" of the declaration
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
    std::vector<GradeRule> grade_rules;  // in the order written
    std::optional<Span> grades_span;  // the `grades` declaration, if one was written
    std::vector<Test> tests;
    std::vector<NamedValue> values;  // named values, in declaration order
    std::vector<Flag> flags;         // flags, in declaration order
    std::vector<Coefficient> coefficients;  // in declaration order

    std::unordered_map<std::string, AttributeId> attribute_index;
    std::unordered_map<std::string, EventId> event_index;
    std::unordered_map<std::string, MeasureId> measure_index;
    std::unordered_map<std::string, GroupId> group_index;
    std::unordered_map<std::string, RoleId> role_index;
    std::unordered_map<std::string, NamedId> value_index;
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
    const NamedValue& value(NamedId i) const { return values[i.index()]; }
    // The same, for the checker while it builds the program.
    Node& node(NodeId i) { return nodes[i.index()]; }
    Role& role(RoleId i) { return roles[i.index()]; }

    // The node at `path` on `role`'s card, or none.
    NodeId find_node(RoleId role, std::string_view path) const;
    // Whose card `role` is, for messages: "role `chair`", or "the card" of a scheme with one card.
    std::string card_of(RoleId role) const;
};

}  // namespace kaohe::ir
