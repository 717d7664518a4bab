// The IR as written (ir/written.hpp, ir/test.hpp): the spans the checker lowers from the parser,
// which the tools of lib/change/ use instead of looking for tokens in the text.
#include <doctest/doctest.h>

#include "api/access.hpp"
#include "ir/program.hpp"
#include "support.hpp"

using namespace kaohe;
using kaohe::testing::compile;

namespace {

std::string at(const ir::Program& p, Span s) { return std::string(p.sources.slice(s)); }
std::string at(const ir::Program& p, std::uint32_t file, std::uint32_t begin, std::uint32_t end) {
    return at(p, Span{file, begin, end});
}

}  // namespace

TEST_CASE("a per rule keeps its keywords, literals and suffixes with their spans") {
    auto c = compile(
        "section s \"s\" 20 { clause c \"c\" 20 {\n"
        "  deduct 2 per 5 short of 40 in notes rounding up   at most 6  times 1/2 unless leadership when target >= 50\n"
        "} }");
    INFO(kaohe::testing::rendered(c));
    REQUIRE(c.ruleset);
    const ir::Program& p = Access::program(*c.ruleset);
    REQUIRE(p.rules.size() == 1);
    const ir::Rule& r = p.rules[0];
    const ir::WrittenRule& w = r.written;
    CHECK(w.form == ir::WrittenRule::Form::per);
    CHECK(at(p, w.per_points.span) == "2");
    CHECK(at(p, w.per_keyword) == "per");
    CHECK(at(p, w.per_unit.span) == "5");
    CHECK(at(p, w.shortfall_span) == "short of");
    CHECK(at(p, w.per_threshold.span) == "40");
    CHECK(at(p, w.rounding_span) == "rounding up");
    REQUIRE(w.cap);
    CHECK(at(p, w.cap_span) == "at most 6");
    // Removing the cap starts where the text before it ends: its spaces go with it.
    CHECK(at(p, r.span.file, w.cap_after, w.cap_span.begin) == "   ");
    REQUIRE(w.multipliers.size() == 1);
    const ir::WrittenMultiplier& m = w.multipliers[0];
    CHECK(at(p, m.numerator.span) == "1");
    REQUIRE(m.denominator);
    CHECK(at(p, m.denominator->span) == "2");
    CHECK(m.unless);
    CHECK(at(p, m.keyword) == "unless");
    CHECK(at(p, r.span.file, m.after, m.span.begin) == "  ");
    REQUIRE(w.when.size() == 2);  // the comparison, then the number inside it
    CHECK(w.when[0].kind == ir::Phrase::Kind::comparison);
    CHECK(at(p, w.when[0].word) == ">=");
    CHECK(at(p, w.when[0].span) == "target >= 50");
    CHECK(w.when[1].kind == ir::Phrase::Kind::number);
    CHECK(at(p, w.when[1].span) == "50");
    CHECK(at(p, w.when[1].shown) == "target >= 50");
}

TEST_CASE("a node keeps its header, and where `floor none` would go") {
    auto c = compile(
        "section s \"s\" 10 { clause a \"a\" 5 cite \"§1\" { deduct 1 each late }\n"
        "  clause b \"b\" uncapped { deduct (max(1, notes)) each late } }");
    INFO(kaohe::testing::rendered(c));
    REQUIRE(c.ruleset);
    const ir::Program& p = Access::program(*c.ruleset);
    const ir::Node& a = p.node(p.find_node(ir::RoleId(0), "s.a"));
    const ir::Node& b = p.node(p.find_node(ir::RoleId(0), "s.b"));
    CHECK(at(p, a.written.header) == "clause a \"a\" 5 cite \"§1\"");
    REQUIRE(a.written.max);
    CHECK(at(p, a.written.max->span) == "5");
    CHECK(at(p, a.span.file, a.span.begin, a.written.floor_at) == "clause a \"a\" 5");
    CHECK(at(p, b.span.file, b.span.begin, b.written.floor_at) == "clause b \"b\" uncapped");
    const ir::WrittenRule& w = p.rule(b.rules[0]).written;
    REQUIRE(w.each_value.size() == 2);
    CHECK(w.each_value[0].kind == ir::Phrase::Kind::max);
    CHECK(at(p, w.each_value[0].word) == "max");
    CHECK(at(p, w.each_value[1].span) == "1");
}

TEST_CASE("a test block is checked into the IR with its names resolved") {
    auto c = compile(
        "section s \"s\" 10 { clause c \"c\" 10 { deduct 1 each late  deduct each award by issuer { county: 1 } } }\n"
        "test \"t\" {\n"
        "  role clerk groups office measures { notes: 3 }\n"
        "  events { late, award issuer county }\n"
        "  expect s.c = 8\n"
        "}\n");
    INFO(kaohe::testing::rendered(c));
    REQUIRE(c.ruleset);
    const ir::Program& p = Access::program(*c.ruleset);
    REQUIRE(p.tests.size() == 1);
    const ir::Test& t = p.tests[0];
    REQUIRE(t.role);
    CHECK(t.role->index == p.role_index.at("clerk"));
    REQUIRE(t.groups.size() == 1);
    CHECK(t.groups[0].index == p.group_index.at("office"));
    REQUIRE(t.measures.size() == 1);
    CHECK(t.measures[0].name.index == p.measure_index.at("notes"));
    REQUIRE(t.events.size() == 2);
    CHECK(t.events[0].type.index == p.event_index.at("late"));
    const ir::TestEvent& award = t.events[1];
    REQUIRE(award.attributes.size() == 1);
    const auto issuer = p.attribute_index.at("issuer");
    CHECK(award.attributes[0].name.index == issuer);
    CHECK(award.attributes[0].value.index == p.attribute(issuer).value_index.at("county"));
    REQUIRE(t.expectations.size() == 1);
    CHECK(t.expectations[0].node == p.find_node(t.role->index, "s.c"));
    CHECK(t.expectations[0].node != ir::none);
}
