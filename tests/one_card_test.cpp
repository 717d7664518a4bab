// One card for everyone: a scheme that declares no role gives every person the same card (its
// top-level sections); its records and test blocks name no role. Checker, record, results and
// the tools (coverage, mutation testing, diff) on such a scheme.
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
event late "迟到"
measure notes "笔记" whole >= 0
section s "公共" 10 {
  clause c "纪律" 6 { deduct 1 each late }
  clause n "学习" 4 { deduct 1 per 1000 short of 3000 in notes rounding up }
}
)";

std::string rendered(const kaohe::CompileResult& c) { return kaohe::render(c.diagnostics); }

}  // namespace

TEST_CASE("one card: a record without role is scored on the scheme's top-level sections") {
    auto c = compile_whole(kCard);
    REQUIRE_MESSAGE(c.ruleset, rendered(c));
    CHECK(c.diagnostics.empty());
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022,"measures":{"notes":1500},"events":[{"type":"late"}]})");
    REQUIRE_MESSAGE(e.ok(), e.json());
    CHECK(e.result().role().empty());
    CHECK(e.result().total() == kaohe::Number(7));  // 6 − 1, and 4 − 2 (1500 short by two started thousands)
    CHECK(e.json().starts_with(R"({"id":"a","role":null,"total":7,"scores":{"s":7,"s.c":5,"s.n":2},)"));
    // The scorecard's header names no role.
    const std::string text = e.result().text();
    CHECK(text.find("\na · 2022\n") != std::string::npos);
    CHECK(text.find("()") == std::string::npos);
}

TEST_CASE("one card: a record that names a role is rejected, saying the scheme has none") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(R"({"id":"a","role":"clerk","year":2022,"measures":{"notes":3000}})");
    REQUIRE(!e.ok());
    CHECK(e.error().code == "R003");
    CHECK(e.error().where == "role");
    CHECK(e.error().message ==
          "field `role` given, but the scheme declares no roles: every person has the same card, so a record names none");
    // The missing-measure error names the card, not a role.
    const auto m = c.ruleset->evaluate(R"({"id":"a","year":2022})");
    REQUIRE(!m.ok());
    CHECK(m.error().code == "R004");
    CHECK(m.error().message.find("which s.n of the card needs (the rule at t.kh:6)") != std::string::npos);
}

TEST_CASE("one card: a scheme that declares roles still requires `role`") {
    auto c = compile_whole(kCard + "role clerk \"科员\"\n");
    REQUIRE_MESSAGE(c.ruleset, rendered(c));
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022,"measures":{"notes":3000}})");
    REQUIRE(!e.ok());
    CHECK(e.error().code == "R004");
    CHECK(e.error().message == "missing required field `role`");
    const auto ok = c.ruleset->evaluate(R"({"id":"a","role":"clerk","year":2022,"measures":{"notes":3000}})");
    REQUIRE(ok.ok());
    CHECK(ok.json().starts_with(R"({"id":"a","role":"clerk","total":10,)"));
}

TEST_CASE("one card: a test block names no role; one that does is C034") {
    auto good = compile_whole(kCard + "test \"x\" { measures { notes: 3000 } events { late } expect s.c = 5 expect total = 9 }\n");
    REQUIRE_MESSAGE(good.ruleset, rendered(good));
    const auto report = kaohe::run_tests(*good.ruleset);
    CHECK(report.failed() == 0);
    CHECK(report.passed() == 1);

    auto bad = compile_whole(kCard + "test \"x\" { role clerk expect total = 10 }\n");
    CHECK(!bad.ruleset);
    CHECK(rendered(bad).find("error[C034]: the scheme declares no roles: every person has the same card, so a test "
                             "names no role (delete `role clerk`)") != std::string::npos);
    // An expected path the card does not have names the card.
    auto path = compile_whole(kCard + "test \"x\" { measures { notes: 3000 } expect s.x = 1 }\n");
    CHECK(rendered(path).find("error[C004]: the card has no clause or section `s.x`") != std::string::npos);
}

TEST_CASE("one card: coverage and mutation testing run on a scheme without roles") {
    const std::string rules = kSource + "/tests/language/one_card.test.kh";
    policy::Coverage cov;
    auto c = kaohe::Ruleset::compile_file(rules);
    REQUIRE_MESSAGE(c.ruleset, rendered(c));
    CHECK(cov.run(*c.ruleset).failed() == 0);
    const policy::CoverageReport r = cov.report();
    CHECK(r.rules > 0);
    CHECK(r.rules == r.rules_covered);
    CHECK(r.boundaries == r.boundaries_covered);

    const policy::MutationReport m = policy::mutate(rules, {rules});
    REQUIRE_MESSAGE(m.error.empty(), m.error);
    CHECK(m.results.size() > 10);
    CHECK(m.survived == 0);
}

TEST_CASE("one card: diff compares two schemes without roles, and lists the roles a scheme gains") {
    const fs::path dir = fs::temp_directory_path() / ("kaohe-one-card-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    spit(dir / "old.kh", kCard);
    std::string changed = kCard;
    changed.replace(changed.find("deduct 1 each late"), 18, "deduct 2 each late");
    spit(dir / "new.kh", changed);
    spit(dir / "roles.kh", kCard + "role clerk \"科员\"\n");

    const policy::StructuralDiff d = policy::structural_diff((dir / "old.kh").string(), (dir / "new.kh").string());
    REQUIRE(d.ok());
    REQUIRE(d.changes.size() == 1);
    CHECK(d.changes[0].change == "changed");
    CHECK(d.changes[0].what == "rule");
    CHECK(d.changes[0].path == "s.c");
    CHECK(d.changes[0].numbers == std::vector<std::pair<std::string, std::string>>{{"1", "2"}});

    const policy::StructuralDiff r = policy::structural_diff((dir / "old.kh").string(), (dir / "roles.kh").string());
    REQUIRE(r.ok());
    REQUIRE(r.changes.size() == 1);
    CHECK(r.changes[0].change == "added");
    CHECK(r.changes[0].what == "role");
    CHECK(r.changes[0].path == "clerk");
    fs::remove_all(dir);
}
