// Coefficients (考核系数): `coefficient pay_factor "考核系数" by grade { "优秀": 1.2, ... }` or `by total
// { >= 95: 1.3, ..., otherwise: 1 }`, a number the result carries from the final grade or the total,
// exactly, without moving a score. One behaviour each.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>

#include <unistd.h>

#include "api/access.hpp"
#include "eval/evaluate.hpp"
#include "ir/program.hpp"
#include "kaohe/kaohe.hpp"
#include "kaohe/policy.hpp"
#include "kaohe/testing.hpp"
#include "support.hpp"

using kaohe::testing::compile_whole;
using kaohe::testing::spit;

namespace fs = std::filesystem;
namespace policy = kaohe::policy;

namespace {

const std::string kRules = R"(policy "t" year 2022
event mistake "失误" amount 0..100
event accident "事故"
grades { "优秀" >= 90, "称职" >= 60, "不称职" otherwise }
veto accident forces "不称职"
section s "实绩" 100 { clause c "履职" 100 { deduct amount each mistake } }
coefficient pay_factor "考核系数" by grade { "优秀": 1.2, "称职": 1.0, "不称职": 0 } cite "第十条"
coefficient bonus_factor "奖金系数" by total { >= 95: 1.3, >= 85: 1.05, otherwise: 1 }
)";

std::string record(const std::string& events) { return R"({"id":"a","year":2022,"events":[)" + events + "]}"; }
std::string mistake(const std::string& amount) { return R"({"type":"mistake","amount":)" + amount + "}"; }

}  // namespace

TEST_CASE("a coefficient by grade gives the grade's entry, with its label, citation, rule and why") {
    auto c = compile_whole(kRules);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(record(mistake("4")));
    REQUIRE(e.ok());
    const auto co = e.result().coefficients();
    REQUIRE(co.size() == 2);
    CHECK(co[0].id == "pay_factor");
    CHECK(co[0].label == "考核系数");
    CHECK(co[0].value == kaohe::Number::fraction(6, 5));
    CHECK(co[0].by == "grade");
    CHECK(co[0].why == "grade 优秀");
    CHECK(co[0].cite == "第十条");
    CHECK(co[0].rule == "t.kh:7");
}

TEST_CASE("a coefficient by total gives the first band the total reaches; a threshold is in its band") {
    auto c = compile_whole(kRules);
    REQUIRE(c.ruleset);
    const auto at = [&](const std::string& amount) { return c.ruleset->evaluate(record(mistake(amount))).result().coefficients()[1]; };
    CHECK(at("5").value == kaohe::Number::fraction(13, 10));
    CHECK(at("5").why == "total 95 >= 95");
    CHECK(at("5.5").value == kaohe::Number::fraction(105, 100));
    CHECK(at("15").value == kaohe::Number::fraction(105, 100));
    CHECK(at("15.5").value == kaohe::Number(1));
    CHECK(at("15.5").why == "total 84.5, otherwise");
}

TEST_CASE("a coefficient by total explains itself with the exact total the bands compared, not the reported one") {
    std::string rules = kRules;
    rules.replace(rules.find("year 2022"), 9, "year 2022 report 2 places half_up");
    auto c = compile_whole(rules);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(record(mistake("5.0007")));  // 94.9993, reported 95.00
    REQUIRE(e.ok());
    CHECK(e.json().find(R"("total":95.00)") != std::string::npos);
    const auto co = e.result().coefficients()[1];
    CHECK(co.value == kaohe::Number::fraction(105, 100));
    CHECK(co.why == "total 94.9993 >= 85");
    CHECK(e.result().text().find("奖金系数 bonus_factor = 1.05: total 94.9993 >= 85") != std::string::npos);
}

TEST_CASE("under `round total` a coefficient by total explains itself with the rounded total that decided") {
    std::string rules = kRules;
    rules.replace(rules.find("year 2022"), 9, "year 2022 round total 0 places");
    auto c = compile_whole(rules);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto co = c.ruleset->evaluate(record(mistake("5.4"))).result().coefficients()[1];  // 94.6, rounded 95
    CHECK(co.value == kaohe::Number::fraction(13, 10));
    CHECK(co.why == "total 95 >= 95");
}

TEST_CASE("a coefficient by grade follows a grade a veto forced, not the score") {
    auto c = compile_whole(kRules);
    REQUIRE(c.ruleset);
    const auto co = c.ruleset->evaluate(record(R"({"type":"accident"})")).result().coefficients();
    CHECK(co[0].value.is_zero());
    CHECK(co[0].why == "grade 不称职");
    CHECK(co[1].value == kaohe::Number::fraction(13, 10));
}

TEST_CASE("eval::coefficients called again with a lowered grade gives that grade's coefficient") {
    // A pass over a batch that lowers a grade (a quota) calls it with the record's final grade.
    auto c = compile_whole(kRules);
    REQUIRE(c.ruleset);
    const kaohe::ir::Program& p = kaohe::Access::program(*c.ruleset);
    const std::string* lowered = &p.grades[1].name;  // 称职
    const auto at = kaohe::eval::coefficients(p, kaohe::Number(96), lowered);
    REQUIRE(at.size() == 2);
    CHECK(p.coefficients[at[0].coefficient].entries[at[0].entry].value == kaohe::Number(1));
    CHECK(p.coefficients[at[1].coefficient].entries[at[1].entry].value == kaohe::Number::fraction(13, 10));
}

