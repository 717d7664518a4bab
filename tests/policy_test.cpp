// Changing a policy safely (include/kaohe/policy.hpp): coverage, mutation testing, the impact
// of a change, snapshot update; and the parser's overlay and cache that mutation testing uses.
//
// Fixtures are in tests/policy/. The expected results below were worked out by hand from the
// fixtures (each one's reasoning is next to it), not copied from the tool's output.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "bench/generator.hpp"
#include "api/access.hpp"
#include "ir/program.hpp"
#include "kaohe/policy.hpp"
#include "parse/parser.hpp"

namespace fs = std::filesystem;
namespace policy = kaohe::policy;

namespace {

const std::string kSource = KAOHE_SOURCE_DIR;

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void spit(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

// A fresh directory under the system's temporary directory, removed at the end of the test.
struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& name) {
        path = fs::temp_directory_path() / ("kaohe-policy-" + name + "-" + std::to_string(::getpid()));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::string survivor(const policy::MutantResult& m) {
    return std::to_string(m.mutant.where.line) + ":" + std::to_string(m.mutant.where.column) + ": " + m.mutant.before +
           " -> " + m.mutant.after;
}

}  // namespace

// ---- Mutation testing

// tests/policy/weak/weak.test.kh has three tests: a clean year (notes 3000, score 90: total 20),
// one late arrival (discipline 8), a provincial award to someone not in `lead` (bonus 3). So:
// - nothing uses `mistake`, so no change to its range 2..4 is noticed;
// - every test gives notes 3000 and score 90, well inside their domains, so no domain end is;
// - `study` is never checked on its own: 10 → 9 only makes its section award the lost point;
// - no test takes discipline below 0, so removing its floor is never noticed; study's rules take
//   at most 2 (the cap) + 1 (min(score, 1)) of its 10 points, so its floor is not a mutant at all;
// - notes 3000 sits exactly at the threshold: only 3000 → 3001 makes a deduction; the points, the
//   step, the rounding, the cap and `short of` → `above` all act on a shortfall of 0;
// - score 90 fails `when score < 60`, so nothing in that rule is noticed;
// - no test has a county award or someone in `lead`, and none expects a grade.
// Killed: the section's and discipline's maxima (the checker, or the total and discipline), the
// late points, the province entry, and `if lead` → `unless lead` (the award is then halved).
TEST_CASE("mutation testing: a weak test suite lets exactly the mutants survive that it cannot notice") {
    const std::string dir = kSource + "/tests/policy/weak/";
    const std::vector<std::string> expected = {
        "8:27: amount 2..4 -> amount 3..4",
        "8:27: amount 2..4 -> amount 1..4",
        "8:30: amount 2..4 -> amount 2..5",
        "8:30: amount 2..4 -> amount 2..3",
        "10:31: whole >= 0 -> whole >= 1",
        "10:31: whole >= 0 -> whole >= -1",
        "11:30: decimal 0..100 -> decimal 1..100",
        "11:30: decimal 0..100 -> decimal -1..100",
        "11:33: decimal 0..100 -> decimal 0..101",
        "11:33: decimal 0..100 -> decimal 0..99",
        "15:3: clause discipline \"纪律\" 10 -> clause discipline \"纪律\" 10 floor none",
        "19:21: clause study \"学习\" 10 -> clause study \"学习\" 9",
        "20:12: deduct 1 -> deduct 2",
        "20:12: deduct 1 -> deduct 0",
        "20:18: per 1000 -> per 1001",
        "20:18: per 1000 -> per 999",
        "20:23: short of 3000 -> above 3000",
        "20:32: short of 3000 -> short of 2999",
        "20:46: rounding up -> rounding down",
        "20:46: rounding up -> linear",
        "20:58: at most 2 -> ",
        "20:66: at most 2 -> at most 3",
        "20:66: at most 2 -> at most 1",
        "21:12: min(score, 1) -> max(score, 1)",
        "21:23: deduct min(score, 1) -> deduct min(score, 2)",
        "21:23: deduct min(score, 1) -> deduct min(score, 0)",
        "21:37: score < 60 -> score <= 60",
        "21:39: score < 60 -> score < 61",
        "21:39: score < 60 -> score < 59",
        "27:39: county: 1 -> county: 2",
        "27:39: county: 1 -> county: 0",
        "27:56: times 1/2 if lead -> ",
        "27:62: times 1/2 -> times 2/2",
        "27:62: times 1/2 -> times 0/2",
        "27:64: times 1/2 -> times 1/3",
        "27:64: times 1/2 -> times 1/1",
        "31:18: \"优秀\" >= 95 -> \"优秀\" >= 96",
        "31:18: \"优秀\" >= 95 -> \"优秀\" >= 94",
        "31:30: \"合格\" >= 60 -> \"合格\" >= 61",
        "31:30: \"合格\" >= 60 -> \"合格\" >= 59",
    };
    for (unsigned threads : {1u, 3u}) {
        policy::MutationOptions options;
        options.threads = threads;
        std::vector<std::size_t> progress;  // called on this thread, once per mutant, in order
        const std::thread::id caller = std::this_thread::get_id();
        options.progress = [&](std::size_t done, std::size_t total) {
            CHECK(std::this_thread::get_id() == caller);
            progress.push_back(done);
            CHECK(total >= done);
        };
        policy::MutationReport r = policy::mutate(dir + "rules.kh", {dir + "weak.test.kh"}, options);
        REQUIRE_MESSAGE(r.error.empty(), r.error);
        REQUIRE(progress.size() == r.results.size());
        for (std::size_t i = 0; i < progress.size(); ++i) CHECK(progress[i] == i + 1);
        std::vector<std::string> survived;
        std::set<std::string> killed;
        for (const auto& m : r.results) {
            if (m.status == policy::MutantResult::Status::survived) survived.push_back(survivor(m));
            else killed.insert(survivor(m));
        }
        CHECK(survived == expected);
        CHECK(killed == std::set<std::string>{
                            "14:19: section main \"主体\" 20 -> section main \"主体\" 21",
                            "14:19: section main \"主体\" 20 -> section main \"主体\" 19",
                            "15:26: clause discipline \"纪律\" 10 -> clause discipline \"纪律\" 11",
                            "15:26: clause discipline \"纪律\" 10 -> clause discipline \"纪律\" 9",
                            "16:12: deduct 2 -> deduct 3",
                            "16:12: deduct 2 -> deduct 1",
                            "19:21: clause study \"学习\" 10 -> clause study \"学习\" 11",
                            "20:32: short of 3000 -> short of 3001",
                            "27:52: province: 3 -> province: 4",
                            "27:52: province: 3 -> province: 2",
                            "27:66: times 1/2 if lead -> times 1/2 unless lead",
                        });
        CHECK(r.killed == 11);
        CHECK(r.survived == expected.size());
        CHECK(r.summary() == "mutants: 51, killed: 11, survived: 40, score: 21.6%");
        // Maxima that make the parts outgrow their section are the checker's.
        for (const auto& m : r.results)
            if (survivor(m).find("-> section main \"主体\" 19") != std::string::npos ||
                survivor(m).find("\"纪律\" 11") != std::string::npos || survivor(m).find("\"学习\" 11") != std::string::npos)
                CHECK(m.status == policy::MutantResult::Status::killed_by_checker);
        // Study's rules take at most 3 of its 10 points, and the awards clause only adds points
        // from a table: neither floor is a mutant.
        REQUIRE(r.equivalent.size() == 2);
        CHECK(r.equivalent[0].reason == "the floor of a clause that can never go below 0");
        CHECK(r.equivalent[0].where.line == 19);
        CHECK(r.equivalent[1].reason == "the floor of a clause that can never go below 0");
        CHECK(r.equivalent[1].where.line == 26);
    }
}

TEST_CASE("mutation testing: mutants that are equivalent by construction are not generated") {
    auto c = kaohe::Ruleset::compile_text(R"(policy "e" year 2022
event big "大"
event small "小"
measure essays "篇数" whole >= 0
measure parts "份数" whole >= 0
measure grade "得分" decimal 0..100
role r "r"
section s "s" 20 {
  clause a "a" 5 {
    deduct 5 each big
    deduct 1 each small
  }
  clause b "b" 15 {
    deduct 1 per 1 short of 3 in essays rounding up
    deduct 1 per 1 short of 2 in parts rounding up at most 5
    deduct 1 per 2 below 95 in grade linear
  }
}
)",
                                         "e.kh");
    REQUIRE(c.ruleset);
    std::vector<policy::Equivalent> eq;
    const auto mutants = policy::mutants_of(*c.ruleset, &eq);
    std::set<std::string> reasons;
    std::vector<std::string> got;
    for (const auto& e : eq) got.push_back(std::to_string(e.where.line) + ": " + e.before + " -> " + e.after);
    // `deduct 5` in a 5-point clause that only deducts: 6 is the same; 4 is not.
    // Per 1 over a whole measure with a whole threshold: the three roundings agree.
    // The parts rule counts at most 2 (from 0 to 2): its cap of 5 is out of reach, and so are 4 and 6.
    CHECK(got == std::vector<std::string>{
                     "10: deduct 5 -> deduct 6",
                     "14: rounding up -> rounding down",
                     "14: rounding up -> linear",
                     "15: rounding up -> rounding down",
                     "15: rounding up -> linear",
                     "15: at most 5 -> at most 6",
                     "15: at most 5 -> at most 4",
                     "15: at most 5 -> ",
                 });
    // Per 2 over a decimal measure, linear: rounding matters, so those mutants exist.
    int roundings = 0, shortfalls = 0;
    for (const auto& m : mutants) {
        if (m.kind == "rounding") ++roundings;
        if (m.kind == "comparison") ++shortfalls;
        CHECK(m.after != "below 95");  // `short of` and `below` compute the same: never swapped
    }
    CHECK(roundings == 2);
    CHECK(shortfalls == 3);  // each `short of`/`below` only to `above`
}

