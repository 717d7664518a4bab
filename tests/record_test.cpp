// Reading records strictly: every bad record names the record, the field and why.
#include <doctest/doctest.h>

#include "support.hpp"

using namespace kaohe;

namespace {
const std::string kBody =
    "section s \"s\" 10 { clause c \"c\" 10 { deduct 2 each late deduct amount each mistake "
    "deduct 1 per 1000 short of 5000 in notes rounding up } }\n"
    "section b \"b\" uncapped { clause a \"a\" { add each award by issuer { unit: 1 } } }";

RecordError error_of(const std::string& json) {
    Evaluation e = kaohe::testing::score(kBody, json);
    REQUIRE_FALSE(e.ok());
    return e.error();
}

std::string with_events(const std::string& events, const std::string& extra = "") {
    return R"({"id":"7","role":"clerk","year":2022,"measures":{"notes":5000})" + extra + R"(,"events":[)" + events + "]}";
}
}  // namespace

TEST_CASE("an unknown event type is an error with a did-you-mean") {
    auto e = error_of(with_events(R"({"type":"lat"})"));
    CHECK(e.id == "7");
    CHECK(e.where == "events[0].type");
    CHECK(e.message == "unknown event type `lat` (did you mean `late`?)");
}

TEST_CASE("a byte-order mark opening a record is skipped, and only there") {
    const std::string record = with_events(R"({"type":"late","date":"2022-03-14"})");
    Evaluation e = kaohe::testing::score(kBody, "\xEF\xBB\xBF" + record);
    REQUIRE(e.ok());
    CHECK(e.result().total() == kaohe::testing::score(kBody, record).result().total());
    // Anywhere else it is a character the record does not allow, named as such.
    auto inside = error_of("{\xEF\xBB\xBF" + record.substr(1));
    CHECK(inside.code == "R001");
    CHECK(inside.message.find("invisible byte-order mark away from the start of the file (U+FEFF)") != std::string::npos);
}

TEST_CASE("a name with an invisible or full-width character is named with its code point") {
    auto e = error_of(with_events("{\"type\":\"late\xE2\x80\x8B\"}"));
    CHECK(e.code == "R005");
    CHECK(e.message == "unknown event type `late\xE2\x80\x8B` (did you mean `late`?): it contains an invisible "
                       "zero-width space (U+200B)");
    auto wide = error_of(with_events("{\"type\":\"ｌａｔｅ\"}"));
    CHECK(wide.message == "unknown event type `ｌａｔｅ` (did you mean `late`?): it contains a full-width letter "
                          "`ｌ` (U+FF4C) where the ASCII `l` was meant");
}

TEST_CASE("an amount outside its range is an error naming the range") {
    auto e = error_of(with_events(R"({"type":"late"},{"type":"mistake","amount":6})"));
    CHECK(e.where == "events[1].amount");
    CHECK(e.message == "amount 6 is outside the range 3..5 of event `mistake`");
}

TEST_CASE("a ranged event without an amount is an error, never a guess") {
    auto e = error_of(with_events(R"({"type":"mistake"})"));
    CHECK(e.where == "events[0].amount");
    CHECK(e.message.find("needs an `amount` between 3 and 5") != std::string::npos);
}

TEST_CASE("a missing required measure is an error naming the clause that needs it") {
    auto e = error_of(R"({"id":"7","role":"clerk","year":2022})");
    CHECK(e.where == "measures.notes");
    CHECK(e.message.find("missing measure `notes`") != std::string::npos);
    CHECK(e.message.find("s.c") != std::string::npos);
}

TEST_CASE("a date outside the assessment year is an error") {
    auto e = error_of(with_events(R"({"type":"late","date":"2021-12-31"})"));
    CHECK(e.where == "events[0].date");
    CHECK(e.message.find("outside the assessment year 2022") != std::string::npos);
}

TEST_CASE("a date that does not exist is an error") {
    CHECK(error_of(with_events(R"({"type":"late","date":"2022-02-29"})")).message.find("no such day") != std::string::npos);
    CHECK(error_of(with_events(R"({"type":"late","date":"2022-13"})")).message.find("no such month") != std::string::npos);
}

TEST_CASE("a month is a valid date") {
    Evaluation e = kaohe::testing::score(kBody, with_events(R"({"type":"late","date":"2022-03"})"));
    CHECK(e.ok());
}

TEST_CASE("a measure outside its domain is an error") {
    auto e = error_of(R"({"id":"7","role":"clerk","year":2022,"measures":{"notes":-1}})");
    CHECK(e.where == "measures.notes");
    CHECK(e.message.find("outside its domain >= 0") != std::string::npos);
}

TEST_CASE("a whole-number measure given a fraction is an error") {
    auto e = error_of(R"({"id":"7","role":"clerk","year":2022,"measures":{"notes":4999.5}})");
    CHECK(e.message.find("must be a whole number") != std::string::npos);
}

TEST_CASE("an unknown role is an error with a did-you-mean") {
    auto e = error_of(R"({"id":"7","role":"clerc","year":2022,"measures":{"notes":5000}})");
    CHECK(e.where == "role");
    CHECK(e.message == "unknown role `clerc` (did you mean `clerk`?)");
}

