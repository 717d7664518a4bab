// Facts that are not numbers (`fact ID "LABEL" yes/no`, `standing ID "LABEL" { value "label", ... }`)
// and measures from a fixed scale (`scale { 优秀: 95, ... }`): read from a record by name, used in
// conditions and points tables, and rejected with the allowed values when wrong.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <string>

#include "kaohe/kaohe.hpp"
#include "kaohe/policy.hpp"
#include "kaohe/testing.hpp"

namespace {

const std::string kRules = R"(policy "t" year 2022
fact has_system "是否建立考勤制度" yes/no
standing village_kind "村类型" { autonomous "村民自治村", qualified "合格村", other "其他" }
measure rating "民主测评" scale { 优秀: 95, 良好: 85, 一般: 75, 较差: 65 } default 75
section s "s" 20 {
  clause system "制度" 4 { deduct 4 when not has_system }
  clause kind "类型" 6 { deduct 6  add by village_kind { autonomous: 2, qualified: 1, otherwise: 0.5 } }
  clause review "测评" 10 { deduct 0.1 per 1 short of 95 in rating linear }
}
)";

kaohe::Evaluation eval(const std::string& record) {
    auto c = kaohe::Ruleset::compile_text(kRules, "t.kh");
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    return c.ruleset->evaluate(record);
}

std::string record(const std::string& facts, const std::string& measures = "{}") {
    return R"({"id": "p", "year": 2022, "facts": )" + facts + R"(, "measures": )" + measures + "}";
}

}  // namespace

TEST_CASE("facts are read by id, by label, and a yes/no fact by true or false") {
    for (const char* facts : {R"({"has_system": true, "village_kind": "autonomous"})",
                              R"({"has_system": "yes", "village_kind": "村民自治村"})",
                              R"({"has_system": "是", "village_kind": "autonomous"})"}) {
        INFO(facts);
        auto e = eval(record(facts));
        REQUIRE(e.ok());
        CHECK(*e.result().score("s.system") == kaohe::Number(4));
        CHECK(*e.result().score("s.kind") == kaohe::Number(2));
    }
    auto e = eval(record(R"({"has_system": false, "village_kind": "qualified"})"));
    REQUIRE(e.ok());
    CHECK(*e.result().score("s.system") == kaohe::Number(0));
    CHECK(*e.result().score("s.kind") == kaohe::Number(1));
}

TEST_CASE("a points table over a fact says the fact and its value on its line, and when its otherwise gave the points") {
    auto e = eval(record(R"({"has_system": true, "village_kind": "other"})"));
    REQUIRE(e.ok());
    CHECK(*e.result().score("s.kind") == kaohe::Number::from_decimal("0.5").value());
    bool found = false;
    for (const auto& l : e.result().lines()) {
        if (l.fact.empty()) continue;
        found = true;
        CHECK(l.fact == "village_kind");
        CHECK(l.fact_value == "other");
        CHECK(l.otherwise);
        CHECK_FALSE(l.value.has_value());
    }
    CHECK(found);
    CHECK(e.json().find(R"("fact":"village_kind","value":"other","otherwise":true)") != std::string::npos);
    CHECK(e.result().text().find("村类型: 其他 (other) (not in the table: otherwise 0.5)") != std::string::npos);
}

TEST_CASE("a fact's wrong value names the allowed values; a missing one is R004") {
    auto e = eval(record(R"({"has_system": true, "village_kind": "township"})"));
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "R006");
    CHECK(e.error().where == "facts.village_kind");
    CHECK(e.error().message.find("expected one of `autonomous` (村民自治村), `qualified` (合格村), `other` (其他)") !=
          std::string::npos);
    e = eval(record(R"({"has_system": "maybe", "village_kind": "other"})"));
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "R006");
    CHECK(e.error().message.find("expected true or false") != std::string::npos);
    e = eval(record(R"({"has_system": true, "village_kind": false})"));
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "R006");
    e = eval(record(R"({"village_kind": "other"})"));
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "R004");
    CHECK(e.error().where == "facts.has_system");
}