// The mutant compiled in memory (parse overlay and cache) must behave as the same change made to
// the file on disk: each sampled mutant of the seed ruleset is written into a copy of the
// ruleset, whose tests are then run from disk, with no cache.
TEST_CASE("mutation testing: a mutant compiled in memory behaves as the same change on disk") {
    const std::string seed = kSource + "/rulesets/seed/";
    const auto tests = kaohe::find_test_files(seed + "tests");
    auto compiled = kaohe::Ruleset::compile_file(seed + "seed.kh");
    REQUIRE(compiled.ruleset);
    const std::vector<policy::Mutant> mutants = policy::mutants_of(*compiled.ruleset);
    REQUIRE(mutants.size() > 300);
    policy::MutationReport report = policy::mutate(seed + "seed.kh", tests);
    REQUIRE(report.error.empty());
    REQUIRE(report.results.size() == mutants.size());

    TempDir tmp("disk");
    const std::size_t stride = std::getenv("KAOHE_ALL_MUTANTS") ? 1 : 23;
    int checked = 0;
    for (std::size_t i = 0; i < mutants.size(); i += stride) {
        const policy::Mutant& m = mutants[i];
        fs::remove_all(tmp.path / "seed");
        fs::copy(seed, tmp.path / "seed", fs::copy_options::recursive);
        const std::string rel = fs::relative(fs::weakly_canonical(m.file), fs::weakly_canonical(seed)).string();
        const std::string target = (tmp.path / "seed" / rel).string();
        std::string text = slurp(target);
        text.replace(m.begin, m.end - m.begin, m.replacement);
        spit(target, text);
        bool killed = !kaohe::Ruleset::compile_file((tmp.path / "seed" / "seed.kh").string()).ruleset;
        for (const auto& t : kaohe::find_test_files((tmp.path / "seed" / "tests").string())) {
            if (killed) break;
            kaohe::TestReport r = kaohe::run_tests(t);
            killed = kaohe::has_errors(r.diagnostics) || r.failed() > 0;
        }
        const bool killed_in_memory = report.results[i].status != policy::MutantResult::Status::survived;
        CHECK_MESSAGE(killed == killed_in_memory, m.where.file << ":" << m.where.line << ": " << m.before << " -> " << m.after);
        ++checked;
    }
    CHECK(checked >= 15);
}

