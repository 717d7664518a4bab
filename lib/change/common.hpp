// Small helpers shared by lib/change/: rule text on one line, file keys, JSON numbers, the
// bounds of a rule read from its form as written.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/compile.hpp"
#include "ir/program.hpp"
#include "kaohe/diagnostic.hpp"
#include "kaohe/number.hpp"
#include "support/sources.hpp"

namespace kaohe::policy {

// "FILE:LINE:COLUMN" for a report's text(), the file name shown as terminal_text shows it.
inline std::string terminal_place(const Location& l) {
    return terminal_text(l.file) + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

// Source text on one line: comments dropped, runs of spaces and newlines made one space.
inline std::string one_line(std::string_view text) {
    std::string out;
    bool space = false, quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (!quoted && c == '#') {
            while (i < text.size() && text[i] != '\n') ++i;
            space = !out.empty();
            continue;
        }
        if (!quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
        if (c == '"' && (i == 0 || text[i - 1] != '\\')) quoted = !quoted;
    }
    return out;
}

// A rule as written, on one line, its `by` table (if any) shortened to `{ … }`.
inline std::string rule_text(const Sources& s, const ir::Rule& r) {
    const ir::WrittenRule& w = r.written;
    if (!w.has_table || w.table_span.end <= w.table_span.begin) return one_line(s.slice(r.span));
    const Span before{r.span.file, r.span.begin, w.table_span.begin};
    const Span after{r.span.file, w.table_span.end, r.span.end};
    std::string out = one_line(s.slice(before)) + " { … }";
    const std::string rest = one_line(s.slice(after));
    if (!rest.empty()) out += " " + rest;
    return out;
}

// Canonical paths of a compilation's files, computed once per file.
class FileKeys {
public:
    explicit FileKeys(const Sources& s) : s_(s) {}
    const std::string& key(std::uint32_t file) {
        auto it = keys_.find(file);
        if (it == keys_.end()) it = keys_.emplace(file, file_key(s_.name(file))).first;
        return it->second;
    }

private:
    const Sources& s_;
    std::map<std::uint32_t, std::string> keys_;
};

// A number as a JSON number: exact when it has a finite decimal form, else rounded.
inline std::string json_number(const Number& n, int places = 2, Rounding mode = Rounding::half_up) {
    return n.to_string(places, mode);
}

// "+3", "-1.5", "0"
inline std::string signed_text(const Number& n, int places = 2, Rounding mode = Rounding::half_up) {
    return (n.is_negative() || n.is_zero() ? "" : "+") + n.to_string(places, mode);
}

// The most a `per` rule can count for any record (before its cap), when its measure's domain
// bounds the shortfall; nullopt: unbounded.
inline std::optional<Number> per_bound(const ir::Program& p, const ir::Rule& rule) {
    const ir::WrittenRule& r = rule.written;
    const ir::MeasureId measure = rule.measure;
    if (r.form != ir::WrittenRule::Form::per || measure == ir::none || r.per_unit.value.is_zero()) return std::nullopt;
    const ir::Measure& m = p.measure(measure);
    std::optional<Number> gap;
    if (r.shortfall == ir::WrittenRule::Shortfall::above) {
        if (m.max) gap = *m.max - r.per_threshold.value;
    } else if (m.min) {
        gap = r.per_threshold.value - *m.min;
    }
    if (!gap) return std::nullopt;
    if (gap->is_negative()) gap = Number();
    Number steps = *gap / r.per_unit.value;
    if (r.rounding == ir::WrittenRule::StepRounding::up) steps = steps.ceil();
    else if (r.rounding == ir::WrittenRule::StepRounding::down) steps = steps.floor();
    Number bound = r.per_points.value * steps;
    for (const auto& mult : r.multipliers) {
        Number f = mult.numerator.value;
        if (mult.denominator) {
            if (mult.denominator->value.is_zero()) return std::nullopt;
            f = f / mult.denominator->value;
        }
        if (f > Number(1)) bound = bound * f;
    }
    return bound;
}

// The most a rule can count for any record, its cap included; nullopt: unbounded.
inline std::optional<Number> rule_bound(const ir::Program& p, const ir::Rule& r) {
    std::optional<Number> b = per_bound(p, r);
    // `add 2 when self_governing`: an addition on the whole record whose points are one number
    // (what an earned clause's ceiling is reached by).
    if (!b && r.sign > 0 && r.form == ir::Rule::Form::whole && r.written.multipliers.empty() && r.points != ir::none &&
        p.expr(r.points).op == ir::Expr::Op::constant) {
        b = p.expr(r.points).constant;
        if (b->is_negative()) b = -*b;
    }
    if (r.cap && (!b || *r.cap < *b)) b = *r.cap;
    return b;
}

// Whether a clause's deductions can take it below 0: it deducts, and its deductions are not all
// bounded to within its maximum.
inline bool floor_reachable(const ir::Program& p, const ir::Node& n) {
    if (!n.clause || !n.floor) return false;
    // An earned clause starts at 0: any deduction, or an `add` of an expression that may be
    // negative (not one number, as in `add 1 when density >= 80`), can take it below.
    if (n.earned) {
        for (ir::RuleId ri : n.rules) {
            const ir::Rule& r = p.rule(ri);
            if (r.sign < 0) return true;
            if (r.written.form == ir::WrittenRule::Form::value &&
                !(p.expr(r.points).op == ir::Expr::Op::constant && !p.expr(r.points).constant.is_negative()))
                return true;
            if (r.event != ir::none && p.event(r.event).has_amount && p.event(r.event).amount_min.is_negative())
                return true;
        }
        return false;
    }
    Number most;
    bool deducts = false;
    for (ir::RuleId ri : n.rules) {
        const ir::Rule& r = p.rule(ri);
        if (r.sign > 0) {
            // An `add` of an expression may be negative; the forms with literal points may not,
            // nor an amount, unless its range goes below 0.
            if (r.written.form == ir::WrittenRule::Form::value) return true;
            if (r.event != ir::none && p.event(r.event).has_amount && p.event(r.event).amount_min.is_negative())
                return true;
            continue;
        }
        deducts = true;
        auto b = rule_bound(p, r);
        if (!b) return true;
        most += *b;
    }
    if (!deducts) return false;
    return !n.max || most > *n.max;
}

// Whether an earned clause's (`from 0`) additions can take it above its maximum: its additions
// are not all bounded to within it.
inline bool ceiling_reachable(const ir::Program& p, const ir::Node& n) {
    if (!n.clause || !n.earned || !n.max) return false;
    Number most;
    for (ir::RuleId ri : n.rules) {
        const ir::Rule& r = p.rule(ri);
        if (r.sign < 0) continue;
        auto b = rule_bound(p, r);
        if (!b) return true;
        most += *b;
    }
    return most > *n.max;
}

// A rule that may count against its sign: its points read an event's amount whose range goes
// below 0 (`add amount each review`, `amount -20..20`), or are an expression other than one number.
inline bool may_turn(const ir::Program& p, const ir::Rule& r) {
    if (r.event != ir::none && p.event(r.event).has_amount && p.event(r.event).amount_min.is_negative()) return true;
    if (r.written.form == ir::WrittenRule::Form::value)
        return !(p.expr(r.points).op == ir::Expr::Op::constant && !p.expr(r.points).constant.is_negative());
    return false;
}

// Whether a `within N` clause's rules can take its net above +N (`upper`) or below -N.
inline bool within_reachable(const ir::Program& p, const ir::Node& n, bool upper) {
    if (!n.clause || !n.within) return false;
    Number most;
    for (ir::RuleId ri : n.rules) {
        const ir::Rule& r = p.rule(ri);
        if (may_turn(p, r)) return true;
        if ((r.sign > 0) != upper) continue;
        auto b = rule_bound(p, r);
        if (!b) return true;
        most += *b;
    }
    return most > *n.within;
}

}  // namespace kaohe::policy
