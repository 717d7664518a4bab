// The checker's range analysis (lib/ir/range.hpp) and the tools that read it: a floor or a cap
// that no record can reach is not a boundary to cover, and a mutant that cannot change any score
// is not a survivor. Each expected range below is worked out by hand from the rules.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "api/access.hpp"
#include "ir/range.hpp"
#include "ir/program.hpp"
#include "kaohe/policy.hpp"

namespace policy = kaohe::policy;
using kaohe::Number;

namespace {

const char* kRules = R"(policy "r" year 2022
event late "迟到"
event mistake "失误" amount 1..3
measure essays "篇数" whole >= 0
measure marks "得分" decimal 0..100
group star "标兵"
attribute level "级别" { county "县级", city "市级" }
event award "获奖" { level }
section s "s" 40 {
  clause capped "封顶" 3 {
    deduct min(3, essays)
  }
  clause conditional "条件" 10 {
    deduct 10 when not star
  }
  clause counted "计次" 10 {
    deduct 2 each late
  }
  clause steps "差额" 10 {
    deduct 1 per 1000 short of 5000 in essays rounding up at most 8
    deduct amount each mistake at most 3
  }
  clause halves "减半" 7 {
    deduct 2 per 10 below 90 in marks rounding down times 1/2 if star
  }
}
section bonus "加分" uncapped {
  clause awards "获奖" {
    add each award by level { county: 1, city: 2 }
  }
}
)";

const kaohe::ir::Program& program(const kaohe::CompileResult& c) { return kaohe::Access::program(*c.ruleset); }

const kaohe::ir::Node& clause(const kaohe::ir::Program& p, const std::string& path) {
    for (const auto& n : p.nodes)
        if (n.path == path) return n;
    FAIL("no clause " << path);
    return p.nodes.front();
}

const kaohe::ir::Rule& first_rule(const kaohe::ir::Program& p, const std::string& path) {
    return p.rule(clause(p, path).rules.front());
}

std::string text(const std::optional<Number>& n) { return n ? n->to_string() : "unbounded"; }

}  // namespace

TEST_CASE("range analysis: what each rule can count, from domains, ranges, tables and caps") {
    auto c = kaohe::Ruleset::compile_text(kRules, "r.kh");
    REQUIRE(c.ruleset);
    const auto& p = program(c);
    // min(3, essays) with essays >= 0: 0 to 3.
    CHECK(text(first_rule(p, "s.capped").counted.lo) == "0");
    CHECK(text(first_rule(p, "s.capped").counted.hi) == "3");
    // 10, or nothing when the person is a star.
    CHECK(text(first_rule(p, "s.conditional").counted.lo) == "0");
    CHECK(text(first_rule(p, "s.conditional").counted.hi) == "10");
    // 2 per late arrival, as many as there are: no upper end.
    CHECK(text(first_rule(p, "s.counted").counted.hi) == "unbounded");
    // A shortfall of at most 5000 words in steps of 1000, rounded up: 5 (the cap of 8 is never reached).
    CHECK(text(first_rule(p, "s.steps").counted.hi) == "5");
    CHECK(text(first_rule(p, "s.steps").capped().hi) == "5");
    // Amounts 1..3 per mistake, any number of mistakes: unbounded, 3 after the cap.
    const auto& mistakes = p.rule(clause(p, "s.steps").rules[1]);
    CHECK(text(mistakes.counted.hi) == "unbounded");
    CHECK(text(mistakes.capped().hi) == "3");
    // marks 0..100: 90 below by at most 90, 9 full steps of 10, 2 each: 18, halved for a star: 9 to 18.
    CHECK(text(first_rule(p, "s.halves").counted.hi) == "18");
    CHECK(text(first_rule(p, "s.halves").counted.lo) == "0");
    // A table of 1 and 2 per award: at least 0, no upper end.
    CHECK(text(first_rule(p, "bonus.awards").counted.lo) == "0");
}