TEST_CASE("mutation testing: the seed ruleset's tests kill every mutant") {
    const std::string seed = kSource + "/rulesets/seed/";
    policy::MutationReport r = policy::mutate(seed + "seed.kh", kaohe::find_test_files(seed + "tests"));
    REQUIRE_MESSAGE(r.error.empty(), r.error);
    for (const auto& m : r.results)
        CHECK_MESSAGE(m.status != policy::MutantResult::Status::survived,
                      m.mutant.where.file << ":" << m.mutant.where.line << ": " << m.mutant.before << " -> " << m.mutant.after);
    CHECK(r.results.size() > 400);
}

TEST_CASE("mutation testing: tests that fail on the unchanged ruleset stop it") {
    const std::string dir = kSource + "/tests/policy/";
    policy::MutationReport r = policy::mutate(dir + "weak/rules.kh", {dir + "update/update.test.kh"});
    CHECK(r.error.find("the tests fail on the unchanged ruleset") == 0);
    CHECK(r.results.empty());
    CHECK_FALSE(r.ok());
    CHECK(r.text() == kaohe::terminal_text(r.error) + "\n");
    CHECK(r.json() == "{\"error\":" + kaohe::json_quote(r.error) + "}");
}

// Every tooling entry point says the same way why it could not run: `error` in words, the rule
// files' diagnostics, ok() false, and text() and json() that render the error.
TEST_CASE("reports: a rule file that does not compile is the error of every tool, said one way") {
    const std::string bad = kSource + "/tests/golden/rules/attribute_empty.kh";
    const std::string good = kSource + "/tests/policy/weak/rules.kh";
    REQUIRE(kaohe::has_errors(kaohe::Ruleset::compile_file(bad).diagnostics));

    const kaohe::TestReport t = kaohe::run_tests(bad);
    CHECK_FALSE(t.ok());
    CHECK(t.error == "the file does not compile");
    CHECK(kaohe::has_errors(t.diagnostics));
    CHECK(t.text() == bad + ": FAIL: the file does not compile, so none of its tests ran\n");
    CHECK(t.json() == "{\"file\":" + kaohe::json_quote(bad) + ",\"error\":\"the file does not compile\"}");

    const policy::MutationReport m = policy::mutate(bad, {good});
    CHECK_FALSE(m.ok());
    CHECK(kaohe::has_errors(m.diagnostics));

    const policy::StructuralDiff d = policy::structural_diff(good, bad);
    CHECK_FALSE(d.ok());
    CHECK(d.error == bad + " does not compile");
    CHECK(kaohe::has_errors(d.diagnostics));
    CHECK(d.text() == d.error + "\n");
    CHECK(d.json() == "{\"error\":" + kaohe::json_quote(d.error) + "}");

    std::istringstream in("");
    bool called = false;
    const policy::ImpactReport i =
        policy::diff_batch(bad, good, in, {}, [&](const policy::RecordDiff&) { called = true; });
    CHECK_FALSE(called);
    CHECK_FALSE(i.ok());
    CHECK(i.error == bad + " does not compile");
    CHECK(kaohe::has_errors(i.diagnostics));
    CHECK(i.text() == i.error + "\n");
    CHECK(i.json() == "{\"error\":" + kaohe::json_quote(i.error) + "}");
}

// ---- The parser's overlay and cache

TEST_CASE("parsing with an overlay and a cache gives what parsing the files gives") {
    const std::string root = kSource + "/rulesets/seed/tests/public.test.kh";
    auto render_module = [](const kaohe::ast::Module& m, const kaohe::Sources& s, const std::vector<kaohe::Diagnostic>& d) {
        std::string out = kaohe::render(d);
        for (const auto& decl : m.declarations) {
            std::visit([&](const auto& x) { out += std::to_string(x.span.file) + ":" + std::to_string(x.span.begin) + " "; }, decl);
            if (const auto* n = std::get_if<kaohe::ast::Node>(&decl)) out += std::string(s.slice(n->span)) + "\n";
        }
        return out;
    };
    kaohe::Sources plain_sources;
    std::vector<kaohe::Diagnostic> plain_diags;
    const auto plain = kaohe::parse::parse_file(root, plain_sources, plain_diags);
    const std::string expected = render_module(plain, plain_sources, plain_diags);

    kaohe::parse::ParseCache cache;
    for (int round = 0; round < 3; ++round) {
        kaohe::Sources s;
        std::vector<kaohe::Diagnostic> d;
        const auto m = kaohe::parse::parse_file(root, s, d, kaohe::parse::ParseOptions{nullptr, &cache});
        CHECK(render_module(m, s, d) == expected);
    }
    // An overlay stands in for one file: a broken text gives its error, and the next parse
    // without the overlay gives the file's own text again.
    kaohe::Overlay overlay;
    const std::string public_kh = kSource + "/rulesets/seed/public.kh";
    overlay[kaohe::file_key(public_kh)] = slurp(public_kh) + "\nsection {";
    {
        kaohe::Sources s;
        std::vector<kaohe::Diagnostic> d;
        kaohe::parse::parse_file(root, s, d, kaohe::parse::ParseOptions{&overlay, &cache});
        REQUIRE(kaohe::has_errors(d));
        CHECK(d[0].where.file.find("public.kh") != std::string::npos);
        CHECK(d[0].code == "P001");
    }
    {
        kaohe::Sources s;
        std::vector<kaohe::Diagnostic> d;
        const auto m = kaohe::parse::parse_file(root, s, d, kaohe::parse::ParseOptions{nullptr, &cache});
        CHECK(render_module(m, s, d) == expected);
    }
    // A file with errors: the cached replay repeats its diagnostics.
    const std::string bad = kSource + "/tests/golden/rules/check_three_errors.kh";
    if (fs::exists(bad)) {
        kaohe::Sources s1, s2;
        std::vector<kaohe::Diagnostic> d1, d2;
        kaohe::parse::parse_file(bad, s1, d1, kaohe::parse::ParseOptions{nullptr, &cache});
        kaohe::parse::parse_file(bad, s2, d2, kaohe::parse::ParseOptions{nullptr, &cache});
        CHECK(kaohe::render(d1) == kaohe::render(d2));
    }
}

