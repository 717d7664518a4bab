// A grade quota across the tools that take a batch's results further: the coefficient of a
// lowered grade, the receipt of a quota batch's results, `verify` of a result the quota lowered,
// and `diff --batch` between two quotas.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "kaohe/batch.hpp"
#include "kaohe/kaohe.hpp"
#include "kaohe/policy.hpp"
#include "support.hpp"

using namespace kaohe;
namespace fs = std::filesystem;

namespace {

// Line 4 holds the grades, so a quota's rule is "q.kh:4".
std::string rules(const std::string& share) {
    return "policy \"quota\" year 2022\n"
           "event mistake \"工作失误\" amount 0..100\n"
           "event accident \"安全事故\"\n"
           "grades { \"优秀\" >= 90 quota " + share + " round down ties all_out, \"称职\" >= 60, \"不称职\" otherwise }\n"
           "coefficient pay \"考核系数\" by grade { \"优秀\": 1.2, \"称职\": 1, \"不称职\": 0 }\n"
           "section work \"工作实绩\" 100 {\n"
           "  clause duty \"履职\" 100 { deduct amount each mistake }\n"
           "}\n";
}

Ruleset compiled(const std::string& share) {
    CompileResult c = Ruleset::compile_text(rules(share), "q.kh");
    REQUIRE_MESSAGE(c.ruleset.has_value(), render(c.diagnostics));
    return *c.ruleset;
}

// Person `id` loses `lost` points: total 100 - lost.
std::string person(int id, int lost) {
    return "{\"id\":\"p" + std::to_string(id) + "\",\"year\":2022,\"events\":[{\"type\":\"mistake\",\"amount\":" +
           std::to_string(lost) + "}]}";
}

// Ten people: p1..p4 reach 优秀 with 99, 98, 97, 96; the others 70.
std::vector<std::string> population() {
    std::vector<std::string> r;
    for (int i = 1; i <= 10; ++i) r.push_back(person(i, i <= 4 ? i : 30));
    return r;
}

using kaohe::testing::batch;

void spit(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

}  // namespace

TEST_CASE("scored alone, a coefficient by a grade with a quota says it is before the quota") {
    const Ruleset rs = compiled("15%");
    const Evaluation e = rs.evaluate(person(1, 1));  // 99: 优秀 before the quota
    REQUIRE(e.ok());
    CHECK(testing::has(e.json(), R"j("coefficients":[{"coefficient":"pay","label":"考核系数","value":1.2,"by":"grade","why":"grade 优秀 (before the quota)","quota":"before","rule":"q.kh:5"}])j"));
    CHECK(testing::has(e.result().text(), "考核系数 pay = 1.2: grade 优秀 (before the quota)"));
    const auto co = e.result().coefficients();
    REQUIRE(co.size() == 1);
    CHECK(co[0].quota == "before");
    CHECK(co[0].why == "grade 优秀 (before the quota)");
    // A grade without a quota is final: no mark.
    const auto plain = rs.evaluate(person(2, 30)).result().coefficients();
    CHECK(plain[0].quota.empty());
    CHECK(plain[0].why == "grade 称职");
}

TEST_CASE("in a batch, which applies the quota, a coefficient by grade carries no before-the-quota mark") {
    const auto lines = batch(compiled("15%"), population());
    REQUIRE(lines.size() == 10);
    CHECK(testing::has(lines[0], R"("why":"grade 优秀","rule":"q.kh:5")"));
    CHECK_FALSE(testing::has(lines[0], "before the quota"));
}

TEST_CASE("a person the quota lowered gets the lower grade's coefficient") {
    // 15% of 10 = 1.5, round down = 1: p1 keeps 优秀, p2 is lowered to 称职.
    const auto lines = batch(compiled("15%"), population());
    REQUIRE(lines.size() == 10);
    CHECK(testing::has(lines[0], R"("coefficients":[{"coefficient":"pay","label":"考核系数","value":1.2,"by":"grade","why":"grade 优秀")"));
    CHECK(testing::has(lines[1], R"("by":"quota")"));
    CHECK(testing::has(lines[1], R"("coefficients":[{"coefficient":"pay","label":"考核系数","value":1,"by":"grade","why":"grade 称职")"));
}

TEST_CASE("every result of a quota batch carries the receipt") {
    const Ruleset rs = compiled("15%");
    const auto lines = batch(rs, population());
    REQUIRE(lines.size() == 10);
    for (const auto& l : lines) {
        CHECK(testing::has(l, R"("receipt":{"policy":"quota")"));
        CHECK(testing::has(l, "\"ruleset\":\"" + rs.fingerprint() + "\""));
    }
}

TEST_CASE("verify accepts a result the quota lowered, and says the quota's outcome was not re-checked") {
    const Ruleset rs = compiled("15%");
    const auto people = population();
    const auto lines = batch(rs, people);
    const Verification v = rs.verify(people[1], lines[1]);
    const std::string first = v.differences.empty() ? std::string() : v.differences[0];
    CHECK_MESSAGE(v.same, first);
    CHECK(v.not_checked ==
          "the quota's outcome (优秀: 15% of 10 = 1.5, round down = 1, ties all_out, rank 2, lowered to 称职) depends on "
          "the unit's population and was taken from the result, not re-checked");
    // The one kept within the quota too.
    const Verification kept = rs.verify(people[0], lines[0]);
    CHECK(kept.same);
    CHECK(testing::has(kept.not_checked, "rank 1) depends"));
    // A single record's result has no population part.
    const Verification single = rs.verify(people[1], rs.evaluate(people[1]).json());
    CHECK(single.same);
    CHECK(single.not_checked.empty());
}

TEST_CASE("verify finds a lowered result whose grade before the quota the record does not reach") {
    const Ruleset rs = compiled("15%");
    const auto people = population();
    const auto lines = batch(rs, people);
    // p2's stored result against p5's record (70: 称职 before any quota).
    const Verification v = rs.verify(people[4], lines[1]);
    CHECK(!v.same);
    REQUIRE(!v.differences.empty());
    bool named = false;
    for (const auto& d : v.differences)
        named = named || d == "the grade before the quota: the result's quota is on 优秀, these rules give 称职";
    CHECK(named);
}

TEST_CASE("verify finds a result placed by a quota that the rules no longer have") {
    const auto people = population();
    const auto lines = batch(compiled("15%"), people);
    CompileResult c = Ruleset::compile_text(testing::replaced(rules("15%"), " quota 15% round down ties all_out", ""), "q.kh");
    REQUIRE(c.ruleset);
    const Verification v = c.ruleset->verify(people[1], lines[1]);
    CHECK(!v.same);
    REQUIRE(!v.differences.empty());
    CHECK(v.differences[0] == "the quota: the result was placed by a quota on 优秀, these rules have none");
}

TEST_CASE("verify finds a lowered result whose coefficient is not the lower grade's") {
    const Ruleset rs = compiled("15%");
    const auto people = population();
    const auto lines = batch(rs, people);
    const std::string forged = testing::replaced(lines[1], R"("value":1,"by":"grade")", R"("value":1.2,"by":"grade")");
    REQUIRE(forged != lines[1]);
    const Verification v = rs.verify(people[1], forged);
    CHECK(!v.same);
    CHECK(!v.not_checked.empty());
}

TEST_CASE("diff --batch between two quotas shows the people whose grade the share changed") {
    const fs::path dir = fs::temp_directory_path() / ("kaohe_quota_population_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    spit(dir / "old.kh", rules("15%"));
    spit(dir / "new.kh", rules("30%"));  // 3 of 10 keep 优秀: p2 and p3 now keep it too
    std::string input;
    for (const auto& r : population()) input += r + "\n";
    std::istringstream in(input);
    std::vector<policy::RecordDiff> seen;
    const policy::ImpactReport r = policy::diff_batch((dir / "old.kh").string(), (dir / "new.kh").string(), in, {},
                                                      [&](const policy::RecordDiff& x) { seen.push_back(x); });
    REQUIRE(r.ok());
    CHECK(r.records == 10);
    CHECK(r.regraded == 2);
    CHECK(r.regraded_records == std::vector<std::string>{"p2 (line 2): 称职 -> 优秀", "p3 (line 3): 称职 -> 优秀"});
    REQUIRE(seen.size() == 10);
    CHECK(seen[1].old_grade == std::optional<std::string>("称职"));
    CHECK(seen[1].new_grade == std::optional<std::string>("优秀"));
    CHECK(seen[3].old_grade == seen[3].new_grade);  // p4: past both quotas
    CHECK(r.coefficients_changed == 2);
    fs::remove_all(dir);
}
