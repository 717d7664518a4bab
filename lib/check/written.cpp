// Rules and nodes as written (ir/written.hpp), from the parser's spans.
#include "check/written.hpp"

namespace kaohe::check {
namespace {

// The parts of `e` a tool may change, each before the parts inside it. `parent` holds `e` (null
// at the top). Recursion bounded by the tree's height (parse::kMaxExprDepth).
void phrases(const ast::Expr& e, const ast::Expr* parent, std::vector<ir::Phrase>& out) {
    using K = ast::Expr::Kind;
    using O = ast::Expr::Op;
    using C = ir::Phrase::Compare;
    switch (e.kind) {
    case K::number: {
        ir::Phrase p;
        p.kind = ir::Phrase::Kind::number;
        p.span = e.span;
        p.shown = parent ? parent->span : e.span;
        p.value = e.number;
        out.push_back(std::move(p));
        return;
    }
    case K::binary: {
        std::optional<C> c;
        switch (e.op) {
        case O::lt: c = C::lt; break;
        case O::le: c = C::le; break;
        case O::gt: c = C::gt; break;
        case O::ge: c = C::ge; break;
        case O::eq: c = C::eq; break;
        case O::ne: c = C::ne; break;
        default: break;
        }
        if (c && e.args.size() == 2 && e.op_span.begin < e.op_span.end) {
            ir::Phrase p;
            p.kind = ir::Phrase::Kind::comparison;
            p.span = e.span;
            p.word = e.op_span;
            p.compare = *c;
            out.push_back(std::move(p));
        }
        break;
    }
    case K::call:
        if (e.name.text == "min" || e.name.text == "max") {
            ir::Phrase p;
            p.kind = e.name.text == "min" ? ir::Phrase::Kind::min : ir::Phrase::Kind::max;
            p.span = e.span;
            p.word = e.name.span;
            out.push_back(std::move(p));
        }
        break;
    default: break;
    }
    for (const auto& a : e.args) phrases(*a, &e, out);
}

}  // namespace

std::vector<ir::Phrase> phrases(const ast::ExprPtr& e) {
    std::vector<ir::Phrase> out;
    if (e) phrases(*e, nullptr, out);
    return out;
}

ir::WrittenRule written_rule(const ast::Rule& r) {
    using W = ir::WrittenRule;
    W w;
    switch (r.form) {
    case ast::Rule::Form::each: w.form = W::Form::each; break;
    case ast::Rule::Form::per: w.form = W::Form::per; break;
    case ast::Rule::Form::value: w.form = W::Form::value; break;
    case ast::Rule::Form::by_fact: w.form = W::Form::value; break;  // a table without an event
    }
    if (r.each_value && r.each_value->kind == ast::Expr::Kind::number)
        w.each_points = ir::Literal{r.each_value->number, r.each_value->span};
    else w.each_value = phrases(r.each_value);
    w.filter = phrases(r.filter);
    w.has_table = r.by_attribute.has_value();
    for (const auto& [key, points] : r.table) w.table.push_back({key.text, key.span, literal(points)});
    for (const auto& [at, points] : r.table_otherwise) w.table.push_back({"otherwise", at, literal(points), true});
    w.table_span = r.table_span;
    w.per_points = literal(r.per_points);
    w.per_unit = literal(r.per_unit);
    w.per_threshold = literal(r.per_threshold);
    if (r.per_threshold_expr) {
        w.threshold_is_expr = true;
        w.per_threshold = ir::Literal{Number(), r.per_threshold_expr->span};
        w.threshold = phrases(r.per_threshold_expr);
    }
    w.per_keyword = r.per_keyword;
    switch (r.shortfall) {
    case ast::Rule::Shortfall::short_of: w.shortfall = W::Shortfall::short_of; break;
    case ast::Rule::Shortfall::below: w.shortfall = W::Shortfall::below; break;
    case ast::Rule::Shortfall::above: w.shortfall = W::Shortfall::above; break;
    }
    w.shortfall_span = r.shortfall_span;
    switch (r.rounding) {
    case ast::Rule::StepRounding::unspecified: w.rounding = W::StepRounding::unspecified; break;
    case ast::Rule::StepRounding::up: w.rounding = W::StepRounding::up; break;
    case ast::Rule::StepRounding::down: w.rounding = W::StepRounding::down; break;
    case ast::Rule::StepRounding::linear: w.rounding = W::StepRounding::linear; break;
    }
    w.rounding_span = r.rounding_clause;
    w.value = phrases(r.value);
    w.period = r.period_span;
    w.cap = literal(r.cap);
    w.cap_span = r.cap_span;
    w.cap_after = r.cap_after;
    for (const auto& m : r.multipliers) {
        ir::WrittenMultiplier x;
        x.numerator = literal(m.numerator);
        x.denominator = literal(m.denominator);
        x.unless = m.unless;
        x.span = m.span;
        x.keyword = m.keyword;
        x.after = m.after;
        x.condition = phrases(m.condition);
        w.multipliers.push_back(std::move(x));
    }
    w.when = phrases(r.when);
    return w;
}

ir::WrittenNode written_node(const ast::Node& n) {
    ir::WrittenNode w;
    w.section = n.is_section;
    w.max = literal(n.max);
    w.no_floor = n.no_floor;
    w.header = n.header;
    w.floor_at = n.max ? n.max->span.end : n.uncapped ? n.uncapped_span.end : n.within ? n.within->span.end : n.label.span.end;
    w.start = n.start_span;
    w.within = literal(n.within);
    w.weight = literal(n.weight);
    return w;
}

}  // namespace kaohe::check