// ---- Coverage

// weak.test.kh (see above): rules moved are the late points and the award table (2 of 5: the
// mistake amounts, the notes shortfall and `deduct min(score, 1)` never move a score).
// Boundaries: the notes threshold has a test exactly at 3000 but none below; the cap is on
// neither side (it can be reached: 0 notes count 3); no amount of `mistake` is tried; no clause
// goes past its floor, and only discipline loses points without doing so (2 for being late);
// the province entry is used, the county one not; the multiplier never applies; and no test
// expects a grade, so no grade band is covered (a grade shows to no other test). Covered: 1 of 12.
TEST_CASE("coverage: the weak suite covers exactly what it exercises") {
    const std::string dir = kSource + "/tests/policy/weak/";
    policy::Coverage cov;
    auto c = kaohe::Ruleset::compile_file(dir + "weak.test.kh");
    REQUIRE(c.ruleset);
    kaohe::TestReport tr = cov.run(*c.ruleset);
    CHECK(tr.failed() == 0);
    policy::CoverageReport r = cov.report();
    CHECK(r.summary() == "rules covered: 2/5, boundaries covered: 1/11");
    std::vector<std::string> uncovered;
    for (const auto& item : r.items)
        if (!item.covered()) uncovered.push_back(std::to_string(item.where.line) + ": " + item.uncovered_text());
    CHECK(uncovered == std::vector<std::string>{
                           "8: lower end 2 of the amount range 2..4 of `mistake`: no test scored an amount of exactly 2, "
                           "and no test was rejected for an amount below 2",
                           "8: upper end 4 of the amount range 2..4 of `mistake`: no test scored an amount of exactly 4, "
                           "and no test was rejected for an amount above 4",
                           "15: floor of clause `main.discipline` (10 points): no test where its deductions went below 0",
                           "17: rule `deduct amount each mistake`: no test moved a score through it",
                           "20: rule `deduct 1 per 1000 short of 3000 in notes rounding up at most 2`: no test moved a "
                           "score through it",
                           "20: threshold 3000 of `deduct 1 per 1000 short of 3000 in notes rounding up at most 2`: no "
                           "test with notes below 3000",
                           "20: cap `at most 2` of `deduct 1 per 1000 short of 3000 in notes rounding up at most 2`: no "
                           "test where the rule counted 2 or less (and more than 0), and no test where it counted more than 2",
                           "21: rule `deduct min(score, 1) when score < 60`: no test moved a score through it",
                           "27: table entry `county: 1` in clause bonus.awards: no test scored an event through it",
                           "27: multiplier `times 1/2 if lead` in clause bonus.awards: no test where it applied",
                           "31: grade band `\"优秀\" >= 95`: no test expecting a grade with a total of exactly 95, and "
                           "no test expecting a grade with a total below 95",
                           "31: grade band `\"合格\" >= 60`: no test expecting a grade with a total of exactly 60, and "
                           "no test expecting a grade with a total below 60",
                           "31: grade band `\"不合格\" otherwise`: no test expecting the grade its total reached in this band, with no veto or grade rule deciding",
                       });
    CHECK(r.meets(kaohe::Number(9)));
    CHECK_FALSE(r.meets(kaohe::Number(10)));  // boundaries: 1/11 = 9.1%
    // The rule covered lists the test that moved it.
    for (const auto& item : r.items)
        if (item.kind == policy::CoverageItem::Kind::rule && item.subject == "rule `deduct 2 each late`")
            CHECK(item.tests == std::vector<std::string>{kaohe::Access::program(*c.ruleset).sources.name(0) + ":11: arriving late costs 2"});
    CHECK(r.json().rfind("{\"rules\":{\"covered\":2,\"total\":5},\"boundaries\":{\"covered\":1,\"total\":11}", 0) == 0);
}

// table_default/: one rule, `add each paper by level { national: 3, otherwise: 0 }`. Its items:
// the rule and two table entries, `national: 3` and `otherwise: 0`, which an event of any value
// the table does not list (province, county) meets. table_default.test.kh scores a county paper;
// listed_only.test.kh does not, so `otherwise` is its one uncovered item.
TEST_CASE("coverage: a table's otherwise is an entry, met by a value the table does not list") {
    const std::string dir = kSource + "/tests/policy/table_default/";
    const auto uncovered = [&](const std::string& file) {
        policy::Coverage cov;
        auto c = kaohe::Ruleset::compile_file(dir + file);
        REQUIRE(c.ruleset);
        CHECK(cov.run(*c.ruleset).failed() == 0);
        std::vector<std::string> out;
        for (const auto& item : cov.report().items)
            if (!item.covered()) out.push_back(std::to_string(item.where.line) + ": " + item.uncovered_text());
        return out;
    };
    CHECK(uncovered("table_default.test.kh").empty());
    CHECK(uncovered("listed_only.test.kh") ==
          std::vector<std::string>{"10: table entry `otherwise: 0` in clause research.papers: no test scored an event "
                                   "of a value not listed through it"});
}

