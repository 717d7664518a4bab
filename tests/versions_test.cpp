// A scheme's versions by assessment year (a manifest, `versions.kh`): each record scored by the
// version for its year, the result naming it, and last year's records under next year's version.
#include <doctest/doctest.h>

#include <sstream>

#include "kaohe/batch.hpp"
#include "kaohe/policy.hpp"
#include "support.hpp"

using namespace kaohe;

namespace {
// tests/golden/rules/versions/: 考勤考核 2022 deducts 2 per late arrival, 2023 deducts 3.
const std::string kFolder = "tests/golden/rules/versions";

Ruleset versions() {
    CompileResult c = Ruleset::compile_file(kFolder);
    REQUIRE_MESSAGE(c.ruleset, render(c.diagnostics));
    return *c.ruleset;
}

std::string late_once(int year) {
    return R"({"id":"1","year":)" + std::to_string(year) + R"(,"events":[{"type":"late","date":")" +
           std::to_string(year) + R"(-03-02"}]})";
}
}  // namespace

TEST_CASE("a folder of versions scores each record by the version for its year") {
    const Ruleset r = versions();
    CHECK(r.evaluate(late_once(2022)).result().total() == Number(8));
    CHECK(r.evaluate(late_once(2023)).result().total() == Number(7));
}

TEST_CASE("a manifest named directly compiles as its folder does") {
    CompileResult c = Ruleset::compile_file(kFolder + "/versions.kh");
    REQUIRE_MESSAGE(c.ruleset, render(c.diagnostics));
    CHECK(c.ruleset->evaluate(late_once(2023)).result().total() == Number(7));
}

TEST_CASE("a result names the version that scored it, in its receipt") {
    const Evaluation e = versions().evaluate(late_once(2023));
    REQUIRE(e.ok());
    CHECK(e.result().version() == "2023");
    CHECK(e.result().total() == Number(7));
    CHECK(e.result().json().find(R"("receipt":{"policy":"考勤考核","version":"2023","ruleset":"sha256:)") != std::string::npos);
}

TEST_CASE("a result of a ruleset of one rule file names that file's version") {
    const Evaluation e = Ruleset::compile_file(kFolder + "/attendance-2022.kh").ruleset->evaluate(late_once(2022));
    REQUIRE(e.ok());
    CHECK(e.result().version() == "2022");
    CHECK(e.result().json().find(R"("receipt":{"policy":"考勤考核","version":"2022",)") != std::string::npos);
}

TEST_CASE("a record for a year no version is for is R007 naming the years there are") {
    const Evaluation e = versions().evaluate(late_once(2021));
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "R007");
    CHECK(e.error().where == "year");
    CHECK(e.error().id == "1");
    CHECK(e.error().message == "the record is for 2021 but the scheme has versions for the years 2022 and 2023 only");
}

TEST_CASE("a ruleset of versions lists them by year and gives the one for a year") {
    const Ruleset r = versions();
    const std::vector<Ruleset::Version> v = r.versions();
    REQUIRE(v.size() == 2);
    CHECK(v[0].label == "2022");
    CHECK(v[0].year == 2022);
    CHECK(v[1].label == "2023");
    CHECK(r.year() == 2023);  // the latest answers for the whole
    REQUIRE(r.for_year(2022));
    CHECK(r.for_year(2022)->year() == 2022);
    CHECK_FALSE(r.for_year(2024));
}

TEST_CASE("a ruleset of one rule file has no versions and is itself for its year") {
    const Ruleset r = *Ruleset::compile_file(kFolder + "/attendance-2022.kh").ruleset;
    CHECK(r.versions().empty());
    CHECK(r.for_year(2022));
    CHECK_FALSE(r.for_year(2023));
}

