// The JSON record reader: shape, exact numbers, and an error that names the field for every
// problem. See lib/record/record.hpp and docs/records.md.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "kaohe/number.hpp"
#include "record/record.hpp"
#include "support/suggest.hpp"

using kaohe::Number;
using kaohe::record::JsonReader;
using kaohe::record::RawRecord;
using kaohe::record::RecordFailure;

namespace {

// The sample person record of docs/records.md.
constexpr std::string_view kSample = R"({
  "id": "2022-017",
  "name": "张三",
  "role": "societies_officer",
  "groups": ["office"],
  "year": 2022,
  "measures": { "reading_notes_chars": 4200, "reflection_essays": 3, "active_societies": 9 },
  "events": [
    { "type": "study_late", "date": "2022-03-14" },
    { "type": "work_late", "date": "2022-06", "count": 3 },
    { "type": "work_mistake", "date": "2022-05-10", "amount": 4, "note": "报送材料错误" },
    { "type": "individual_award", "date": "2022-12-20", "issuer": "province_assoc" }
  ]
})";

// The failure that reading `json` throws (message and where), or a note that it read fine.
struct Failure {
    std::string message, where;
};

Failure failure_of(JsonReader& reader, std::string_view json, bool unit = false) {
    try {
        reader.read(json, unit);
    } catch (const RecordFailure& f) {
        return {f.message, f.where};
    }
    return {"(no failure)", ""};
}

Failure failure_of(std::string_view json, bool unit = false) {
    JsonReader reader;
    return failure_of(reader, json, unit);
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("reads the sample record of docs/records.md") {
    JsonReader reader;
    const RawRecord& r = reader.read(kSample);
    CHECK(r.has_id);
    CHECK(r.id == "2022-017");
    CHECK(r.name == "张三");
    CHECK(r.has_role);
    CHECK(r.role == "societies_officer");
    REQUIRE(r.groups.size() == 1);
    CHECK(r.groups[0] == "office");
    CHECK(r.has_year);
    REQUIRE(r.year.has_value());
    CHECK(*r.year == Number(2022));
    REQUIRE(r.measures.size() == 3);
    CHECK(r.measures[0].first == "reading_notes_chars");
    CHECK(r.measures[0].second == Number(4200));
    CHECK(r.measures[1].first == "reflection_essays");
    CHECK(r.measures[1].second == Number(3));
    CHECK(r.measures[2].first == "active_societies");
    CHECK(r.measures[2].second == Number(9));
    CHECK_FALSE(r.is_unit);

    REQUIRE(r.events.size() == 4);
    CHECK(r.events[0].type == "study_late");
    CHECK(r.events[0].date == std::optional<std::string_view>("2022-03-14"));
    CHECK_FALSE(r.events[0].count.has_value());
    CHECK_FALSE(r.events[0].amount.has_value());
    CHECK_FALSE(r.events[0].note.has_value());
    CHECK(r.events[0].attributes.empty());
    CHECK(r.events[1].type == "work_late");
    CHECK(r.events[1].date == std::optional<std::string_view>("2022-06"));
    CHECK(r.events[1].count == std::optional<Number>(Number(3)));
    CHECK(r.events[2].type == "work_mistake");
    CHECK(r.events[2].amount == std::optional<Number>(Number(4)));
    CHECK(r.events[2].note == std::optional<std::string_view>("报送材料错误"));
    CHECK(r.events[3].type == "individual_award");
    REQUIRE(r.events[3].attributes.size() == 1);
    CHECK(r.events[3].attributes[0].first == "issuer");
    CHECK(r.events[3].attributes[0].second == "province_assoc");
    CHECK(reader.last_id() == "2022-017");
}

TEST_CASE("reads 93.7 exactly as 937/10") {
    JsonReader reader;
    const RawRecord& r = reader.read(
        R"({"id": "a", "measures": {"score": 93.7, "tiny": 1e-3}, "events": [{"type": "t", "amount": 93.7}]})");
    REQUIRE(r.measures.size() == 2);
    CHECK(r.measures[0].second == Number::fraction(937, 10));
    CHECK(r.measures[1].second == Number::fraction(1, 1000));
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].amount == std::optional<Number>(Number::fraction(937, 10)));
}

TEST_CASE("a number that is too long names the field and the limit") {
    const Failure f = failure_of(R"({"id": "a", "measures": {"x": 1)" + std::string(450, '0') + "}}");
    CHECK(f.message == "`measures.x`: number with more than 400 characters");
    CHECK(f.where == "measures.x");
}

