// The ruleset as written, kept in the IR for the tools that change a policy safely (lib/change/:
// coverage, mutation testing, diffs): each rule's form, the literals and keywords of rules, nodes
// and declarations with their spans. The checker lowers it from the parser's spans, so no tool
// looks for a token in the source text again. The evaluator never reads it.
//
// Spans are the parser's: a literal's span covers the literal, a keyword's covers the keyword.
// A position `after` is where the text before a suffix ends (removing the suffix starts there).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kaohe/number.hpp"
#include "support/sources.hpp"

namespace kaohe::ir {

// A number as written, and where.
struct Literal {
    Number value;
    Span span;
};

// A part of an expression that a tool may change: a number, a comparison, a call to `min` or
// `max`. An expression is kept as the list of its parts in the order of a walk over the tree as
// written, each part before the parts inside it.
struct Phrase {
    enum class Kind : std::uint8_t { number, comparison, min, max };
    enum class Compare : std::uint8_t { lt, le, gt, ge, eq, ne };
    Kind kind = Kind::number;
    Span span;      // number: the literal; otherwise the whole comparison or call
    Span word;      // comparison: its operator; min, max: the function's name
    Span shown;     // number: the expression that holds it (the literal itself at the top)
    Number value;   // number
    Compare compare = Compare::lt;  // comparison
};

// A `times F [/ D] if|unless COND` suffix.
struct WrittenMultiplier {
    Literal numerator;
    std::optional<Literal> denominator;
    bool unless = false;
    Span span;                      // `times` through the condition
    Span keyword;                   // `if` or `unless`
    std::uint32_t after = 0;
    std::vector<Phrase> condition;
};

// A rule's form as written.
struct WrittenRule {
    enum class Form : std::uint8_t { each, per, value };
    enum class Shortfall : std::uint8_t { short_of, below, above };
    enum class StepRounding : std::uint8_t { unspecified, up, down, linear };
    struct TableEntry {
        std::string key;   // the attribute value as written
        Span key_span;
        Literal points;
        bool otherwise = false;  // `otherwise: N`, the points for every value not listed
    };

    Form form = Form::value;

    // each: the points before `each` (a plain number, or an expression), the filter, the table.
    std::optional<Literal> each_points;
    std::vector<Phrase> each_value;
    std::vector<Phrase> filter;
    bool has_table = false;
    std::vector<TableEntry> table;
    Span table_span;  // `{` through `}`

    // per: N per U (short of | below | above) T in MEASURE [rounding up | rounding down | linear]
    Literal per_points, per_unit, per_threshold;  // an expression threshold: value 0, the expression's span
    bool threshold_is_expr = false;        // `short of 2 * weeks`: the threshold is an expression
    std::vector<Phrase> threshold;         // its parts, when it is one
    Span per_keyword;      // `per`
    Shortfall shortfall = Shortfall::short_of;
    Span shortfall_span;   // `short of`, `below` or `above`
    StepRounding rounding = StepRounding::unspecified;
    Span rounding_span;    // `rounding up`, `rounding down` or `linear`

    // value
    std::vector<Phrase> value;
    Span period;  // `month` or `quarter` of `VALUE each month`, when written

    // suffixes
    std::optional<Literal> cap;
    Span cap_span;               // `at most N`
    std::uint32_t cap_after = 0;
    std::vector<WrittenMultiplier> multipliers;
    std::vector<Phrase> when;
};

// A section's or clause's header as written.
struct WrittenNode {
    bool section = false;
    std::optional<Literal> max;  // none: no maximum written (`uncapped`, or none at all)
    bool no_floor = false;       // `floor none`
    Span header;                 // the keyword through the header's last item, before `{`
    std::uint32_t floor_at = 0;  // where `floor none` would go: after the maximum, `uncapped` or the label
    Span start;                  // `from 0` / `from full` as written (empty: not written)
    std::optional<Literal> within;  // `within 3`
    std::optional<Literal> weight;  // `weight 70%`: the number before `%`
};

}  // namespace kaohe::ir