TEST_CASE("a batch scores each line by the version for its year and names it") {
    std::istringstream in(late_once(2022) + "\n" + late_once(2023) + "\n" + late_once(2021) + "\n");
    std::ostringstream out;
    const BatchStats s = evaluate_batch(versions(), in, out);
    CHECK(s.records == 3);
    CHECK(s.failed == 1);
    std::istringstream lines(out.str());
    std::string a, b, c;
    std::getline(lines, a);
    std::getline(lines, b);
    std::getline(lines, c);
    CHECK(a.find(R"("total":8,)") != std::string::npos);
    CHECK(a.find(R"("version":"2022","ruleset":"sha256:)") != std::string::npos);
    CHECK(b.find(R"("total":7,)") != std::string::npos);
    CHECK(b.find(R"("version":"2023","ruleset":"sha256:)") != std::string::npos);
    CHECK(c.find(R"("where":"line 3: year")") != std::string::npos);
}

TEST_CASE("a unit record is read against its year's version and serves only records of that year") {
    const Ruleset r = versions();
    RecordError why;
    const std::optional<Unit> unit = r.read_unit(R"({"year":2022,"events":[]})", &why);
    REQUIRE_MESSAGE(unit, why.message);
    CHECK(r.evaluate(late_once(2022), &*unit).ok());
    const Evaluation e = r.evaluate(late_once(2023), &*unit);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "R007");
    CHECK(e.error().message == "the unit record is for 2022, the record for 2023");
}

TEST_CASE("diff --as-year scores last year's records by next year's version, dates moved") {
    std::istringstream in(late_once(2022) + "\n");
    policy::BatchDiffOptions options;
    options.as_year = true;
    std::vector<policy::RecordDiff> diffs;
    const policy::ImpactReport report =
        policy::diff_batch(kFolder + "/attendance-2022.kh", kFolder + "/attendance-2023.kh", in, options,
                           [&](const policy::RecordDiff& d) { diffs.push_back(d); });
    REQUIRE_MESSAGE(report.ok(), report.error);
    REQUIRE(diffs.size() == 1);
    CHECK_FALSE(diffs[0].error);
    CHECK(diffs[0].delta == Number(-1));
}

TEST_CASE("diff without --as-year refuses last year's records under next year's version") {
    std::istringstream in(late_once(2022) + "\n");
    std::vector<policy::RecordDiff> diffs;
    policy::diff_batch(kFolder + "/attendance-2022.kh", kFolder + "/attendance-2023.kh", in, {},
                       [&](const policy::RecordDiff& d) { diffs.push_back(d); });
    REQUIRE(diffs.size() == 1);
    CHECK(diffs[0].error);
    CHECK(diffs[0].error_text == "new: year: the record is for 2022 but the ruleset assesses 2023");
}

TEST_CASE("diff --as-year with a unit record is refused") {
    std::istringstream in(late_once(2022) + "\n");
    policy::BatchDiffOptions options;
    options.as_year = true;
    options.unit_path = "examples/records/unit.json";
    const policy::ImpactReport report = policy::diff_batch(kFolder + "/attendance-2022.kh", kFolder + "/attendance-2023.kh",
                                                           in, options, [](const policy::RecordDiff&) {});
    CHECK_FALSE(report.ok());
}

TEST_CASE("in a batch over a scheme's versions each year's people are a population of their own") {
    // tests/golden/rules/versions_quota/: 优秀 from 8 of 10, at most 50% of a unit, ties all in;
    // 2022 pays 优秀 1.2 and 称职 1.0, 2023 pays 1.5 and 1.1. 2022: A 10 and B 8 both reach 优秀,
    // 50% of 2 = 1, so A keeps it and B gets 称职 at 2022's 1.0. 2023: C and D tie at 10, 50% of
    // 2 = 1, ties all in, so both keep it at 1.5. Pooled, the quota would read "of 4".
    CompileResult c = Ruleset::compile_file("tests/golden/rules/versions_quota");
    REQUIRE_MESSAGE(c.ruleset, render(c.diagnostics));
    std::istringstream in(R"({"id":"A","year":2022,"events":[]})"
                          "\n"
                          R"({"id":"B","year":2022,"events":[{"type":"late","date":"2022-03-02"}]})"
                          "\n"
                          R"({"id":"C","year":2023,"events":[]})"
                          "\n"
                          R"({"id":"D","year":2023,"events":[]})"
                          "\n");
    std::vector<std::string> grades, pay, quota;
    evaluate_batch(*c.ruleset, in, [&](const BatchItem& item) {
        REQUIRE(item.evaluation.ok());
        const Result& r = item.evaluation.result();
        grades.push_back(r.grade().value_or(""));
        pay.push_back(r.coefficients().at(0).value.to_string());
        quota.push_back(r.outcome()->quota);
    });
    CHECK(grades == std::vector<std::string>{"优秀", "称职", "优秀", "优秀"});
    CHECK(pay == std::vector<std::string>{"1.2", "1", "1.5", "1.5"});
    for (const std::string& q : quota) CHECK(q.find("50% of 2 = 1") != std::string::npos);
}