TEST_CASE("unknown field suggests the nearest known field") {
    const Failure f = failure_of(R"({"id": "a", "evnts": []})");
    CHECK(f.message == "unknown field `evnts` (did you mean `events`?)");
    CHECK(f.where == "evnts");
    const Failure far = failure_of(R"({"id": "a", "colour": "blue"})");
    CHECK(far.message == "unknown field `colour`");
}

TEST_CASE("nearest finds the closest name within the distance limit") {
    const std::vector<std::string_view> names = {"events", "groups", "measures"};
    CHECK(kaohe::nearest("evnts", names) == "events");
    CHECK(kaohe::nearest("measure", names) == "measures");
    CHECK(kaohe::nearest("colour", names).empty());
    // Ties go to the alphabetically first name, whatever the order of the candidates.
    CHECK(kaohe::nearest("ab", {"ax", "xb"}) == "ax");
    CHECK(kaohe::nearest("ab", {"xb", "ax"}) == "ax");
}

TEST_CASE("nearest measures in characters, not bytes") {
    // One wrong Chinese character is one edit, as one wrong letter is (it is three bytes).
    CHECK(kaohe::nearest("迟道", {"迟到", "早退"}) == "迟到");
    CHECK(kaohe::nearest("学习迟道", {"学习迟到"}) == "学习迟到");
    CHECK(kaohe::edit_distance("迟道", "迟到", 5) == 1);
    CHECK(kaohe::edit_distance("stüdy", "study", 5) == 1);
    // A name with every character changed is no suggestion.
    CHECK(kaohe::nearest("迟道", {"早退"}).empty());
    CHECK(kaohe::nearest("ab", {"cd"}).empty());
}

TEST_CASE("wrong type names the expected and the actual type") {
    Failure f = failure_of(R"({"id": "a", "year": "2022"})");
    CHECK(f.message == "`year` must be a number, not a string");
    CHECK(f.where == "year");
    f = failure_of(R"({"id": "a", "groups": ["office", 3]})");
    CHECK(f.message == "`groups[1]` must be a string, not a number");
    CHECK(f.where == "groups[1]");
    f = failure_of(R"({"id": "a", "measures": {"county_target_score": null}})");
    CHECK(f.message == "`measures.county_target_score` must be a number, not null");
    CHECK(f.where == "measures.county_target_score");
    f = failure_of(R"({"id": "a", "events": [{"type": "t"}, {"type": "t"}, {"type": "t"},)"
                   R"( {"type": "t", "amount": true}]})");
    CHECK(f.message == "`events[3].amount` must be a number, not a boolean");
    CHECK(f.where == "events[3].amount");
    f = failure_of(R"({"id": "a", "events": {}})");
    CHECK(f.message == "`events` must be an array of events, not an object");
    f = failure_of(R"({"id": "a", "events": [[]]})");
    CHECK(f.message == "`events[0]` must be an object, not an array");
    CHECK(f.where == "events[0]");
    f = failure_of(R"({"id": true})");
    CHECK(f.message == "`id` must be a string or an integer, not a boolean");
}

TEST_CASE("a record that is not an object is an error") {
    CHECK(failure_of("[1, 2]").message == "a record must be a JSON object, not an array");
    CHECK(failure_of(R"("2022-017")").message == "a record must be a JSON object, not a string");
}

TEST_CASE("missing event type is an error naming the event") {
    const Failure f = failure_of(R"({"id": "a", "events": [{"type": "t"}, {"date": "2022-01"}]})");
    CHECK(f.message == "event has no `type`");
    CHECK(f.where == "events[1]");
}

TEST_CASE("an attribute whose value is not a string is an error") {
    Failure f = failure_of(R"({"id": "a", "events": [{"type": "t", "issuer": 3}]})");
    CHECK(f.message == "attribute `issuer` must be a string, not a number");
    CHECK(f.where == "events[0].issuer");
    // A misspelt event field is taken for an attribute; the message points at the field.
    f = failure_of(R"({"id": "a", "events": [{"type": "t", "amout": 3}]})");
    CHECK(f.message == "attribute `amout` must be a string, not a number (did you mean `amount`?)");
}

TEST_CASE("attributes are kept in order") {
    JsonReader reader;
    const RawRecord& r =
        reader.read(R"({"id": "a", "events": [{"level": "city", "type": "t", "issuer": "city_gov"}]})");
    REQUIRE(r.events.size() == 1);
    REQUIRE(r.events[0].attributes.size() == 2);
    CHECK(r.events[0].attributes[0] == std::pair<std::string_view, std::string_view>("level", "city"));
    CHECK(r.events[0].attributes[1] == std::pair<std::string_view, std::string_view>("issuer", "city_gov"));
}

