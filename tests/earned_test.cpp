// Earned points: a clause written `from 0` starts at 0 and earns up to its maximum. Its result
// lines and scorecard, the checker's misuses, and the tools (coverage, mutation testing, diff).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "kaohe/kaohe.hpp"
#include "kaohe/policy.hpp"
#include "kaohe/testing.hpp"
#include "support.hpp"

using kaohe::testing::compile_whole;
using kaohe::testing::spit;

namespace fs = std::filesystem;
namespace policy = kaohe::policy;

namespace {

const std::string kSource = KAOHE_SOURCE_DIR;

const std::string kCard = R"(policy "t" year 2022
event award "示范奖"
event late "迟到"
section s "工作" 5 {
  clause d "达到规定密度" 2 from 0 { add 1 each award }
  clause m "会议" 3 { deduct 1 each late }
}
)";

std::string rendered(const kaohe::CompileResult& c) { return kaohe::render(c.diagnostics); }

}  // namespace

TEST_CASE("earned points: the clause starts at 0, says so first, and its maximum caps what it earns") {
    auto c = compile_whole(kCard);
    REQUIRE_MESSAGE(c.ruleset, rendered(c));
    CHECK(c.diagnostics.empty());
    const auto none = c.ruleset->evaluate(R"({"id":"a","year":2022})");
    REQUIRE_MESSAGE(none.ok(), none.json());
    CHECK(none.json() == R"({"id":"a","role":null,"total":3,"scores":{"s":3,"s.d":0,"s.m":3},)"
                         R"("lines":[{"path":"s.d","kind":"start","points":0,"rule":"t.kh:5"}])" +
                             std::string(R"(,"receipt":{"policy":"t","version":"","ruleset":")") + none.result().ruleset_hash() +
                             R"(","record":")" + none.result().record_hash() + R"("}})");

    const auto three = c.ruleset->evaluate(R"({"id":"a","year":2022,"events":[{"type":"award","count":3}]})");
    REQUIRE_MESSAGE(three.ok(), three.json());
    CHECK(three.result().total() == kaohe::Number(5));
    const auto lines = three.result().lines();
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].kind == "start");
    CHECK(lines[0].points == kaohe::Number(0));
    CHECK(lines[1].kind == "event");
    CHECK(lines[1].points == kaohe::Number(3));
    CHECK(lines[2].kind == "ceiling");
    CHECK(lines[2].points == kaohe::Number(-1));
    const std::string text = three.result().text();
    CHECK(text.find("2 / 2 (from 0)") != std::string::npos);
    CHECK(text.find("starts at 0: earns up to 2") != std::string::npos);
    // A clause that starts full shows no start.
    CHECK(text.find("3 / 3 (from") == std::string::npos);
}

TEST_CASE("earned points: `from full` is the default, written out") {
    std::string full = kCard;
    full.replace(full.find("3 { deduct"), 10, "3 from full { deduct");
    auto c = compile_whole(full);
    REQUIRE_MESSAGE(c.ruleset, rendered(c));
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022,"events":[{"type":"late"}]})");
    REQUIRE(e.ok());
    CHECK(e.json().starts_with(R"({"id":"a","role":null,"total":2,"scores":{"s":2,"s.d":0,"s.m":2},)"));
}

TEST_CASE("earned points: the checker's misuses") {
    const auto errors = [](const std::string& clause) {
        return rendered(compile_whole("policy \"t\" year 2022\nevent e \"e\"\nsection s \"s\" uncapped {\n  " + clause + "\n}\n"));
    };
    CHECK(errors("clause c \"c\" 2 from 0 { deduct 1 each e }").find("error[C035]") != std::string::npos);
    CHECK(errors("clause c \"c\" 2 from 1 { add 1 each e }").find("error[C033]: a clause starts at 0") != std::string::npos);
    CHECK(errors("clause c \"c\" uncapped from 0 { add 1 each e }").find("which has no maximum") != std::string::npos);
    CHECK(errors("clause c \"c\" from full { add 1 each e }").find("error[C033]: `from full` on clause") != std::string::npos);
    CHECK(errors("clause c \"c\" 2 from { add 1 each e }").find("expected `0` or `full` after `from`") != std::string::npos);
    CHECK(errors("clause c \"c\" 2 from 0 from 0 { add 1 each e }").find("error[P008]") != std::string::npos);
    CHECK(errors("clause c \"c\" 2 from 0 { add 1 each e }").find("error") == std::string::npos);
}

TEST_CASE("earned points: coverage has the earned ceiling; mutation removes `from 0`; diff lists it") {
    const std::string rules = kSource + "/tests/language/earned_points.test.kh";
    auto c = kaohe::Ruleset::compile_file(rules);
    REQUIRE_MESSAGE(c.ruleset, rendered(c));
    policy::Coverage cov;
    CHECK(cov.run(*c.ruleset).failed() == 0);
    const policy::CoverageReport r = cov.report();
    int ceilings = 0;
    for (const auto& item : r.items)
        if (item.kind == policy::CoverageItem::Kind::ceiling) {
            ++ceilings;
            CHECK(item.subject == "ceiling of earned clause `work.mixed` (3 points)");
            CHECK(item.covered());
        }
    CHECK(ceilings == 1);
    // The two clauses whose additions cannot pass their maximum are listed, not counted.
    int unreachable = 0;
    for (const auto& [where, what] : r.unreachable)
        if (what.starts_with("ceiling of earned clause")) ++unreachable;
    CHECK(unreachable == 2);
    CHECK(r.rules == r.rules_covered);
    CHECK(r.boundaries == r.boundaries_covered);

    std::vector<policy::Equivalent> equivalent;
    const auto mutants = policy::mutants_of(*c.ruleset, &equivalent);
    int removed = 0;
    for (const auto& m : mutants)
        if (m.kind == "start removed") {
            ++removed;
            CHECK(m.before == "from 0");
            CHECK(m.after.empty());
        }
    CHECK(removed == 3);
    bool village = false;
    for (const auto& e : equivalent)
        village = village || e.reason == "an addition of at least the clause's whole maximum, in an earned clause that only adds";
    CHECK(village);
    const policy::MutationReport m = policy::mutate(rules, {rules});
    REQUIRE_MESSAGE(m.error.empty(), m.error);
    CHECK(m.survived == 0);

    const fs::path dir = fs::temp_directory_path() / ("kaohe-earned-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::string full = kCard;
    full.erase(full.find(" from 0"), 7);
    spit(dir / "old.kh", full);
    spit(dir / "new.kh", kCard);
    const policy::StructuralDiff d = policy::structural_diff((dir / "old.kh").string(), (dir / "new.kh").string());
    REQUIRE(d.ok());
    REQUIRE(d.changes.size() == 1);
    CHECK(d.changes[0].change == "changed");
    CHECK(d.changes[0].what == "clause");
    CHECK(d.changes[0].path == "s.d");
    CHECK(d.changes[0].new_text.find("from 0") != std::string::npos);
    fs::remove_all(dir);
}
