// Sections scored per period (`section quarterly "季度考核" 80 each quarter mean { ... }`) and
// inputs given per period (`measure output "…" whole >= 0 each quarter`, the record's `periods`):
// each period's card from that period's events and inputs, the year's score their mean or sum,
// the result's `periods`, Result::period_score, and the checker's and the record reader's rules.
#include <doctest/doctest.h>

#include <string>

#include "kaohe/kaohe.hpp"
#include "support.hpp"

using kaohe::testing::compile_whole;
using kaohe::testing::replaced;
using kaohe::testing::has;

namespace {

const std::string kCard = R"(policy "t" year 2022
event absent "缺勤"
event praise "表扬"
measure output "季度任务完成数" whole 0..100 each quarter
section quarterly "季度考核" 80 each quarter mean {
  clause tasks "任务" 50 { deduct 2 per 1 short of 10 in output rounding up }
  clause discipline "纪律" 30 { deduct 4 each absent }
}
section bonus "月度加分" 2 each month sum {
  clause praise "表扬" 2 from 0 { add 1 each praise }
}
)";

const std::string kPeriods = R"("periods":{"2022-Q1":{"measures":{"output":9}},"2022-Q2":{"measures":{"output":10}},)"
                             R"("2022-Q3":{"measures":{"output":7}},"2022-Q4":{"measures":{"output":10}}})";

std::string record(const std::string& events) {
    return R"({"id":"a","year":2022,"events":[)" + events + "]," + kPeriods + "}";
}

}  // namespace

TEST_CASE("period sections: the year's score is the mean of the quarters' scores") {
    auto c = compile_whole(kCard);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    CHECK(c.diagnostics.empty());
    // Q1: 48 + (30 - 4) = 74; Q2: 80; Q3: 44 + 30 = 74; Q4: 80. (74 + 80 + 74 + 80) / 4 = 77.
    const auto e = c.ruleset->evaluate(record(R"({"type":"absent","date":"2022-02-01"})"));
    REQUIRE_MESSAGE(e.ok(), e.error().message);
    CHECK(e.result().score("quarterly") == kaohe::Number(77));
    CHECK(e.result().score("quarterly.tasks") == kaohe::Number(48));  // (48 + 50 + 44 + 50) / 4
    CHECK(e.result().period_score("quarterly", "2022-Q1") == kaohe::Number(74));
    CHECK(e.result().period_score("quarterly.discipline", "2022-Q1") == kaohe::Number(26));
    CHECK(e.result().period_score("quarterly.discipline", "2022-Q2") == kaohe::Number(30));
    CHECK_FALSE(e.result().period_score("quarterly", "2022-Q5"));
    CHECK_FALSE(e.result().period_score("quarterly", "2022-03"));
}

TEST_CASE("period sections: a monthly section's year is the sum of its months, each held to its maximum") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    // March: 3 praises, held at 2; July 1: the sum is 3.
    const auto e = c.ruleset->evaluate(record(R"({"type":"praise","count":3,"date":"2022-03-01"},{"type":"praise","date":"2022-07-02"})"));
    REQUIRE(e.ok());
    CHECK(e.result().score("bonus") == kaohe::Number(3));
    CHECK(e.result().period_score("bonus.praise", "2022-03") == kaohe::Number(2));
    bool seen = false;
    for (const auto& s : e.result().scores())
        if (s.path == "bonus") {
            seen = true;
            CHECK(s.max == kaohe::Number(24));  // 2 × 12 months
        }
    CHECK(seen);
}

TEST_CASE("period sections: the result names each period's scores and each line's period") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(record(R"({"type":"absent","date":"2022-02-01"})"));
    REQUIRE(e.ok());
    const std::string json = e.result().json();
    CHECK(has(json, R"("scores":{"quarterly":77,"quarterly.tasks":48,"quarterly.discipline":29,)"));
    CHECK(has(json, R"("periods":{"quarterly":{"each":"quarter","combined":"mean","scores":{"2022-Q1":{"quarterly":74,)"
                    R"("quarterly.tasks":48,"quarterly.discipline":26},)"));
    CHECK(has(json, R"("bonus":{"each":"month","combined":"sum","scores":{"2022-01":{"bonus":0,"bonus.praise":0},)"));
    CHECK(has(json, R"("path":"quarterly.discipline","kind":"event","event":"absent","date":"2022-02-01","period":"2022-Q1","points":-4)"));
    CHECK(has(json, R"("measure":"output","value":9,"period":"2022-Q1","points":-2)"));
    const std::string text = e.result().text();
    CHECK(has(text, "季度考核: mean of 4 quarters (74 + 80 + 74 + 80) / 4 = 77 / 80"));
    CHECK(has(text, "  2022-Q1"));
    CHECK(has(text, "季度任务完成数 output = 9"));
    CHECK(has(text, "月度加分: sum of 12 months"));
}

