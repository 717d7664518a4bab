// A quota's ties ranked by a measure (`ties by highest attendance then all_in`), and tests in the
// language scored together as a population.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "kaohe/batch.hpp"
#include "kaohe/kaohe.hpp"
#include "kaohe/testing.hpp"
#include "support.hpp"

using namespace kaohe;

namespace {

// Line 4 holds the grades.
std::string rules(const std::string& ties) {
    return "policy \"ties\" year 2022\n"
           "event mistake \"工作失误\" amount 0..100\n"
           "measure attendance \"出勤天数\" whole 0..366 default 0\n"
           "grades { \"优秀\" >= 90 quota 20% round down ties " + ties + ", \"称职\" >= 60, \"不称职\" otherwise }\n"
           "section work \"工作实绩\" 100 {\n"
           "  clause duty \"履职\" 100 { deduct amount each mistake }\n"
           "}\n";
}

Ruleset compiled(const std::string& ties) {
    CompileResult c = Ruleset::compile_text(rules(ties), "t.kh");
    REQUIRE_MESSAGE(c.ruleset.has_value(), render(c.diagnostics));
    return *c.ruleset;
}

std::string person(int id, int lost, int attendance) {
    return "{\"id\":\"" + std::to_string(id) + "\",\"year\":2022,\"measures\":{\"attendance\":" + std::to_string(attendance) +
           "},\"events\":[{\"type\":\"mistake\",\"amount\":" + std::to_string(lost) + "}]}";
}

// Each record's final grade, through evaluate_many.
std::vector<std::string> grades(const Ruleset& rs, const std::vector<std::string>& records) {
    std::vector<std::string_view> views(records.begin(), records.end());
    std::vector<std::string> out(records.size());
    evaluate_many(rs, views, [&](std::size_t i, const Evaluation& e) {
        REQUIRE(e.ok());
        out[i] = *e.result().grade();
    });
    return out;
}

// Five people (20% of 5 = 1 place), the first two tied at 95 with the given days.
std::vector<std::string> two_tied(int first_days, int second_days) {
    return {person(1, 5, first_days), person(2, 5, second_days), person(3, 30, 300), person(4, 30, 300), person(5, 30, 300)};
}

}  // namespace

TEST_CASE("people tied on total are ranked by the tie measure, highest first") {
    const auto g = grades(compiled("by highest attendance then all_in"), two_tied(240, 250));
    CHECK(g[0] == "称职");
    CHECK(g[1] == "优秀");
}

TEST_CASE("ties by lowest ranks the smaller value first") {
    const auto g = grades(compiled("by lowest attendance then all_out"), two_tied(240, 250));
    CHECK(g[0] == "优秀");
    CHECK(g[1] == "称职");
}

TEST_CASE("people tied on total and on the measure are all in or all out as declared") {
    CHECK(grades(compiled("by highest attendance then all_in"), two_tied(250, 250)) ==
          std::vector<std::string>{"优秀", "优秀", "称职", "称职", "称职"});
    CHECK(grades(compiled("by highest attendance then all_out"), two_tied(250, 250)) ==
          std::vector<std::string>{"称职", "称职", "称职", "称职", "称职"});
}

TEST_CASE("the tie measure does not reorder people whose totals differ") {
    std::vector<std::string> records = two_tied(100, 100);
    records[0] = person(1, 4, 0);  // 96 with no days still ranks above 95 with many
    records[1] = person(2, 5, 366);
    const auto g = grades(compiled("by highest attendance then all_in"), records);
    CHECK(g[0] == "优秀");
    CHECK(g[1] == "称职");
}

TEST_CASE("the outcome's quota names the tie measure, and tied people's ranks skip as in competitions") {
    const Ruleset rs = compiled("by highest attendance then all_in");
    std::vector<std::string> records = two_tied(250, 250);
    records[2] = person(3, 6, 300);
    std::vector<std::string_view> views(records.begin(), records.end());
    std::vector<std::string> json(records.size());
    evaluate_many(rs, views, [&](std::size_t i, const Evaluation& e) { json[i] = e.json(); });
    CHECK(testing::has(json[0], R"("quota":"优秀: 20% of 5 = 1, round down, ties by highest attendance then all_in","rank":1})"));
    CHECK(testing::has(json[1], R"("rank":1})"));
    CHECK(testing::has(json[2], R"("by":"quota")"));
    CHECK(testing::has(json[2], R"("rank":3})"));
}

TEST_CASE("ties by a name that is not a measure of numbers for the year is C061") {
    const auto unknown = Ruleset::compile_text(rules("by highest attendence then all_in"), "t.kh");
    CHECK(testing::has(render(unknown.diagnostics), "error[C061]"));
    CHECK(testing::has(render(unknown.diagnostics), "attendance"));  // the suggestion
    const auto event = Ruleset::compile_text(rules("by highest mistake then all_in"), "t.kh");
    CHECK(testing::has(render(event.diagnostics), "error[C061]"));
}

TEST_CASE("a population's tests are scored together, so a quota moves their grades") {
    const std::string file = rules("all_out") +
                             "population \"两人\" {\n"
                             "  test \"a\" { events { mistake amount 5 } expect grade = \"称职\" expect rank = 1 }\n"
                             "  test \"b\" { events { mistake amount 5 } expect grade = \"称职\" expect rank = 1 }\n"
                             "}\n"
                             "test \"alone\" { events { mistake amount 5 } expect grade = \"优秀\" }\n";
    CompileResult c = Ruleset::compile_text(file, "t.kh");
    REQUIRE_MESSAGE(c.ruleset.has_value(), render(c.diagnostics));
    const TestReport report = run_tests(*c.ruleset);
    CHECK(report.passed() == 3);
    CHECK(report.failed() == 0);
}

TEST_CASE("a failed rank expectation says the actual rank and among how many") {
    const std::string file = rules("all_in") +
                             "population \"五人\" {\n"
                             "  test \"a\" { events { mistake amount 5 } expect rank = 2 }\n"
                             "  test \"b\" { events { mistake amount 50 } expect rank = 1 }\n"
                             "}\n";
    CompileResult c = Ruleset::compile_text(file, "t.kh");
    REQUIRE_MESSAGE(c.ruleset.has_value(), render(c.diagnostics));
    const TestReport report = run_tests(*c.ruleset);
    REQUIRE(report.tests.size() == 2);
    CHECK(testing::has(report.tests[0].text(), "actual rank 1 among 优秀 (2 people)"));
    CHECK(testing::has(report.tests[1].text(), "no rank: the grade 不称职 has no quota"));
}

TEST_CASE("expect rank outside a population is C067") {
    const auto c = Ruleset::compile_text(rules("all_in") + "test \"alone\" { expect rank = 1 }\n", "t.kh");
    CHECK(testing::has(render(c.diagnostics), "error[C067]"));
}
