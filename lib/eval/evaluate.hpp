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

// The person's unit in a batch, for a ruleset whose grade rules or flags read it (unit_mean,
// unit_rank, unit_size): computed over the unit's people scored (api/population.hpp) before the
// grade is decided, since totals do not depend on grades.
struct UnitStats {
    std::size_t people = 0;  // the unit's people scored
    std::size_t rank = 0;    // the person's rank by total, highest first; ties share one (1, 2, 2, 4)
    Number mean_total;       // exact: a fraction when the total does not divide
    // By MeasureId: the unit's mean of the measure over the people with a value of it (none: nobody has one).
    std::vector<std::optional<Number>> means;
};

// Thrown by an expression reading the unit when none is given (one record scored alone); the
// evaluator leaves that grade rule or flag undecided (Outcome::unit_undecided).
struct UnitUnknown {};

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
    // For a ruleset whose grade rules or flags read the unit: the stats they read, when the record
    // was scored in a batch; else unit_undecided, when a grade rule or flag that reads it was left
    // undecided (a record scored alone), and the grade is what the others decide.
    std::optional<UnitStats> unit;
    bool unit_undecided = false;
    // The coefficients, in declaration order, from the final grade and the total (coefficients() below).
    std::vector<CoefficientAt> coefficients;
    // The named values the record needed, by NamedId (none: not computed for this record).
    std::vector<std::optional<Number>> values;
};

// Throws record::RecordFailure for a record that cannot be scored (an attribute value missing
// from a table, arithmetic past the number limit).
void evaluate(const ir::Program& program, const record::Record& record, Outcome& out);

// Decides again, for an outcome evaluate() gave for `record`, what reads the person's unit: the
// flags, the grade and the coefficients, with `unit` known (Outcome::unit is set to it). The
// scores are kept; the quotas apply afterwards.
void decide_in_unit(const ir::Program& program, const record::Record& record, const UnitStats& unit, Outcome& out);

// Whether any grade rule or flag of the ruleset reads the person's unit.
bool reads_unit(const ir::Program& program);

// The coefficients for a record whose final grade is `grade` (a name from Program::grades, or null
// when it has none) and whose total is `total`, in declaration order: by grade, the grade's entry or
// else `otherwise`; by total, the first band the total reaches or else `otherwise`. A coefficient no
// entry gives (the checker leaves none such) is not listed. evaluate() calls it last; a pass that
// changes the grade afterwards (a quota over a batch) calls it again with the new grade.
std::vector<CoefficientAt> coefficients(const ir::Program& program, const Number& total, const std::string* grade);

}  // namespace kaohe::eval
