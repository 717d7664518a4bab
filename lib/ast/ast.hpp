// The AST: what a rule file says, as written, before any name is resolved.
//
// The parser (parse/) produces one ast::Module for a root file and everything it includes, in
// include order. The checker (check/) reads it and produces the IR (ir/program.hpp). Nothing
// here is validated beyond the grammar: names may be unknown, numbers out of range.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kaohe/number.hpp"
#include "support/sources.hpp"

namespace kaohe::ast {

struct Name {
    std::string text;
    Span span;
};

struct NumberLit {
    Number value;
    Span span;
};

struct Text {
    std::string value;  // escapes resolved
    Span span;
};

// ---- Expressions

struct Expr;

// An expression owned by its parent. Copying copies the whole tree: the parse cache gives each
// module that reads a file its own copy of that file's declarations, so every type of the AST
// copies as a value and no field needs a hand-written copy. The copy and the destructor recurse
// once per level, bounded by the tree's height (Expr::height).
class ExprPtr {
public:
    ExprPtr() = default;
    ExprPtr(std::nullptr_t) {}
    ExprPtr(std::unique_ptr<Expr> p) : p_(std::move(p)) {}
    ExprPtr(const ExprPtr& other);
    ExprPtr(ExprPtr&&) noexcept = default;
    ExprPtr& operator=(const ExprPtr& other);
    ExprPtr& operator=(ExprPtr&&) noexcept = default;
    ~ExprPtr();

    Expr* get() const { return p_.get(); }
    Expr* operator->() const { return p_.get(); }
    Expr& operator*() const { return *p_; }
    explicit operator bool() const { return p_ != nullptr; }

private:
    std::unique_ptr<Expr> p_;
};

struct Expr {
    enum class Kind {
        number,      // number
        name,        // name: a measure, a group, or (in an event context) an attribute or its value
        amount,      // the current event's amount
        neg,         // -args[0]
        logical_not, // not args[0]
        binary,      // args[0] op args[1]
        call,        // name(args...): min, max, floor, ceil
        if_then,     // if args[0] then args[1] else args[2]
        count,       // count(name [where args[0]])
        longest_run, // longest_run(name [where args[0]]): most consecutive days with such an event
        sum_amount,  // sum(amount of name [where args[0]])
        share,       // share(name for grades...): the fraction of a vote rating's votes for those grades
    };
    enum class Op { add, sub, mul, div, lt, le, gt, ge, eq, ne, logical_and, logical_or };

    Kind kind = Kind::number;
    Span span;
    Number number;
    Name name;
    Op op = Op::add;
    Span op_span;  // binary, but not `and`/`or`: the operator as written
    std::vector<ExprPtr> args;
    std::vector<Name> grades;  // share: the grades counted
    // Levels of this tree (a leaf is 1). The parser keeps it within parse::kMaxExprDepth, which
    // bounds the stack of every recursive walk over expressions, here and in the IR.
    std::uint32_t height = 1;
};

inline ExprPtr::ExprPtr(const ExprPtr& other) : p_(other.p_ ? std::make_unique<Expr>(*other.p_) : nullptr) {}
inline ExprPtr& ExprPtr::operator=(const ExprPtr& other) {
    if (this != &other) p_ = other.p_ ? std::make_unique<Expr>(*other.p_) : nullptr;
    return *this;
}
inline ExprPtr::~ExprPtr() = default;

// ---- Rules

struct Multiplier {
    NumberLit numerator;
    std::optional<NumberLit> denominator;
    bool unless = false;  // `times F unless COND`: applies when COND does not hold
    ExprPtr condition;
    Span span;
    Span keyword;             // `if` or `unless`
    std::uint32_t after = 0;  // where the text before the suffix ends
};

struct Rule {
    enum class Sign { deduct, add };
    enum class Form {
        by_fact, // by FACT { value: points, ..., otherwise: points }: points by a standing's value
        each,   // [VALUE] each EVENT [where COND] [by ATTR { key: points, ..., otherwise: points }]
        per,    // N per U (short of | below | above) T in MEASURE [rounding up|down | linear]
        value,  // EXPR
    };
    enum class Shortfall { short_of, below, above };
    enum class StepRounding { unspecified, up, down, linear };

