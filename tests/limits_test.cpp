// Limits that must name their own cause.
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
