// Records: a person's year (and an optional unit record), read strictly against a ruleset.
//
// Reading is two steps. The JSON reader (record/json_reader.cpp) turns JSON text into a
// RawRecord: the record's shape, names still as text, numbers already exact. Validation
// (record/validate.cpp) resolves every name against the ruleset's vocabulary and checks every
// value, producing a Record of indexes. Tests written in the language build RawRecords too, so
// both paths share one validation and report the same errors.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "diag/codes.hpp"
#include "ir/program.hpp"
#include "kaohe/number.hpp"

namespace kaohe::record {

// Limits on a record, each named in its error message.
inline constexpr std::size_t kMaxRecordBytes = 1u << 20;  // 1 MiB of JSON per record
inline constexpr std::size_t kMaxEvents = 10000;          // events in one record
inline constexpr std::int64_t kMaxCount = 1000000;        // an event's count
inline constexpr std::size_t kMaxDepth = 8;               // JSON nesting (a record needs 3; 6 with ratings in `periods`)
inline constexpr std::size_t kMaxStringBytes = 4096;      // any string value
inline constexpr std::size_t kMaxMarks = 10000;           // marks given for one rating


// Thrown inside reading and validation; converted to RecordError at the API boundary. The
// message is read from `message`, never what(): it quotes record text, which may hold a NUL
// (`"\u0000"` in JSON), and what() is a C string that would end there.
struct RecordFailure : std::runtime_error {
    diag::Code code;  // R001 … (lib/diag/codes.hpp)
    std::string message;
    std::string where;
    RecordFailure(diag::Code code_, std::string message_, std::string where_)
        : std::runtime_error(message_), code(code_), message(std::move(message_)), where(std::move(where_)) {}
};

// ---- Step 1: shape

struct RawEvent {
    std::string_view type;
    std::optional<Number> amount;
    std::optional<Number> count;
    std::optional<std::string_view> date;
    std::optional<std::string_view> note;
    std::vector<std::pair<std::string_view, std::string_view>> attributes;  // name → value id
};

// A fact's value as given: a value's id or label, or `true` / `false` (held as "yes" / "no").
struct RawFact {
    std::string_view value;
    bool boolean = false;  // given as true or false
    bool number = false;   // given as a number: refused by validation, which knows what the fact takes
};

// One rater's mark as given: a number, or a label of the rating's scale.
struct RawMark {
    std::optional<Number> number;
    std::string_view label;
};

// `"periods": {"2022-Q1": {"measures": {"output": 9}, "ratings": {"assessor": [90, 80]}}}`: one
// period's inputs, names still as text; its ratings as RawRecord's.
struct RawPeriod {
    std::vector<std::pair<std::string_view, Number>> measures;
    std::vector<std::pair<std::string_view, std::vector<RawMark>>> ratings;
    std::vector<std::pair<std::string_view, std::vector<std::pair<std::string_view, Number>>>> votes;
};

// Views point into the JSON buffer (or the test's AST); a RawRecord lives only while those do.
struct RawRecord {
    bool has_id = false, has_role = false, has_year = false;
    std::string_view id, name, role;
    std::optional<Number> year;
    std::vector<std::string_view> groups;
    std::vector<std::pair<std::string_view, Number>> measures;
    // A measure on a scale given by its label (`"rating": "良好"`): name → label.
    std::vector<std::pair<std::string_view, std::string_view>> measure_labels;
    // `"facts": {"has_system": true, "village_kind": "autonomous"}`: name → value by id or label.
    std::vector<std::pair<std::string_view, RawFact>> facts;
    // `"ratings": {"review": [92, 88, 95]}`: each rater's mark, a number or a label of the scale.
    std::vector<std::pair<std::string_view, std::vector<RawMark>>> ratings;
    // `"ratings": {"votes": {"excellent": 30, "competent": 10}}`: a vote rating's votes per grade.
    std::vector<std::pair<std::string_view, std::vector<std::pair<std::string_view, Number>>>> votes;
    std::vector<RawEvent> events;
    // The inputs given per period, by the period as written ("2022-Q1", "2022-03").
    std::vector<std::pair<std::string_view, RawPeriod>> periods;
    // A unit record: its `unit` name instead of a person's id and role. A person's `unit` (the
    // unit a quota counts them in) is kept in the same view; `has_unit` when the field was given.
    bool is_unit = false, has_unit = false;
    std::string_view unit;
};

// ---- Step 2: resolved against a ruleset

struct Date {
    int year = 0, month = 0, day = 0;  // month or day 0: not given
};

// Appends `d` as records write it and validation reads it back: "YYYY-MM-DD", or "YYYY-MM" when
// the day is not given. The year has four digits (the checker admits 1900-9999 only).
void append_date(std::string& out, const Date& d);

// The position of an event in Record::events (not an event type: that is an ir::EventId).
using EventAt = ir::Id<struct EventAtTag>;

struct Event {
    ir::EventId type = ir::none;
    bool has_amount = false;
    Number amount;
    std::int64_t count = 1;
    Date date;
    std::string note;
    ir::IdVector<ir::SlotId, ir::ValueId> attributes;  // by slot of the event type's declared attributes
    std::uint32_t position = 0;         // index in the record's (or unit record's) events
    bool from_unit = false;
};

struct Record {
    std::string id, name;
    std::string unit;  // the person's `unit` ("" when not given): a batch applies grade quotas per unit
    ir::RoleId role = ir::none;
    int year = 0;
    ir::IdVector<ir::GroupId, bool> groups;
    ir::IdVector<ir::MeasureId, std::optional<Number>> measures;  // defaults filled in
    // A rating's marks as combined into its measure's value: how many, and the highest and
    // lowest that `dropping highest and lowest` left out. The raters are not kept.
    struct Marks {
        std::int64_t count = 0;  // marks, or a vote rating's votes in all
        std::vector<std::int64_t> votes;  // a vote rating: the votes per grade, in declaration order
        std::optional<Number> dropped_highest, dropped_lowest;
        // A vote rating: the votes cast for `grades` (a `share`'s), and their fraction of all the
        // votes (validation refuses a vote rating with none in all).
        std::int64_t votes_for(const std::vector<ir::ValueId>& grades) const {
            std::int64_t cast = 0;
            for (ir::ValueId g : grades) cast += votes[g.index()];
            return cast;
        }
        Number share_of(const std::vector<ir::ValueId>& grades) const { return Number(votes_for(grades)) / Number(count); }
    };
    ir::IdVector<ir::MeasureId, std::optional<Marks>> ratings;
    std::vector<Event> events;                     // the person's, then the unit's
    std::vector<std::uint32_t> by_type_start;      // events of type t: by_type[by_type_start[t] .. [t+1])
    std::vector<EventAt> by_type;                  // events grouped by type, record order kept
    std::vector<std::string> warnings;             // events that the role does not score, ...
    // The measures given per period (`measure ... each quarter`), by ir::period_slot; empty when
    // the ruleset declares none.
    std::vector<ir::IdVector<ir::MeasureId, std::optional<Number>>> period_measures;
    // The marks of the ratings given per period (`rating ... each quarter`), by ir::period_slot,
    // as `ratings` for the year; their values are in period_measures. Empty when none is given.
    std::vector<ir::IdVector<ir::MeasureId, std::optional<Marks>>> period_ratings;

