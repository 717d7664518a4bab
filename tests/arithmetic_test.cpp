// Arithmetic per event: points computed from the event's amount (`0.3 * floor(amount / 4) each E`),
// shown on the line with the event's numbers.
#include <doctest/doctest.h>

#include <string>

#include "kaohe/kaohe.hpp"
#include "support.hpp"

using kaohe::testing::compile_whole;

namespace {

const std::string kRules = R"(policy "t" year 2022
event short_day "日产量不足" amount 0..100
role worker "班组长"
section s "生产" 10 { clause c "产量" 10 { deduct 0.3 * floor(amount / 4) each short_day } }
)";

}  // namespace

TEST_CASE("per-event arithmetic: each event's points from its amount, the computation on its line") {
    auto c = compile_whole(kRules);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(
        R"({"id":"a","role":"worker","year":2022,"events":[{"type":"short_day","amount":9},{"type":"short_day","amount":2}]})");
    REQUIRE(e.ok());
    CHECK(e.result().score("s.c") == *kaohe::Number::from_decimal("9.4"));
    // An event whose computation comes to 0 leaves no line.
    const auto lines = e.result().lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].arithmetic == "0.3 × floor(9 / 4) = 0.6");
    CHECK(e.result().json().find(R"("amount":9,"arithmetic":"0.3 × floor(9 / 4) = 0.6")") != std::string::npos);
    CHECK(e.result().text().find("日产量不足 short_day amount 9: 0.3 × floor(9 / 4) = 0.6") != std::string::npos);
}

TEST_CASE("per-event arithmetic: `amount` on an event without an amount is C009; a plain number shows no arithmetic") {
    std::string bad = kRules;
    bad.replace(bad.find(" amount 0..100"), 14, "");
    auto c = compile_whole(bad);
    CHECK_FALSE(c.ruleset);
    CHECK(kaohe::render(c.diagnostics).find("error[C009]: event `short_day` has no amount") != std::string::npos);

    std::string plain = kRules;
    plain.replace(plain.find("0.3 * floor(amount / 4)"), 23, "2");
    auto p = compile_whole(plain);
    REQUIRE(p.ruleset);
    const auto e = p.ruleset->evaluate(R"({"id":"a","role":"worker","year":2022,"events":[{"type":"short_day","amount":9}]})");
    REQUIRE(e.ok());
    CHECK(e.result().lines()[0].arithmetic.empty());
    CHECK(e.result().json().find("arithmetic") == std::string::npos);
}

namespace {

// The arithmetic line of the first event line, for points written `VALUE each e` (`deduct` when
// `sign` says so), one event with `amount`, and the record's other fields given in `extra`.
struct Case {
    std::string value;
    std::string amount;
    std::string expected;
    std::string extra = "";
    std::string suffix = "";
};

std::string line_of(const Case& c, std::string* text = nullptr) {
    const std::string rules = "policy \"t\" year 2022\ngroup admin \"行政\"\nmeasure m \"系数\" decimal >= 0 default 0\n"
                              "event e \"事项\" amount -100..100\nevent praise \"表扬\"\n"
                              "section s \"S\" uncapped { clause c \"C\" within 100000 { add " +
                              c.value + " each e" + c.suffix + " } }\n";
    auto compiled = compile_whole(rules);
    REQUIRE_MESSAGE(compiled.ruleset, kaohe::render(compiled.diagnostics));
    const std::string record = R"({"id":"a","year":2022,)" + c.extra + R"("events":[{"type":"e","amount":)" + c.amount +
                               R"(},{"type":"praise"},{"type":"praise"}]})";
    const auto e = compiled.ruleset->evaluate(record);
    REQUIRE_MESSAGE(e.ok(), e.json());
    const auto lines = e.result().lines();
    REQUIRE(!lines.empty());
    if (text) *text = e.result().text();
    return lines[0].arithmetic;
}

// The printed computation, read back by the language itself (`×` as `*`) and evaluated as a
// clause's points: it must come to the printed result.
void check_evaluates_to_its_result(const std::string& arithmetic) {
    const auto eq = arithmetic.rfind(" = ");
    REQUIRE(eq != std::string::npos);
    std::string expr = arithmetic.substr(0, eq);
    for (std::size_t at; (at = expr.find("×")) != std::string::npos;) expr.replace(at, std::string("×").size(), "*");
    auto c = compile_whole("policy \"t\" year 2022\nsection s \"S\" uncapped { clause c \"C\" within 100000 { add " + expr + " } }\n");
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022})");
    REQUIRE(e.ok());
    CHECK(e.result().score("s.c")->to_string(2) == arithmetic.substr(eq + 3));
}

}  // namespace

