// What totals and grades a ruleset can give, for the warnings on outcomes that never apply (W008).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/program.hpp"

namespace kaohe::check {

// The totals a card can have, over every card of the ruleset, as the grade bands and the
// coefficients compare them (after `round total`). A bound is none where a card has no limit
// that way (an uncapped section with additions, a clause without a floor).
struct TotalBounds {
    std::optional<Number> lo, hi;
};
// Needs the range analysis done (ir::analyse_ranges sets each clause's lowest and highest).
TotalBounds total_bounds(const ir::Program& p);

// Why each grade band's grade can or cannot come from the bands (by index into p.grades): "" when
// some total reaches the band and a person there keeps it; else in words, "its band `>= 105` is
// above the highest total any card can reach, 100". A grade a quota takes away is given to the
// next band's grade, so that one is reached too.
std::vector<std::string> band_unreached(const ir::Program& p, const TotalBounds& totals);

}  // namespace kaohe::check
