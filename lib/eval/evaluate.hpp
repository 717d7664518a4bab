// Evaluation: one Record against a Program → scores for every node of the person's card, and
// the lines that explain them. Pure: reads the Program and Record, writes only `out`, so any
// number of threads may evaluate with one Program at once.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ir/program.hpp"
#include "record/record.hpp"

namespace kaohe::eval {

struct Line {
    enum class Kind : std::uint8_t {
        event,    // an event moved the clause (points per occurrence × count)
        value,    // a rule on the whole record (a measure, an expression)
        cap,      // a rule's `at most` took back the excess
        floor,    // the clause would have gone below 0: the excess is taken back
        ceiling,  // the clause would have gone above its maximum
        start,    // an earned clause (`from 0`) starts at 0: the first line of its clause, 0 points
    };
    ir::NodeId node = ir::none;
    ir::RuleId rule = ir::none;
    Kind kind = Kind::value;
    record::EventAt event = ir::none;  // for Kind::event
    Number points;            // signed: negative loses points
    bool otherwise = false;   // for Kind::event: the rule's `by` table scored it by its `otherwise`
    ir::Period period{};      // a period rule's line: the month or quarter that counted (kind year: none)
};

// A section scored per period (`each quarter mean`): each period's scores of it and of its parts.
struct PeriodCard {
    ir::NodeId section = ir::none;
    // By period (index - 1): each node of the section's part of the card, the section first and
    // then its parts depth first, with its score in that period.
    std::vector<std::vector<std::pair<ir::NodeId, Number>>> scores;
};

// A coefficient's value for a record (`coefficient pay_factor "考核系数" by grade { ... }`): the
// entry of the coefficient's table that gave it; the value is that entry's.
struct CoefficientAt {
    std::size_t coefficient = 0;  // index into Program::coefficients
    std::size_t entry = 0;        // index into that coefficient's entries
};

struct Outcome {
    // Meaningful for the nodes of the person's role. A node inside a section scored per period
    // holds its year's value: the mean or the sum of its period scores, as the section says.
    ir::IdVector<ir::NodeId, Number> scores;
    std::vector<PeriodCard> periods;  // the person's sections scored per period, in card order
    Number total;
    // Where the policy rounds inside the arithmetic (`round each clause 1 place`, `round total 2
    // places`) and the rounding changed a figure: its value before rounding. `scores` and `total`
    // hold the rounded figures, which is what the parent, the total and the grade used.
    std::vector<std::pair<ir::NodeId, Number>> before_rounding;
    std::optional<Number> total_before_rounding;
    std::vector<Line> lines;
    const std::string* grade = nullptr;  // points into the Program; null when it has no grades
    ir::EventId veto_event = ir::none;   // the event that forced the grade, if any
    // What decided the grade: the band the total reached (none when a veto forced it), and the veto
    // that forced or capped it or, in a scheme without grades, that fired (null: none), with the
    // first of the record's events it fired on.
    const ir::GradeBand* band = nullptr;
    const ir::Veto* veto = nullptr;
    const ir::GradeRule* rule = nullptr;  // the grade rule that gave or capped the grade (then veto is null)
    record::EventAt veto_at = ir::none;
    // When a cap lowered a grade that a veto forced or a grade rule gave, that veto or rule (the
    // band is then null); both null when the cap lowered the band's grade, or nothing was capped.
    const ir::Veto* lowered_veto = nullptr;
    const ir::GradeRule* lowered_rule = nullptr;
    // The flags raised for the record (indexes into Program::flags), in declaration order.
    std::vector<std::size_t> flags;
    // Set only by a batch that applied a grade's quota (api/quota.cpp) to a person who reached that
    // grade: the band with the quota, the unit's people scored, the quota's count, the person's
    // rank by total among those who reached it (1: the highest; ties share one) and whether the
    // person missed the quota (then `grade` is the next band's). None in a single record's scoring.
    struct QuotaPlace {
        const ir::GradeBand* band = nullptr;
        std::size_t people = 0, count = 0, rank = 0;
        bool missed = false;
    };
    std::optional<QuotaPlace> quota;
    // The coefficients, in declaration order, from the final grade and the total (coefficients() below).
    std::vector<CoefficientAt> coefficients;
    // The named values the record needed, by NamedId (none: not computed for this record).
    std::vector<std::optional<Number>> values;
};

// Throws record::RecordFailure for a record that cannot be scored (an attribute value missing
// from a table, arithmetic past the number limit).
void evaluate(const ir::Program& program, const record::Record& record, Outcome& out);

// The coefficients for a record whose final grade is `grade` (a name from Program::grades, or null
// when it has none) and whose total is `total`, in declaration order: by grade, the grade's entry or
// else `otherwise`; by total, the first band the total reaches or else `otherwise`. A coefficient no
// entry gives (the checker leaves none such) is not listed. evaluate() calls it last; a pass that
// changes the grade afterwards (a quota over a batch) calls it again with the new grade.
std::vector<CoefficientAt> coefficients(const ir::Program& program, const Number& total, const std::string* grade);

}  // namespace kaohe::eval
