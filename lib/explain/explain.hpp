// Explanation: an evaluated record, written for machines (the result JSON of docs/records.md) and
// for people (a scorecard). Numbers are written exactly; a value with no finite decimal form is
// rounded as the policy says (`round 2 half_up`).
#pragma once

#include <string>

#include "eval/evaluate.hpp"
#include "kaohe/kaohe.hpp"

namespace kaohe::explain {

// A result's receipt (docs/records.md): the compiled ruleset's hash and the record's, "sha256:…";
// `record` is "" when the record was not read from JSON text (a test block's).
struct Receipt {
    std::string_view ruleset, record;
};
// With a receipt, the result ends with it ("receipt": policy, version, ruleset, record).
void write_json(std::string& out, const ir::Program& p, const record::Record& r, const eval::Outcome& o,
                const Receipt* receipt = nullptr);
void write_error_json(std::string& out, const RecordError& e);
std::string scorecard(const ir::Program& p, const record::Record& r, const eval::Outcome& o);
// An event line's points computed from the event, with its numbers: "0.3 × floor(9 / 4) = 0.6" for
// one occurrence; "" when the rule's points are a number or `amount`.
std::string arithmetic(const ir::Program& p, const record::Record& r, const eval::Line& l);

// Why flag `flag` (an index into Program::flags) was raised for the record: its condition as
// written, with the record's numbers, "count(absent) = 12 >= 10".
std::string flag_why(const ir::Program& p, const record::Record& r, std::size_t flag, const eval::Outcome* o = nullptr);
// A grade rule's condition with the record's numbers, as flag_why says a flag's.
std::string condition_why(const ir::Program& p, const record::Record& r, ir::ExprId when,
                          const eval::Outcome* o = nullptr);

// Why a coefficient has its value: "grade 优秀", "grade 基本称职, otherwise", "total 96 >= 95",
// "total 94.999333333333 >= 85" (the total the bands compared, written as the outcome's
// `on_total`), "total 50, otherwise"; by a grade a quota may still take away (one record scored
// alone), "grade 优秀 (before the quota)".
std::string coefficient_why(const ir::Program& p, const eval::Outcome& o, const eval::CoefficientAt& at);
// Whether a coefficient comes from a grade before its quota: by grade, the record scored alone
// (no quota applied), and its grade has a quota.
bool coefficient_before_quota(const ir::Program& p, const eval::Outcome& o, const eval::CoefficientAt& at);
// `,"coefficients":[...]` of the result JSON (docs/records.md); nothing when the ruleset declares none.
void write_coefficients(std::string& out, const ir::Program& p, const eval::Outcome& o);

// A line's citation: its rule's own (`cite "第3项"`) when it has one, else its clause's (empty
// when neither has one). A clause's floor and ceiling lines have no rule: the clause's.
inline const std::string& line_cite(const ir::Program& p, const ir::Node& node, const eval::Line& l) {
    if (l.rule != ir::none && !p.rule(l.rule).cite.empty()) return p.rule(l.rule).cite;
    return node.cite;
}

// The fact a value line turns on (a points table's, or the one its rule's `when` reads), or none;
// a scale measure's value line: the label of its value, or null.
ir::MeasureId line_fact(const ir::Program& p, const record::Record& r, const eval::Line& l);
const std::string* line_scale_label(const ir::Program& p, const record::Record& r, const eval::Line& l);

// The first `share(...)` that rule's points or condition take of a vote rating, or null.
inline const ir::Expr* share_in(const ir::Program& p, ir::ExprId e) {
    if (e == ir::none) return nullptr;
    const ir::Expr& x = p.expr(e);
    if (x.op == ir::Expr::Op::share) return &x;
    for (ir::ExprId c : {x.a, x.b, x.c})
        if (const ir::Expr* s = share_in(p, c)) return s;
    for (ir::ExprId c : x.args)
        if (const ir::Expr* s = share_in(p, c)) return s;
    return nullptr;
}
inline const ir::Expr* share_in(const ir::Program& p, const ir::Rule& rule) {
    const ir::Expr* s = share_in(p, rule.points);
    return s ? s : share_in(p, rule.when);
}

// What decided the grade (a band, a veto, a veto's cap), for the JSON result, the scorecard and
// the C++ API alike; none when there is no grade and no veto fired.
std::optional<Outcome> outcome(const ir::Program& p, const record::Record& r, const eval::Outcome& o);
// What gave the grade, before any quota (outcome() adds the quota's part).
std::optional<Outcome> decided(const ir::Program& p, const record::Record& r, const eval::Outcome& o);
void append_outcome_json(std::string& out, const Outcome& o);

// A figure as cards and results show it: under `report N places MODE`, rounded and written with
// all N places ("90.00"); else exactly, or rounded as the header's `round` when it has no finite
// decimal form.
std::string reported(const ir::Program& p, const Number& n);
// Whether `report` shows `n` as other than its exact value (then results carry the exact one).
bool rounded_for_showing(const ir::Program& p, const Number& n);
// The figures ("total", then node paths in card order) whose shown value is not the exact one,
// each with its exact value: the value before `round each clause|each section|total` rounded it,
// or the exact value a `report` rounded for showing.
std::vector<std::pair<std::string, Number>> exact_figures(const ir::Program& p, const record::Record& r,
                                                          const eval::Outcome& o);

// Whether the policy declares its figures (`report N places`, `round each clause|each section|total
// N places`): then a figure of an explanation line (its points, the value or threshold it read, a
// number in a `why`) that is shown rounded, having no finite decimal form, carries its exact value.
bool declares_figures(const ir::Program& p);
bool line_figure_rounded(const ir::Program& p, const Number& n);
// " (exact 10/3)" after such a figure, its exact value as a fraction; "" when it is shown exactly.
std::string exact_beside(const ir::Program& p, const Number& n);

// Public views of one line, for the C++ API.
Line line(const ir::Program& p, const record::Record& r, const eval::Line& l);
const char* kind_name(eval::Line::Kind k);

}  // namespace kaohe::explain
