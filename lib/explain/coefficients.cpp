// Coefficients for a record (`coefficient pay_factor "考核系数" by grade { ... }`): in the result
// JSON and the scorecard, each with the entry of its table that gave it and why.
#include "explain/explain.hpp"
#include "support/text.hpp"

namespace kaohe::explain {

bool coefficient_before_quota(const ir::Program& p, const eval::Outcome& o, const eval::CoefficientAt& at) {
    if (!p.coefficients[at.coefficient].by_grade || o.quota || !o.grade) return false;
    for (const ir::GradeBand& b : p.grades)
        if (b.quota && b.name == *o.grade) return true;
    return false;
}

std::string coefficient_why(const ir::Program& p, const eval::Outcome& o, const eval::CoefficientAt& at) {
    const ir::Coefficient& c = p.coefficients[at.coefficient];
    const ir::CoefficientEntry& e = c.entries[at.entry];
    if (c.by_grade) {
        const std::string grade = o.grade ? *o.grade : "(none)";
        return "grade " + grade + (e.grade.empty() ? ", otherwise" : "") +
               (coefficient_before_quota(p, o, at) ? " (before the quota)" : "");
    }
    // The figure the bands compared, exactly (under `round total`, the rounded total that also
    // decided the grade), as the outcome's `on_total` writes it: not the total as reported, which
    // may have reached a band the exact figure did not.
    const std::string total = "total " + o.total.to_string(12, p.policy.rounding);
    return e.at_least ? total + " >= " + e.at_least->to_string() : total + ", otherwise";
}

// `"coefficients":[{"coefficient":"pay_factor","label":"考核系数","value":1.2,"by":"grade","why":"grade
// 优秀","cite":"第十条","rule":"a.kh:40"}]`, when the ruleset declares any; `rule` is the entry's line;
// `"quota":"before"` after `why` when the grade it is by may still be taken away by a quota.
void write_coefficients(std::string& out, const ir::Program& p, const eval::Outcome& o) {
    if (p.coefficients.empty()) return;
    out += ",\"coefficients\":[";
    for (std::size_t i = 0; i < o.coefficients.size(); ++i) {
        const ir::Coefficient& c = p.coefficients[o.coefficients[i].coefficient];
        const ir::CoefficientEntry& e = c.entries[o.coefficients[i].entry];
        out += i ? ",{\"coefficient\":" : "{\"coefficient\":";
        append_json_string(out, c.id);
        out += ",\"label\":";
        append_json_string(out, c.label);
        out += ",\"value\":" + e.value.to_string();  // a literal: exact
        out += c.by_grade ? ",\"by\":\"grade\"" : ",\"by\":\"total\"";
        out += ",\"why\":";
        append_json_string(out, coefficient_why(p, o, o.coefficients[i]));
        if (coefficient_before_quota(p, o, o.coefficients[i])) out += ",\"quota\":\"before\"";
        if (!c.cite.empty()) {
            out += ",\"cite\":";
            append_json_string(out, c.cite);
        }
        out += ",\"rule\":";
        append_json_string(out, e.where);
        out += "}";
    }
    out += "]";
}

}  // namespace kaohe::explain
