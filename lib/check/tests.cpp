// Test blocks into ir::Test (ir/test.hpp): every name resolved where it resolves.
#include "check/written.hpp"

namespace kaohe::check {
namespace {

using ir::none;

template <typename Map>
ir::TestName<typename Map::mapped_type> resolve(const ast::Name& n, const Map& index) {
    auto it = index.find(n.text);
    return {n.text, n.span, it == index.end() ? none : it->second};
}

ir::TestText text(const ast::Text& t) { return ir::TestText{t.value, t.span}; }

std::optional<ir::TestText> text(const std::optional<ast::Text>& t) {
    if (!t) return std::nullopt;
    return text(*t);
}

ir::TestEvent event(const ir::Program& p, const ast::TestEvent& e) {
    ir::TestEvent out;
    out.type = resolve(e.type, p.event_index);
    out.amount = literal(e.amount);
    out.count = literal(e.count);
    out.date = text(e.date);
    out.note = text(e.note);
    out.span = e.span;
    for (const auto& [name, value] : e.attributes) {
        ir::TestAttribute a{{name.text, name.span, none}, {value.text, value.span, none}};
        if (out.type.index != none)
            for (ir::AttributeId at : p.event(out.type.index).attributes) {
                const ir::Attribute& attr = p.attribute(at);
                if (attr.id != name.text) continue;
                a.name.index = at;
                if (auto v = attr.value_index.find(value.text); v != attr.value_index.end()) a.value.index = v->second;
            }
        out.attributes.push_back(std::move(a));
    }
    return out;
}

// A test's `ratings { }` (or a period's): each rating's marks, or its votes per grade.
void ratings(const ir::Program& p, const std::vector<std::pair<ast::Name, std::vector<ast::TestMark>>>& given,
             const std::vector<std::pair<ast::Name, std::vector<std::pair<ast::Name, ast::NumberLit>>>>& given_votes,
             std::vector<ir::TestRating>& out, std::vector<ir::TestVotes>& out_votes) {
    for (const auto& [name, marks] : given) {
        ir::TestRating tr{resolve(name, p.measure_index), {}};
        for (const auto& mark : marks) {
            if (mark.number) tr.marks.push_back(ir::TestMark{ir::Literal{mark.number->value, mark.number->span}, {}});
            else tr.marks.push_back(ir::TestMark{std::nullopt, ir::TestText{mark.label->text, mark.label->span}});
        }
        out.push_back(std::move(tr));
    }
    for (const auto& [name, counts] : given_votes) {
        ir::TestVotes tv{resolve(name, p.measure_index), {}};
        for (const auto& [grade, n] : counts)
            tv.counts.emplace_back(ir::TestText{grade.text, grade.span}, ir::Literal{n.value, n.span});
        out_votes.push_back(std::move(tv));
    }
}

}  // namespace

ir::Test lower_test(const ir::Program& p, const ast::Test& t) {
    ir::Test out;
    out.name = text(t.name);
    if (t.role) out.role = resolve(*t.role, p.role_index);
    for (const auto& g : t.groups) out.groups.push_back(resolve(g, p.group_index));
    out.year = literal(t.year);
    out.id = text(t.id);
    for (const auto& [name, value] : t.measures)
        out.measures.push_back(ir::TestMeasure{resolve(name, p.measure_index), ir::Literal{value.value, value.span}});
    // A label on a scale stands for its number (the checker has refused any other).
    for (const auto& [name, label] : t.measure_labels) {
        ir::TestMeasure tm{resolve(name, p.measure_index), ir::Literal{Number(0), label.span}};
        if (auto it = p.measure_index.find(name.text); it != p.measure_index.end()) {
            const ir::Measure& m = p.measure(it->second);
            for (std::size_t i = 0; i < m.scale_labels.size(); ++i)
                if (m.scale_labels[i] == label.text) tm.value.value = m.scale_values[i];
        }
        out.measures.push_back(std::move(tm));
    }
    for (const auto& [name, value] : t.facts)
        out.facts.push_back(ir::TestFact{resolve(name, p.measure_index), ir::TestText{value.text, value.span}});
    ratings(p, t.ratings, t.votes, out.ratings, out.votes);
    for (const auto& e : t.events) out.events.push_back(event(p, e));
    for (const auto& e : t.unit_events) out.unit_events.push_back(event(p, e));
    out.record_file = text(t.record_file);
    for (const auto& tp : t.periods) {
        ir::TestPeriod o{text(tp.period), {}, tp.span, {}, {}};
        for (const auto& [name, value] : tp.measures)
            o.measures.push_back(ir::TestMeasure{resolve(name, p.measure_index), ir::Literal{value.value, value.span}});
        ratings(p, tp.ratings, tp.votes, o.ratings, o.votes);
        out.periods.push_back(std::move(o));
    }
    const ir::RoleId role = p.one_card ? ir::RoleId::at(0) : out.role ? out.role->index : none;
    for (const auto& x : t.expectations) {
        ir::Expectation e;
        switch (x.kind) {
        case ast::Expectation::Kind::value: e.kind = ir::Expectation::Kind::value; break;
        case ast::Expectation::Kind::grade: e.kind = ir::Expectation::Kind::grade; break;
        case ast::Expectation::Kind::error: e.kind = ir::Expectation::Kind::error; break;
        case ast::Expectation::Kind::warning: e.kind = ir::Expectation::Kind::warning; break;
        case ast::Expectation::Kind::veto: e.kind = ir::Expectation::Kind::veto; break;
        case ast::Expectation::Kind::flag: e.kind = ir::Expectation::Kind::flag; break;
        case ast::Expectation::Kind::no_flag: e.kind = ir::Expectation::Kind::no_flag; break;
        case ast::Expectation::Kind::coefficient: e.kind = ir::Expectation::Kind::coefficient; break;
        case ast::Expectation::Kind::rank: e.kind = ir::Expectation::Kind::rank; break;
        }
        e.path = x.path;
        if (x.named_value) {
            const auto it = p.value_index.find(x.path);
            e.named = it == p.value_index.end() ? none : it->second;
        }
        if (e.kind == ir::Expectation::Kind::value && !x.named_value && x.path != "total" && role != none) e.node = p.find_node(role, x.path);
        e.value = ir::Literal{x.value.value, x.value.span};
        e.rounded = x.rounded;
        e.period = text(x.period);
        e.text = text(x.text);
        e.span = x.span;
        out.expectations.push_back(std::move(e));
    }
    out.span = t.span;
    out.population = text(t.population);
    return out;
}

}  // namespace kaohe::check
