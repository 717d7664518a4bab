// The person's unit in a batch, read by grade rules and flags (`unit_mean`, `unit_rank`,
// `unit_size`, `total`): computed per unit over the people scored, before the grade is decided,
// exact, ties sharing a rank; undecided for one record scored alone.
#include <doctest/doctest.h>

#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "kaohe/batch.hpp"
#include "kaohe/kaohe.hpp"
#include "support.hpp"

using namespace kaohe;

namespace {

const char* const kRules =
    "policy \"全组平均\" year 2022\n"
    "event mistake \"工作失误\" amount 0..100\n"
    "measure attendance \"出勤率\" decimal 0..100\n"
    "grades { \"优秀\" >= 90, \"称职\" >= 60, \"不称职\" otherwise }\n"
    "section work \"工作实绩\" 100 {\n"
    "  clause duty \"履职\" 100 { deduct amount each mistake }\n"
    "}\n"
    "grade at most \"称职\" when total < unit_mean(total) cite \"低于全组平均分的不得评为优秀\"\n"
    "grade at most \"称职\" when unit_rank(total) > unit_size(total) / 2\n"
    "flag low_attendance \"出勤率低于全组平均\" when attendance < unit_mean(attendance)\n";

Ruleset compiled(const std::string& text) {
    CompileResult c = Ruleset::compile_text(text, "u.kh");
    REQUIRE_MESSAGE(c.ruleset.has_value(), render(c.diagnostics));
    return *c.ruleset;
}

// Person `id` of `unit` loses `lost` points (total 100 - lost), with attendance `attendance`.
std::string person(int id, const std::string& lost, int attendance, const std::string& unit = "") {
    return "{\"id\":\"p" + std::to_string(id) + "\",\"year\":2022" + (unit.empty() ? "" : ",\"unit\":\"" + unit + "\"") +
           ",\"measures\":{\"attendance\":" + std::to_string(attendance) + "},\"events\":[{\"type\":\"mistake\",\"amount\":" +
           lost + "}]}";
}
std::string person(int id, int lost, int attendance, const std::string& unit = "") {
    return person(id, std::to_string(lost), attendance, unit);
}

using kaohe::testing::batch;

}  // namespace

TEST_CASE("a batch gives each person the unit's size, their rank and the unit's mean") {
    // 100, 92, 91, 91: mean 93.5; ranks 1, 2, 3, 3.
    const auto lines = batch(compiled(kRules), {person(1, 0, 100), person(2, 8, 90), person(3, 9, 95), person(4, 9, 85)});
    REQUIRE(lines.size() == 4);
    CHECK(testing::has(lines[0], R"("population":{"decided":true,"unit":"","people":4,"rank":1,"mean_total":93.5,"means":{"attendance":92.5}})"));
    CHECK(testing::has(lines[1], R"("rank":2,)"));
    CHECK(testing::has(lines[2], R"("rank":3,)"));
    CHECK(testing::has(lines[3], R"("rank":3,)"));
}

TEST_CASE("a grade rule reading the unit's mean lowers the grade of one below it") {
    const auto lines = batch(compiled(kRules), {person(1, 0, 100), person(2, 8, 90), person(3, 9, 95), person(4, 9, 85)});
    REQUIRE(lines.size() == 4);
    CHECK(testing::has(lines[0], R"("grade":"优秀")"));
    CHECK(testing::has(lines[1], R"("grade":"称职")"));  // 92, rank 2 of 4, below the mean 93.5
    CHECK(testing::has(lines[1], "total < unit_mean(total)"));
}

TEST_CASE("people tied on total share a rank, and the next rank skips") {
    // 98, 95, 95, 95, 80: ranks 1, 2, 2, 2, 5; the 95s are in the first half (2 <= 2.5) and keep 优秀.
    const auto lines = batch(compiled(kRules),
                             {person(1, 2, 90), person(2, 5, 90), person(3, 5, 90), person(4, 5, 90), person(5, 20, 90)});
    REQUIRE(lines.size() == 5);
    for (int i = 1; i <= 3; ++i) {
        CHECK(testing::has(lines[static_cast<std::size_t>(i)], R"("rank":2,)"));
        CHECK(testing::has(lines[static_cast<std::size_t>(i)], R"("grade":"优秀")"));
    }
    CHECK(testing::has(lines[4], R"("rank":5,)"));
}

TEST_CASE("the unit's mean is exact, a fraction where the totals do not divide") {
    // Without the rank rule: 95.01, 95, 95 have the mean 285.01/3 = 95.00333..., shown to the
    // policy's 2 places as 95; the two at 95 are below the exact mean, so held to 称职.
    std::string rules = kRules;
    const std::size_t rank_rule = rules.find("grade at most \"称职\" when unit_rank");
    rules.erase(rank_rule, rules.find('\n', rank_rule) + 1 - rank_rule);
    const auto lines = batch(compiled(rules), {person(1, "4.99", 90), person(2, 5, 90), person(3, 5, 90)});
    REQUIRE(lines.size() == 3);
    CHECK(testing::has(lines[1], R"("mean_total":95,)"));
    CHECK(testing::has(lines[0], R"("grade":"优秀")"));
    CHECK(testing::has(lines[1], R"("grade":"称职")"));
    CHECK(testing::has(lines[2], R"("grade":"称职")"));
}

