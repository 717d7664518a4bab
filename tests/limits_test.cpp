// Limits that must name their own cause, and measures required only where a rule that can apply
// to the person reads them.
#include <doctest/doctest.h>

#include <string>

#include "support.hpp"

#include "kaohe/kaohe.hpp"
#include "kaohe/number.hpp"

using kaohe::Number;
using kaohe::testing::score;

TEST_CASE("a number too small in magnitude is refused for its decimal places, not as too large") {
    std::string why;
    CHECK_FALSE(Number::from_decimal("1e-400", &why));
    CHECK(why.find("too many decimal places") == 0);
    CHECK_FALSE(Number::from_decimal("0." + std::string(330, '0') + "1", &why));
    CHECK(why.find("too many decimal places") == 0);
    CHECK_FALSE(Number::from_decimal("1e400", &why));
    CHECK(why.find("number too large") == 0);
    CHECK_FALSE(Number::from_decimal("-1e-401", &why));
    CHECK(why.find("exponent out of range") == 0);
    // Just inside: 10^-308 fits 1024 bits, a large value with few places too.
    CHECK(Number::from_decimal("1e-308"));
    CHECK(Number::from_decimal("1e308"));
}

namespace {
const std::string kEventRule = R"(section s "s" 10 { clause c "c" 10 { deduct 1 each late } }
)";
std::string with_count(const std::string& count) {
    return R"({"id":"1","role":"clerk","year":2022,"measures":{"notes":1,"target":1},"events":[{"type":"late","count":)" +
           count + "}]}";
}
}  // namespace

TEST_CASE("a count past the count limit gets the limit's message, however large") {
    for (const char* c : {"1000001", "9223372036854775807", "9223372036854775808", "1e30"}) {
        INFO("count ", c);
        auto e = score(kEventRule, with_count(c));
        REQUIRE_FALSE(e.ok());
        CHECK(e.error().code == "R008");
        CHECK(e.error().message.find("is more than 1000000 (the limit)") != std::string::npos);
    }
    for (const char* c : {"0", "-9223372036854775809", "1.5"}) {
        INFO("count ", c);
        auto e = score(kEventRule, with_count(c));
        REQUIRE_FALSE(e.ok());
        CHECK(e.error().code == "R006");
    }
    CHECK(score(kEventRule, with_count("1000000")).ok());
}

TEST_CASE("a measure is required only where a rule that can apply to the person reads it") {
    const std::string body = R"(section s "s" 20 {
  clause a "a" 10 { deduct 1 per 1 short of 5 in notes rounding up when not leadership }
  clause b "b" 10 { deduct if office then 100 - target else 0
                    deduct 1 when office or target < 50 }
}
)";
    auto record = [](const std::string& groups, const std::string& measures) {
        return R"({"id":"1","role":"clerk","year":2022,"groups":[)" + groups + R"(],"measures":{)" + measures + "}}";
    };
    // `notes` is read only by a rule that does not apply to leadership; `target`, only for office
    // (in the `if`), and in the `or` only when the person is not in office.
    auto leader_office = score(body, record(R"("leadership","office")", R"("target":100)"));
    REQUIRE(leader_office.ok());
    CHECK(leader_office.result().total() == Number(19));
    auto missing_notes = score(body, record(R"("office")", R"("target":100)"));
    REQUIRE_FALSE(missing_notes.ok());
    CHECK(missing_notes.error().code == "R004");
    CHECK(missing_notes.error().where == "measures.notes");
    CHECK(missing_notes.error().message.find("which s.a of role `clerk` needs (the rule at t.kh:") != std::string::npos);
    auto missing_target = score(body, record(R"("leadership")", ""));
    REQUIRE_FALSE(missing_target.ok());
    CHECK(missing_target.error().where == "measures.target");
    CHECK(missing_target.error().message.find("which s.b of role") != std::string::npos);
}