TEST_CASE("an unknown group is an error") {
    auto e = error_of(with_events("", R"(,"groups":["leader"])"));
    CHECK(e.where == "groups[0]");
}

TEST_CASE("an unknown issuer is an error with a did-you-mean") {
    auto e = error_of(with_events(R"({"type":"award","issuer":"unitt"})"));
    CHECK(e.where == "events[0].issuer");
    CHECK(e.message == "unknown issuer `unitt` (did you mean `unit`?)");
}

TEST_CASE("an event given an amount it does not take is an error") {
    auto e = error_of(with_events(R"({"type":"late","amount":2})"));
    CHECK(e.where == "events[0].amount");
}

TEST_CASE("a count of zero is an error") {
    auto e = error_of(with_events(R"({"type":"late","count":0})"));
    CHECK(e.where == "events[0].count");
}

TEST_CASE("a record for another year than the ruleset's is an error") {
    auto e = error_of(R"({"id":"7","role":"clerk","year":2023,"measures":{"notes":5000}})");
    CHECK(e.where == "year");
}

TEST_CASE("an event that the role's card does not use is a warning in the result, not dropped silently") {
    const std::string body = "section s \"s\" 10 { clause c \"c\" 10 { deduct 2 each late deduct 1 per 1000 short of 5000 in notes rounding up } }";
    Evaluation e = kaohe::testing::score(body, with_events(R"({"type":"mistake","amount":3})"));
    REQUIRE(e.ok());
    REQUIRE(e.result().warnings().size() == 1);
    CHECK(e.result().warnings()[0].find("`mistake`") != std::string::npos);
    CHECK(e.result().json().find("\"warnings\"") != std::string::npos);
}

TEST_CASE("a unit record's events apply to the person") {
    CompileResult c = kaohe::testing::compile(kBody);
    REQUIRE(c.ruleset);
    RecordError err;
    auto unit = c.ruleset->read_unit(R"({"unit":"某县科协","year":2022,"events":[{"type":"award","issuer":"unit"}]})", &err);
    REQUIRE_MESSAGE(unit, err.message);
    Evaluation e = c.ruleset->evaluate(with_events(""), &*unit);
    REQUIRE(e.ok());
    CHECK(e.result().score("b.a") == std::optional<Number>(Number(1)));
}

TEST_CASE("a unit record's error quotes its text whole, a NUL in it included") {
    CompileResult c = kaohe::testing::compile(kBody);
    REQUIRE(c.ruleset);
    RecordError err;
    auto unit = c.ruleset->read_unit(R"({"unit":"某县科协","year":2022,"events":[{"type":"award","issuer":"un\u0000it"}]})", &err);
    REQUIRE_FALSE(unit);
    CHECK(err.code == "R005");
    CHECK(err.where == "unit.events[0].issuer");
    // Compared around the NUL: doctest prints a failing string as a C string.
    CHECK(err.message.starts_with("unknown issuer `un"));
    CHECK(err.message.ends_with("it` (did you mean `unit`?): it contains an invisible control character NUL (U+0000)"));
}

TEST_CASE("the error result JSON carries id, message and where") {
    Evaluation e = kaohe::testing::score(kBody, with_events(R"({"type":"lat"})"));
    CHECK(e.json() == R"x({"id":"7","error":{"code":"R005","message":"unknown event type `lat` (did you mean `late`?)","where":"events[0].type"}})x");
}

TEST_CASE("an explanation line says whether its event is the unit record's, and the event's amount") {
    CompileResult c = kaohe::testing::compile(kBody);
    REQUIRE(c.ruleset);
    RecordError err;
    auto unit = c.ruleset->read_unit(R"({"unit":"某县科协","year":2022,"events":[{"type":"award","issuer":"unit"}]})", &err);
    REQUIRE_MESSAGE(unit, err.message);
    Evaluation e = c.ruleset->evaluate(with_events(R"({"type":"late"},{"type":"mistake","amount":3.5})"), &*unit);
    REQUIRE(e.ok());
    int seen = 0;
    for (const Line& l : e.result().lines()) {
        if (l.event == "award") {
            ++seen;
            CHECK(l.from_unit);
            CHECK(l.event_index == -1);  // the unit record's first event
            CHECK_FALSE(l.amount);
        } else if (l.event == "mistake") {
            ++seen;
            CHECK_FALSE(l.from_unit);
            CHECK(l.event_index == 1);
            CHECK(l.amount == std::optional<Number>(Number::fraction(7, 2)));
        } else if (l.event == "late") {
            ++seen;
            CHECK_FALSE(l.from_unit);
            CHECK(l.event_index == 0);
            CHECK_FALSE(l.amount);
        }
    }
    CHECK(seen == 3);
}

TEST_CASE("a ruleset formats a number as its results write it, and knows its source's size") {
    CompileResult c = kaohe::testing::compile(kBody);
    REQUIRE(c.ruleset);
    Evaluation e = c.ruleset->evaluate(with_events(R"({"type":"mistake","amount":3.5})"));
    REQUIRE(e.ok());
    const std::string total = c.ruleset->format(e.result().total());
    CHECK(e.result().json().find("\"total\":" + total + ",") != std::string::npos);
    CHECK(c.ruleset->source_bytes() == kaohe::testing::kHeader.size() + kBody.size());
}