TEST_CASE("each unit of a batch has its own size, ranks and mean") {
    const auto lines = batch(compiled(kRules), {person(1, 0, 90, "一科"), person(2, 10, 90, "二科"), person(3, 20, 90, "一科")});
    REQUIRE(lines.size() == 3);
    CHECK(testing::has(lines[0], R"("unit":"一科","people":2,"rank":1,"mean_total":90)"));
    CHECK(testing::has(lines[1], R"("unit":"二科","people":1,"rank":1,"mean_total":90)"));
    CHECK(testing::has(lines[0], R"("grade":"优秀")"));  // 100: above 一科's mean 90, rank 1 of 2
    CHECK(testing::has(lines[2], R"("unit":"一科","people":2,"rank":2,"mean_total":90)"));
}

TEST_CASE("one record scored alone leaves what reads the unit undecided, and says so") {
    const Ruleset rs = compiled(kRules);
    const Evaluation e = rs.evaluate(person(1, 5, 10));
    REQUIRE(e.ok());
    CHECK(e.result().grade() == "优秀");
    CHECK(testing::has(e.result().json(), R"("population":{"decided":false,"unit":""})"));
    CHECK(testing::has(e.result().text(), "not known without the unit's people"));
    CHECK(e.result().flags().empty());
}

TEST_CASE("evaluate_many decides the unit's rules as the stream batch does") {
    const Ruleset rs = compiled(kRules);
    const std::vector<std::string> people{person(1, 0, 100), person(2, 8, 90), person(3, 9, 95), person(4, 9, 85)};
    std::vector<std::string_view> views(people.begin(), people.end());
    std::vector<std::string> got(people.size());
    evaluate_many(rs, views, [&](std::size_t i, const Evaluation& e) { got[i] = e.result().json(); });
    const auto lines = batch(rs, people);
    for (std::size_t i = 0; i < people.size(); ++i) CHECK(got[i] == lines[i]);
}

TEST_CASE("a ruleset that reads no unit has no population in its results") {
    const std::string rules = std::string(kRules).substr(0, std::string(kRules).find("grade at most"));
    const auto lines = batch(compiled(rules), {person(1, 0, 100), person(2, 8, 90)});
    REQUIRE(lines.size() == 2);
    CHECK_FALSE(testing::has(lines[0], "\"population\""));
}

TEST_CASE("verify takes the unit's figures from a batch result, its exact mean too, and compares the rest") {
    // 100, 100, 94.33, 90, 90, 91.67: the mean is 566/6 = 283/3 = 94.333…, written 94.33 with its
    // exact fraction beside; 94.33 is below the exact mean, so capped at 称职.
    const Ruleset r = compiled(kRules);
    std::vector<std::string> records = {person(1, 0, 90), person(2, 0, 90), person(3, "5.67", 90),
                                        person(4, 10, 90), person(5, 10, 90), person(6, "8.33", 90)};
    const auto lines = batch(r, records);
    REQUIRE(lines.size() == 6);
    CHECK(testing::has(lines[2], R"("mean_total":94.33,"mean_total_exact":"283/3")"));
    CHECK(testing::has(lines[2], R"("grade":"称职")"));
    const Verification v = r.verify(records[2], lines[2]);
    CHECK(v.same);
    CHECK(v.not_checked ==
          "the unit's figures (6 people, rank 3, mean total 94.33, mean attendance 90) depend on the unit's "
          "population and were taken from the result, not re-checked");
    const Verification changed = r.verify(person(3, "5.66", 90), lines[2]);
    CHECK(!changed.same);
}

TEST_CASE("a batch's result gives the unit's figures through Result::population") {
    // 100, 92, 91, 91: mean 93.5; the second person is ranked 2 of 4.
    const Ruleset rs = compiled(kRules);
    const std::vector<std::string> people{person(1, 0, 100, "一科"), person(2, 8, 90, "一科"), person(3, 9, 95, "一科"),
                                          person(4, 9, 85, "一科")};
    std::vector<std::string_view> views(people.begin(), people.end());
    std::vector<std::optional<Population>> got(people.size());
    evaluate_many(rs, views, [&](std::size_t i, const Evaluation& e) { got[i] = e.result().population(); });
    REQUIRE(got[1].has_value());
    CHECK(got[1]->decided);
    CHECK(got[1]->unit == "一科");
    CHECK(got[1]->people == 4);
    CHECK(got[1]->rank == 2);
    CHECK(got[1]->mean_total == Number::fraction(187, 2));
    REQUIRE(got[1]->means.count("attendance") == 1);
    CHECK(got[1]->means.at("attendance") == Number::fraction(185, 2));
}

TEST_CASE("Result::population of a record scored alone is undecided and has no figures") {
    const Evaluation e = compiled(kRules).evaluate(person(1, 5, 10, "一科"));
    REQUIRE(e.ok());
    const std::optional<Population> pop = e.result().population();
    REQUIRE(pop.has_value());
    CHECK_FALSE(pop->decided);
    CHECK(pop->unit == "一科");
    CHECK(pop->people == 0);
    CHECK(pop->means.empty());
}

TEST_CASE("Result::population is none for a ruleset that reads no unit") {
    const std::string rules = std::string(kRules).substr(0, std::string(kRules).find("grade at most"));
    const Evaluation e = compiled(rules).evaluate(person(1, 5, 10));
    REQUIRE(e.ok());
    CHECK_FALSE(e.result().population().has_value());
}