TEST_CASE("mutation testing: a table's otherwise is mutated like its other entries") {
    const std::string dir = kSource + "/tests/policy/table_default/";
    policy::MutationReport r = policy::mutate(dir + "rules.kh", {dir + "table_default.test.kh"});
    REQUIRE_MESSAGE(r.error.empty(), r.error);
    std::set<std::string> killed;
    for (const auto& m : r.results) {
        CHECK(m.status != policy::MutantResult::Status::survived);
        killed.insert(survivor(m));
    }
    CHECK(killed.count("10:74: otherwise: 0 -> otherwise: 1") == 1);
    // Without the county paper, the change of `otherwise` goes unnoticed.
    policy::MutationReport weak = policy::mutate(dir + "rules.kh", {dir + "listed_only.test.kh"});
    REQUIRE_MESSAGE(weak.error.empty(), weak.error);
    std::vector<std::string> survived;
    for (const auto& m : weak.results)
        if (m.status == policy::MutantResult::Status::survived) survived.push_back(survivor(m));
    CHECK(survived == std::vector<std::string>{"10:74: otherwise: 0 -> otherwise: 1"});
}

TEST_CASE("coverage: the seed ruleset's tests cover every rule and boundary") {
    policy::Coverage cov;
    for (const auto& f : kaohe::find_test_files(kSource + "/rulesets/seed/tests")) {
        auto c = kaohe::Ruleset::compile_file(f);
        REQUIRE(c.ruleset);
        CHECK(cov.run(*c.ruleset).failed() == 0);
    }
    policy::CoverageReport r = cov.report();
    for (const auto& item : r.items)
        CHECK_MESSAGE(item.covered(), item.where.file << ":" << item.where.line << ": " << item.uncovered_text());
    CHECK(r.rules == r.rules_covered);
    CHECK(r.boundaries == r.boundaries_covered);
    CHECK(r.rules > 70);
    CHECK(r.boundaries > 80);
    // The briefing cap (at most 5 of a shortfall of at most 2) and the publicity clause's floor
    // (its two rules take at most 5 + 2 of 20) cannot be reached: they are not boundaries.
    CHECK(r.unreachable.size() == 2);
}

// ---- Snapshot update

TEST_CASE("test --update rewrites each failed expectation to its actual value and nothing else") {
    TempDir tmp("update");
    fs::create_directories(tmp.path / "weak");
    fs::create_directories(tmp.path / "update");
    fs::copy_file(kSource + "/tests/policy/weak/rules.kh", tmp.path / "weak" / "rules.kh");
    const std::string file = (tmp.path / "update" / "update.test.kh").string();
    fs::copy_file(kSource + "/tests/policy/update/update.test.kh", file);

    kaohe::TestReport before = kaohe::run_tests(file);
    CHECK(before.failed() == 2);
    policy::UpdateReport updates = policy::apply_updates({before, before});  // reached twice: once each
    CHECK(updates.ok());
    CHECK(updates.applied());
    std::vector<std::string> got;
    for (const auto& u : updates.updates) {
        CHECK(u.applied);
        got.push_back(std::to_string(u.line) + ": " + u.expectation + " -> " + u.actual);
    }
    CHECK(got == std::vector<std::string>{
                     "9: expect main.discipline = 7 -> 6",
                     "17: expect bonus = 1.0 -> 0.5",
                     "18: expect grade = \"合格\" -> \"不合格\"",
                 });
    CHECK(slurp(file) == slurp(kSource + "/tests/policy/update/update.expected.kh"));
    CHECK(kaohe::run_tests(file).failed() == 0);
    // Nothing left to update: a second run changes nothing.
    CHECK(policy::apply_updates({kaohe::run_tests(file)}).updates.empty());
}

TEST_CASE("a value with no finite decimal form is expected as a fraction or as rounded, and updated so") {
    TempDir tmp("update-third");
    const std::string file = (tmp.path / "third.test.kh").string();
    const std::string rules = R"(policy "third" year 2022 round 2 half_up
measure x "x" decimal >= 0
role r "r"
section s "s" 10 { clause c "c" 10 { deduct x / 3 } }
)";
    auto test_with = [&](const std::string& expect) {
        spit(file, rules + "test \"a third\" {\n  role r\n  measures { x: 1 }\n  " + expect + "\n}\n");
        return kaohe::run_tests(file);
    };
    auto passes = [&](const std::string& expect) {
        const kaohe::TestReport r = test_with(expect);
        return r.diagnostics.empty() && r.tests.size() == 1 && r.failed() == 0;
    };
    // 10 - 1/3 = 29/3 (9.67 as the policy rounds it).
    CHECK(passes("expect s.c = 29/3"));
    CHECK(passes("expect s.c = 58 / 6"));
    CHECK(passes("expect s.c = 9.67 rounded"));
    CHECK_FALSE(passes("expect s.c = 9.67"));
    CHECK_FALSE(passes("expect s.c = 9.666 rounded"));
    // The denominator is a plain number; a zero one is an error of the file.
    const kaohe::TestReport negative = test_with("expect s.c = 29/-3");
    REQUIRE(negative.diagnostics.size() == 1);
    CHECK(negative.diagnostics[0].code == "P001");
    const kaohe::TestReport zero = test_with("expect s.c = 29/0");
    REQUIRE(zero.diagnostics.size() == 1);
    CHECK(zero.diagnostics[0].code == "C011");

    // An exact expectation that fails prints the exact value, not a figure that looks equal.
    kaohe::TestReport exact = test_with("expect s.c = 9.67");
    REQUIRE(exact.tests.size() == 1);
    REQUIRE(exact.tests[0].failures.size() == 1);
    CHECK(exact.tests[0].failures[0] == "expect s.c = 9.67: actual 29/3 (9.67 as rounded)");
    auto updates = policy::apply_updates({exact}).updates;
    REQUIRE(updates.size() == 1);
    CHECK(updates[0].applied);
    CHECK(updates[0].actual == "29/3");
    CHECK(slurp(file).find("  expect s.c = 29/3\n") != std::string::npos);
    CHECK(kaohe::run_tests(file).failed() == 0);

    // A rounded expectation that fails says both figures; the update keeps `rounded`.
    kaohe::TestReport rounded = test_with("expect s.c = 9.66 rounded  # as printed");
    REQUIRE(rounded.tests.size() == 1);
    REQUIRE(rounded.tests[0].failures.size() == 1);
    CHECK(rounded.tests[0].failures[0] == "expect s.c = 9.66 rounded: actual 9.67 as rounded (exactly 29/3)");
    updates = policy::apply_updates({rounded}).updates;
    REQUIRE(updates.size() == 1);
    CHECK(updates[0].applied);
    CHECK(slurp(file).find("  expect s.c = 9.67 rounded  # as printed\n") != std::string::npos);
    CHECK(kaohe::run_tests(file).failed() == 0);

    // A fraction that is not the value fails, with the value as a fraction.
    kaohe::TestReport third = test_with("expect s.c = 10/3");
    REQUIRE(third.tests.size() == 1);
    CHECK(third.tests[0].failures == std::vector<std::string>{"expect s.c = 10/3: actual 29/3 (9.67 as rounded)"});
}

