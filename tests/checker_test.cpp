// The checker: names, types, totals; every problem in one run.
#include <doctest/doctest.h>

#include "support.hpp"

using namespace kaohe;
using kaohe::testing::compile;

namespace {
int count_code(const CompileResult& c, const std::string& code) {
    int n = 0;
    for (const auto& d : c.diagnostics) n += d.code == code;
    return n;
}
bool mentions(const CompileResult& c, const std::string& text) {
    for (const auto& d : c.diagnostics)
        if (d.message.find(text) != std::string::npos) return true;
    return false;
}
}  // namespace

TEST_CASE("an unknown event in a rule is an error with a did-you-mean") {
    auto c = compile("section s \"s\" 10 { clause c \"c\" 10 { deduct 1 each lates } }");
    CHECK_FALSE(c.ruleset);
    CHECK(mentions(c, "unknown event `lates` (did you mean `late`?)"));
}

TEST_CASE("three independent errors are all reported in one run") {
    auto c = compile(
        "section s \"s\" 10 { clause c \"c\" 10 {\n"
        "  deduct 1 each nosuch\n"
        "  deduct 1 per 1 short of 3 in nomeasure rounding up\n"
        "  deduct amount each late\n"
        "} }");
    CHECK(count_code(c, "C004") == 2);
    CHECK(count_code(c, "C009") == 1);
}

TEST_CASE("children allocating more than their section's maximum is an error") {
    auto c = compile("section s \"s\" 10 { clause a \"a\" 6 { deduct 1 each late } clause b \"b\" 6 { deduct 1 each late } }");
    CHECK_FALSE(c.ruleset);
    CHECK(count_code(c, "C006") == 1);
    CHECK(mentions(c, "allocate 12 points, more than its maximum 10"));
}

TEST_CASE("children allocating fewer points than their section is a warning naming the unallocated points") {
    auto c = compile("section s \"s\" 15 { clause a \"a\" 5 { deduct 1 each late } clause b \"b\" 5 { deduct amount each mistake add each award by issuer { unit: 1 } } }");
    REQUIRE(c.ruleset);
    CHECK(count_code(c, "W001") == 1);
    CHECK(mentions(c, "allocate 10 of its 15 points: 5 points are not allocated"));
}

TEST_CASE("an event that no rule uses is a warning") {
    auto c = compile("section s \"s\" 10 { clause a \"a\" 10 { deduct 1 each late } }");
    REQUIRE(c.ruleset);
    CHECK(count_code(c, "W002") == 2);  // mistake and award
}

TEST_CASE("a duplicate event declaration points at the first one") {
    auto c = compile("event late \"again\"\nsection s \"s\" 10 { clause a \"a\" 10 { deduct 1 each late } }");
    REQUIRE(count_code(c, "C002") == 1);
    const auto& d = c.diagnostics.front();
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].message == "first declared here");
    CHECK(d.notes[0].where.line == 5);
}

TEST_CASE("a table key that is not a value of the attribute is an error") {
    auto c = compile("section s \"s\" uncapped { clause a \"a\" { add each award by issuer { nation: 5 } } }");
    CHECK(mentions(c, "`nation` is not a value of attribute `issuer`"));
}

TEST_CASE("a table's otherwise must leave a value to cover, and is given once") {
    auto all = compile("section s \"s\" uncapped { clause a \"a\" { add each award by issuer { unit: 1, county: 2, province: 3, otherwise: 0 } } }");
    CHECK(count_code(all, "C032") == 1);
    CHECK(mentions(all, "the table lists every value of attribute `issuer`: its `otherwise` never applies"));
    auto twice = compile("section s \"s\" uncapped { clause a \"a\" { add each award by issuer { unit: 1, otherwise: 0, otherwise: 1 } } }");
    CHECK(count_code(twice, "C002") == 1);
    CHECK(mentions(twice, "`otherwise` is given twice in this table"));
    auto fine = compile("section s \"s\" uncapped { clause a \"a\" { add each award by issuer { unit: 1, otherwise: 0 } } }");
    CHECK(fine.ruleset);
    CHECK(count_code(fine, "C032") == 0);
}

