// Thresholds from expressions: `short of`, `below` and `above` take arithmetic over measures and
// groups ("教师每周听课1节、校行政每周2节" × the weeks). The explanation shows the threshold's value
// for the person; the range analysis takes it at its most demanding value; mutants change its
// numbers; diff lists a changed number inside it.
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
group admin "校行政"
measure weeks "教学周数" whole 0..20
measure lessons "听课节数" whole >= 0
role teacher "教师"
section s "教学" 50 {
  clause c "听课" 50 { deduct 1 per 1 short of (if admin then 2 else 1) * weeks in lessons rounding up at most 45 }
}
)";

std::string record(const std::string& groups, int weeks, int lessons) {
    return R"({"id":"a","role":"teacher","year":2022,"groups":[)" + groups + R"(],"measures":{"weeks":)" +
           std::to_string(weeks) + R"(,"lessons":)" + std::to_string(lessons) + "}}";
}

}  // namespace

TEST_CASE("threshold expression: scored per person, its value shown in the scorecard, JSON and lines") {
    auto c = compile_whole(kRules);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    CHECK(c.diagnostics.empty());

    const auto teacher = c.ruleset->evaluate(record("", 16, 14));
    REQUIRE(teacher.ok());
    CHECK(teacher.result().score("s.c") == kaohe::Number(48));

    const auto admin = c.ruleset->evaluate(record("\"admin\"", 16, 30));
    REQUIRE(admin.ok());
    CHECK(admin.result().score("s.c") == kaohe::Number(48));
    CHECK(admin.result().text().find("听课节数 lessons = 30, threshold 32") != std::string::npos);
    CHECK(admin.result().json().find(R"("measure":"lessons","value":30,"threshold":32,"points":-2)") != std::string::npos);
    const auto lines = admin.result().lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].threshold == kaohe::Number(32));

    // A literal threshold adds nothing to its line.
    auto plain = compile_whole(kRules.substr(0, kRules.find("short of")) + "short of 20 in lessons rounding up }\n}\n");
    REQUIRE_MESSAGE(plain.ruleset, kaohe::render(plain.diagnostics));
    const auto e = plain.ruleset->evaluate(record("", 16, 18));
    REQUIRE(e.ok());
    CHECK(e.result().json().find("threshold") == std::string::npos);
    CHECK_FALSE(e.result().lines()[0].threshold);
}

TEST_CASE("threshold expression: a condition, an event's amount or an unknown name is refused") {
    auto cond = compile_whole(kRules.substr(0, kRules.find("short of")) + "short of admin in lessons rounding up }\n}\n");
    CHECK_FALSE(cond.ruleset);
    CHECK(kaohe::render(cond.diagnostics).find("error[C008]: expected a number here, but this is a condition") !=
          std::string::npos);
    auto unknown = compile_whole(kRules.substr(0, kRules.find("short of")) + "short of 2 * week in lessons rounding up }\n}\n");
    CHECK_FALSE(unknown.ruleset);
    CHECK(kaohe::render(unknown.diagnostics).find("did you mean `weeks`") != std::string::npos);
}

TEST_CASE("threshold expression: the cap is unreachable from the threshold's range; mutants change its numbers") {
    // The most demanding threshold is 2 × 20 = 40 lessons, from 0: at most 40 points, under the cap of 45.
    auto c = compile_whole(kRules);
    REQUIRE(c.ruleset);
    std::vector<policy::Equivalent> equivalent;
    const auto mutants = policy::mutants_of(*c.ruleset, &equivalent);
    const bool unreachable_cap = std::any_of(equivalent.begin(), equivalent.end(), [](const policy::Equivalent& e) {
        return e.reason == "a cap the rule can never reach";
    });
    CHECK(unreachable_cap);
    // Steps of a whole measure against a threshold that is always whole are whole: the rounding
    // mutants are equivalent.
    CHECK(std::any_of(equivalent.begin(), equivalent.end(), [](const policy::Equivalent& e) {
        return e.reason == "rounding of a per-step rule whose steps are always whole";
    }));
    std::vector<std::string> numbers;
    for (const auto& m : mutants)
        if (m.kind == "number") numbers.push_back(m.before + " -> " + m.after);
    const auto inside = [&](const std::string& text) {
        return std::any_of(numbers.begin(), numbers.end(), [&](const std::string& n) { return n.find(text) != std::string::npos; });
    };
    CHECK(inside("then 2"));
    CHECK(inside("else 1"));
}

TEST_CASE("threshold expression: diff lists a changed number inside it") {
    const fs::path dir = fs::temp_directory_path() / ("kaohe-threshold-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    spit(dir / "old.kh", kRules);
    std::string changed = kRules;
    changed.replace(changed.find("then 2"), 6, "then 3");
    spit(dir / "new.kh", changed);
    const policy::StructuralDiff d = policy::structural_diff((dir / "old.kh").string(), (dir / "new.kh").string());
    REQUIRE_MESSAGE(d.ok(), kaohe::render(d.diagnostics));
    REQUIRE(d.changes.size() == 1);
    CHECK(d.changes[0].what == "rule");
    CHECK(d.changes[0].numbers == std::vector<std::pair<std::string, std::string>>{{"2", "3"}});
    fs::remove_all(dir);
}
