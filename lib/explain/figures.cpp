// The figures as the policy declares them: `report 2 places half_up` (保留两位小数) rounds what
// cards and results show, and the value before rounding is carried beside any figure that differs
// from it, so no shown figure hides the exact one.
#include <algorithm>
#include <string>

#include "explain/explain.hpp"

namespace kaohe::explain {

std::string reported(const ir::Program& p, const Number& n) {
    if (!p.policy.report) return n.to_string(p.policy.round_places, p.policy.rounding);
    const int places = p.policy.report->places;
    std::string s = p.policy.report->apply(n).to_string();
    if (places <= 0) return s;
    // All the declared places, "90.00": the figure reads as rounded, not exact.
    const auto dot = s.find('.');
    const std::size_t have = dot == std::string::npos ? 0 : s.size() - dot - 1;
    if (dot == std::string::npos) s += '.';
    s.append(static_cast<std::size_t>(places) - std::min<std::size_t>(have, static_cast<std::size_t>(places)), '0');
    return s;
}

bool rounded_for_showing(const ir::Program& p, const Number& n) {
    return p.policy.report && !(p.policy.report->apply(n) == n);
}

std::vector<std::pair<std::string, Number>> exact_figures(const ir::Program& p, const record::Record& r,
                                                          const eval::Outcome& o) {
    std::vector<std::pair<std::string, Number>> out;
    const auto differs = [&](const Number& shown, const std::optional<Number>& before) {
        if (before) return true;
        return p.policy.report && !(p.policy.report->apply(shown) == shown);
    };
    if (differs(o.total, o.total_before_rounding)) out.emplace_back("total", o.total_before_rounding.value_or(o.total));
    for (ir::NodeId n : p.role(r.role).nodes) {
        std::optional<Number> before;
        for (const auto& [node, v] : o.before_rounding)
            if (node == n) before = v;
        if (differs(o.scores[n], before)) out.emplace_back(p.node(n).path, before.value_or(o.scores[n]));
    }
    return out;
}

bool declares_figures(const ir::Program& p) {
    return p.policy.report || p.policy.each_clause || p.policy.each_section || p.policy.at_total;
}

bool line_figure_rounded(const ir::Program& p, const Number& n) { return declares_figures(p) && !n.has_finite_decimal(); }

std::string exact_beside(const ir::Program& p, const Number& n) {
    if (!line_figure_rounded(p, n)) return "";
    std::int64_t num = 0, den = 1;
    // A fraction is the value itself; one too large for that is written to 12 places.
    return " (exact " + (n.small(num, den) ? std::to_string(num) + "/" + std::to_string(den) : n.to_string(12, p.policy.rounding)) + ")";
}

}  // namespace kaohe::explain