TEST_CASE("a duplicate field is an error") {
    Failure f = failure_of(R"({"id": "a", "year": 2022, "year": 2023})");
    CHECK(f.message == "duplicate field `year`");
    CHECK(f.where == "year");
    f = failure_of(R"({"id": "a", "measures": {"m": 1, "m": 2}})");
    CHECK(f.message == "duplicate measure `m`");
    CHECK(f.where == "measures.m");
    f = failure_of(R"({"id": "a", "events": [{"type": "t", "issuer": "x", "issuer": "y"}]})");
    CHECK(f.message == "duplicate field `issuer`");
    CHECK(f.where == "events[0].issuer");
}

TEST_CASE("a duplicate among many measures is found") {
    std::string json = R"({"id": "a", "measures": {)";
    for (int i = 0; i < 100; ++i) json += "\"m" + std::to_string(i) + "\": " + std::to_string(i) + ", ";
    json += R"("m57": 1}})";
    const Failure f = failure_of(json);
    CHECK(f.message == "duplicate measure `m57`");
}

TEST_CASE("bad JSON is an error that says so") {
    Failure f = failure_of(R"({"id": "a", "year": 2022,)");
    CHECK(contains(f.message, "not valid JSON"));
    f = failure_of(R"({"id": "a" "year": 2022})");
    CHECK(contains(f.message, "not valid JSON"));
    f = failure_of(R"({"id": "a", "year": tru})");
    CHECK(contains(f.message, "not valid JSON"));
    CHECK(f.where == "year");
    f = failure_of(R"({"id": "a", "year": 2022x})");
    CHECK(f.message == "not valid JSON: bad number `2022x`");
    f = failure_of(R"({"id": "a", "name": "bad \q escape"})");
    CHECK(contains(f.message, "not valid JSON"));
    f = failure_of("{\"id\": \"a\", \"name\": \"\xff\"}");
    CHECK(contains(f.message, "not valid JSON"));
    CHECK(contains(f.message, "UTF-8"));
    CHECK(contains(failure_of("").message, "not valid JSON"));
    CHECK(contains(failure_of(R"({"id": "a")").message, "never closed"));
}

TEST_CASE("a value followed by a colon is bad JSON") {
    CHECK(contains(failure_of(R"({"role": "a": "b"})").message, "not valid JSON"));
    CHECK(contains(failure_of(R"({"id": "a", "year": 2022: 1})").message, "not valid JSON"));
    CHECK(contains(failure_of(R"({"id": "a", "groups": ["a": "b"]})").message, "not valid JSON"));
    CHECK(contains(failure_of(R"({"id": "a", "events": [{"type": "t", "x": "y": "z"}]})").message, "not valid JSON"));
    CHECK(contains(failure_of(R"({"id": "a", "year": true1})").message, "not valid JSON"));
}

TEST_CASE("escaped strings and keys are unescaped") {
    JsonReader reader;
    const RawRecord& r = reader.read(
        R"({"\u0069d": "a\"b", "name": "tab\there", "events": [{"type": "t\u00e9", "iss\u0075er": "x\\y"}]})");
    CHECK(r.id == "a\"b");
    CHECK(r.name == "tab\there");
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].type == "té");
    REQUIRE(r.events[0].attributes.size() == 1);
    CHECK(r.events[0].attributes[0].first == "issuer");
    CHECK(r.events[0].attributes[0].second == "x\\y");
    CHECK(contains(failure_of("{\"id\": \"a\tb\"}").message, "not valid JSON"));  // a raw tab
}

TEST_CASE("trailing content after the record is an error") {
    Failure f = failure_of(R"({"id": "a"} {"id": "b"})");
    CHECK(contains(f.message, "content after the end of the record"));
    f = failure_of(R"({"id": "a"} garbage)");
    CHECK(contains(f.message, "content after the end of the record"));
    f = failure_of(R"({"id": "a"}})");
    CHECK(contains(f.message, "content after the end of the record"));
    JsonReader reader;
    CHECK(reader.read("{\"id\": \"a\"}\n \r\n").id == "a");  // whitespace is fine
}

