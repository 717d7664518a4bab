// Items that move both ways within one bound (`within 3`) and signed amounts (`amount -20..20`):
// the clause's net, its bound lines, the capped section that holds it, and the checker's misuses.
#include <doctest/doctest.h>

#include <string>

#include "kaohe/kaohe.hpp"
#include "kaohe/policy.hpp"
#include "support.hpp"

using kaohe::testing::compile_whole;

namespace policy = kaohe::policy;

namespace {

const std::string kCard = R"(policy "t" year 2022
event praise "表扬"
event review "复核调整" amount -20..20
section s "工作" 12 {
  clause d "履职" 12 { add 0 each praise }
  clause a "加减分" within 3 { add 1 each praise  add amount each review }
}
)";

std::string rendered(const kaohe::CompileResult& c) { return kaohe::render(c.diagnostics); }

}  // namespace

TEST_CASE("within: the net is held to ±N, and a capped section that holds it to its maximum") {
    auto c = compile_whole(kCard);
    REQUIRE_MESSAGE(c.ruleset, rendered(c));
    CHECK(c.diagnostics.empty());  // the adjustment allocates none of the section's points
    const auto up = c.ruleset->evaluate(R"({"id":"a","year":2022,"events":[{"type":"praise","count":5}]})");
    REQUIRE_MESSAGE(up.ok(), up.json());
    CHECK(up.json() == R"({"id":"a","role":null,"total":12,"scores":{"s":12,"s.d":12,"s.a":3},"lines":[)"
                       R"({"path":"s.a","kind":"event","event":"praise","count":5,"points":5,"rule":"t.kh:6"},)"
                       R"({"path":"s.a","kind":"ceiling","points":-2,"rule":"t.kh:6"},)"
                       R"({"path":"s","kind":"ceiling","points":-3,"rule":"t.kh:4"}])" +
                           std::string(R"(,"receipt":{"policy":"t","version":"","ruleset":")") + up.result().ruleset_hash() +
                             R"(","record":")" + up.result().record_hash() + R"("}})");
    const std::string text = up.result().text();
    CHECK(text.find("3 (±3)") != std::string::npos);
    CHECK(text.find("held within ±3: the net does not go above +3") != std::string::npos);
    CHECK(text.find("ceiling: a section does not go above its maximum") != std::string::npos);

    const auto down = c.ruleset->evaluate(R"({"id":"a","year":2022,"events":[{"type":"review","amount":-7}]})");
    REQUIRE_MESSAGE(down.ok(), down.json());
    CHECK(down.result().total() == kaohe::Number(9));
    const std::string t = down.result().text();
    CHECK(t.find("-3 (±3)") != std::string::npos);
    CHECK(t.find("amount -7 (negative: a deduction)") != std::string::npos);
    CHECK(t.find("held within ±3: the net does not go below -3") != std::string::npos);

    const auto bad = c.ruleset->evaluate(R"({"id":"a","year":2022,"events":[{"type":"review","amount":-21}]})");
    REQUIRE(!bad.ok());
    CHECK(bad.error().code == "R006");
    CHECK(bad.error().message == "amount -21 is outside the range -20..20 of event `review`");
}

TEST_CASE("within: the checker's misuses") {
    const auto errors = [](const std::string& body) {
        return rendered(compile_whole("policy \"t\" year 2022\nevent e \"e\"\n" + body + "\n"));
    };
    CHECK(errors("section s \"s\" within 3 { clause c \"c\" uncapped { add 1 each e } }").find("error[C036]") != std::string::npos);
    CHECK(errors("section s \"s\" uncapped { clause c \"c\" within 0 { add 1 each e } }").find("error[C036]: `within 0`") != std::string::npos);
    CHECK(errors("section s \"s\" 5 { clause c \"c\" within 2 { add 1 each e } clause d \"d\" 5 { deduct 1 each e } }")
              .find("error") == std::string::npos);
}

TEST_CASE("within: coverage has both bounds; mutation moves the bound; diff shows it") {
    auto c = compile_whole(kCard + "test \"x\" { events { praise count 5 } expect s.a = 3 }\n");
    REQUIRE_MESSAGE(c.ruleset, rendered(c));
    policy::Coverage cov;
    CHECK(cov.run(*c.ruleset).failed() == 0);
    int bounds = 0;
    for (const auto& item : cov.report().items)
        if (item.subject.find("bound") != std::string::npos && item.subject.find("of clause `s.a` (within 3)") != std::string::npos)
            ++bounds;
    CHECK(bounds == 2);
    int moved = 0;
    for (const auto& m : policy::mutants_of(*c.ruleset))
        if (m.before == "clause a \"加减分\" within 3") ++moved;
    CHECK(moved == 2);
}