TEST_CASE("without a `round` declaration, `rounded` uses the stated default: 2 places, half_up") {
    TempDir tmp("rounded-default");
    const std::string file = (tmp.path / "third.test.kh").string();
    auto passes = [&](const std::string& expect) {
        spit(file, "policy \"third\" year 2022\nmeasure x \"x\" decimal >= 0\nrole r \"r\"\n"
                   "section s \"s\" 10 { clause c \"c\" 10 { deduct x / 3 } }\n"
                   "test \"t\" {\n  role r\n  measures { x: 1 }\n  " + expect + "\n}\n");
        const kaohe::TestReport r = kaohe::run_tests(file);
        return r.diagnostics.empty() && r.tests.size() == 1 && r.failed() == 0;
    };
    // 29/3 = 9.666...: half_up to 2 places is 9.67; down or 1 place would differ.
    CHECK(passes("expect s.c = 9.67 rounded"));
    CHECK_FALSE(passes("expect s.c = 9.66 rounded"));
    CHECK_FALSE(passes("expect s.c = 9.7 rounded"));
    CHECK(passes("expect s.c = 29/3"));
}

// ---- Impact of a change

// tests/policy/diff/old.kh → new.kh: the version; `absent` removed (with its rule); the mistake
// range's upper end 4 → 5; `praise` added (with a clause); `study` renamed `learning` (same label,
// same rules but for its threshold 3000 → 4000); the province award 3 → 6; grades added.
TEST_CASE("diff: the structural difference names each change with both places") {
    const std::string dir = kSource + "/tests/policy/diff/";
    policy::StructuralDiff d = policy::structural_diff(dir + "old.kh", dir + "new.kh");
    REQUIRE(d.ok());
    std::vector<std::string> got;
    for (const auto& c : d.changes) {
        std::string s = c.change + " " + c.what + " " + c.path + " " + std::to_string(c.old_where.line) + "/" +
                        std::to_string(c.new_where.line);
        for (const auto& [a, b] : c.numbers) s += " " + a + "->" + b;
        got.push_back(s);
    }
    CHECK(got == std::vector<std::string>{
                     "changed policy policy 2/2",
                     "removed event absent 7/0",
                     "changed event mistake 6/6 4->5",
                     "added event praise 0/8",
                     "renamed clause main.study -> main.learning 18/17",
                     "added clause bonus.praise 0/26",
                     "removed rule main.discipline 16/0",
                     "changed rule main.learning 19/18 3000->4000",
                     "changed rule bonus.awards 25/24 3->6",
                     "added grades grades 0/31",
                 });
    const std::string text = d.changes[8].text();
    CHECK(text.find("old " + dir + "old.kh:25:5: add each award by level { county: 1, province: 3 }") != std::string::npos);
    CHECK(d.changes[2].json().find("\"numbers\":[[\"4\",\"5\"]]") != std::string::npos);
    // The report renders its changes, then their count.
    CHECK(d.text().starts_with(d.changes[0].text()));
    CHECK(d.text().ends_with(text + d.changes[9].text() + "10 changes\n"));
    CHECK(d.json().starts_with("{\"changes\":[" + d.changes[0].json() + ","));
    CHECK(d.json().ends_with("],\"summary\":{\"changes\":10}}"));
}

