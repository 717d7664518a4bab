// See reach.hpp. The bounds follow the evaluator's arithmetic (eval/evaluate.cpp) node by node:
// a clause held to 0..its maximum, a section the sum of its parts plus what it does not allocate,
// held to 0..its maximum only where it holds a `within` clause or is scored per period, a weight
// scaling what a part counts; every rounding the policy applies is monotone, so it applies to the
// bounds as it applies to the scores.
#include "check/reach.hpp"

#include <algorithm>

namespace kaohe::check {
namespace {

using Bound = std::optional<Number>;

Bound add(const Bound& a, const Bound& b) {
    if (!a || !b) return std::nullopt;
    return *a + *b;
}

Bound rounded(const std::optional<ir::Places>& at, const Bound& v) {
    if (!at || !v) return v;
    return at->apply(*v);
}

// A node's score as it counts in its parent: {lowest, highest}.
std::pair<Bound, Bound> node_bounds(const ir::Program& p, ir::NodeId n) {
    const ir::Node& nd = p.node(n);
    Bound lo, hi;
    if (nd.clause) {
        if (nd.within) {
            lo = -*nd.within;
            hi = *nd.within;
        } else {
            // Its rules move it between lowest and highest (from the range analysis); then it is
            // held to 0 (its floor) and its maximum.
            const auto held = [&](Number x) {
                if (nd.floor && x.is_negative()) x = Number();
                if (nd.max && x > *nd.max) x = *nd.max;
                return x;
            };
            lo = nd.lowest ? Bound(held(*nd.lowest)) : nd.floor ? Bound(Number()) : std::nullopt;
            hi = nd.highest ? Bound(held(*nd.highest)) : nd.max;
        }
        lo = rounded(p.policy.each_clause, lo);
        hi = rounded(p.policy.each_clause, hi);
    } else {
        lo = hi = nd.unallocated;
        for (ir::NodeId c : nd.children) {
            const auto [clo, chi] = node_bounds(p, c);
            lo = add(lo, clo);
            hi = add(hi, chi);
        }
        if (nd.period != ir::PeriodKind::year) {
            // Each period held to 0..max; the year's score their mean or sum.
            lo = Number();
            hi = nd.max ? nd.year_max() : std::nullopt;
        } else if (nd.holds_within && nd.max) {
            lo = lo ? std::max(*lo, Number()) : Number();
            hi = hi ? std::min(*hi, *nd.max) : *nd.max;
        }
        lo = rounded(p.policy.each_section, lo);
        hi = rounded(p.policy.each_section, hi);
    }
    if (lo) lo = nd.contribution(*lo);
    if (hi) hi = nd.contribution(*hi);
    return {lo, hi};
}

}  // namespace

TotalBounds total_bounds(const ir::Program& p) {
    TotalBounds out;
    bool first = true;
    bool lo_known = true, hi_known = true;
    for (const ir::Role& role : p.roles) {
        Bound lo = Number(), hi = Number();
        for (ir::NodeId n : role.roots) {
            const auto [nlo, nhi] = node_bounds(p, n);
            lo = add(lo, nlo);
            hi = add(hi, nhi);
        }
        lo = rounded(p.policy.at_total, lo);
        hi = rounded(p.policy.at_total, hi);
        lo_known = lo_known && lo.has_value();
        hi_known = hi_known && hi.has_value();
        if (first || (lo && out.lo && *lo < *out.lo)) out.lo = lo;
        if (first || (hi && out.hi && *hi > *out.hi)) out.hi = hi;
        first = false;
    }
    if (!lo_known || first) out.lo.reset();
    if (!hi_known || first) out.hi.reset();
    return out;
}

std::vector<std::string> band_unreached(const ir::Program& p, const TotalBounds& totals) {
    std::vector<std::string> out(p.grades.size());
    std::optional<std::size_t> takes_all;  // the first band every total reaches
    bool moved_down = false;               // the band before has a quota, which gives its people this grade
    for (std::size_t i = 0; i < p.grades.size(); ++i) {
        const ir::GradeBand& b = p.grades[i];
        std::string& why = out[i];
        if (takes_all) {
            const ir::GradeBand& all = p.grades[*takes_all];
            why = "the band \"" + all.name + "\" >= " + all.at_least->to_string(12) + " before it takes every total" +
                  (totals.lo ? " (no card's total is below " + totals.lo->to_string(12) + ")" : std::string());
        } else if (b.at_least && totals.hi && *b.at_least > *totals.hi)
            why = "its band `>= " + b.at_least->to_string(12) + "` is above the highest total any card can reach, " +
                  totals.hi->to_string(12);
        if (b.at_least && !takes_all && totals.lo && *b.at_least <= *totals.lo) takes_all = i;
        const bool by_total = why.empty();
        if (by_total && b.quota && b.quota->share.is_zero()) why = "its quota is 0%, so nobody keeps it";
        if (moved_down) why.clear();
        // Who reaches the band, by total or moved down into it, and is past its quota has the next grade.
        moved_down = (by_total || moved_down) && b.quota.has_value();
    }
    return out;
}

}  // namespace kaohe::check