TEST_CASE("range analysis: a clause's lowest score decides whether its floor can cut") {
    auto c = kaohe::Ruleset::compile_text(kRules, "r.kh");
    REQUIRE(c.ruleset);
    const auto& p = program(c);
    CHECK(text(clause(p, "s.capped").lowest) == "0");  // 3 - 3
    CHECK_FALSE(clause(p, "s.capped").floor_reachable());
    CHECK(text(clause(p, "s.conditional").lowest) == "0");  // 10 - 10
    CHECK_FALSE(clause(p, "s.conditional").floor_reachable());
    CHECK(text(clause(p, "s.counted").lowest) == "unbounded");
    CHECK(clause(p, "s.counted").floor_reachable());
    CHECK(text(clause(p, "s.steps").lowest) == "2");  // 10 - 5 - 3
    CHECK_FALSE(clause(p, "s.steps").floor_reachable());
    CHECK(text(clause(p, "s.halves").lowest) == "-11");  // 7 - 18
    CHECK(clause(p, "s.halves").floor_reachable());
}

TEST_CASE("range analysis: an expression's bounds follow exact interval arithmetic") {
    auto c = kaohe::Ruleset::compile_text(R"(policy "x" year 2022
measure a "a" decimal -2..3
measure b "b" decimal 1..4
measure n "n" whole >= 0
section s "s" 10 {
  clause k "k" 10 {
    deduct a * b
    deduct a / b
    deduct floor(a / 2) + ceil(b / 3)
    deduct if b > 4 then 100 else max(a, 1)
    deduct 1 / (n - 1)
  }
}
)",
                                          "x.kh");
    REQUIRE(c.ruleset);
    const auto& p = program(c);
    const auto& rules = clause(p, "s.k").rules;
    const auto bounds = [&](std::size_t i) {
        const auto b = kaohe::ir::expression_bounds(p, p.rule(rules[i]).points, kaohe::ir::none);
        return text(b.lo) + ".." + text(b.hi);
    };
    CHECK(bounds(0) == "-8..12");       // [-2,3] × [1,4]
    CHECK(bounds(1) == "-2..3");        // [-2,3] × [1/4, 1]
    CHECK(bounds(2) == "0..3");         // [-1, 1] + [1, 2]
    CHECK(bounds(3) == "1..3");         // b > 4 never holds: max([-2,3], 1)
    CHECK(bounds(4) == "unbounded..unbounded");  // n - 1 may be 0
}

TEST_CASE("coverage: a floor that an expression or a condition can never pass is not a boundary") {
    auto c = kaohe::Ruleset::compile_text(std::string(kRules) + R"(
test "a star with three essays, one late arrival" {
  groups star
  measures { essays: 3, marks: 90 }
  events { late }
  expect s.counted = 8
}
)",
                                          "r.kh");
    REQUIRE(c.ruleset);
    policy::Coverage cov;
    CHECK(cov.run(*c.ruleset).failed() == 0);
    const policy::CoverageReport r = cov.report();
    std::set<int> floors;
    for (const auto& item : r.items)
        if (item.kind == policy::CoverageItem::Kind::floor) floors.insert(item.where.line);
    CHECK(floors == std::set<int>{16, 23});  // counted and halves
    std::vector<std::string> unreachable;
    for (const auto& [where, what] : r.unreachable) unreachable.push_back(std::to_string(where.line) + ": " + what);
    CHECK(unreachable == std::vector<std::string>{
                             "10: floor of clause `s.capped`: its rules can take at most 3 of its 3 points",
                             "13: floor of clause `s.conditional`: its rules can take at most 10 of its 10 points",
                             "19: floor of clause `s.steps`: its rules can take at most 8 of its 10 points",
                             "20: cap `at most 8` of `deduct 1 per 1000 short of 5000 in essays rounding up at most 8`: "
                             "the rule counts at most 5",
                         });
}