TEST_CASE("per-event arithmetic: rendered from the computation, brackets and signs exactly as it goes") {
    const std::vector<Case> cases = {
        {"0.3 * (amount + 1)", "3", "0.3 × (3 + 1) = 1.2"},
        {"(amount + 1) * (amount + 2) / 10", "3", "(3 + 1) × (3 + 2) / 10 = 2"},
        {"amount - 10", "3", "3 - 10 = -7"},
        {"0.3 * (amount - 10)", "3", "0.3 × (3 - 10) = -2.1"},
        {"amount - 10", "-4", "-4 - 10 = -14"},
        {"10 - amount", "-4", "10 - (-4) = 14"},
        {"2 * amount", "-4", "2 × -4 = -8"},
        {"-1 * amount", "3", "-1 × 3 = -3"},
        {"-(amount - 10)", "3", "-(3 - 10) = 7"},
        {"- -amount", "-4", "-(-(-4)) = -4"},
        {"amount - (amount - 1)", "3", "3 - (3 - 1) = 1"},
        {"amount - 1 - 1", "3", "3 - 1 - 1 = 1"},
        {"amount / (2 * 3)", "3", "3 / (2 × 3) = 0.5"},
        {"amount / 2 * 3", "3", "3 / 2 × 3 = 4.5"},
        {"((amount + 1) * 2 - 1) / 2", "3", "((3 + 1) × 2 - 1) / 2 = 3.5"},
        {"floor(amount / 4) * ceil(amount / 4)", "9", "floor(9 / 4) × ceil(9 / 4) = 6"},
        {"min(amount, 5) + max(amount - 8, 0)", "9", "min(9, 5) + max(9 - 8, 0) = 6"},
        {"0.5 * floor(-amount / 4)", "9", "0.5 × floor(-9 / 4) = -1.5"},
        {"(if admin then 2 else 1) * amount", "9", "2 × 9 = 18", R"("groups":["admin"],)"},
        {"(if admin then 2 else 1) * amount", "9", "1 × 9 = 9"},
        {"amount + count(praise)", "3", "3 + 2 = 5"},
        {"amount * m", "3", "3 × 1.5 = 4.5", R"("measures":{"m":1.5},)"},
        {"0.5 * amount", "3", "0.5 × 3 × 2 = 3", R"("groups":["admin"],)", " times 2 if admin"},
        {"0.5 * amount", "3", "0.5 × 3 = 1.5", "", " times 2 if admin"},
        {"0.5 * amount", "3", "0.5 × 3 × (1 / 3) = 0.5", R"("groups":["admin"],)", " times 1/3 if admin"},
        {"amount + 1", "3", "(3 + 1) × 2 = 8", R"("groups":["admin"],)", " times 2 if admin"},
    };
    for (const Case& c : cases) {
        INFO("points: ", c.value, c.suffix, ", amount ", c.amount, " ", c.extra);
        const std::string a = line_of(c);
        CHECK(a == c.expected);
        check_evaluates_to_its_result(a);
    }
}

TEST_CASE("per-event arithmetic: a negative computation turns the rule, and the note follows the computation") {
    std::string text;
    CHECK(line_of({"amount - 10", "3", "3 - 10 = -7"}, &text) == "3 - 10 = -7");
    CHECK(text.find("事项 e amount 3: 3 - 10 = -7 (negative: a deduction)") != std::string::npos);
    // A plain `amount` has no computation: the note stays with the amount.
    CHECK(line_of({"amount", "-4", ""}, &text).empty());
    CHECK(text.find("事项 e amount -4 (negative: a deduction)") != std::string::npos);
}