TEST_CASE("period sections: a quarter whose input is missing is R004 naming the quarter") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022,"periods":{"2022-Q1":{"measures":{"output":9}}}})");
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "R004");
    CHECK(e.error().where == "periods.2022-Q2.measures.output");
}

TEST_CASE("period sections: a period of another year or of none is R007; an input in the wrong place is R005") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto code = [&](const std::string& json) { return c.ruleset->evaluate(json).error().code; };
    CHECK(code(R"({"id":"a","year":2022,"periods":{"2021-Q1":{"measures":{"output":9}}}})") == "R007");
    CHECK(code(R"({"id":"a","year":2022,"periods":{"2022-Q5":{"measures":{"output":9}}}})") == "R007");
    CHECK(code(R"({"id":"a","year":2022,"periods":{"2022-13":{"measures":{}}}})") == "R007");
    CHECK(code(R"({"id":"a","year":2022,"periods":{"2022-03":{"measures":{"output":9}}}})") == "R005");
    CHECK(code(R"({"id":"a","year":2022,"measures":{"output":9}})") == "R005");
    CHECK(code(R"({"id":"a","year":2022,"periods":{"2022-Q1":{"measures":{"output":9}},"2022-Q1":{}}})") == "R003");
}

TEST_CASE("period sections: the checker's rules") {
    SUBCASE("a per-quarter input read in a rule for the year is C045") {
        const std::string t = kaohe::render(compile_whole(replaced(kCard, "80 each quarter mean", "80")).diagnostics);
        CHECK(has(t, "error[C045]: measure `output` is given each quarter"));
    }
    SUBCASE("a per-quarter input read in a section scored each month is C049") {
        const std::string t = kaohe::render(compile_whole(replaced(kCard, "80 each quarter mean", "80 each month mean")).diagnostics);
        CHECK(has(t, "error[C049]: measure `output` is given each quarter, but this rule is scored each month"));
    }
    SUBCASE("`each` on a clause, an uncapped section, or a section inside a period section is C048") {
        CHECK(has(kaohe::render(compile_whole(replaced(kCard, "\"纪律\" 30", "\"纪律\" 30 each month mean")).diagnostics),
                  "error[C048]: `each month mean` on clause `discipline`"));
        CHECK(has(kaohe::render(compile_whole(replaced(kCard, "\"月度加分\" 2 each month sum", "\"月度加分\" uncapped each month sum")).diagnostics),
                  "error[C048]: `each month sum` on uncapped section `bonus`"));
    }
    SUBCASE("a period rule inside a period section is C048") {
        CHECK(has(kaohe::render(compile_whole(replaced(kCard, "deduct 4 each absent", "deduct 4 each month when count(absent) > 0")).diagnostics),
                  "error[C048]: `each month` on a rule inside a section scored each quarter"));
    }
    SUBCASE("`mean` and `sum` together is P008; neither is P001") {
        CHECK(has(kaohe::render(compile_whole(replaced(kCard, "each quarter mean", "each quarter mean sum")).diagnostics), "error[P008]"));
        CHECK(has(kaohe::render(compile_whole(replaced(kCard, "each quarter mean", "each quarter")).diagnostics), "error[P001]: expected `mean` or `sum`"));
    }
    SUBCASE("a summed section counts its year's maximum in a declared total (C031)") {
        const std::string t = kaohe::render(compile_whole(replaced(kCard, "year 2022", "year 2022 total 100")).diagnostics);
        CHECK(has(t, "error[C031]: the card adds up to 104, not the declared total 100"));
        CHECK(has(t, "2 × 12 months = 24"));
    }
}

TEST_CASE("period sections: a weighted period section counts its year's score at its weight") {
    const std::string weighted = R"(policy "t" year 2022
event absent "缺勤"
section quarterly "季度考核" 100 weight 60% each quarter mean { clause d "纪律" 100 { deduct 10 each absent } }
section review "测评" 100 weight 40% { clause m "评议" 100 { deduct 5 each absent } }
)";
    auto c = compile_whole(weighted);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    // One absence in Q2: Q2 = 90, the year (100 + 90 + 100 + 100) / 4 = 97.5, counting 58.5;
    // review 95 counts 38: total 96.5.
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022,"events":[{"type":"absent","date":"2022-05"}]})");
    REQUIRE(e.ok());
    CHECK(e.result().score("quarterly") == *kaohe::Number::from_decimal("97.5"));
    CHECK(e.result().total() == *kaohe::Number::from_decimal("96.5"));
}