    const Event& event(EventAt i) const { return events[i.index()]; }
    // Rating `m`'s marks as read in `period`: a per-period rating's for that period, any other's
    // for the year.
    const std::optional<Marks>& marks(const ir::Program& p, ir::MeasureId m, const ir::Period& period) const {
        static const std::optional<Marks> none;
        if (p.measure(m).period == ir::PeriodKind::year) return ratings[m];
        if (period.whole_year() || period_ratings.empty()) return none;
        return period_ratings[static_cast<std::size_t>(ir::period_slot(period))][m];
    }
    // Measure `m` as read in `period`: a per-period measure's value for that period, any other's
    // for the year.
    const std::optional<Number>& measure(const ir::Program& p, ir::MeasureId m, const ir::Period& period) const {
        if (p.measure(m).period == ir::PeriodKind::year || period.whole_year() || period_measures.empty()) return measures[m];
        return period_measures[static_cast<std::size_t>(ir::period_slot(period))][m];
    }
};

// A unit record, validated: its events apply to every person evaluated with it.
struct Unit {
    std::string name;
    int year = 0;
    std::vector<Event> events;
};

// Validation. Throws RecordFailure.
Record validate(const ir::Program& program, const RawRecord& raw, const Unit* unit);
// The same into `out`, reusing its buffers (for callers that validate many records in a row).
// Every field is set; after a throw, `out` holds a partial record and must not be used.
void validate(const ir::Program& program, const RawRecord& raw, const Unit* unit, Record& out);
Unit validate_unit(const ir::Program& program, const RawRecord& raw);
// Measure value `value` given for `decl` (as `name`, at field `at`) against its scale and domain:
// R006 when outside them.
void check_measure_value(const ir::Measure& decl, std::string_view name, const Number& value, const std::string& at);
// The record's `periods` (record/periods.cpp): each a period of the year, holding measures
// declared per period of its kind. Fills r.period_measures, defaults included.
void read_periods(const ir::Program& p, const RawRecord& raw, Record& r);
// Why `date` ("YYYY-MM-DD" or "YYYY-MM") is not a date inside `year`, as a record's error says
// it; "" when it is one. The checker uses it for dates written in tests.
std::string date_problem(std::string_view date, int year);

// JSON. Throws RecordFailure. `json` must stay alive while the RawRecord is used.
// The reader keeps its parser between calls: one JsonReader per thread.
class JsonReader {
public:
    JsonReader();
    ~JsonReader();
    JsonReader(const JsonReader&) = delete;
    JsonReader& operator=(const JsonReader&) = delete;

    // Reads a person record (or, with unit = true, a unit record). The text is copied into a
    // padded buffer owned by the reader; the RawRecord's views point into that buffer and stay
    // valid until the next read.
    const RawRecord& read(std::string_view json, bool unit = false);

    // The id of the last record read, when the failure came after it was seen ("" otherwise).
    std::string_view last_id() const;

private:
    struct Impl;
    Impl* impl_;
};

}  // namespace kaohe::record