TEST_CASE("a measure on a scale takes only the scale's numbers, or its labels") {
    const std::string facts = R"({"has_system": true, "village_kind": "other"})";
    auto e = eval(record(facts, R"({"rating": 85})"));
    REQUIRE(e.ok());
    CHECK(*e.result().score("s.review") == kaohe::Number(9));
    e = eval(record(facts, R"({"rating": "较差"})"));
    REQUIRE(e.ok());
    CHECK(*e.result().score("s.review") == kaohe::Number(7));
    CHECK(e.result().text().find("民主测评 rating = 65 (较差)") != std::string::npos);
    e = eval(record(facts));  // the default, 75
    REQUIRE(e.ok());
    CHECK(*e.result().score("s.review") == kaohe::Number(8));
    e = eval(record(facts, R"({"rating": 88})"));
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "R006");
    CHECK(e.error().message == "measure `rating` is 88, not on its scale: 优秀 95, 良好 85, 一般 75, 较差 65");
}

TEST_CASE("a condition on a standing's value that it does not have is C004 with the nearest value") {
    auto c = kaohe::Ruleset::compile_text(
        R"(policy "t" year 2022
standing village_kind "村类型" { autonomous "村民自治村", other "其他" }
section s "s" 4 { clause c "c" 4 { deduct 4 when village_kind = autonomus } }
)",
        "t.kh");
    CHECK_FALSE(c.ruleset);
    const std::string text = kaohe::render(c.diagnostics);
    CHECK(text.find("error[C004]: `autonomus` is not a value of standing `village_kind` (did you mean `autonomous`?)") !=
          std::string::npos);
}

TEST_CASE("diff lists a yes/no fact as a fact and a standing as a standing") {
    const std::string body = "section s \"s\" 4 { clause c \"c\" 2 from 0 { add by kind { a: 2, b: 1 } }"
                             " clause d \"d\" 2 { deduct 2 when not has } }\n";
    const auto dir = std::filesystem::temp_directory_path() / ("kaohe-facts-diff-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto write = [&](const char* name, const char* fact, const char* standing) {
        std::ofstream(dir / name) << "policy \"x\" year 2024\nfact has \"" << fact << "\" yes/no\nstanding kind \""
                                  << standing << "\" { a \"甲\", b \"乙\" }\n" << body;
        return (dir / name).string();
    };
    const std::string a = write("d1.kh", "有制度", "村类型"), b = write("d2.kh", "有无制度", "村的类型");
    const kaohe::policy::StructuralDiff d = kaohe::policy::structural_diff(a, b);
    std::filesystem::remove_all(dir);
    REQUIRE_MESSAGE(d.ok(), d.error);
    std::vector<std::string> got;
    for (const auto& c : d.changes) got.push_back(c.change + " " + c.what + " " + c.path);
    CHECK(got == std::vector<std::string>{"changed fact has", "changed standing kind"});
}

TEST_CASE("a rule on a yes/no fact's condition names the fact and its value on its line; a scale measure's line its label") {
    auto e = eval(record(R"({"has_system": false, "village_kind": "other"})", R"({"rating": "良好"})"));
    REQUIRE(e.ok());
    const std::string json = e.json();
    CHECK(json.find(R"("path":"s.system","kind":"value","fact":"has_system","value":"no","points":-4)") != std::string::npos);
    CHECK(json.find(R"("measure":"rating","value":85,"label":"良好")") != std::string::npos);
    bool fact = false, label = false;
    for (const auto& l : e.result().lines()) {
        if (l.path == "s.system") fact = l.fact == "has_system" && l.fact_value == "no" && !l.otherwise;
        if (l.path == "s.review") label = l.label == "良好" && l.measure == "rating";
    }
    CHECK(fact);
    CHECK(label);
    // A value off the scale's labels cannot occur (the record is refused), and a measure without
    // a scale has no label: the field is left out.
    CHECK(json.find(R"("label")") == json.rfind(R"("label")"));
}