    Sign sign = Sign::deduct;
    Form form = Form::value;
    Span span;  // the whole rule, suffixes included

    // each
    ExprPtr each_value;  // null: taken from the table
    Name event;
    ExprPtr filter;
    std::optional<Name> by_attribute;
    std::vector<std::pair<Name, NumberLit>> table;
    std::vector<std::pair<Span, NumberLit>> table_otherwise;  // `otherwise: N` (the checker allows one)
    Span table_span;

    // per
    NumberLit per_points, per_unit, per_threshold;
    ExprPtr per_threshold_expr;  // the threshold when it is not a plain number (then per_threshold is unset)
    Shortfall shortfall = Shortfall::short_of;
    Name measure;
    StepRounding rounding = StepRounding::unspecified;
    Span rounding_span;     // `up`, `down` or `linear`
    Span per_keyword;       // `per`
    Span shortfall_span;    // `short of`, `below` or `above`
    Span rounding_clause;   // `rounding up`, `rounding down` or `linear`

    // value
    ExprPtr value;
    // `VALUE each month|quarter`: a value rule counted once per period of the year whose `when`
    // holds (none: once for the year).
    enum class Period { none, month, quarter };
    Period period = Period::none;
    Span period_span;  // `month` or `quarter`

    // suffixes
    std::optional<NumberLit> cap;
    Span cap_span;                // `at most N`
    std::uint32_t cap_after = 0;  // where the text before the cap ends
    std::vector<Multiplier> multipliers;
    ExprPtr when;
    std::optional<Text> cite;  // `cite "第3项"`: the item this rule scores, inside its clause
};

// ---- Structure

struct Node {
    bool is_section = false;
    Name id;
    Text label;
    std::optional<NumberLit> max;  // absent: no maximum given
    bool uncapped = false;
    std::optional<NumberLit> within;  // `within 3`: an adjustment clause, its net held to -3..+3
    std::optional<Text> cite;
    bool no_floor = false;
    // `from 0` (an earned item) or `from full`; absent: the clause starts at its maximum.
    std::optional<NumberLit> start;  // the number after `from`
    bool start_full = false;         // `from full`
    Span start_span;                 // `from ...`, when written
    std::optional<NumberLit> weight;  // `weight 70%`: the percentage (70), its span the number's
    Span weight_span;                 // `weight 70%`, when written
    // `each quarter mean|sum`: scored once per period of the year, combined by mean or sum.
    Rule::Period period = Rule::Period::none;
    bool period_sum = false;  // `sum`; otherwise `mean`
    Span period_span;         // `each quarter mean`, when written
    std::vector<Node> children;  // sections only
    std::vector<Rule> rules;     // clauses only
    Span span;                   // the keyword through the label
    Span header;                 // the keyword through the header's last item (before `{`)
    Span uncapped_span;          // `uncapped`, when written
};

// ---- Declarations

// `report 2 places half_up` (the figures shown) or `round each clause|each section|total N places
// [MODE]` (rounding inside the arithmetic at that level).
struct FigureRounding {
    enum class Level { report, each_clause, each_section, total };
    Level level = Level::report;
    NumberLit places;
    std::optional<Name> mode;  // absent: half_up
    Span span;
};

struct Policy {
    Text name;
    std::optional<Text> version;
    std::optional<NumberLit> year;
    std::optional<NumberLit> round_places;
    std::optional<Name> round_mode;
    std::optional<NumberLit> total;  // `total 100`: every card's declared total
    std::vector<FigureRounding> figures;  // `report ...`, `round each clause ...`, in written order
    Span span;
};

struct Include {
    Text path;
    Span span;
};

struct Attribute {
    Name id;
    Text label;
    std::vector<std::pair<Name, Text>> values;
    Span span;
};

struct Group {
    Name id;
    Text label;
    Span span;
};

struct Event {
    Name id;
    Text label;
    std::optional<NumberLit> amount_min, amount_max;
    Span amount_span;        // `amount LO..HI`
    std::vector<Name> attributes;
    bool unit_fact = false;  // may come from a unit record
    Span span;
};

// A measure, or a fact that is not a number: `fact ID "LABEL" yes/no` or `standing ID "LABEL"
// { value "label", ... }`, given in the record by name.
struct Measure {
    enum class Kind { number, yes_no, standing };
    Kind kind = Kind::number;
    std::vector<std::pair<Name, Text>> values;  // standing: its values
    std::optional<Name> default_name;            // a fact's `default yes`, `default other`
    Name id;
    Text label;
    bool whole = false;
    std::optional<NumberLit> min, max;
    std::optional<NumberLit> default_value;
    Span domain_span;   // `whole` or `decimal`
    Span default_span;  // `default V`
    Rule::Period period = Rule::Period::none;  // `each quarter`: given once per period, in the record's `periods`
    Span period_span;
    std::vector<std::pair<Name, NumberLit>> scale;  // `scale { 优秀: 95, ... }`: the only values allowed
    Span scale_span;                                // `scale { ... }`, when written
    // `rating ID "LABEL" marks 0..100 mean [dropping highest and lowest]`: a number combined from
    // the marks of several raters, given in the record's `ratings`; its domain is the marks'.
    bool rating = false;
    bool votes = false;  // `votes { excellent "优秀", ... }`: votes per grade (values), not marks
    Span votes_span;     // `votes { ... }`
    Span dropping_span;  // `dropping highest and lowest`, when written
    Span method_span;    // `mean ...`
    Span span;
};

struct Role {
    Name id;
    Text label;
    bool has_body = false;
    std::optional<NumberLit> total;  // `total 100`: this role's card's declared total
    std::vector<Node> sections;
    Span span;
};

// `quota 15% round down ties all_in` on a band.
struct GradeQuota {
    NumberLit share;     // the percentage, 15 for `15%`
    bool nearest = false;  // `round nearest`; else `round down`
    bool all_in = false;   // `ties all_in`; else `ties all_out`
    std::optional<Name> tie_measure;  // `ties by highest attendance then ...`: ranks those tied on total
    bool tie_highest = true;          // `highest`; else `lowest`
    Span span;
};

struct GradeBand {
    Text name;
    std::optional<NumberLit> at_least;  // absent: `otherwise`
    Span span;
    std::optional<GradeQuota> quota;
};

struct Grades {
    std::vector<GradeBand> bands;
    Span span;
};

struct Veto {
    enum class Action { forces, caps, alone };  // alone: `veto E` alone, in a scheme without grades
    Name event;
    Text grade;  // empty for Action::alone
    Span span;
    ExprPtr filter;  // `where COND` on the event's attributes
    Action action = Action::forces;
    std::optional<Text> cite;  // `cite "第5条"`
};

// `grade "不称职" when COND` (or `grade at most "称职" when COND`).
struct GradeRule {
    Text grade;
    bool at_most = false;
    ExprPtr when;
    std::optional<Text> cite;
    Span span;
};

// `flag further_action "另作处理" when COND cite "第八条"`: raised in the result when COND holds.
struct Flag {
    Name id;
    Text label;
    ExprPtr when;
    std::optional<Text> cite;
    Span span;
};

// `coefficient pay_factor "考核系数" by grade { "优秀": 1.2, otherwise: 0 }` or `by total { >= 95: 1.3,
// otherwise: 1 }`: a number the result carries, from the final grade or the total.
struct CoefficientEntry {
    std::optional<Text> grade;          // by grade: the grade; absent: `otherwise` or a band of the total
    std::optional<NumberLit> at_least;  // by total: the band's threshold; absent: `otherwise`
    NumberLit value;
    Span span;
};
struct Coefficient {
    Name id;
    Text label;
    bool by_grade = true;  // false: by total
    std::vector<CoefficientEntry> entries;
    std::optional<Text> cite;
    Span span, by_span;    // the declaration, and `by grade` / `by total`
};

// A named value: `value workload "工作量" = EXPR`, computed once per record.
struct Value {
    Name id;
    Text label;
    ExprPtr expr;
    Span span;
};

// ---- Tests

struct TestEvent {
    Name type;
    std::optional<NumberLit> amount;
    std::optional<NumberLit> count;
    std::optional<Text> date;
    std::optional<Text> note;
    std::vector<std::pair<Name, Name>> attributes;
    Span span;
};

struct Expectation {
    enum class Kind { value, grade, error, warning, veto, flag, no_flag, coefficient, rank };  // rank: `expect rank = 1`, its place in `value`  // flag, no_flag, coefficient: `path` is its id
    Kind kind = Kind::value;
    std::string path;  // "total" or a clause path; a named value's id when named_value; veto: the event ("": `expect no veto`)
    Span path_span;
    bool named_value = false;  // `expect value workload = 87.5`
    NumberLit value;      // a number or an exact fraction; its span covers the whole of it
    bool rounded = false;  // `= 3.33 rounded`: compared with the value rounded as the policy rounds
    std::optional<Text> period;  // `expect quarterly.tasks in 2022-Q1 = 58`: the period, as written
    Text text;  // grade name, or text the error message must contain
    Span span;
};

// A rating's mark in a test: a number or a label of the rating's scale.
struct TestMark {
    std::optional<NumberLit> number;
    std::optional<Name> label;
};

// `period 2022-Q1 { measures { output: 9 } ratings { assessor: [90, 80] } }` in a test: the inputs
// of one period.
struct TestPeriod {
    Text period;  // as written: "2022-Q1", "2022-03"
    std::vector<std::pair<Name, NumberLit>> measures;
    std::vector<std::pair<Name, std::vector<TestMark>>> ratings;
    std::vector<std::pair<Name, std::vector<std::pair<Name, NumberLit>>>> votes;
    Span span;
};

struct Test {
    Text name;
    std::optional<Name> role;
    std::vector<Name> groups;
    std::optional<NumberLit> year;
    std::optional<Text> id;
    std::vector<std::pair<Name, NumberLit>> measures;
    std::vector<std::pair<Name, Name>> measure_labels;  // `measures { rating: 良好 }`: a scale's label
    std::vector<std::pair<Name, Name>> facts;  // `facts { has_system: yes, village_kind: autonomous }`
    // `ratings { review: [92, 88, 95] }`: each mark a number or a label of the rating's scale.
    using Mark = TestMark;
    std::vector<std::pair<Name, std::vector<Mark>>> ratings;
    // `ratings { votes: { excellent: 30, competent: 10 } }`: a vote rating's votes per grade.
    std::vector<std::pair<Name, std::vector<std::pair<Name, NumberLit>>>> votes;
    std::vector<TestEvent> events;
    std::vector<TestEvent> unit_events;
    std::optional<Text> record_file;
    std::vector<TestPeriod> periods;
    std::vector<Expectation> expectations;
    Span span;
    std::optional<Text> population;  // `population "三人" { test ... }`: its name, spanned where written
};

using Declaration = std::variant<Policy, Include, Attribute, Group, Event, Measure, Role, Node, Grades, GradeRule, Veto, Value, Test, Flag, Coefficient>;

// A root file and all it includes, declarations in include order (an include's declarations
// stand where the include does).
struct Module {
    std::vector<Declaration> declarations;
};

}  // namespace kaohe::ast
