// The evaluator: each scoring form, exactly.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "support.hpp"

using namespace kaohe;
using kaohe::testing::score;

namespace {
const std::string kRecord = R"({"id":"1","role":"clerk","year":2022,"measures":{"notes":%NOTES%,"target":%TARGET%},"events":[%EVENTS%]})";

std::string record(const std::string& events, const std::string& notes = "5000", const std::string& target = "95",
                   const std::string& groups = "") {
    std::string r = kRecord;
    r.replace(r.find("%NOTES%"), 7, notes);
    r.replace(r.find("%TARGET%"), 8, target);
    r.replace(r.find("%EVENTS%"), 8, events);
    if (!groups.empty()) r.replace(r.find("\"year\""), 0, "\"groups\":[" + groups + "],");
    return r;
}

Number total(const std::string& body, const std::string& rec) {
    Evaluation e = score(body, rec);
    REQUIRE_MESSAGE(e.ok(), std::string(e.error().where + ": " + e.error().message));
    return e.result().total();
}
}  // namespace

const std::string kLate = "section s \"s\" 10 { clause c \"c\" 10 { deduct 2 each late } }";

TEST_CASE("fixed points are deducted per occurrence") {
    CHECK(total(kLate, record(R"({"type":"late"},{"type":"late"})")) == Number(6));
}

TEST_CASE("an event's count stands for that many occurrences") {
    CHECK(total(kLate, record(R"({"type":"late","count":3})")) == Number(4));
}

TEST_CASE("a clause never goes below zero, and the cut shows as a floor line") {
    Evaluation e = score(kLate, record(R"({"type":"late","count":7})"));
    REQUIRE(e.ok());
    CHECK(e.result().total() == Number(0));
    const auto lines = e.result().lines();
    REQUIRE(lines.size() == 2);
    CHECK(lines[1].kind == "floor");
    CHECK(lines[1].points == Number(4));
}

TEST_CASE("a ranged deduction takes the record's amount") {
    const std::string body = "section s \"s\" 10 { clause c \"c\" 10 { deduct amount each mistake } }";
    CHECK(total(body, record(R"({"type":"mistake","amount":4.5})")) == Number::fraction(11, 2));
}

TEST_CASE("per started step rounds a partial step up") {
    const std::string body = "section s \"s\" 6 { clause c \"c\" 6 { deduct 1 per 1000 short of 5000 in notes rounding up } }";
    CHECK(total(body, record("", "4200")) == Number(5));
    CHECK(total(body, record("", "3999")) == Number(4));
    CHECK(total(body, record("", "5000")) == Number(6));
    CHECK(total(body, record("", "9000")) == Number(6));
}

TEST_CASE("per full step rounds a partial step down") {
    const std::string body = "section s \"s\" 6 { clause c \"c\" 6 { deduct 1 per 1000 short of 5000 in notes rounding down } }";
    CHECK(total(body, record("", "3999")) == Number(5));
}

TEST_CASE("linear below a threshold deducts in proportion, exactly") {
    const std::string body = "section s \"s\" 10 { clause c \"c\" 10 { deduct 1 per 2 below 95 in target linear } }";
    CHECK(total(body, record("", "5000", "92.3")) == Number::fraction(865, 100));  // 10 - 1.35
}

TEST_CASE("a cap limits what one rule can deduct, and shows as a line") {
    const std::string body = "section s \"s\" 20 { clause c \"c\" 20 { deduct 1 each late at most 5 } }";
    Evaluation e = score(body, record(R"({"type":"late","count":8})"));
    REQUIRE(e.ok());
    CHECK(e.result().total() == Number(15));
    CHECK(e.result().lines().back().kind == "cap");
}

TEST_CASE("a table gives points by the event's attribute") {
    const std::string body = "section b \"b\" uncapped { clause c \"c\" { add each award by issuer { unit: 1, province: 3 } } }";
    CHECK(total(body, record(R"({"type":"award","issuer":"province"},{"type":"award","issuer":"unit"})")) == Number(4));
}