TEST_CASE("too deep nesting is an error naming the limit") {
    const std::string deep = std::string(20, '[') + std::string(20, ']');
    Failure f = failure_of(R"({"id": "a", "year": )" + deep + "}");
    CHECK(f.message == "JSON nested deeper than 8 levels (the limit for a record)");
    CHECK(f.where == "year");
    f = failure_of(R"({"id": "a", "events": [{"type": "t", "issuer": )" + deep + "}]}");
    CHECK(f.message == "JSON nested deeper than 8 levels (the limit for a record)");
    CHECK(f.where == "events[0].issuer");
    f = failure_of(std::string(100000, '[') + std::string(100000, ']'));
    CHECK(contains(f.message, "deeper than 8 levels"));
}

TEST_CASE("a huge record is an error naming the limit") {
    const std::string json = R"({"id": "a", "name": ")" + std::string(kaohe::record::kMaxRecordBytes, 'x') + "\"}";
    const Failure f = failure_of(json);
    CHECK(contains(f.message, "larger than 1048576 bytes"));
    CHECK(f.where.empty());
}

TEST_CASE("a string longer than the limit is an error") {
    const std::string json = R"({"id": "a", "name": ")" + std::string(kaohe::record::kMaxStringBytes + 1, 'x') + "\"}";
    const Failure f = failure_of(json);
    CHECK(f.message == "`name` is longer than 4096 bytes (the limit for a string)");
    CHECK(f.where == "name");
}

TEST_CASE("too many events is an error naming the limit") {
    std::string json = R"({"id": "a", "events": [)";
    for (std::size_t i = 0; i <= kaohe::record::kMaxEvents; ++i) json += R"({"type": "t"},)";
    json.back() = ']';
    json += '}';
    const Failure f = failure_of(json);
    CHECK(f.message == "more than 10000 events (the limit for a record)");
    CHECK(f.where == "events");
}

TEST_CASE("reads a unit record") {
    JsonReader reader;
    const RawRecord& r = reader.read(R"({ "unit": "某县科协", "year": 2022,
      "events": [ { "type": "unit_excellent" }, { "type": "unit_honour", "issuer": "city_gov" } ] })",
                                     true);
    CHECK(r.is_unit);
    CHECK(r.unit == "某县科协");
    CHECK(r.year == std::optional<Number>(Number(2022)));
    REQUIRE(r.events.size() == 2);
    CHECK(r.events[0].type == "unit_excellent");
    CHECK(r.events[1].attributes.size() == 1);
    CHECK_FALSE(r.has_id);
    // A person's fields are not a unit record's.
    CHECK(failure_of(R"({"unit": "x", "role": "r"})", true).message == "unknown field `role`");
}

TEST_CASE("an integer id keeps its text") {
    JsonReader reader;
    const RawRecord& r = reader.read(R"({"id": 2022017 , "year": 2022})");
    CHECK(r.has_id);
    CHECK(r.id == "2022017");
    CHECK(reader.last_id() == "2022017");
    CHECK(contains(failure_of(R"({"id": 1.5})").message, "must be a string or an integer"));
}

TEST_CASE("missing id, role and year are left for validation") {
    JsonReader reader;
    const RawRecord& r = reader.read(R"({"name": "x"})");
    CHECK_FALSE(r.has_id);
    CHECK_FALSE(r.has_role);
    CHECK_FALSE(r.has_year);
    CHECK_FALSE(r.year.has_value());
}

TEST_CASE("last_id names the record after a later failure") {
    JsonReader reader;
    (void)failure_of(reader, R"({"id": "2022-017", "year": "x"})");
    CHECK(reader.last_id() == "2022-017");
    (void)failure_of(reader, R"({"year": "x", "id": "2022-018"})");
    CHECK(reader.last_id().empty());
}

TEST_CASE("the reader is reusable across calls") {
    JsonReader reader;
    const Failure f = failure_of(reader, R"({"id": "bad", "events": [{"type": "a", "issuer": "x"}, {"type": 1}]})");
    CHECK(f.where == "events[1].type");
    const RawRecord& r = reader.read(kSample);
    CHECK(r.id == "2022-017");
    REQUIRE(r.events.size() == 4);
    CHECK(r.events[0].attributes.empty());
    CHECK(r.events[3].attributes.size() == 1);
    // A smaller record after a larger one, and a larger one again.
    const RawRecord& small = reader.read(R"({"id": "s"})");
    CHECK(small.id == "s");
    CHECK(small.events.empty());
    CHECK(small.measures.empty());
    CHECK(small.groups.empty());
    std::string big = R"({"id": "b", "events": [)";
    for (int i = 0; i < 500; ++i) big += R"({"type": "t", "issuer": "x"},)";
    big.back() = ']';
    big += '}';
    const RawRecord& b = reader.read(big);
    CHECK(b.events.size() == 500);
    CHECK(b.events[499].attributes.size() == 1);
}