TEST_CASE("mutation testing: removing an unreachable floor, or deducting more than a whole clause, changes no score") {
    auto c = kaohe::Ruleset::compile_text(kRules, "r.kh");
    REQUIRE(c.ruleset);
    std::vector<policy::Equivalent> eq;
    policy::mutants_of(*c.ruleset, &eq);
    std::vector<std::string> got;
    for (const auto& e : eq) got.push_back(std::to_string(e.where.line) + ": " + e.before + " -> " + e.after + " (" + e.reason + ")");
    const std::string floor = "the floor of a clause that can never go below 0";
    const std::string whole = "a deduction of at least the clause's whole maximum, in a clause that only deducts";
    const std::string cap = "a cap the rule can never reach";
    // min(3 → 4, essays) in a 3-point clause: both empty it above 3 (3 → 2 does not);
    // deduct 10 → 11 when not star in a 10-point clause (10 → 9 does not); the steps rule counts
    // at most 5, so its cap of 8 (or 7, 9, none) never acts; the awards clause only adds.
    CHECK(got == std::vector<std::string>{
                     "10: clause capped \"封顶\" 3 -> clause capped \"封顶\" 3 floor none (" + floor + ")",
                     "11: deduct min(3, essays) -> deduct min(4, essays) (" + whole + ")",
                     "13: clause conditional \"条件\" 10 -> clause conditional \"条件\" 10 floor none (" + floor + ")",
                     "14: deduct 10 -> deduct 11 (" + whole + ")",
                     "19: clause steps \"差额\" 10 -> clause steps \"差额\" 10 floor none (" + floor + ")",
                     "20: at most 8 -> at most 9 (" + cap + ")",
                     "20: at most 8 -> at most 7 (" + cap + ")",
                     "20: at most 8 ->  (" + cap + ")",
                     "28: clause awards \"获奖\" -> clause awards \"获奖\" floor none (" + floor + ")",
                 });
}

TEST_CASE("mutation testing: a table entry that fills an earned clause, or empties a deducting one, is not moved up") {
    auto c = kaohe::Ruleset::compile_text(R"(policy "t" year 2022
standing kind "村类型" { autonomous "村民自治村", qualified "合格村", other "其他" }
attribute level "级别" { minor "一般", major "严重" }
event breach "违纪" { level }
section s "s" 5 {
  clause kind "村类型" 2 from 0 {
    add by kind { autonomous: 2, qualified: 1, otherwise: 0 }
  }
  clause discipline "纪律" 3 {
    deduct each breach by level { minor: 1, major: 3 }
  }
}
)",
                                          "t.kh");
    REQUIRE(c.ruleset);
    std::vector<policy::Equivalent> eq;
    policy::mutants_of(*c.ruleset, &eq);
    std::vector<std::string> got;
    for (const auto& e : eq)
        if (e.kind == "number") got.push_back(std::to_string(e.where.line) + ": " + e.before + " -> " + e.after);
    // autonomous: 2 → 3 still fills the 2-point clause (2 → 1 does not); major: 3 → 4 still empties
    // the 3-point clause (3 → 2 does not); qualified and minor, below the maximum, are real mutants.
    CHECK(got == std::vector<std::string>{"7: autonomous: 2 -> autonomous: 3", "10: major: 3 -> major: 4"});
}

TEST_CASE("range analysis: an end past the number limits is unbounded, and the other end is kept") {
    std::string product = "m";
    for (int i = 1; i < 40; ++i) product += " * m";  // up to (10^9)^40: past the number limits
    auto c = kaohe::Ruleset::compile_text("policy \"o\" year 2022\nmeasure m \"m\" decimal 0..1000000000\n"
                                          "section s \"s\" uncapped { clause k \"k\" { add " + product + " } }\n",
                                          "o.kh");
    REQUIRE(c.ruleset);
    const auto& p = program(c);
    const auto b = kaohe::ir::expression_bounds(p, first_rule(p, "s.k").points, kaohe::ir::none);
    CHECK(text(b.lo) == "0");
    CHECK(text(b.hi) == "unbounded");
    CHECK_FALSE(clause(p, "s.k").floor_reachable());  // it only ever adds
}
