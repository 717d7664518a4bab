// Arithmetic per event: points computed from the event's amount (`0.3 * floor(amount / 4) each E`),
// shown on the line with the event's numbers.
#include <doctest/doctest.h>

#include <string>

#include "kaohe/kaohe.hpp"

namespace {

const std::string kRules = R"(policy "t" year 2022
event short_day "日产量不足" amount 0..100
role worker "班组长"
section s "生产" 10 { clause c "产量" 10 { deduct 0.3 * floor(amount / 4) each short_day } }
)";

kaohe::CompileResult compile(const std::string& text) { return kaohe::Ruleset::compile_text(text, "t.kh"); }

}  // namespace

TEST_CASE("per-event arithmetic: each event's points from its amount, the computation on its line") {
    auto c = compile(kRules);
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
    auto c = compile(bad);
    CHECK_FALSE(c.ruleset);
    CHECK(kaohe::render(c.diagnostics).find("error[C009]: event `short_day` has no amount") != std::string::npos);

    std::string plain = kRules;
    plain.replace(plain.find("0.3 * floor(amount / 4)"), 23, "2");
    auto p = compile(plain);
    REQUIRE(p.ruleset);
    const auto e = p.ruleset->evaluate(R"({"id":"a","role":"worker","year":2022,"events":[{"type":"short_day","amount":9}]})");
    REQUIRE(e.ok());
    CHECK(e.result().lines()[0].arithmetic.empty());
    CHECK(e.result().json().find("arithmetic") == std::string::npos);
}
