// Agreement: the interpreter (rulesets/seed/seed.kh through the public API) and the hand-written
// scorer of the same scheme (bench/hand_scorer.hpp, plain integers) agree exactly — total and
// every section and clause — on every record of a generated population (bench/generator.hpp).
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "bench/generator.hpp"
#include "bench/hand_scorer.hpp"
#include "api/access.hpp"
#include "ir/program.hpp"
#include "kaohe/kaohe.hpp"

namespace kb = kaohe_bench;

namespace {

const kaohe::Ruleset& seed_ruleset() {
    static const kaohe::Ruleset rs = [] {
        kaohe::CompileResult c = kaohe::Ruleset::compile_file(std::string(KAOHE_SOURCE_DIR) + "/rulesets/seed/seed.kh");
        if (!c.ruleset) FAIL(kaohe::render(c.diagnostics));
        return *std::move(c.ruleset);
    }();
    return rs;
}

// The roles that the seed ruleset has (all ten once it is complete).
std::uint32_t ruleset_roles(const kaohe::Ruleset& rs, std::string* missing) {
    std::uint32_t roles = 0;
    for (int r = 0; r < kb::kRoles; ++r) {
        if (kaohe::Access::program(rs).role_index.count(kb::kRoleIds[static_cast<std::size_t>(r)])) roles |= 1u << r;
        else *missing += std::string(missing->empty() ? "" : ", ") + kb::kRoleIds[static_cast<std::size_t>(r)];
    }
    return roles;
}

kaohe::Number thousandths(std::int64_t v) { return kaohe::Number::fraction(v, kb::kScale); }

}  // namespace

TEST_CASE("the generator's vocabulary tables line up with their enums") {
    CHECK(std::string(kb::kEventInfo[kb::study_absence].id) == "study_absence");
    CHECK(std::string(kb::kEventInfo[kb::central_task_unmet].id) == "central_task_unmet");
    CHECK(std::string(kb::kEventInfo[kb::community_major_mistake].id) == "community_major_mistake");
    CHECK(std::string(kb::kEventInfo[kb::office_major_mistake].id) == "office_major_mistake");
    CHECK(std::string(kb::kEventInfo[kb::society_dysfunctional].id) == "society_dysfunctional");
    CHECK(std::string(kb::kEventInfo[kb::document_serious_mistake].id) == "document_serious_mistake");
    CHECK(std::string(kb::kEventInfo[kb::office_assist_serious_mistake].id) == "office_assist_serious_mistake");
    CHECK(std::string(kb::kEventInfo[kb::unit_honour].id) == "unit_honour");
    for (int e = 0; e < kb::kEvents; ++e) {
        const kb::EventInfo& info = kb::kEventInfo[static_cast<std::size_t>(e)];
        CHECK(info.id != nullptr);
        // Every event has its points: fixed, ranged (the record's amount) or by issuer.
        CHECK((info.points != 0 || info.max_c != 0 || info.issuer));
    }
}

TEST_CASE("the generator is deterministic and realistic") {
    kb::Generator a(7), b(7);
    std::size_t events = 0, most = 0;
    std::array<int, kb::kRoles> roles{};
    constexpr int kN = 20000;
    for (int i = 0; i < kN; ++i) {
        const kb::Person p = a.next();
        CHECK(kb::to_json(p) == kb::to_json(b.next()));
        events += p.events.size();
        most = std::max(most, p.events.size());
        ++roles[p.role];
    }
    CHECK(most <= 80);
    CHECK(most >= 70);
    CHECK(events / kN >= 17);
    CHECK(events / kN <= 23);
    for (int r : roles) CHECK(r > kN / 30);
}

TEST_CASE("interpreter and hand-written scorer agree exactly on 12,000 generated records") {
    const kaohe::Ruleset& rs = seed_ruleset();
    std::string missing;
    const std::uint32_t roles = ruleset_roles(rs, &missing);
    REQUIRE(roles != 0);
    if (!missing.empty()) MESSAGE("the seed ruleset does not have these roles yet, so they are not compared: " << missing);

    kb::Generator gen(20220101, roles);
    kb::HandResult hand;
    constexpr int kRecords = 12000;
    int compared = 0, clauses = 0;
    std::string json;
    for (int i = 0; i < kRecords; ++i) {
        const kb::Person p = gen.next();
        json.clear();
        kb::append_json(json, p);
        kb::score(p, hand);
        REQUIRE(hand.ok);
        const kaohe::Evaluation e = rs.evaluate(json);
        if (!e.ok()) {
            FAIL_CHECK("record " << i << " failed in the engine: " << e.error().where << ": " << e.error().message
                                 << "\n  " << json);
            continue;
        }
        const kaohe::Result& r = e.result();
        bool agree = r.total() == thousandths(hand.total);

        // The same card: the engine's nodes are exactly the hand scorer's paths.
        const kb::Card card = kb::card_paths(p.role);
        std::map<std::string, std::int64_t, std::less<>> expected;
        for (int k = 0; k < card.size; ++k) expected.emplace(std::string(card.paths[k]), hand.score[static_cast<std::size_t>(k)]);
        const std::vector<kaohe::Score> scores = r.scores();
        agree = agree && scores.size() == expected.size();
        for (const kaohe::Score& s : scores) {
            auto it = expected.find(s.path);
            if (it == expected.end() || s.score != thousandths(it->second)) agree = false;
            ++clauses;
        }
        if (!agree) {
            std::string detail = "total engine " + r.total().to_string(4) + ", hand " +
                                 thousandths(hand.total).to_string(4) + "\n";
            for (const kaohe::Score& s : scores) {
                auto it = expected.find(s.path);
                detail += "  " + s.path + ": engine " + s.score.to_string(4) + ", hand " +
                          (it == expected.end() ? std::string("(no such node)") : thousandths(it->second).to_string(4)) + "\n";
            }
            FAIL_CHECK("record " << i << " (" << std::string(kb::kRoleIds[p.role]) << ") disagrees:\n" << detail << "  " << json);
            continue;
        }
        ++compared;
    }
    CHECK(compared == kRecords);
    MESSAGE("compared " << compared << " records, " << clauses << " sections and clauses");
}