TEST_CASE("an attribute value the table does not list is an error naming event, value and table") {
    const std::string body = "section b \"b\" uncapped { clause c \"c\" { add each award by issuer { unit: 1 } } }";
    Evaluation e = score(body, record(R"({"type":"award","issuer":"county"})"));
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message.find("event `award` has issuer `county`, which the table") != std::string::npos);
    CHECK(e.error().where == "events[0].issuer");
}

TEST_CASE("a table's otherwise gives the points for every value it does not list, on a line that says so") {
    const std::string body = "section b \"b\" uncapped { clause c \"c\" { add each award by issuer { province: 3, otherwise: 0.5 } } }";
    Evaluation e = score(body, record(R"({"type":"award","issuer":"county","count":2},{"type":"award","issuer":"province"})"));
    REQUIRE(e.ok());
    CHECK(e.result().total() == Number(4));
    CHECK(e.result().json().find(R"("event":"award","count":2,"otherwise":true,"points":1)") != std::string::npos);
    CHECK(e.result().json().find(R"("event":"award","points":3)") != std::string::npos);
}

TEST_CASE("a table's otherwise of 0 still shows the event it counted for nothing") {
    const std::string body = "section b \"b\" uncapped { clause c \"c\" { add each award by issuer { province: 3, otherwise: 0 } } }";
    Evaluation e = score(body, record(R"({"type":"award","issuer":"unit"})"));
    REQUIRE(e.ok());
    CHECK(e.result().total() == Number(0));
    REQUIRE(e.result().lines().size() == 1);
    CHECK(e.result().lines()[0].points == Number(0));
    CHECK(e.result().lines()[0].otherwise);
    CHECK(e.result().json().find(R"("otherwise":true)") != std::string::npos);
    CHECK(e.result().text().find("(not in the table: otherwise 0)") != std::string::npos);
}

TEST_CASE("a group multiplier halves the points for members of the group") {
    const std::string body = "section b \"b\" uncapped { clause c \"c\" { add each award by issuer { province: 5 } times 1/2 if leadership } }";
    const std::string ev = R"({"type":"award","issuer":"province"})";
    CHECK(total(body, record(ev)) == Number(5));
    CHECK(total(body, record(ev, "5000", "95", "\"leadership\"")) == Number::fraction(5, 2));
}

TEST_CASE("unless applies the factor to everyone outside the groups") {
    const std::string body = "section b \"b\" uncapped { clause c \"c\" { add each award by issuer { province: 8 } times 1/2 unless leadership or office } }";
    const std::string ev = R"({"type":"award","issuer":"province"})";
    CHECK(total(body, record(ev)) == Number(4));
    CHECK(total(body, record(ev, "5000", "95", "\"office\"")) == Number(8));
}

TEST_CASE("general expressions: count with a filter, min, if") {
    const std::string body =
        "section b \"b\" uncapped { clause c \"c\" { add min(count(award where issuer = province) * 2, 3) + (if leadership then 1 else 0) } }";
    const std::string ev = R"({"type":"award","issuer":"province"},{"type":"award","issuer":"province"},{"type":"award","issuer":"unit"})";
    CHECK(total(body, record(ev)) == Number(3));
    CHECK(total(body, record(ev, "5000", "95", "\"leadership\"")) == Number(4));
}

TEST_CASE("sum of amounts honours count") {
    const std::string body = "section b \"b\" uncapped { clause c \"c\" { add sum(amount of mistake) } }";
    CHECK(total(body, record(R"({"type":"mistake","amount":3,"count":2},{"type":"mistake","amount":5})")) == Number(11));
}

