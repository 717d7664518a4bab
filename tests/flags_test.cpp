// Flags outside the points: `flag further_action "另作处理" when count(absent) >= 10 cite "第八条"`
// raises a named flag, with its citation and why, without moving a score. One behaviour each.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
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
event absent "旷工"
measure rate "出勤率" decimal 0..100 default 100
section s "纪律" 20 { clause c "考勤" 20 { deduct 1 each absent } }
flag further_action "另作处理" when count(absent) >= 10 cite "第八条"
flag low "出勤率偏低" when rate < 90
)";

std::string record(int absences, const std::string& measures = "") {
    return R"({"id":"a","year":2022,"measures":{)" + measures + R"(},"events":[{"type":"absent","count":)" +
           std::to_string(absences) + "}]}";
}

}  // namespace

TEST_CASE("a flag whose condition holds is raised with its label, citation, rule and why") {
    auto c = compile_whole(kRules);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(record(12));
    REQUIRE(e.ok());
    const auto flags = e.result().flags();
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].id == "further_action");
    CHECK(flags[0].label == "另作处理");
    CHECK(flags[0].cite == "第八条");
    CHECK(flags[0].rule == "t.kh:5");
    CHECK(flags[0].why == "count(absent) = 12 >= 10");
}

TEST_CASE("a flag moves no score") {
    auto c = compile_whole(kRules);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(record(12));
    REQUIRE(e.ok());
    CHECK(e.result().total() == kaohe::Number(8));
}

TEST_CASE("a flag whose condition does not hold is not raised, and the result says flags: []") {
    auto c = compile_whole(kRules);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(record(9));
    REQUIRE(e.ok());
    CHECK(e.result().flags().empty());
    CHECK(e.result().json().find(R"("flags":[])") != std::string::npos);
}

TEST_CASE("the result JSON lists a raised flag before the lines") {
    auto c = compile_whole(kRules);
    REQUIRE(c.ruleset);
    const std::string j = c.ruleset->evaluate(record(10, R"("rate":85)")).json();
    CHECK(j.find(R"("flags":[{"flag":"further_action","label":"另作处理","cite":"第八条","rule":"t.kh:5","why":"count(absent) = 10 >= 10"},{"flag":"low","label":"出勤率偏低","rule":"t.kh:6","why":"rate = 85 < 90"}],"lines":)") != std::string::npos);
}

TEST_CASE("a ruleset without flags writes no flags field") {
    auto c = compile_whole("policy \"t\" year 2022\nevent absent \"旷工\"\nsection s \"纪律\" 20 { clause c \"考勤\" 20 { deduct 1 each absent } }\n");
    REQUIRE(c.ruleset);
    CHECK(c.ruleset->evaluate(record(3)).json().find("\"flags\"") == std::string::npos);
}

TEST_CASE("the scorecard shows a raised flag under the total") {
    auto c = compile_whole(kRules);
    REQUIRE(c.ruleset);
    const std::string t = c.ruleset->evaluate(record(12)).result().text();
    const auto total = t.find("Total");
    const auto flag = t.find("另作处理 further_action: count(absent) = 12 >= 10  [第八条]  t.kh:5");
    REQUIRE(flag != std::string::npos);
    CHECK(total < flag);
}

TEST_CASE("a measure a flag reads is required of every record, and its error names the flag") {
    auto c = compile_whole(R"(policy "t" year 2022
measure rate "出勤率" decimal 0..100
section s "纪律" 20 { clause c "考勤" 20 { deduct 1 when 1 > 2 } }
flag low "出勤率偏低" when rate < 90
)");
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022})");
    REQUIRE(!e.ok());
    CHECK(e.error().code == "R004");
    CHECK(e.error().message.find("low") != std::string::npos);
}

TEST_CASE("two flags with one label are C002") {
    auto c = compile_whole(kRules + "flag other \"另作处理\" when count(absent) >= 20\n");
    CHECK(!c.ruleset);
    CHECK(kaohe::render(c.diagnostics).find("error[C002]") != std::string::npos);
}

TEST_CASE("a flag whose condition always holds is warning W005") {
    auto c = compile_whole(kRules + "flag always \"总是\" when rate >= 0\n");
    REQUIRE(c.ruleset);
    CHECK(kaohe::render(c.diagnostics).find("warning[W005]") != std::string::npos);
}

TEST_CASE("mutants flip a flag's comparison and move its number") {
    auto c = compile_whole(kRules);
    REQUIRE(c.ruleset);
    const auto mutants = policy::mutants_of(*c.ruleset);
    const auto has = [&](const std::string& after) {
        return std::any_of(mutants.begin(), mutants.end(), [&](const policy::Mutant& m) { return m.after.find(after) != std::string::npos; });
    };
    CHECK(has("count(absent) > 10"));
    CHECK(has("rate <= 90"));
    CHECK(has(">= 11"));
}

TEST_CASE("diff lists an added, a removed and a changed flag, and with --batch the people whose flags changed") {
    const fs::path dir = fs::temp_directory_path() / ("kaohe_flags_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    spit(dir / "old.kh", kRules + "flag gone \"已删\" when count(absent) >= 30\n");
    std::string changed = kRules;
    changed.replace(changed.find(">= 10"), 5, ">= 5");
    spit(dir / "new.kh", changed + "flag fresh \"新增\" when count(absent) >= 40\n");
    const policy::StructuralDiff d = policy::structural_diff((dir / "old.kh").string(), (dir / "new.kh").string());
    const auto find = [&](const std::string& change, const std::string& path) {
        return std::any_of(d.changes.begin(), d.changes.end(),
                           [&](const policy::Change& c) { return c.change == change && c.what == "flag" && c.path == path; });
    };
    CHECK(find("changed", "further_action"));
    const auto numbers = std::find_if(d.changes.begin(), d.changes.end(), [](const policy::Change& c) { return c.path == "further_action"; });
    REQUIRE(numbers != d.changes.end());
    CHECK(numbers->numbers == std::vector<std::pair<std::string, std::string>>{{"10", "5"}});
    CHECK(find("removed", "gone"));
    CHECK(find("added", "fresh"));
    std::istringstream in(record(7) + "\n" + record(3) + "\n");
    std::vector<policy::RecordDiff> seen;
    const policy::ImpactReport r = policy::diff_batch((dir / "old.kh").string(), (dir / "new.kh").string(), in, {},
                                                      [&](const policy::RecordDiff& x) { seen.push_back(x); });
    REQUIRE(r.ok());
    REQUIRE(r.reflagged.size() == 1);
    CHECK(r.reflagged[0] == "a (line 1): +further_action");
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].changed());
    CHECK(seen[0].json().find(R"("flags":[[],["further_action"]])") != std::string::npos);
    CHECK(!seen[1].changed());
    CHECK(r.text().find("flags changed (1):") != std::string::npos);
    CHECK(r.text().find("; flags changed 1)") != std::string::npos);
    fs::remove_all(dir);
}