TEST_CASE("a fact's or a scale's value that only looks right is named, with the value as meant") {
    struct Case {
        const char* facts;
        const char* measures;
        const char* message;
    };
    const Case cases[] = {
        {R"({"has_system": true, "village_kind": "ａｕｔｏｎｏｍｏｕｓ"})", "{}",
         "fact `village_kind` is `ａｕｔｏｎｏｍｏｕｓ` (did you mean `autonomous`?): it contains a full-width letter `ａ` (U+FF41) "
         "where the ASCII `a` was meant; expected one of `autonomous` (村民自治村), `qualified` (合格村), `other` (其他)"},
        {R"({"has_system": true, "village_kind": "autono\u200bmous"})", "{}",
         "fact `village_kind` is `autono\u200bmous` (did you mean `autonomous`?): it contains an invisible zero-width space "
         "(U+200B); expected one of `autonomous` (村民自治村), `qualified` (合格村), `other` (其他)"},
        {R"({"has_system": "ｙｅｓ", "village_kind": "other"})", "{}",
         "fact `has_system` is `ｙｅｓ` (did you mean `yes`?): it contains a full-width letter `ｙ` (U+FF59) where the ASCII `y` "
         "was meant; expected true or false (or the strings \"yes\" or \"no\", \"是\" or \"否\")"},
        {R"({"has_system": "false", "village_kind": "other"})", "{}",
         "fact `has_system` is the string \"false\": write the JSON value false, without quotes; expected true or false (or the "
         "strings \"yes\" or \"no\", \"是\" or \"否\")"},
        {R"({"has_system": true, "village_kind": 1})", "{}",
         "`facts.village_kind` must be one of `autonomous` (村民自治村), `qualified` (合格村), `other` (其他), not a number"},
        {R"({"has_system": true, "village_kind": "other"})", R"({"rating": "良\u200b好"})",
         "measure `rating` is `良\u200b好` (did you mean `良好`?): it contains an invisible zero-width space (U+200B); not a label "
         "of its scale: 优秀 95, 良好 85, 一般 75, 较差 65"},
    };
    for (const Case& c : cases) {
        INFO(c.facts, " ", c.measures);
        const auto e = eval(record(c.facts, c.measures));
        REQUIRE_FALSE(e.ok());
        CHECK(e.error().message == c.message);
    }
}

TEST_CASE("a NUL in a record's text does not cut its error short") {
    const auto e = eval(record(std::string(R"({"has_system": true, "village_kind": "ot\u0000her"})")));
    REQUIRE_FALSE(e.ok());
    // (doctest prints a failing value as a C string: compared here in two parts around the NUL.)
    const std::string& m = e.error().message;
    const std::string tail = "her` (did you mean `other`?): it contains an invisible control character NUL (U+0000); "
                             "expected one of `autonomous` (村民自治村), `qualified` (合格村), `other` (其他)";
    CHECK(m.size() == std::string("fact `village_kind` is `ot").size() + 1 + tail.size());
    CHECK(m.starts_with("fact `village_kind` is `ot"));
    CHECK(m.ends_with(tail));
    CHECK(e.json().find(R"(is `ot\u0000her` (did you mean)") != std::string::npos);
}

TEST_CASE("a test block gives a scale measure by its label, as a record may") {
    auto c = kaohe::Ruleset::compile_text(kRules + "test \"by label\" { measures { rating: 较差 } facts { has_system: yes, "
                                                   "village_kind: other } expect s.review = 7 }\n"
                                                   "test \"by number\" { measures { rating: 65 } facts { has_system: yes, "
                                                   "village_kind: other } expect s.review = 7 }\n",
                                          "t.kh");
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto report = kaohe::run_tests(*c.ruleset);
    CHECK(report.failed() == 0);
    CHECK(report.passed() == 2);
}
