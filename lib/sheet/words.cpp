#include "sheet/words.hpp"

#include "change/common.hpp"
#include "sheet/writer.hpp"

namespace kaohe::sheet {

namespace {

const ir::Node* node_of(const ir::Program& p, std::size_t rule) {
    for (const auto& n : p.nodes)
        for (ir::RuleId r : n.rules)
            if (r.index() == rule) return &n;
    return nullptr;
}

// Whether expression `e` (and what it holds) reads event `event` or measure `measure`.
bool reads(const ir::Program& p, ir::ExprId e, int event, int measure, int depth = 0) {
    if (e == ir::none || depth > 200) return false;
    const ir::Expr& x = p.expr(e);
    switch (x.op) {
    case ir::Expr::Op::count:
    case ir::Expr::Op::sum_amount:
    case ir::Expr::Op::longest_run:
        if (event >= 0 && x.ref == event) return true;
        break;
    case ir::Expr::Op::measure:
    case ir::Expr::Op::share:
        if (measure >= 0 && x.ref == measure) return true;
        break;
    case ir::Expr::Op::unit_mean:
        if (measure >= 0 && x.ref == measure) return true;
        break;
    case ir::Expr::Op::named:
        if (reads(p, p.value(x.named()).expr, event, measure, depth + 1)) return true;
        break;
    default: break;
    }
    if (reads(p, x.a, event, measure, depth + 1) || reads(p, x.b, event, measure, depth + 1) ||
        reads(p, x.c, event, measure, depth + 1))
        return true;
    for (ir::ExprId arg : x.args)
        if (reads(p, arg, event, measure, depth + 1)) return true;
    return false;
}

bool rule_reads(const ir::Program& p, const ir::Rule& r, int event, int measure) {
    if (event >= 0 && r.event != ir::none && static_cast<int>(r.event.index()) == event) return true;
    if (measure >= 0 && r.measure != ir::none && static_cast<int>(r.measure.index()) == measure) return true;
    if (measure >= 0 && r.named != ir::none && reads(p, p.value(r.named).expr, event, measure)) return true;
    for (ir::ExprId e : {r.filter, r.points, r.when, r.threshold})
        if (reads(p, e, event, measure)) return true;
    for (ir::ExprId e : r.multiplier_conditions)
        if (reads(p, e, event, measure)) return true;
    return false;
}

std::string number(const Number& n) { return n.to_string(6); }

// A `by` table over an event's attribute, `lead` + the attribute + `verb` + its entries:
// "每次按颁发机关加：本单位1分，省科协3分；其他颁发机关0分", or, with no `otherwise`, the values the
// rules refuse: "…；颁发机关为“市委市政府”的，规则不予受理（该人记录不能评分）".
std::string table_in_words(const ir::Program& p, const ir::Table& t, const std::string& lead, const std::string& verb) {
    const ir::Attribute& a = p.attributes[t.attribute.index()];
    const std::string name = a.label.empty() ? a.id : a.label;
    std::string listed, refused;
    for (std::size_t v = 0; v < a.values.size(); ++v) {
        const std::string& label = a.value_labels[v].empty() ? a.values[v] : a.value_labels[v];
        const std::optional<Number> none_listed;
        if (const auto& points = v < t.points.size() ? t.points[ir::ValueId::at(v)] : none_listed) {
            listed += (listed.empty() ? "" : "，") + label + number(*points) + "分";
        } else if (!t.otherwise) {
            refused += (refused.empty() ? "“" : "、“") + label + "”";
        }
    }
    std::string out = lead + name + verb + "：" + listed;
    if (t.otherwise) out += "；其他" + name + number(*t.otherwise) + "分";
    else if (!refused.empty()) out += "；" + name + "为" + refused + "的，规则不予受理（该人记录不能评分）";
    return out;
}

}  // namespace

std::string rule_in_words(const ir::Program& p, const ir::Rule& r) {
    const ir::WrittenRule& w = r.written;
    const bool attribute_table = r.table != ir::none && p.table(r.table).attribute != ir::none && r.event != ir::none;
    if (r.when != ir::none || r.period != ir::PeriodKind::year || !w.multipliers.empty() ||
        (w.has_table && !attribute_table) || !w.filter.empty() || !w.when.empty())
        return "";
    const std::string verb = r.sign < 0 ? "扣" : "加";
    std::string out;
    switch (w.form) {
    case ir::WrittenRule::Form::each: {
        if (w.has_table) {
            out = table_in_words(p, p.table(r.table), "每次按", verb);
        } else if (w.each_points) {
            out = "每次" + verb + number(w.each_points->value) + "分";
        } else if (r.points != ir::none && p.expr(r.points).op == ir::Expr::Op::amount && r.event != ir::none &&
                   p.event(r.event).has_amount) {
            const ir::Event& e = p.event(r.event);
            out = "视其情节每次" + verb + number(e.amount_min) + "—" + number(e.amount_max) + "分（分值栏填写）";
        } else {
            return "";
        }
        break;
    }
    case ir::WrittenRule::Form::per: {
        if (w.threshold_is_expr) return "";
        std::string what;
        if (r.measure != ir::none) {
            const ir::Measure& m = p.measure(r.measure);
            what = m.label.empty() ? m.id : m.label;
        } else if (r.named != ir::none) {
            const ir::NamedValue& v = p.value(r.named);
            what = v.label.empty() ? v.id : v.label;
        } else {
            return "";
        }
        const std::string unit = number(w.per_unit.value), threshold = number(w.per_threshold.value);
        const std::string points = number(w.per_points.value);
        switch (w.shortfall) {
        case ir::WrittenRule::Shortfall::short_of:
            out = what + "不足" + threshold + "的，每缺" + unit + verb + points + "分";
            break;
        case ir::WrittenRule::Shortfall::below:
            out = what + "低于" + threshold + "的，每低" + unit + verb + points + "分";
            break;
        case ir::WrittenRule::Shortfall::above:
            out = what + "超过" + threshold + "的，每超" + unit + verb + points + "分";
            break;
        }
        // A step of 1 has nothing to round for the whole numbers clerks count (篇, 个).
        if (!(w.per_unit.value == Number(1))) switch (w.rounding) {
        case ir::WrittenRule::StepRounding::up: out += "（不足" + unit + "的按" + unit + "计）"; break;
        case ir::WrittenRule::StepRounding::down: out += "（不足" + unit + "的不计）"; break;
        case ir::WrittenRule::StepRounding::linear: out += "（按比例计算）"; break;
        case ir::WrittenRule::StepRounding::unspecified: break;
        }
        break;
    }
    case ir::WrittenRule::Form::value: {
        // Said from the expression itself: a number, a measure taken as it is, or N × a measure.
        if (r.points == ir::none) return "";
        const ir::Expr& x = p.expr(r.points);
        auto measure_label = [&](const ir::Expr& e) -> std::string {
            if (e.op != ir::Expr::Op::measure) return "";
            const ir::Measure& m = p.measure(e.measure());
            return m.label.empty() ? m.id : m.label;
        };
        if (x.op == ir::Expr::Op::constant) {
            out = verb + number(x.constant) + "分";
        } else if (!measure_label(x).empty() && p.measure(x.measure()).rating) {
            // A rating is not a figure someone fills in: it is its raters' marks combined.
            out = std::string(r.sign < 0 ? "扣除" : "加上") + "“" + measure_label(x) + "”的评分（" +
                  (p.measure(x.measure()).dropping ? "去掉一个最高分和一个最低分后取平均值" : "取各评分的平均值") + "）";
        } else if (!measure_label(x).empty()) {
            out = std::string(r.sign < 0 ? "扣除" : "加上") + "“" + measure_label(x) + "”所填的分数";
        } else if (x.op == ir::Expr::Op::mul && x.a != ir::none && x.b != ir::none &&
                   p.expr(x.a).op == ir::Expr::Op::constant && !measure_label(p.expr(x.b)).empty()) {
            out = "“" + measure_label(p.expr(x.b)) + "”每1分" + verb + number(p.expr(x.a).constant) + "分";
        } else {
            return "";
        }
        break;
    }
    }
    if (r.cap) out += "，最多" + verb + number(*r.cap) + "分";
    return out;
}

std::string rule_line(const ir::Program& p, const ir::Rule& r) {
    const std::size_t index = static_cast<std::size_t>(&r - p.rules.data());
    const ir::Node* n = node_of(p, index);
    std::string out;
    if (n) {
        out = n->label.empty() ? n->path : n->label;
        const std::string& cite = r.cite.empty() ? n->cite : r.cite;
        if (!cite.empty()) out += "（" + cite + "）";
        if (n->role != ir::none && !p.one_card) {
            const ir::Role& role = p.role(n->role);
            out += "［" + (role.label.empty() ? role.id : role.label) + "］";
        }
        out += "：";
    }
    const std::string words = rule_in_words(p, r);
    if (!words.empty()) return out + words;
    out += "按规则 `" + policy::rule_text(p.sources, r) + "`（" + relative_where(p.sources, r.where) + "）";
    // The table, shortened to `{ … }` in the rule, is what the clerk needs most: said in words.
    if (r.written.has_table && r.table != ir::none && p.table(r.table).attribute != ir::none)
        out += "，其中 { … } 为按" + table_in_words(p, p.table(r.table), "", "");
    return out;
}

std::vector<ir::RuleId> rules_reading_event(const ir::Program& p, ir::EventId e) {
    std::vector<ir::RuleId> out;
    for (std::size_t i = 0; i < p.rules.size(); ++i)
        if (rule_reads(p, p.rules[i], static_cast<int>(e.index()), -1)) out.push_back(ir::RuleId(static_cast<std::int32_t>(i)));
    return out;
}

std::vector<ir::RuleId> rules_reading_measure(const ir::Program& p, ir::MeasureId m) {
    std::vector<ir::RuleId> out;
    for (std::size_t i = 0; i < p.rules.size(); ++i)
        if (rule_reads(p, p.rules[i], -1, static_cast<int>(m.index()))) out.push_back(ir::RuleId(static_cast<std::int32_t>(i)));
    return out;
}

}  // namespace kaohe::sheet