TEST_CASE("a section awards the points its children do not allocate") {
    const std::string body = "section s \"s\" 15 { clause a \"a\" 5 { deduct 1 each late } clause b \"b\" 5 { deduct amount each mistake add each award by issuer { unit: 1 } } }";
    CHECK(total(body, record(R"({"type":"late"})")) == Number(14));
}

TEST_CASE("grades follow bands on the total, and a veto event forces its grade") {
    const std::string body = "grades { \"优秀\" >= 9, \"称职\" >= 5, \"不称职\" otherwise }\nveto mistake forces \"不称职\"\n" + kLate;
    Evaluation clean = score(body, record(""));
    REQUIRE(clean.ok());
    CHECK(clean.result().grade() == std::optional<std::string>("优秀"));
    Evaluation low = score(body, record(R"({"type":"late","count":2})"));  // 10 - 4 = 6
    CHECK(low.result().grade() == std::optional<std::string>("称职"));
    Evaluation vetoed = score(body, record(R"({"type":"mistake","amount":3})"));
    CHECK(vetoed.result().grade() == std::optional<std::string>("不称职"));
}

TEST_CASE("results print exact decimals, and thirds rounded as the policy says") {
    const std::string body = "section b \"b\" uncapped { clause c \"c\" { add count(late) / 3 } }";
    Evaluation e = score(body, record(R"({"type":"late"})"));
    REQUIRE(e.ok());
    CHECK(e.result().json().find("\"total\":0.33") != std::string::npos);
}

TEST_CASE("one compiled ruleset scores from many threads at once") {
    CompileResult c = kaohe::testing::compile(kLate);
    REQUIRE(c.ruleset);
    const Ruleset& rules = *c.ruleset;
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 500; ++i) {
                const int n = (i + t) % 5;
                Evaluation e = rules.evaluate(record(R"({"type":"late","count":)" + std::to_string(n + 1) + "}"));
                if (!e.ok() || !(e.result().total() == Number(std::max(0, 10 - 2 * (n + 1))))) ++wrong;
            }
        });
    for (auto& th : threads) th.join();
    CHECK(wrong.load() == 0);
}

// Several numbered items in one clause: each line carries its rule's own citation, and a line
// of a rule without one (or a floor line) carries the clause's.
TEST_CASE("a rule's own citation is its lines' citation, else the clause's") {
    const std::string body =
        "section s \"s\" 10 { clause c \"c\" 3 cite \"一(一)\" {\n"
        "  deduct 2 each late cite \"第3项\"\n"
        "  deduct amount each mistake\n"
        "} }";
    Evaluation e = score(body, record(R"({"type":"late"},{"type":"mistake","amount":3})"));
    REQUIRE(e.ok());
    const auto lines = e.result().lines();
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].kind == "event");
    CHECK(lines[0].cite == "第3项");
    CHECK(lines[1].cite == "一(一)");
    CHECK(lines[2].kind == "floor");
    CHECK(lines[2].cite == "一(一)");
    const std::string json = e.result().json();
    CHECK(json.find(R"("points":-2,"rule":"t.kh:12","cite":"第3项")") != std::string::npos);
    CHECK(json.find(R"x("points":-3,"rule":"t.kh:13","cite":"一(一)")x") != std::string::npos);
    // The scorecard shows the clause's citation on the clause's line, a rule's on its own lines.
    const std::string text = e.result().text();
    CHECK(text.find("t.kh:12  [第3项]\n") != std::string::npos);
    CHECK(text.find("t.kh:13\n") != std::string::npos);
}

TEST_CASE("a citation changes no score") {
    const std::string cited = "section s \"s\" 10 { clause c \"c\" 10 { deduct 2 each late at most 3 cite \"第1项\" } }";
    const std::string plain = "section s \"s\" 10 { clause c \"c\" 10 { deduct 2 each late at most 3 } }";
    const std::string rec = record(R"({"type":"late","count":2})");
    CHECK(total(cited, rec) == total(plain, rec));
    CHECK(total(cited, rec) == Number(7));
}