// The numbers listed are the literals of what changed, as written (the IR keeps each with its
// span): the year of the header, a measure's bounds and default, a clause's maximum, the numbers of
// a rule, grade thresholds; a digit inside a label or a citation is text, not a number.
TEST_CASE("diff: the numbers that changed are the literals as written, not digits in quoted text") {
    TempDir tmp("numbers");
    const std::string head = "policy \"n\" version \"1\" year ";
    const std::string body =
        "event late \"迟到\"\n"
        "measure notes \"笔记\" decimal 0..{LO} default {DEF}\n"
        "role staff \"职员\"\n"
        "section main \"主体\" 20 {\n"
        "  clause discipline \"纪律\" {MAX} cite \"第 {CITE} 条\" {\n"
        "    deduct {EACH} each late at most {CAP}\n"
        "    deduct 1 per 1000 short of {T} in notes rounding up\n"
        "  }\n"
        "}\n"
        "grades { \"优秀\" >= {G}, \"合格\" otherwise }\n";
    auto write = [&](const std::string& name, const std::map<std::string, std::string>& v) {
        std::string text = head + v.at("YEAR") + " round 2 half_up\n" + body;
        for (const auto& [k, x] : v)
            for (std::size_t at; (at = text.find("{" + k + "}")) != std::string::npos;) text.replace(at, k.size() + 2, x);
        const std::string path = (tmp.path / name).string();
        spit(path, text);
        return path;
    };
    const std::string a = write("a.kh", {{"YEAR", "2022"}, {"LO", "100"}, {"DEF", "0"}, {"MAX", "10"}, {"CITE", "3"},
                                         {"EACH", "2"}, {"CAP", "3"}, {"T", "3000"}, {"G", "90"}});
    const std::string b = write("b.kh", {{"YEAR", "2023"}, {"LO", "100.0"}, {"DEF", "5"}, {"MAX", "12"}, {"CITE", "4"},
                                         {"EACH", "2.5"}, {"CAP", "3"}, {"T", "4000"}, {"G", "85"}});
    const policy::StructuralDiff d = policy::structural_diff(a, b);
    REQUIRE_MESSAGE(d.ok(), kaohe::render(d.diagnostics));
    std::vector<std::string> got;
    for (const auto& c : d.changes) {
        std::string s = c.change + " " + c.what + " " + c.path + ":";
        for (const auto& [x, y] : c.numbers) s += " " + x + "->" + y;
        got.push_back(s);
    }
    CHECK(got == std::vector<std::string>{
                     "changed policy policy: 2022->2023",
                     "changed measure notes: 100->100.0 0->5",
                     "changed clause main.discipline: 10->12",
                     "changed rule main.discipline: 2->2.5",
                     "changed rule main.discipline: 3000->4000",
                     "changed grades grades: 90->85",
                 });
}

// A copy of the seed ruleset with one number changed (an unexcused study absence costs 3, not
// 2): the records whose totals change, and by how much, are recounted independently by scoring
// each record under both rulesets through Ruleset::evaluate.
TEST_CASE("diff --batch: exactly the records whose totals change, by how much, as a recount confirms") {
    TempDir tmp("batch");
    fs::copy(kSource + "/rulesets/seed", tmp.path / "seed", fs::copy_options::recursive);
    const std::string public_kh = (tmp.path / "seed" / "public.kh").string();
    std::string text = slurp(public_kh);
    const std::string from = "deduct 2 each study_absence", to = "deduct 3 each study_absence";
    REQUIRE(text.find(from) != std::string::npos);
    text.replace(text.find(from), from.size(), to);
    spit(public_kh, text);
    const std::string old_rules = kSource + "/rulesets/seed/seed.kh", new_rules = (tmp.path / "seed" / "seed.kh").string();

    std::string input;
    kaohe_bench::Generator gen(7);
    for (int i = 0; i < 3000; ++i) {
        kaohe_bench::append_json(input, gen.next());
        input += '\n';
        if (i == 100) input += "{\"id\": \"bad\", \"role\": \"nobody\", \"year\": 2022}\n";  // reported, not fatal
        if (i == 200) input += "\n";                                                       // blank: not a record
    }
    std::map<std::string, std::pair<kaohe::Number, kaohe::Number>> reported;
    std::istringstream in(input);
    std::vector<std::size_t> lines;
    policy::BatchDiffOptions options;
    options.threads = 3;
    const policy::ImpactReport summary = policy::diff_batch(old_rules, new_rules, in, options,
                                                            [&](const policy::RecordDiff& d) {
                                                                lines.push_back(d.line);
                                                                if (!d.error && !d.delta.is_zero())
                                                                    reported[d.id] = {d.old_total, d.delta};
                                                            });
    REQUIRE_MESSAGE(summary.ok(), summary.error);
    CHECK(std::is_sorted(lines.begin(), lines.end()));  // in input order
    CHECK(summary.records == 3001);
    CHECK(summary.errors == 1);

    auto a = kaohe::Ruleset::compile_file(old_rules), b = kaohe::Ruleset::compile_file(new_rules);
    REQUIRE(a.ruleset);
    REQUIRE(b.ruleset);
    std::map<std::string, std::pair<kaohe::Number, kaohe::Number>> recount;
    std::istringstream again(input);
    std::string line;
    kaohe::Number down_sum;
    while (std::getline(again, line)) {
        if (line.empty()) continue;
        auto ea = a.ruleset->evaluate(line), eb = b.ruleset->evaluate(line);
        if (!ea.ok() || !eb.ok()) continue;
        const kaohe::Number delta = eb.result().total() - ea.result().total();
        if (!delta.is_zero()) recount[ea.result().id()] = {ea.result().total(), delta};
    }
    CHECK(!recount.empty());
    CHECK(reported == recount);
    CHECK(summary.down == recount.size());
    CHECK(summary.up == 0);
    for (const auto& [id, v] : recount) CHECK(v.second.is_negative());
    REQUIRE(summary.top.size() == 10);
    CHECK(summary.top[0].delta.abs() >= summary.top[9].delta.abs());
    CHECK_FALSE(summary.top[0].lines.empty());
    CHECK(summary.json() == "{\"summary\":{\"records\":3001,\"changed\":" + std::to_string(summary.changed) +
                                ",\"up\":0,\"down\":" + std::to_string(recount.size()) + ",\"errors\":1}}");
}

