// Grade quotas over a batch ("优秀等次人数一般不超过本单位参加考核人数的15%"): the count a quota
// allows, ties at its boundary, units, vetoed people in the population, the result's account of
// it, and a single record's grade "before the quota".
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "kaohe/batch.hpp"
#include "kaohe/kaohe.hpp"
#include "support.hpp"

using namespace kaohe;

namespace {

// Line 4 holds the grades, so a quota's rule is "q.kh:4".
std::string rules(const std::string& quota) {
    return "policy \"quota\" year 2022\n"
           "event mistake \"工作失误\" amount 0..100\n"
           "event accident \"安全事故\"\n"
           "grades { \"优秀\" >= 90 " + quota + ", \"称职\" >= 60, \"不称职\" otherwise }\n"
           "veto accident forces \"不称职\"\n"
           "section work \"工作实绩\" 100 {\n"
           "  clause duty \"履职\" 100 { deduct amount each mistake }\n"
           "}\n";
}

Ruleset compiled(const std::string& quota) {
    CompileResult c = Ruleset::compile_text(rules(quota), "q.kh");
    REQUIRE_MESSAGE(c.ruleset.has_value(), render(c.diagnostics));
    return *c.ruleset;
}

// A person whose total is 100 - lost, in `unit` ("" for none), vetoed or not.
std::string person(int id, const std::string& lost, const std::string& unit = "", bool vetoed = false) {
    std::string r = "{\"id\":\"" + std::to_string(id) + "\",\"year\":2022";
    if (!unit.empty()) r += ",\"unit\":\"" + unit + "\"";
    r += ",\"events\":[{\"type\":\"mistake\",\"amount\":" + lost + "}";
    if (vetoed) r += ",{\"type\":\"accident\"}";
    return r + "]}";
}

// The batch's result lines, through the stream form.
std::vector<std::string> batch(const Ruleset& rs, const std::vector<std::string>& records) {
    return kaohe::testing::batch(rs, records, 2);
}

std::size_t count_of(const std::vector<std::string>& lines, const std::string& grade) {
    std::size_t n = 0;
    for (const auto& l : lines) n += testing::has(l, "\"grade\":\"" + grade + "\",\"outcome\"");
    return n;
}

// Four who reach 优秀, the last three (or, at top "5", all four) tied at 95, among ten people: 15%
// of 10 = 1.5.
std::vector<std::string> tied_at_boundary(const std::string& top) {
    std::vector<std::string> r = {person(1, top), person(2, "5"), person(3, "5"), person(4, "5")};
    for (int i = 5; i <= 10; ++i) r.push_back(person(i, "30"));
    return r;
}

}  // namespace

TEST_CASE("a batch of 2,000 records gives 优秀 to exactly 15% of them") {
    const Ruleset rs = compiled("quota 15% round down ties all_in");
    std::vector<std::string> records;
    // Losses i * 7919 mod 2000 hundredths: all different, so no ties; about half reach 90.
    for (int i = 0; i < 2000; ++i) {
        const int hundredths = (i * 7919) % 2000;
        records.push_back(person(i, std::to_string(hundredths / 100) + "." + std::to_string(hundredths / 10 % 10) +
                                        std::to_string(hundredths % 10)));
    }
    const auto lines = batch(rs, records);
    REQUIRE(lines.size() == 2000);
    CHECK(count_of(lines, "优秀") == 300);
    std::size_t past = 0;
    for (const auto& l : lines) past += testing::has(l, "\"by\":\"quota\"");
    CHECK(past > 0);
    CHECK(count_of(lines, "称职") == 1700);
}

TEST_CASE("ties all_in keeps everyone tied at the boundary, ties all_out none of them") {
    // round down: 1 place, and the four at 95 tie for it.
    CHECK(count_of(batch(compiled("quota 15% round down ties all_in"), tied_at_boundary("5")), "优秀") == 4);
    CHECK(count_of(batch(compiled("quota 15% round down ties all_out"), tied_at_boundary("5")), "优秀") == 0);
    // round nearest: 1.5 gives 2 places; one at 99 above the three tied at 95.
    CHECK(count_of(batch(compiled("quota 15% round nearest ties all_in"), tied_at_boundary("1")), "优秀") == 4);
    CHECK(count_of(batch(compiled("quota 15% round nearest ties all_out"), tied_at_boundary("1")), "优秀") == 1);
    CHECK(count_of(batch(compiled("quota 15% round down ties all_out"), tied_at_boundary("1")), "优秀") == 1);
}