TEST_CASE("the result JSON lists the coefficients after the flags and before the lines, values exact") {
    auto c = compile_whole(kRules);
    REQUIRE(c.ruleset);
    const std::string j = c.ruleset->evaluate(record(mistake("11"))).json();
    CHECK(j.find(R"("coefficients":[{"coefficient":"pay_factor","label":"考核系数","value":1,"by":"grade","why":"grade 称职","cite":"第十条","rule":"t.kh:7"},{"coefficient":"bonus_factor","label":"奖金系数","value":1.05,"by":"total","why":"total 89 >= 85","rule":"t.kh:8"}],"lines":)") != std::string::npos);
}

TEST_CASE("a ruleset without coefficients writes no coefficients field") {
    auto c = compile_whole("policy \"t\" year 2022\nevent absent \"旷工\"\nsection s \"纪律\" 20 { clause c \"考勤\" 20 { deduct 1 each absent } }\n");
    REQUIRE(c.ruleset);
    CHECK(c.ruleset->evaluate(R"({"id":"a","year":2022})").json().find("\"coefficients\"") == std::string::npos);
}

TEST_CASE("the scorecard shows each coefficient under the total") {
    auto c = compile_whole(kRules);
    REQUIRE(c.ruleset);
    const std::string t = c.ruleset->evaluate(record(mistake("4"))).result().text();
    const auto line = t.find("考核系数 pay_factor = 1.2: grade 优秀  [第十条]  t.kh:7");
    REQUIRE(line != std::string::npos);
    CHECK(t.find("Total") < line);
}

TEST_CASE("a coefficient by grade that names an undeclared grade is C064 with the nearest grade") {
    auto c = compile_whole(kaohe::testing::replaced(kRules, "\"称职\": 1.0", "\"称值\": 1.0"));
    CHECK(!c.ruleset);
    const std::string r = kaohe::render(c.diagnostics);
    CHECK(r.find("error[C064]") != std::string::npos);
    CHECK(r.find("(did you mean `称职`?)") != std::string::npos);
}

TEST_CASE("a coefficient by grade that misses a grade without `otherwise` is C065; with `otherwise` it is complete") {
    auto c = compile_whole(kaohe::testing::replaced(kRules, ", \"不称职\": 0 }", " }"));
    CHECK(!c.ruleset);
    CHECK(kaohe::render(c.diagnostics).find("error[C065]") != std::string::npos);
    auto d = compile_whole(kaohe::testing::replaced(kRules, ", \"不称职\": 0 }", ", otherwise: 0.5 }"));
    REQUIRE_MESSAGE(d.ruleset, kaohe::render(d.diagnostics));
    CHECK(d.ruleset->evaluate(record(mistake("50"))).result().coefficients()[0].value == kaohe::Number::fraction(1, 2));
}

TEST_CASE("bands by total out of order are C066") {
    auto c = compile_whole(kaohe::testing::replaced(kRules, ">= 95: 1.3, >= 85: 1.05", ">= 85: 1.05, >= 95: 1.3"));
    CHECK(!c.ruleset);
    CHECK(kaohe::render(c.diagnostics).find("error[C066]") != std::string::npos);
}

TEST_CASE("a test expects a coefficient exactly, and a wrong one fails with the actual value and why") {
    auto c = compile_whole(kRules + "test \"t\" { events { mistake amount 4 } expect coefficient pay_factor = 1.1 }\n");
    REQUIRE(c.ruleset);
    const auto report = kaohe::run_tests(*c.ruleset);
    REQUIRE(report.tests.size() == 1);
    CHECK(!report.tests[0].passed);
    REQUIRE(!report.tests[0].failures.empty());
    CHECK(report.tests[0].failures[0].find("actual 1.2 (grade 优秀)") != std::string::npos);
}

TEST_CASE("mutants move a coefficient's value and a band's threshold") {
    auto c = compile_whole(kRules);
    REQUIRE(c.ruleset);
    const auto mutants = policy::mutants_of(*c.ruleset);
    const auto has = [&](const std::string& after) {
        return std::any_of(mutants.begin(), mutants.end(), [&](const policy::Mutant& m) { return m.after.find(after) != std::string::npos; });
    };
    CHECK(has("\"优秀\": 1.3"));
    CHECK(has(">= 96: 1.3"));
}

TEST_CASE("diff lists a changed coefficient table, and with --batch counts the people whose coefficient changed") {
    const fs::path dir = fs::temp_directory_path() / ("kaohe_coefficients_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    spit(dir / "old.kh", kRules);
    spit(dir / "new.kh", kaohe::testing::replaced(kRules, "\"优秀\": 1.2", "\"优秀\": 1.25"));
    const policy::StructuralDiff d = policy::structural_diff((dir / "old.kh").string(), (dir / "new.kh").string());
    const auto changed = std::find_if(d.changes.begin(), d.changes.end(), [](const policy::Change& x) {
        return x.change == "changed" && x.what == "coefficient" && x.path == "pay_factor";
    });
    REQUIRE(changed != d.changes.end());
    CHECK(changed->numbers == std::vector<std::pair<std::string, std::string>>{{"1.2", "1.25"}});
    std::istringstream in(record(mistake("4")) + "\n" + record(mistake("20")) + "\n");
    std::vector<policy::RecordDiff> seen;
    const policy::ImpactReport r = policy::diff_batch((dir / "old.kh").string(), (dir / "new.kh").string(), in, {},
                                                      [&](const policy::RecordDiff& x) { seen.push_back(x); });
    REQUIRE(r.ok());
    CHECK(r.coefficients_changed == 1);
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].changed());
    CHECK(seen[0].json().find(R"("coefficients":{"pay_factor":[1.2,1.25]})") != std::string::npos);
    CHECK(!seen[1].changed());
    CHECK(r.text().find("; coefficient changed 1)") != std::string::npos);
    CHECK(r.json().find(R"("coefficients_changed":1)") != std::string::npos);
    fs::remove_all(dir);
}