TEST_CASE("diff --batch: a changed record's JSON line holds its totals and the clauses that moved") {
    policy::RecordDiff d;
    d.id = "2022-001";
    d.old_total = kaohe::Number(95);
    d.new_total = kaohe::Number::fraction(189, 2);
    d.delta = d.new_total - d.old_total;
    d.paths.push_back({"public.study", {kaohe::Number(12), kaohe::Number::fraction(23, 2)}});
    d.paths.push_back({"bonus.x", {std::nullopt, kaohe::Number(0)}});
    d.places = 2;
    d.rounding = kaohe::Rounding::half_up;
    CHECK(d.json() ==
          "{\"id\":\"2022-001\",\"old\":95,\"new\":94.5,\"delta\":-0.5,\"paths\":{\"public.study\":[12,11.5],\"bonus.x\":[null,0]}}");
}

// A rule's citation is text, not a figure: no mutant touches it, and a cap removed before it
// leaves it in place. A changed citation is a changed rule in a diff, with no numbers.
TEST_CASE("a rule's citation: mutation testing leaves it alone, diff lists its change") {
    TempDir tmp("rule-cite");
    const std::string head = "policy \"c\" year 2022\nevent late \"迟到\"\nrole staff \"职员\"\n";
    auto text = [&](const std::string& cite) {
        return head + "section main \"主体\" 10 {\n  clause conduct \"师德\" 10 {\n"
                      "    deduct 2 each late at most 4 cite \"" + cite + "\"\n  }\n}\n";
    };
    const std::string a = (tmp.path / "a.kh").string(), b = (tmp.path / "b.kh").string();
    spit(a, text("第3项"));
    spit(b, text("第4项"));
    kaohe::CompileResult c = kaohe::Ruleset::compile_file(a);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const std::string source = slurp(a);
    const std::size_t cite_at = source.find("cite \"");
    const std::vector<policy::Mutant> mutants = policy::mutants_of(*c.ruleset);
    REQUIRE(!mutants.empty());
    bool cap_removed = false;
    for (const auto& m : mutants) {
        CHECK(m.end <= cite_at);
        if (m.kind != "cap removed") continue;
        cap_removed = true;
        std::string mutated = source;
        mutated.replace(m.begin, m.end - m.begin, m.replacement);
        CHECK(mutated.find("deduct 2 each late cite \"第3项\"") != std::string::npos);
    }
    CHECK(cap_removed);
    const policy::StructuralDiff d = policy::structural_diff(a, b);
    REQUIRE_MESSAGE(d.ok(), kaohe::render(d.diagnostics));
    REQUIRE(d.changes.size() == 1);
    CHECK(d.changes[0].change == "changed");
    CHECK(d.changes[0].what == "rule");
    CHECK(d.changes[0].old_text == "deduct 2 each late at most 4 cite \"第3项\"");
    CHECK(d.changes[0].new_text == "deduct 2 each late at most 4 cite \"第4项\"");
    CHECK(d.changes[0].numbers.empty());
}

TEST_CASE("mutation testing: a condition with no comparison to flip is negated whole") {
    auto c = kaohe::Ruleset::compile_text(R"(policy "n" year 2022
group star "标兵"
fact has_system "是否建立制度" yes/no
measure marks "得分" decimal 0..100
section s "s" 10 {
  clause a "a" 10 {
    deduct 2 when not has_system
    deduct 1 when star and has_system
    deduct 3 when marks < 60
  }
}
)",
                                          "n.kh");
    REQUIRE(c.ruleset);
    std::vector<std::string> negated;
    for (const auto& m : policy::mutants_of(*c.ruleset))
        if (m.kind == "condition") negated.push_back(std::to_string(m.where.line) + ": " + m.before + " -> " + m.after);
    // `marks < 60` has its comparison flipped instead (`<` → `<=`): it is not negated as well.
    CHECK(negated == std::vector<std::string>{"7: not has_system -> not (not has_system)",
                                              "8: star and has_system -> not (star and has_system)"});
}

// A line a fact scores (a table over a standing, a rule on a yes/no fact's condition) and a scale
// measure's line are named in a batch diff as the scorecard names them, not as "(expression)".
TEST_CASE("diff --batch: lines scored by a fact name the fact and its value; a scale measure's its label") {
    TempDir tmp("fact-lines");
    const std::string rules = R"(policy "t" year 2024
fact mentor "导师" yes/no default no
standing title "职称" { senior "高级", junior "初级" }
measure rating "测评" scale { 优秀: 95, 良好: 85 }
section a "A" 100 {
  clause r "R" 20 { deduct 1 per 5 below 95 in rating linear }
  clause t "T" 10 from 0 { add by title { senior: 10, otherwise: 3 } }
}
section b "B" uncapped { clause m "M" { add 1 when mentor } }
)";
    std::string changed = rules;
    changed.replace(changed.find("otherwise: 3"), 12, "otherwise: 2");
    changed.replace(changed.find("add 1 when"), 10, "add 2 when");
    changed.replace(changed.find("per 5 below"), 11, "per 2 below");
    spit((tmp.path / "old.kh").string(), rules);
    spit((tmp.path / "new.kh").string(), changed);
    std::istringstream in(R"({"id": "x", "year": 2024, "measures": {"rating": "良好"}, "facts": {"mentor": true, "title": "junior"}})");
    const policy::ImpactReport report =
        policy::diff_batch((tmp.path / "old.kh").string(), (tmp.path / "new.kh").string(), in, {}, [](const policy::RecordDiff&) {});
    REQUIRE_MESSAGE(report.ok(), report.error);
    REQUIRE(report.top.size() == 1);
    std::string lines;
    for (const auto& l : report.top[0].lines) lines += l + "\n";
    INFO(lines);
    CHECK(lines.find("(expression)") == std::string::npos);
    CHECK(lines.find("a.t  +3  title = junior") != std::string::npos);
    CHECK(lines.find("a.t  +2  title = junior") != std::string::npos);
    CHECK(lines.find("b.m  +1  mentor = yes") != std::string::npos);
    CHECK(lines.find("a.r  -2  rating = 85 (良好)") != std::string::npos);
}