TEST_CASE("a person past the quota gets the next grade and an outcome that names the quota, the rank and the rule") {
    const auto lines = batch(compiled("quota 15% round down ties all_out"), tied_at_boundary("1"));
    CHECK(testing::has(lines[0], R"("grade":"优秀","outcome":{"grade":"优秀","by":"band","band":"优秀 >= 90","quota":"优秀: 15% of 10 = 1.5, round down = 1, ties all_out","rank":1})"));
    CHECK(testing::has(lines[1], R"("grade":"称职","outcome":{"grade":"称职","by":"quota","band":"优秀 >= 90","rule":"q.kh:4","quota":"优秀: 15% of 10 = 1.5, round down = 1, ties all_out","rank":2})"));
    CHECK(testing::has(lines[4], R"("grade":"称职","outcome":{"grade":"称职","by":"band","band":"称职 >= 60"})"));
}

TEST_CASE("each unit of a batch has its own quota") {
    const Ruleset rs = compiled("quota 15% round down ties all_in");
    std::vector<std::string> records;
    for (int i = 0; i < 40; ++i) records.push_back(person(i, std::to_string(i % 20) + ".5", i < 20 ? "一科" : "二科"));
    const auto lines = batch(rs, records);
    std::size_t first = 0, second = 0;
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (testing::has(lines[i], "\"grade\":\"优秀\",")) (i < 20 ? first : second) += 1;
    CHECK(first == 3);
    CHECK(second == 3);
    CHECK(testing::has(lines[0], "\"unit\":\"一科\""));
}

TEST_CASE("vetoed people count in the unit's population and are not lifted by the quota") {
    const Ruleset rs = compiled("quota 15% round down ties all_in");
    std::vector<std::string> records;
    // Twenty people, all at 99 or better, ten of them vetoed: 15% of 20 = 3.
    for (int i = 0; i < 20; ++i) records.push_back(person(i, "0." + std::to_string(i % 10), "", i >= 10));
    const auto lines = batch(rs, records);
    CHECK(count_of(lines, "优秀") == 3);
    CHECK(count_of(lines, "不称职") == 10);
    CHECK(testing::has(lines[0], "15% of 20 = 3"));
}

TEST_CASE("a single record's grade with a quota says it is before the quota") {
    const Evaluation e = compiled("quota 15% round down ties all_in").evaluate(person(1, "2"));
    REQUIRE(e.ok());
    CHECK(e.result().grade() == std::optional<std::string>("优秀"));
    CHECK(e.result().outcome()->quota == "before");
    CHECK(testing::has(e.json(), R"("outcome":{"grade":"优秀","by":"band","band":"优秀 >= 90","quota":"before"})"));
    CHECK(testing::has(e.result().text(), "before the quota"));
}

TEST_CASE("the batch callback and evaluate_many apply the quota as the stream does") {
    const Ruleset rs = compiled("quota 15% round down ties all_out");
    const auto records = tied_at_boundary("1");
    std::vector<std::string_view> views(records.begin(), records.end());
    std::vector<std::string> grades(records.size());
    evaluate_many(rs, views, [&](std::size_t i, const Evaluation& e) { grades[i] = *e.result().grade(); });
    CHECK(grades[0] == "优秀");
    CHECK(grades[1] == "称职");
    std::string input;
    for (const auto& r : records) input += r + "\n";
    std::istringstream in(input);
    std::vector<std::string> by;
    evaluate_batch(rs, in, [&](const BatchItem& item) { by.push_back(item.evaluation.result().outcome()->by); });
    REQUIRE(by.size() == 10);
    CHECK(by[0] == "band");
    CHECK(by[1] == "quota");
}

TEST_CASE("a quota on the last grade and a quota outside 0..100% are errors") {
    const auto last = Ruleset::compile_text("policy \"q\" year 2022\nevent e \"E\"\ngrades { \"优秀\" >= 90, \"称职\" otherwise quota 10% round down ties all_in }\n"
                                            "section s \"S\" 10 { clause c \"C\" 10 { deduct 1 each e } }\n", "q.kh");
    CHECK(testing::has(render(last.diagnostics), "error[C059]"));
    const auto over = Ruleset::compile_text(rules("quota 150% round down ties all_in"), "q.kh");
    CHECK(testing::has(render(over.diagnostics), "error[C060]"));
}

TEST_CASE("a record's unit is a string, copied into the result") {
    const Ruleset rs = compiled("quota 15% round down ties all_in");
    const Evaluation bad = rs.evaluate(R"({"id":"1","unit":5,"year":2022})");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "R002");
    CHECK(bad.error().where == "unit");
    CHECK(testing::has(rs.evaluate(person(1, "2", "一科")).json(), R"({"id":"1","unit":"一科","role":null)"));
}