TEST_CASE("period sections: weights inside a period section apply in each period") {
    const std::string nested = R"(policy "t" year 2022
event absent "缺勤"
event late "迟到"
section quarterly "季度考核" 100 each quarter mean {
  section a "出勤" 100 weight 50% { clause x "缺勤" 100 { deduct 10 each absent } }
  section b "守时" 100 weight 50% { clause y "迟到" 100 { deduct 20 each late } }
}
)";
    auto c = compile_whole(nested);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    // Q1: a = 90, b = 100: 45 + 50 = 95. Q3: a = 100, b = 80: 50 + 40 = 90. Year (95 + 100 + 90 + 100) / 4 = 96.25.
    const auto e = c.ruleset->evaluate(
        R"({"id":"a","year":2022,"events":[{"type":"absent","date":"2022-01-05"},{"type":"late","date":"2022-08-05"}]})");
    REQUIRE(e.ok());
    CHECK(e.result().period_score("quarterly", "2022-Q1") == kaohe::Number(95));
    CHECK(e.result().period_score("quarterly", "2022-Q3") == kaohe::Number(90));
    CHECK(e.result().score("quarterly") == *kaohe::Number::from_decimal("96.25"));
}

TEST_CASE("period sections: each period's rows follow the card's tree, each clause under its own section") {
    const std::string nested = R"(policy "t" year 2022
event absent "缺勤"
section a "A" 100 each quarter mean {
  section b "B" 100 weight 60% { clause x "X" 100 { deduct 1 each absent } }
  section c "C" 100 weight 40% { clause y "Y" 100 { deduct 2 each absent } }
}
)";
    auto c = compile_whole(nested);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022,"events":[{"type":"absent","date":"2022-01-05"}]})");
    REQUIRE(e.ok());
    CHECK(has(e.result().json(), R"("2022-Q1":{"a":98.6,"a.b":99,"a.b.x":99,"a.c":98,"a.c.y":98})"));
    const std::string text = e.result().text();
    const auto q1 = text.find("2022-Q1");
    REQUIRE(q1 != std::string::npos);
    const auto b = text.find("B b", q1), x = text.find("X x", q1), cc = text.find("C c", q1), y = text.find("Y y", q1);
    CHECK(b < x);
    CHECK(x < cc);
    CHECK(cc < y);
}

TEST_CASE("period sections: an event without a date that a period section scores is a record error naming it") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(record(R"({"type":"absent"})"));
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "R004");
    CHECK(e.error().where == "events[0].date");
}

TEST_CASE("period sections: a test block's per-period inputs and period expectations are checked") {
    const std::string tested = kCard + R"(
test "quarters" {
  period 2022-Q1 { measures { output: 9 } }
  period 2022-Q2 { measures { output: 10 } }
  period 2022-Q3 { measures { output: 10 } }
  period 2022-Q4 { measures { output: 10 } }
  expect quarterly.tasks in 2022-Q1 = 48
  expect quarterly = 79.5
}
)";
    auto c = compile_whole(tested);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    // A measure of the year in a period, and a path outside any period section with a period, are checked.
    const std::string wrong = replaced(replaced(tested, "expect quarterly.tasks in 2022-Q1", "expect total in 2022-Q1"),
                                       "period 2022-Q4 { measures { output: 10 } }", "period 2022-12 { measures { output: 10 } }");
    const std::string t = kaohe::render(compile_whole(wrong).diagnostics);
    CHECK(has(t, "error[C004]: `total` is scored for the year"));
    CHECK(has(t, "error[C015]: measure `output` is given each quarter, not in 2022-12"));
}

TEST_CASE("period sections: a period rule may read an input given per period of its kind") {
    const std::string rule = R"(policy "t" year 2022
measure output "季度任务完成数" whole >= 0 each quarter
section work "工作" 20 { clause tasks "任务" 20 { deduct 3 each quarter when output < 10 } }
)";
    auto c = compile_whole(rule);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    CHECK(c.diagnostics.empty());
    // Q1 (9) and Q3 (7) fall short: 20 - 3 × 2 = 14, on lines named by their quarters.
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022,)" + kPeriods + "}");
    REQUIRE(e.ok());
    CHECK(e.result().score("work.tasks") == kaohe::Number(14));
    std::vector<std::string> periods;
    for (const auto& l : e.result().lines()) periods.push_back(l.period);
    CHECK(periods == std::vector<std::string>{"2022-Q1", "2022-Q3"});
    CHECK(has(e.result().text(), "2022-Q3: 季度任务完成数 output = 7"));
    // The same input in a monthly rule mixes months and quarters (C049).
    CHECK(has(kaohe::render(compile_whole(replaced(rule, "each quarter when", "each month when")).diagnostics), "error[C049]"));
}
