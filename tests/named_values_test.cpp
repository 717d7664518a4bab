// Named values: `value workload "工作量" = lessons + 0.5 * duties`, defined once, computed once per
// record, used in conditions, thresholds, expressions and `per ... in`. Their lines show them as
// measures' do; the result lists them; their measures count as read; the range analysis reads
// their expressions; mutants change the numbers inside them; diff lists a changed definition.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "kaohe/kaohe.hpp"
#include "kaohe/policy.hpp"
#include "support.hpp"

using kaohe::testing::compile_whole;
using kaohe::testing::spit;

namespace fs = std::filesystem;
namespace policy = kaohe::policy;

namespace {

const std::string kRules = R"(policy "t" year 2022
measure lessons "课时数" decimal >= 0
measure duties "值班次数" whole >= 0
measure passed "合格人数" whole >= 0
measure enrolled "参考人数" whole >= 0
measure extra "加班" whole 0..4
role teacher "教师"
value workload "工作量" = lessons + 0.5 * duties
value pass_rate "合格率" = passed / max(enrolled, 1)
value overtime "加班分" = min(extra, 2)
section s "教学" 20 {
  clause load "工作量" 10 { deduct 1 per 10 short of 100 in workload rounding up }
  clause quality "质量" 10 { deduct 2 when pass_rate < 0.9 }
}
role head "校长" {
  section b "加分" uncapped { clause o "加班" { add overtime at most 3 } }
}
)";

std::string record(const std::string& role, const std::string& measures) {
    return R"({"id":"a","role":")" + role + R"(","year":2022,"measures":{)" + measures + "}}";
}

}  // namespace

TEST_CASE("named value: scored exactly, shown on its line, listed in the result and the scorecard") {
    auto c = compile_whole(kRules);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    CHECK(c.diagnostics.empty());
    const auto e = c.ruleset->evaluate(record("teacher", R"("lessons":80,"duties":15,"passed":26,"enrolled":30)"));
    REQUIRE_MESSAGE(e.ok(), e.error().message);
    CHECK(e.result().score("s.load") == kaohe::Number(8));     // 87.5: 12.5 short, two started steps
    CHECK(e.result().score("s.quality") == kaohe::Number(8));  // 26 / 30 < 0.9
    CHECK(e.result().text().find("工作量 workload = 87.5") != std::string::npos);
    CHECK(e.result().text().find("Values") != std::string::npos);
    const std::string json = e.result().json();
    CHECK(json.find(R"("named_value":"workload","value":87.5,"points":-2)") != std::string::npos);
    CHECK(json.find(R"("values":{"workload":87.5,"pass_rate":0.87)") != std::string::npos);
    const auto lines = e.result().lines();
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].named_value == "workload");
    CHECK(lines[0].value == kaohe::Number::fraction(175, 2));
}

TEST_CASE("named value: inside periods it is computed per period, and the result still lists its year's value") {
    auto c = compile_whole(R"(policy "t" year 2022
event absent "缺勤"
value absences "缺勤天数" = count(absent)
section a "A" 100 {
  clause x "x" 50 { deduct 5 each month when absences >= 2 }
}
section b "B" 100 each month mean {
  clause y "y" 100 { deduct 1 * absences }
}
)");
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(
        R"({"id":"v","year":2022,"events":[{"type":"absent","date":"2022-01","count":2},{"type":"absent","date":"2022-02","count":2}]})");
    REQUIRE_MESSAGE(e.ok(), e.error().message);
    CHECK(e.result().score("a.x") == kaohe::Number(40));  // January and February: 2 each
    CHECK(e.result().period_score("b.y", "2022-01") == kaohe::Number(98));
    const std::string json = e.result().json();
    CHECK_MESSAGE(json.find(R"("values":{"absences":4})") != std::string::npos, json);
}

TEST_CASE("named value: its measures count as read, for the cards that use it") {
    auto c = compile_whole(kRules);
    REQUIRE(c.ruleset);
    // `extra` is read only through `overtime`, on the head's card: a teacher need not give it.
    const auto teacher = c.ruleset->evaluate(record("teacher", R"("lessons":100,"duties":0,"passed":1,"enrolled":1)"));
    CHECK(teacher.ok());
    const auto head = c.ruleset->evaluate(record("head", R"("lessons":100,"duties":0,"passed":1,"enrolled":1)"));
    REQUIRE_FALSE(head.ok());
    CHECK(head.error().code == "R004");
    CHECK(head.error().message.find("extra") != std::string::npos);
    // `duties` through `workload`: every card.
    const auto no_duties = c.ruleset->evaluate(record("teacher", R"("lessons":100,"passed":1,"enrolled":1)"));
    REQUIRE_FALSE(no_duties.ok());
    CHECK(no_duties.error().message.find("duties") != std::string::npos);
}

TEST_CASE("named value: division by 0 in it is a record error naming the value") {
    std::string text = kRules;
    text.replace(text.find("max(enrolled, 1)"), 16, "enrolled");
    auto c = compile_whole(text);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(record("teacher", R"("lessons":100,"duties":0,"passed":0,"enrolled":0)"));
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "R009");
    CHECK(e.error().message.find("value `pass_rate`") != std::string::npos);
}

TEST_CASE("named value: the range analysis reads its expression; mutants change its numbers") {
    // overtime = min(extra, 2) is at most 2: the cap of 3 can never be reached.
    auto c = compile_whole(kRules);
    REQUIRE(c.ruleset);
    std::vector<policy::Equivalent> equivalent;
    const auto mutants = policy::mutants_of(*c.ruleset, &equivalent);
    CHECK(std::any_of(equivalent.begin(), equivalent.end(),
                      [](const policy::Equivalent& e) { return e.reason == "a cap the rule can never reach"; }));
    const auto has = [&](const std::string& kind, const std::string& text) {
        return std::any_of(mutants.begin(), mutants.end(), [&](const policy::Mutant& m) {
            return m.kind == kind && m.before.find(text) != std::string::npos;
        });
    };
    CHECK(has("number", "0.5 * duties"));
    CHECK(has("min/max", "max(enrolled, 1)"));
}

TEST_CASE("named value: diff lists a changed definition") {
    const fs::path dir = fs::temp_directory_path() / ("kaohe-named-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    spit(dir / "old.kh", kRules);
    std::string changed = kRules;
    changed.replace(changed.find("0.5 * duties"), 3, "0.6");
    spit(dir / "new.kh", changed);
    const policy::StructuralDiff d = policy::structural_diff((dir / "old.kh").string(), (dir / "new.kh").string());
    REQUIRE_MESSAGE(d.ok(), kaohe::render(d.diagnostics));
    REQUIRE(d.changes.size() == 1);
    CHECK(d.changes[0].what == "value");
    CHECK(d.changes[0].path == "workload");
    CHECK(d.changes[0].numbers == std::vector<std::pair<std::string, std::string>>{{"0.5", "0.6"}});
    fs::remove_all(dir);
}