TEST_CASE("amount is only allowed for events declared with an amount range") {
    auto c = compile("section s \"s\" 10 { clause a \"a\" 10 { deduct amount each late } }");
    CHECK(mentions(c, "event `late` has no amount"));
}

TEST_CASE("a number where a condition is needed is a type error") {
    auto c = compile("section s \"s\" 10 { clause a \"a\" 10 { deduct 1 each late when notes } }");
    CHECK(mentions(c, "expected a condition here, but this is a number"));
}

TEST_CASE("a ruleset without a policy header is an error") {
    auto c = Ruleset::compile_text("event e \"e\"\n", "t.kh");
    CHECK(mentions(c, "no `policy` declaration"));
}

TEST_CASE("a clause under a capped section needs its own maximum") {
    auto c = compile("section s \"s\" 10 { clause a \"a\" { deduct 1 each late } }");
    CHECK(mentions(c, "needs a maximum"));
}

TEST_CASE("grade bands must go from the highest threshold down, otherwise last") {
    auto c = compile("grades { \"B\" >= 60, \"A\" >= 90, \"C\" otherwise }\nsection s \"s\" 10 { clause a \"a\" 10 { deduct 1 each late } }");
    CHECK(mentions(c, "from the highest threshold down"));
}

TEST_CASE("a missing include is an error at the include") {
    auto c = Ruleset::compile_text("policy \"t\" year 2022\ninclude \"nowhere.kh\"\n", "t.kh");
    REQUIRE_FALSE(c.diagnostics.empty());
    CHECK(c.diagnostics[0].code == "P003");
    CHECK(c.diagnostics[0].where.line == 2);
}

TEST_CASE("rule text handed over in memory has the rule file's size limit") {
    std::string text = "policy \"t\" year 2022\n";
    text.append((8u << 20) - text.size() + 1, ' ');
    auto c = Ruleset::compile_text(text, "big.kh");
    CHECK_FALSE(c.ruleset.has_value());
    REQUIRE(c.diagnostics.size() == 1);
    CHECK(c.diagnostics[0].code == "P004");
    CHECK(c.diagnostics[0].message == "rule text big.kh is larger than 8 MiB (the limit)");
    CHECK_MESSAGE(render(c.diagnostics).find("big.kh") != std::string::npos, render(c.diagnostics));
    text.pop_back();
    CHECK(Ruleset::compile_text(text, "big.kh").ruleset.has_value());
}

TEST_CASE("the shipped seed ruleset checks without errors") {
    auto c = Ruleset::compile_file("rulesets/seed/seed.kh");
    CHECK_MESSAGE(c.ruleset.has_value(), render(c.diagnostics));
}

TEST_CASE("a coefficient for a grade only a quota gives is not warned about, and is without the quota") {
    const std::string card = "section s \"s\" 10 { clause a \"a\" 10 { deduct 1 each late deduct amount each mistake add each award by issuer { unit: 1 } } }\n";
    const std::string pay = "coefficient pay \"系数\" by grade { \"优秀\": 1.2, \"称职\": 1 }\n";
    // `>= 0` takes every total; only the quota moves anyone to 称职.
    auto with_quota = compile(card + "grades { \"优秀\" >= 0 quota 10% round down ties all_in, \"称职\" otherwise }\n" + pay);
    REQUIRE(with_quota.ruleset);
    CHECK(count_code(with_quota, "W008") == 0);
    auto without = compile(card + "grades { \"优秀\" >= 0, \"称职\" otherwise }\n" + pay);
    REQUIRE(without.ruleset);
    CHECK(count_code(without, "W008") == 1);
    CHECK(mentions(without, "gives grade \"称职\" a coefficient, but no band, veto or grade rule can give that grade"));
}
