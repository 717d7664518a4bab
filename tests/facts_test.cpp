// Facts that are not numbers (`fact ID "LABEL" yes/no`, `standing ID "LABEL" { value "label", ... }`)
// and measures from a fixed scale (`scale { 优秀: 95, ... }`): read from a record by name, used in
// conditions and points tables, and rejected with the allowed values when wrong.
#include <doctest/doctest.h>

#include <string>

#include "kaohe/kaohe.hpp"
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
