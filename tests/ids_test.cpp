// Typed ids (ir/index.hpp): an id of one kind is not accepted where another kind, or a bare
// integer, is meant. The compile-time half is checked with concepts, so that a regression that
// lets the mix-up through fails this file's build.
#include <doctest/doctest.h>

#include <cstdint>
#include <type_traits>

#include "api/access.hpp"
#include "ir/program.hpp"
#include "support.hpp"

using namespace kaohe;

namespace {

template <class I>
concept rule_takes = requires(const ir::Program& p, I i) { p.rule(i); };
template <class I>
concept node_takes = requires(const ir::Program& p, I i) { p.node(i); };
template <class V, class I>
concept indexes = requires(const V& v, I i) { v[i]; };

static_assert(rule_takes<ir::RuleId>);
static_assert(!rule_takes<ir::EventId>);
static_assert(!rule_takes<ir::NodeId>);
static_assert(!rule_takes<std::int32_t>);
static_assert(!rule_takes<std::size_t>);
static_assert(node_takes<ir::NodeId> && !node_takes<ir::RuleId>);
static_assert(!std::is_convertible_v<ir::EventId, ir::RuleId>);
static_assert(!std::is_convertible_v<std::int32_t, ir::RuleId>);
static_assert(!std::is_convertible_v<ir::RuleId, std::size_t>);

using Measures = ir::IdVector<ir::MeasureId, int>;
static_assert(indexes<Measures, ir::MeasureId>);
static_assert(!indexes<Measures, ir::GroupId>);
static_assert(!indexes<Measures, std::size_t>);

// Zero cost: an id is an int32 that copies as one.
static_assert(std::is_trivially_copyable_v<ir::ExprId> && sizeof(ir::ExprId) == sizeof(std::int32_t));

}  // namespace

TEST_CASE("none is invalid, of every kind, and ids compare by position") {
    const ir::RuleId r = ir::none;
    const ir::EventId e;
    CHECK(!r.valid());
    CHECK(r == ir::none);
    CHECK(e == ir::none);
    CHECK(ir::RuleId::at(3).valid());
    CHECK(ir::RuleId::at(3) != ir::none);
    CHECK(ir::RuleId::at(3).index() == 3);
    CHECK(ir::RuleId::at(2) < ir::RuleId::at(3));
}

TEST_CASE("an IdVector lists its ids in order and reads by them") {
    Measures v(3, 0);
    int k = 0;
    for (ir::MeasureId m : v.ids()) v[m] = 10 * ++k;
    CHECK(v[ir::MeasureId::at(0)] == 10);
    CHECK(v[ir::MeasureId::at(2)] == 30);
    int seen = 0;
    for (ir::MeasureId m : v.ids()) seen += static_cast<int>(m.index()) + 1;
    CHECK(seen == 6);
}

TEST_CASE("the checker's ids lead to the elements they name") {
    auto c = kaohe::testing::compile(
        "section s \"s\" 10 { clause a \"a\" 5 { deduct 1 each late } clause b \"b\" 5 { deduct 2 each mistake } }");
    INFO(kaohe::testing::rendered(c));
    REQUIRE(c.ruleset);
    const ir::Program& p = Access::program(*c.ruleset);
    const ir::RoleId role = ir::RoleId::at(0);
    const ir::NodeId b = p.find_node(role, "s.b");
    REQUIRE(b != ir::none);
    CHECK(p.node(b).path == "s.b");
    CHECK(p.node(p.node(b).parent).path == "s");
    REQUIRE(p.node(b).rules.size() == 1);
    CHECK(p.event(p.rule(p.node(b).rules[0]).event).id == "mistake");
    CHECK(p.find_node(role, "s.c") == ir::none);
}
