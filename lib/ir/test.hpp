// Test blocks, checked: every name a test writes is resolved by the checker to an index (a
// misspelt role, group, measure, event, attribute, value or `expect` path is a check error), and
// kept as written too, with its span, for the runner's messages. A test that expects an error may
// build a bad record on purpose: its names are not checked, and an unknown one has index `none`;
// the runner rejects its record as it would a JSON record.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/index.hpp"
#include "ir/written.hpp"

namespace kaohe::ir {

// A name and what it names: a RoleId, GroupId, MeasureId, EventId, AttributeId or ValueId.
template <class IdType>
struct TestName {
    std::string text;
    Span span;
    IdType index = none;  // none: unknown
};

struct TestText {
    std::string value;  // escapes resolved
    Span span;
};

struct TestAttribute {
    TestName<AttributeId> name;
    TestName<ValueId> value;  // in that attribute's values
};

struct TestEvent {
    TestName<EventId> type;
    std::optional<Literal> amount, count;
    std::optional<TestText> date, note;
    std::vector<TestAttribute> attributes;
    Span span;
};

struct TestMeasure {
    TestName<MeasureId> name;
    Literal value;
};

// `facts { village_kind: autonomous }`: a fact and its value by name, as a record gives them.
struct TestFact {
    TestName<MeasureId> name;
    TestText value;
};

// `ratings { review: [92, 优秀] }`: a rating and its marks, each a number or a scale's label.
struct TestMark {
    std::optional<Literal> number;
    TestText label;  // when not a number
};
struct TestRating {
    TestName<MeasureId> name;
    std::vector<TestMark> marks;
};

// `ratings { votes: { excellent: 30 } }`: a vote rating and its votes per grade, by name.
struct TestVotes {
    TestName<MeasureId> name;
    std::vector<std::pair<TestText, Literal>> counts;
};

struct Expectation {
    enum class Kind { value, grade, error, warning, veto, flag, no_flag, coefficient, rank };  // rank: its place in `value`  // flag, no_flag, coefficient: `path` is its id
    Kind kind = Kind::value;
    std::string path;  // "total" or a clause path; veto: the event whose veto decided the outcome ("": none did)
    NodeId node = none;    // the node at `path` on the card of the test's role; none: total, or no role written
    NamedId named = none;  // `expect value workload = 87.5`: the named value (then `path` is its id)
    Literal value;        // a number or an exact fraction; its span covers the whole of it
    bool rounded = false; // `= 3.33 rounded`: compared with the value rounded as the policy rounds
    std::optional<TestText> period;  // `expect quarterly.tasks in 2022-Q1 = 58`: the period as written
    TestText text;        // grade name, or text the error message must contain
    Span span;
};

// `period 2022-Q1 { measures { output: 9 } ratings { assessor: [90, 80] } }`: one period's inputs.
struct TestPeriod {
    TestText period;  // as written
    std::vector<TestMeasure> measures;
    Span span;
    std::vector<TestRating> ratings;
    std::vector<TestVotes> votes;
};

struct Test {
    TestText name;
    std::optional<TestName<RoleId>> role;
    std::vector<TestName<GroupId>> groups;
    std::optional<Literal> year;
    std::optional<TestText> id;
    std::vector<TestMeasure> measures;
    std::vector<TestFact> facts;
    std::vector<TestRating> ratings;
    std::vector<TestVotes> votes;
    std::vector<TestEvent> events;
    std::vector<TestEvent> unit_events;
    std::optional<TestText> record_file;  // read when the test runs, relative to the test's file
    std::vector<TestPeriod> periods;
    std::vector<Expectation> expectations;
    Span span;
    // `population "三人" { test ... }`: the tests scored together as one unit (same name span:
    // same population); none for a test scored alone.
    std::optional<TestText> population;
};

}  // namespace kaohe::ir
