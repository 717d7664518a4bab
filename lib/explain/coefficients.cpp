// Coefficients for a record (`coefficient pay_factor "考核系数" by grade { ... }`): in the result
// JSON and the scorecard, each with the entry of its table that gave it and why.
#include "explain/explain.hpp"
#include "support/text.hpp"

namespace kaohe::explain {

std::string coefficient_why(const ir::Program& p, const eval::Outcome& o, const eval::CoefficientAt& at) {
    const ir::Coefficient& c = p.coefficients[at.coefficient];
    const ir::CoefficientEntry& e = c.entries[at.entry];
    if (c.by_grade) {
        const std::string grade = o.grade ? *o.grade : "(none)";
        return "grade " + grade + (e.grade.empty() ? ", otherwise" : "");
    }
    const std::string total = "total " + o.total.to_string(p.policy.round_places, p.policy.rounding);
    return e.at_least ? total + " >= " + e.at_least->to_string() : total + ", otherwise";
}

// `"coefficients":[{"coefficient":"pay_factor","label":"考核系数","value":1.2,"by":"grade","why":"grade
// 优秀","cite":"第十条","rule":"a.kh:40"}]`, when the ruleset declares any; `rule` is the entry's line.
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
