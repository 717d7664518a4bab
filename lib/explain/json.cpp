// The result JSON of docs/records.md: {"id", "role", "total", "scores": {path: n}, "lines": [...]}.
#include <algorithm>

#include "eval/expressions.hpp"
#include "explain/explain.hpp"
#include "support/text.hpp"

namespace kaohe::explain {

const char* kind_name(eval::Line::Kind k) {
    switch (k) {
    case eval::Line::Kind::event: return "event";
    case eval::Line::Kind::value: return "value";
    case eval::Line::Kind::cap: return "cap";
    case eval::Line::Kind::floor: return "floor";
    case eval::Line::Kind::ceiling: return "ceiling";
    case eval::Line::Kind::start: return "start";
    }
    return "value";
}

namespace {

void append_number(std::string& out, const ir::Program& p, const Number& n) {
    out += n.to_string(p.policy.round_places, p.policy.rounding);
}

// `"exact":{"points":6.666666666667,"value":83.333333333333}` on a line, when the policy declares its
// figures and a figure the line shows (its points, the value or threshold it read) is rounded.
void append_line_exact(std::string& out, const ir::Program& p, const record::Record& r, const eval::Line& l) {
    if (!declares_figures(p)) return;
    const Line view = line(p, r, l);
    std::vector<std::pair<const char*, Number>> exact;
    if (line_figure_rounded(p, l.points)) exact.emplace_back("points", l.points);
    if (view.value && line_figure_rounded(p, *view.value)) exact.emplace_back("value", *view.value);
    if (view.threshold && line_figure_rounded(p, *view.threshold)) exact.emplace_back("threshold", *view.threshold);
    if (exact.empty()) return;
    out += ",\"exact\":{";
    for (std::size_t i = 0; i < exact.size(); ++i) {
        if (i) out += ",";
        out += "\"";
        out += exact[i].first;
        out += "\":";
        out += exact[i].second.to_string(12, p.policy.rounding);
    }
    out += "}";
}

// A unit's mean as the fraction "N/D" when the figure written for it (reported()) is not its exact
// value, "" when it is: a grade rule compares the exact mean, and `kaohe verify` decides again
// from what the result holds. "" too past 64-bit numerator or denominator (not met by means of
// totals and measures in range); verify then takes the written figure.
std::string exact_fraction(const ir::Program& p, const Number& n) {
    std::int64_t num = 0, den = 1;
    const std::optional<Number> written = Number::from_decimal(reported(p, n));
    if ((written && *written == n) || !n.small(num, den)) return {};
    return std::to_string(num) + "/" + std::to_string(den);
}

// `"population":{"decided":true,"unit":"一科","people":4,"rank":2,"mean_total":81.5,"means":{...}}`
// for a ruleset whose grade rules or flags read the person's unit, scored in a batch; `{"decided":
// false,"unit":"一科"}` when scored alone and something that reads the unit was left undecided (in a
// batch too, with the figures, when nobody in the unit has a value of a measure `unit_mean` reads).
void append_population_json(std::string& out, const ir::Program& p, const record::Record& r, const eval::Outcome& o) {
    if (!o.unit && !o.unit_undecided) return;
    out += ",\"population\":{\"decided\":";
    out += o.unit && !o.unit_undecided ? "true" : "false";  // undecided too: nobody in the unit has a value of a measure read
    out += ",\"unit\":";
    append_json_string(out, r.unit);
    if (o.unit) {
        out += ",\"people\":" + std::to_string(o.unit->people) + ",\"rank\":" + std::to_string(o.unit->rank) + ",\"mean_total\":";
        out += reported(p, o.unit->mean_total);
        if (const std::string exact = exact_fraction(p, o.unit->mean_total); !exact.empty())
            out += ",\"mean_total_exact\":\"" + exact + "\"";
        bool first = true, rounded = false;
        for (std::size_t m = 0; m < o.unit->means.size(); ++m)
            if (o.unit->means[m]) {
                out += first ? ",\"means\":{" : ",";
                first = false;
                append_json_string(out, p.measures[m].id);
                out += ":";
                out += reported(p, *o.unit->means[m]);
                rounded = rounded || !exact_fraction(p, *o.unit->means[m]).empty();
            }
        if (!first) out += "}";
        first = true;
        for (std::size_t m = 0; rounded && m < o.unit->means.size(); ++m)
            if (o.unit->means[m])
                if (const std::string exact = exact_fraction(p, *o.unit->means[m]); !exact.empty()) {
                    out += first ? ",\"means_exact\":{" : ",";
                    first = false;
                    append_json_string(out, p.measures[m].id);
                    out += ":\"" + exact + "\"";
                }
        if (!first) out += "}";
    }
    out += "}";
}

// The facts (yes/no or standing) that expression `e` reads, each once.
void facts_in(const ir::Program& p, ir::ExprId e, std::vector<ir::MeasureId>& out) {
    if (e == ir::none) return;
    const ir::Expr& x = p.expr(e);
    if (x.op == ir::Expr::Op::measure && p.measure(x.measure()).fact() &&
        std::find(out.begin(), out.end(), x.measure()) == out.end())
        out.push_back(x.measure());
    for (ir::ExprId c : {x.a, x.b, x.c}) facts_in(p, c, out);
    for (ir::ExprId c : x.args) facts_in(p, c, out);
}

// A rating as combined for the record: `"rating":"review","method":"mean","marks":5,"value":90`
// (`key` names the rating's field), with the dropped marks when it drops the highest and lowest.
// The raters are not written.
void append_rating(std::string& out, const ir::Program& p, const record::Record& r, ir::MeasureId m, const char* key,
                   const ir::Expr* share = nullptr, const ir::Period& period = {}) {
    const record::Record::Marks& marks = *r.marks(p, m, period);
    const ir::Measure& decl = p.measure(m);
    if (decl.kind == ir::Measure::Kind::votes) {
        // On a line, the share: `"rating":"votes","method":"share","grades":["excellent"],"votes":30,"of":42,"value":…`;
        // in the result's list, the votes per grade: `"method":"votes","votes":{"excellent":30,…},"of":42`.
        if (key) {
            out += ",\"";
            out += key;
            out += "\":";
            append_json_string(out, decl.id);
            out += ",";
        }
        if (share) {
            out += "\"method\":\"share\",\"grades\":[";
            for (std::size_t i = 0; i < share->grades.size(); ++i) {
                if (i) out += ",";
                append_json_string(out, decl.values[share->grades[i].index()]);
            }
            out += "],\"votes\":" + std::to_string(marks.votes_for(share->grades));
        } else {
            out += "\"method\":\"votes\",\"votes\":{";
            for (std::size_t i = 0; i < decl.values.size(); ++i) {
                if (i) out += ",";
                append_json_string(out, decl.values[i]);
                out += ":" + std::to_string(marks.votes[i]);
            }
            out += "}";
        }
        out += ",\"of\":" + std::to_string(marks.count);
        if (share) {
            out += ",\"value\":";
            append_number(out, p, marks.share_of(share->grades));
        }
        return;
    }
    if (key) {
        out += ",\"";
        out += key;
        out += "\":";
        append_json_string(out, p.measure(m).id);
        out += ",";
    }
    out += "\"method\":\"";
    out += p.measure(m).method_text();
    out += "\",\"marks\":";
    out += std::to_string(marks.count);
    if (marks.dropped_highest) {
        out += ",\"dropped_highest\":";
        append_number(out, p, *marks.dropped_highest);
        out += ",\"dropped_lowest\":";
        append_number(out, p, *marks.dropped_lowest);
    }
    out += ",\"value\":";
    append_number(out, p, *r.measure(p, m, period));
}

// Rating `m`, given per period, was given in some period of the record.
bool period_given(const ir::Program& p, const record::Record& r, ir::MeasureId m) {
    for (int i = 1; i <= ir::periods_in_year(p.measure(m).period); ++i)
        if (r.marks(p, m, {p.measure(m).period, i})) return true;
    return false;
}

}  // namespace

// The fact a value line turns on, with the person's value: a points table's fact, else the one
// fact its rule's `when` reads (`deduct 10 when not has_plan`); none when it reads none or several.
ir::MeasureId line_fact(const ir::Program& p, const record::Record& r, const eval::Line& l) {
    if (l.kind != eval::Line::Kind::value || l.rule == ir::none) return ir::none;
    const ir::Rule& rule = p.rule(l.rule);
    if (rule.measure != ir::none) return p.measure(rule.measure).fact() ? rule.measure : ir::none;
    std::vector<ir::MeasureId> facts;
    facts_in(p, rule.when, facts);
    if (facts.size() != 1 || !r.measures[facts[0]]) return ir::none;
    return facts[0];
}

// A scale measure's value line: the label of the value (`良好` for 85), or null.
const std::string* line_scale_label(const ir::Program& p, const record::Record& r, const eval::Line& l) {
    if (l.kind != eval::Line::Kind::value || l.rule == ir::none) return nullptr;
    const ir::Rule& rule = p.rule(l.rule);
    if (rule.measure == ir::none || p.measure(rule.measure).fact()) return nullptr;
    const auto& v = r.measure(p, rule.measure, l.period);
    if (!v) return nullptr;
    return p.measure(rule.measure).scale_label(*v);
}

// `"periods":{"quarterly":{"each":"quarter","combined":"mean","scores":{"2022-Q1":{"quarterly":90,
// "quarterly.tasks":58,...},...}}}`: each section scored per period, with its parts' period scores.
static void write_periods(std::string& out, const ir::Program& p, const record::Record& r, const eval::Outcome& o) {
    if (o.periods.empty()) return;
    out += ",\"periods\":{";
    for (std::size_t c = 0; c < o.periods.size(); ++c) {
        const eval::PeriodCard& card = o.periods[c];
        const ir::Node& section = p.node(card.section);
        if (c) out += ",";
        append_json_string(out, section.path);
        out += ":{\"each\":\"";
        out += ir::period_word(section.period);
        out += section.period_sum ? "\",\"combined\":\"sum\"" : "\",\"combined\":\"mean\"";
        out += ",\"scores\":{";
        for (std::size_t i = 0; i < card.scores.size(); ++i) {
            if (i) out += ",";
            append_json_string(out, ir::period_name(r.year, {section.period, static_cast<int>(i) + 1}));
            out += ":{";
            for (std::size_t k = 0; k < card.scores[i].size(); ++k) {
                if (k) out += ",";
                append_json_string(out, p.node(card.scores[i][k].first).path);
                out += ":";
                out += reported(p, card.scores[i][k].second);
            }
            out += "}";
        }
        out += "}";
        // Beside period scores `report` rounded for showing, their exact values, by period and path.
        bool any_exact = false;
        for (std::size_t i = 0; i < card.scores.size(); ++i) {
            bool in_period = false;
            for (const auto& [node, v] : card.scores[i]) {
                if (!rounded_for_showing(p, v)) continue;
                if (!any_exact) out += ",\"exact\":{";
                else if (!in_period) out += ",";
                if (!in_period) {
                    append_json_string(out, ir::period_name(r.year, {section.period, static_cast<int>(i) + 1}));
                    out += ":{";
                } else out += ",";
                any_exact = in_period = true;
                append_json_string(out, p.node(node).path);
                out += ":";
                out += v.to_string(12, p.policy.rounding);
            }
            if (in_period) out += "}";
        }
        if (any_exact) out += "}";
        out += "}";
    }
    out += "}";
}

// Last in the result, so that the rest reads as it did before results carried one.
static void append_receipt_json(std::string& out, const ir::Program& p, const Receipt& receipt) {
    out += ",\"receipt\":{\"policy\":";
    append_json_string(out, p.policy.name);
    out += ",\"version\":";
    append_json_string(out, p.policy.version);
    out += ",\"ruleset\":";
    append_json_string(out, receipt.ruleset);
    if (!receipt.record.empty()) {
        out += ",\"record\":";
        append_json_string(out, receipt.record);
    }
    out += "}";
}

// The flags raised, when the ruleset declares any (`[]` when none is raised):
// `"flags":[{"flag":"further_action","label":"另作处理","cite":"第八条","rule":"a.kh:30","why":"count(absent) = 12 >= 10"}]`.
static void write_flags(std::string& out, const ir::Program& p, const record::Record& r, const eval::Outcome& o) {
    if (p.flags.empty()) return;
    out += ",\"flags\":[";
    for (std::size_t i = 0; i < o.flags.size(); ++i) {
        const ir::Flag& f = p.flags[o.flags[i]];
        out += i ? ",{\"flag\":" : "{\"flag\":";
        append_json_string(out, f.id);
        out += ",\"label\":";
        append_json_string(out, f.label);
        if (!f.cite.empty()) {
            out += ",\"cite\":";
            append_json_string(out, f.cite);
        }
        out += ",\"rule\":";
        append_json_string(out, f.where);
        out += ",\"why\":";
        append_json_string(out, flag_why(p, r, o.flags[i], &o));
        out += "}";
    }
    out += "]";
}

void write_json(std::string& out, const ir::Program& p, const record::Record& r, const eval::Outcome& o,
                const Receipt* receipt) {
    const ir::Role& role = p.role(r.role);
    out += "{\"id\":";
    append_json_string(out, r.id);
    if (!r.name.empty()) {
        out += ",\"name\":";
        append_json_string(out, r.name);
    }
    if (!r.unit.empty()) {
        out += ",\"unit\":";
        append_json_string(out, r.unit);
    }
    out += ",\"role\":";
    if (p.one_card) out += "null";  // one card for everyone: the person has no role
    else append_json_string(out, role.id);
    out += ",\"total\":";
    out += reported(p, o.total);
    if (o.grade) {
        out += ",\"grade\":";
        append_json_string(out, *o.grade);
    }
    if (const auto why = outcome(p, r, o)) {
        out += ",\"outcome\":";
        append_outcome_json(out, *why);
    }
    append_population_json(out, p, r, o);
    out += ",\"scores\":{";
    bool first = true;
    for (ir::NodeId n : role.nodes) {
        if (!first) out += ",";
        first = false;
        append_json_string(out, p.node(n).path);
        out += ":";
        out += reported(p, o.scores[n]);
    }
    out += "}";
    // Beside a figure rounded for showing or in the arithmetic, its exact value.
    const auto exact = exact_figures(p, r, o);
    for (std::size_t i = 0; i < exact.size(); ++i) {
        out += i ? "," : ",\"exact\":{";
        append_json_string(out, exact[i].first);
        out += ":";
        out += exact[i].second.to_string(12, p.policy.rounding);
    }
    if (!exact.empty()) out += "}";
    // Each weighted part: its own score, its weight in percent and what it counts in its parent.
    bool any_weight = false;
    for (ir::NodeId n : role.nodes) {
        const ir::Node& node = p.node(n);
        if (!node.weight) continue;
        out += any_weight ? "," : ",\"weighted\":{";
        any_weight = true;
        append_json_string(out, node.path);
        out += ":{\"score\":";
        out += reported(p, o.scores[n]);
        out += ",\"weight\":";
        append_number(out, p, *node.weight);
        out += ",\"contributes\":";
        const Number contributes = node.contribution(o.scores[n]);
        out += reported(p, contributes);
        if (rounded_for_showing(p, contributes)) {  // the score's exact value is in the result's `exact`
            out += ",\"exact\":{\"contributes\":";
            out += contributes.to_string(12, p.policy.rounding);
            out += "}";
        }
        out += "}";
    }
    if (any_weight) out += "}";
    write_periods(out, p, r, o);
    // The named values the record needed (a rule that did not apply may leave one uncomputed).
    bool any_value = false;
    for (std::size_t i = 0; i < o.values.size(); ++i) {
        if (!o.values[i]) continue;
        out += any_value ? "," : ",\"values\":{";
        any_value = true;
        append_json_string(out, p.values[i].id);
        out += ":";
        append_number(out, p, *o.values[i]);
    }
    if (any_value) out += "}";
    // The ratings the record gave marks for, as combined (the count of marks, never the raters).
    // A rating given per period: `"assessor":{"each":"quarter","periods":{"2022-Q1":{"method":"mean",
    // "marks":3,"value":85},...}}`, the periods that gave it in order.
    bool any_rating = false;
    for (ir::MeasureId m : r.ratings.ids()) {
        const ir::Measure& decl = p.measure(m);
        if (decl.period == ir::PeriodKind::year ? !r.ratings[m] : !period_given(p, r, m)) continue;
        out += any_rating ? "," : ",\"ratings\":{";
        any_rating = true;
        append_json_string(out, decl.id);
        out += ":{";
        if (decl.period == ir::PeriodKind::year) append_rating(out, p, r, m, nullptr);
        else {
            out += "\"each\":\"";
            out += ir::period_word(decl.period);
            out += "\",\"periods\":{";
            bool opening = true;
            for (int i = 1; i <= ir::periods_in_year(decl.period); ++i) {
                const ir::Period period{decl.period, i};
                if (!r.marks(p, m, period)) continue;
                if (!opening) out += ",";
                opening = false;
                append_json_string(out, ir::period_name(r.year, period));
                out += ":{";
                append_rating(out, p, r, m, nullptr, nullptr, period);
                out += "}";
            }
            out += "}";
        }
        out += "}";
    }
    if (any_rating) out += "}";
    write_flags(out, p, r, o);
    write_coefficients(out, p, o);
    out += ",\"lines\":[";
    for (std::size_t i = 0; i < o.lines.size(); ++i) {
        const eval::Line& l = o.lines[i];
        const ir::Node& node = p.node(l.node);
        if (i) out += ",";
        out += "{\"path\":";
        append_json_string(out, node.path);
        out += ",\"kind\":\"";
        out += kind_name(l.kind);
        out += "\"";
        if (l.kind == eval::Line::Kind::event) {
            const record::Event& e = r.event(l.event);
            out += ",\"event\":";
            append_json_string(out, p.event(e.type).id);
            if (e.date.year) {
                out += ",\"date\":\"";
                record::append_date(out, e.date);
                out += "\"";
            }
            if (e.count != 1) {
                out += ",\"count\":";
                out += std::to_string(e.count);
            }
            if (e.has_amount) {
                out += ",\"amount\":";
                append_number(out, p, e.amount);
            }
            if (e.from_unit) out += ",\"from_unit\":true";
            if (l.otherwise) out += ",\"otherwise\":true";
            if (const std::string a = arithmetic(p, r, l); !a.empty()) {
                out += ",\"arithmetic\":";
                append_json_string(out, a);
            }
        }
        if (l.rule != ir::none) {
            const ir::Rule& rule = p.rule(l.rule);
            if (const ir::MeasureId f = line_fact(p, r, l); f != ir::none) {
                // A fact's table, or a rule on a fact's condition: the fact and the person's value by name.
                const ir::Measure& m = p.measure(f);
                const auto held = r.measures[f]->to_int64().value_or(0);
                out += ",\"fact\":";
                append_json_string(out, m.id);
                out += ",\"value\":";
                append_json_string(out, m.values[static_cast<std::size_t>(held)]);
                if (rule.measure == f && rule.table != ir::none &&
                    p.table(rule.table).by_default(ir::ValueId::at(static_cast<std::size_t>(held))))
                    out += ",\"otherwise\":true";
            } else if (rule.measure != ir::none && l.kind == eval::Line::Kind::value && r.marks(p, rule.measure, l.period)) {
                append_rating(out, p, r, rule.measure, "rating", share_in(p, rule), l.period);
                if (rule.threshold != ir::none) {
                    out += ",\"threshold\":";
                    append_number(out, p, eval::Expressions(p, r, l.period).num(rule.threshold, nullptr));
                }
            } else if (rule.measure != ir::none && l.kind == eval::Line::Kind::value) {
                out += ",\"measure\":";
                append_json_string(out, p.measure(rule.measure).id);
                out += ",\"value\":";
                append_number(out, p, *r.measure(p, rule.measure, l.period));
                if (const std::string* label = line_scale_label(p, r, l)) {
                    out += ",\"label\":";
                    append_json_string(out, *label);
                }
                if (rule.threshold != ir::none) {
                    out += ",\"threshold\":";
                    append_number(out, p, eval::Expressions(p, r, l.period).num(rule.threshold, nullptr));
                }
            } else if (rule.named != ir::none && l.kind == eval::Line::Kind::value) {
                // The evaluator computed the value for this line's rule and kept it in the outcome;
                // in a period's card, the value is that period's.
                out += ",\"named_value\":";
                append_json_string(out, p.value(rule.named).id);
                out += ",\"value\":";
                if (l.period.whole_year()) append_number(out, p, *o.values[rule.named.index()]);
                else append_number(out, p, eval::Expressions(p, r, l.period).named(rule.named));
                if (rule.threshold != ir::none) {
                    out += ",\"threshold\":";
                    append_number(out, p, eval::Expressions(p, r, l.period).num(rule.threshold, nullptr));
                }
            }
        }
        if (!l.period.whole_year()) {  // a period rule's line: the month or quarter that counted
            out += ",\"period\":";
            append_json_string(out, ir::period_name(r.year, l.period));
        }
        out += ",\"points\":";
        append_number(out, p, l.points);
        append_line_exact(out, p, r, l);
        out += ",\"rule\":";
        append_json_string(out, l.rule != ir::none ? p.rule(l.rule).where
                                                   : node.where);
        if (const std::string& cite = line_cite(p, node, l); !cite.empty()) {
            out += ",\"cite\":";
            append_json_string(out, cite);
        }
        if (l.kind == eval::Line::Kind::event) {
            const record::Event& e = r.event(l.event);
            if (!e.note.empty()) {
                out += ",\"note\":";
                append_json_string(out, e.note);
            }
        }
        out += "}";
    }
    out += "]";
    if (!r.warnings.empty()) {
        out += ",\"warnings\":[";
        for (std::size_t i = 0; i < r.warnings.size(); ++i) {
            if (i) out += ",";
            append_json_string(out, r.warnings[i]);
        }
        out += "]";
    }
    if (receipt) append_receipt_json(out, p, *receipt);
    out += "}";
}

void write_error_json(std::string& out, const RecordError& e) {
    out += "{\"id\":";
    if (e.id.empty()) out += "null";
    else append_json_string(out, e.id);
    out += ",\"error\":{";
    if (!e.code.empty()) {
        out += "\"code\":";
        append_json_string(out, e.code);
        out += ",";
    }
    out += "\"message\":";
    append_json_string(out, e.message);
    out += ",\"where\":";
    append_json_string(out, e.where);
    out += "}}";
}

Line line(const ir::Program& p, const record::Record& r, const eval::Line& l) {
    Line out;
    const ir::Node& node = p.node(l.node);
    out.path = node.path;
    out.kind = kind_name(l.kind);
    out.points = l.points;
    out.cite = line_cite(p, node, l);
    out.rule = l.rule != ir::none ? p.rule(l.rule).where : node.where;
    if (!l.period.whole_year()) out.period = ir::period_name(r.year, l.period);
    if (l.kind == eval::Line::Kind::event) {
        const record::Event& e = r.event(l.event);
        out.event = p.event(e.type).id;
        if (e.date.year) {
            std::string d;
            record::append_date(d, e.date);
            out.date = d;
        }
        out.note = e.note;
        out.count = e.count;
        out.event_index = e.from_unit ? -1 - static_cast<std::int64_t>(e.position) : static_cast<std::int64_t>(e.position);
        out.from_unit = e.from_unit;
        out.otherwise = l.otherwise;
        out.arithmetic = arithmetic(p, r, l);
        if (e.has_amount) out.amount = e.amount;
    }
    if (l.rule != ir::none && l.kind == eval::Line::Kind::value) {
        const ir::Rule& rule = p.rule(l.rule);
        if (const ir::MeasureId f = line_fact(p, r, l); f != ir::none) {
            // A fact's table, or a rule on a fact's condition: the fact and the person's value by name.
            const ir::Measure& m = p.measure(f);
            const auto i = static_cast<std::size_t>(r.measures[f]->to_int64().value_or(0));
            out.fact = m.id;
            out.fact_value = m.values[i];
            out.otherwise = rule.measure == f && rule.table != ir::none && p.table(rule.table).by_default(ir::ValueId::at(i));
        } else if (rule.measure != ir::none) {
            out.measure = p.measure(rule.measure).id;
            out.value = r.measure(p, rule.measure, l.period);
            const auto& given = r.marks(p, rule.measure, l.period);  // a vote rating's, in the line's period
            if (const ir::Expr* share = share_in(p, rule); share && given) out.value = given->share_of(share->grades);
            if (const std::string* label = line_scale_label(p, r, l)) out.label = *label;
            if (rule.threshold != ir::none) out.threshold = eval::Expressions(p, r, l.period).num(rule.threshold, nullptr);
        } else if (rule.named != ir::none) {
            const eval::Expressions x(p, r, l.period);
            out.named_value = p.value(rule.named).id;
            out.value = x.named(rule.named);
            if (rule.threshold != ir::none) out.threshold = x.num(rule.threshold, nullptr);
        }
    }
    return out;
}

}  // namespace kaohe::explain
