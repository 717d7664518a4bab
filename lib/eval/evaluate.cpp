// Evaluation. See evaluate.hpp.
//
// A clause starts at its maximum (0 when uncapped, or earned: `from 0`); each rule adds or deducts; the result is
// held between 0 and the maximum ("扣完为止"), and any part cut off shows as a line. A section
// is the sum of its children plus the points it declares but does not allocate. The total is
// the sum of the person's top-level sections. A weighted part (`weight 70%`) counts at its
// score × 70/100 in its parent or the total, exactly.
#include "eval/evaluate.hpp"
#include "eval/expressions.hpp"

#include <algorithm>

namespace kaohe::eval {
namespace {

using Op = ir::Expr::Op;

class Evaluator {
public:
    Evaluator(const ir::Program& p, const record::Record& r, Outcome& out) : p_(p), r_(r), out_(out), expr_(p, r) {
        expr_.set_total(&out_.total);
    }

    void run() {
        const ir::Role& role = p_.role(r_.role);
        out_.scores.assign(p_.nodes.size(), Number());
        out_.lines.clear();
        out_.periods.clear();
        clear_decision();
        out_.unit.reset();
        out_.unit_undecided = false;
        out_.before_rounding.clear();
        out_.total_before_rounding.reset();
        Number total;
        for (ir::NodeId n : role.roots) total += node(n);
        out_.total = rounded(p_.policy.at_total, total);
        if (!(out_.total == total)) out_.total_before_rounding = total;
        raise_flags();
        expr_.add_year_values();
        out_.values = expr_.named_values();
        grade();
        out_.coefficients = coefficients(p_, out_.total, out_.grade);
    }

    // What decided the grade, none yet: before scoring, and before deciding again in a unit.
    void clear_decision() {
        out_.grade = nullptr;
        out_.veto_event = ir::none;
        out_.band = nullptr;
        out_.veto = nullptr;
        out_.rule = nullptr;
        out_.lowered_veto = nullptr;
        out_.lowered_rule = nullptr;
        out_.veto_at = ir::none;
        out_.quota.reset();
    }

    // Decides again what reads the unit, now known: the flags, the grade, the coefficients.
    void decide_in_unit(const UnitStats& unit) {
        out_.unit = unit;
        out_.unit_undecided = false;
        expr_.set_unit(&*out_.unit);
        clear_decision();
        raise_flags();
        grade();
        out_.coefficients = coefficients(p_, out_.total, out_.grade);
    }

private:
    Number num(ir::ExprId e, const record::Event* ev) const { return expr_.num(e, ev); }
    bool truth(ir::ExprId e, const record::Event* ev) const { return expr_.truth(e, ev); }
    template <typename F>
    void for_each_event(ir::EventId type, F&& f) const {
        expr_.for_each_event(type, std::forward<F>(f));
    }

    Number node(ir::NodeId n) {
        const ir::Node& nd = p_.node(n);
        if (nd.period != ir::PeriodKind::year) return period_section(n, nd);
        Number score;
        if (nd.clause) score = clause(n, nd);
        else {
            score = nd.unallocated;
            for (ir::NodeId c : nd.children) score += node(c);
            if (nd.holds_within && nd.max) score = section_bounds(n, nd, score);
        }
        score = rounded(n, nd.clause ? p_.policy.each_clause : p_.policy.each_section, score);
        // A weighted part keeps its own score and counts in its parent at score × weight / 100.
        out_.scores[n] = score;
        return nd.contribution(score);
    }

    // A section scored per period (`each quarter mean`): its part of the card once for each period
    // of the year, from that period's events and inputs, held to 0..its maximum each time; its
    // lines name their period. The year's score of it and of each of its parts is the mean (or
    // the sum) of their period scores.
    Number period_section(ir::NodeId n, const ir::Node& nd) {
        // Depth first, in declaration order, so each period's rows follow the year's card tree.
        std::vector<ir::NodeId> part;
        std::vector<ir::NodeId> todo{n};
        while (!todo.empty()) {
            const ir::NodeId x = todo.back();
            todo.pop_back();
            part.push_back(x);
            const auto& kids = p_.node(x).children;
            for (auto c = kids.rbegin(); c != kids.rend(); ++c) todo.push_back(*c);
        }
        const int count = ir::periods_in_year(nd.period);
        PeriodCard card;
        card.section = n;
        ir::IdVector<ir::NodeId, Number> year(p_.nodes.size(), Number());
        // A period's clause rounded is part of the year's arithmetic: the year's figures have no
        // value before rounding of their own (the section's is kept below).
        const std::size_t rounded_before = out_.before_rounding.size();
        for (int i = 1; i <= count; ++i) {
            const ir::Period period{nd.period, i};
            expr_.set_period(period, &nd.path);
            const std::size_t first_line = out_.lines.size();
            Number score = nd.unallocated;
            for (ir::NodeId c : nd.children) score += node(c);
            out_.scores[n] = section_bounds(n, nd, score);
            for (std::size_t l = first_line; l < out_.lines.size(); ++l) out_.lines[l].period = period;
            auto& scores = card.scores.emplace_back();
            for (ir::NodeId x : part) {
                scores.emplace_back(x, out_.scores[x]);
                year[x] += out_.scores[x];
            }
        }
        expr_.set_period({});
        for (ir::NodeId x : part) out_.scores[x] = nd.period_sum ? year[x] : year[x] / Number(count);
        out_.before_rounding.erase(out_.before_rounding.begin() + static_cast<std::ptrdiff_t>(rounded_before), out_.before_rounding.end());
        out_.scores[n] = rounded(n, p_.policy.each_section, out_.scores[n]);
        out_.periods.push_back(std::move(card));
        return nd.contribution(out_.scores[n]);
    }

    // `round each clause|each section|total N places`: the figure rounded where the policy rounds
    // it; a node's value before rounding is kept when rounding changed it.
    static Number rounded(const std::optional<ir::Places>& at, const Number& v) { return at ? at->apply(v) : v; }
    Number rounded(ir::NodeId n, const std::optional<ir::Places>& at, const Number& v) {
        Number r = rounded(at, v);
        if (!(r == v)) out_.before_rounding.emplace_back(n, v);
        return r;
    }

    // A capped section holding a `within` clause: the adjustment moves it, but within 0..its
    // maximum. An uncapped one moves with it both ways.
    Number section_bounds(ir::NodeId n, const ir::Node& nd, Number score) {
        if (score.is_negative()) {
            out_.lines.push_back({n, ir::none, Line::Kind::floor, ir::none, -score});
            return Number();
        }
        if (score > *nd.max) {
            out_.lines.push_back({n, ir::none, Line::Kind::ceiling, ir::none, *nd.max - score});
            return *nd.max;
        }
        return score;
    }

    // `within N`: the net of the clause's rules, held to -N..+N.
    Number adjustment(ir::NodeId n, const ir::Node& nd) {
        Number score;
        for (ir::RuleId ri : nd.rules) score += rule(n, ri);
        const Number& bound = *nd.within;
        if (score > bound) {
            out_.lines.push_back({n, ir::none, Line::Kind::ceiling, ir::none, bound - score});
            score = bound;
        } else if (score < -bound) {
            out_.lines.push_back({n, ir::none, Line::Kind::floor, ir::none, -bound - score});
            score = -bound;
        }
        return score;
    }

    Number clause(ir::NodeId n, const ir::Node& nd) {
        if (nd.within) return adjustment(n, nd);
        // An earned clause (`from 0`) starts at 0 and says so; any other starts at its maximum.
        Number score = nd.max && !nd.earned ? *nd.max : Number();
        if (nd.earned) out_.lines.push_back({n, ir::none, Line::Kind::start, ir::none, Number()});
        for (ir::RuleId ri : nd.rules) score += rule(n, ri);
        if (nd.floor && score.is_negative()) {
            out_.lines.push_back({n, ir::none, Line::Kind::floor, ir::none, -score});
            score = Number();
        }
        if (nd.max && score > *nd.max) {
            out_.lines.push_back({n, ir::none, Line::Kind::ceiling, ir::none, *nd.max - score});
            score = *nd.max;
        }
        return score;
    }

    // The rule's `by` table scores this event by its `otherwise`.
    bool by_default(const ir::Rule& rl, const record::Event& ev) const {
        if (rl.table == ir::none) return false;
        const ir::Table& t = p_.table(rl.table);
        return t.by_default(ev.attributes[t.slot]);
    }

    // The rule's signed contribution; its lines are appended as it goes.
    Number rule(ir::NodeId n, ir::RuleId ri) {
        const ir::Rule& rl = p_.rule(ri);
        if (rl.period != ir::PeriodKind::year) return period_rule(n, ri, rl);
        if (rl.when != ir::none && !truth(rl.when, nullptr)) return Number();
        // The rule's sign applied by negation: cheaper than a multiplication by ±1.
        const auto sign = [&](const Number& v) { return rl.sign < 0 ? -v : v; };
        Number magnitude;
        try {
            if (rl.form == ir::Rule::Form::each) {
                for_each_event(rl.event, [&](const record::Event& ev, record::EventAt at) {
                    if (rl.filter != ir::none && !truth(rl.filter, &ev)) return;
                    Number pts = num(rl.points, &ev);
                    if (ev.count != 1) pts *= Number(ev.count);
                    // An event the table's `otherwise` scores keeps its line even at 0: it says
                    // that the event was counted, by the default.
                    const bool otherwise = by_default(rl, ev);
                    if (pts.is_zero() && !otherwise) return;
                    magnitude += pts;
                    out_.lines.push_back({n, ri, Line::Kind::event, at, sign(pts), otherwise});
                });
            } else {
                magnitude = num(rl.points, nullptr);
                if (!magnitude.is_zero()) out_.lines.push_back({n, ri, Line::Kind::value, ir::none, sign(magnitude)});
            }
            if (rl.cap && magnitude > *rl.cap) {
                out_.lines.push_back({n, ri, Line::Kind::cap, ir::none, sign(*rl.cap - magnitude)});
                magnitude = *rl.cap;
            }
        } catch (const ArithmeticError& e) {
            throw record::RecordFailure(diag::Code::R009, std::string(e.what()) + " in the rule at " + rl.where,
                                        p_.node(n).path);
        }
        return sign(magnitude);
    }

    // `VALUE each month when COND`: the points once for each period of the year whose condition
    // holds, both read over that period's events; one line per period that counted, then the cap.
    Number period_rule(ir::NodeId n, ir::RuleId ri, const ir::Rule& rl) {
        const auto sign = [&](const Number& v) { return rl.sign < 0 ? -v : v; };
        const ir::Period outer = expr_.period();
        const std::string* outer_section = expr_.period_section();
        Number magnitude;
        try {
            for (int i = 1; i <= ir::periods_in_year(rl.period); ++i) {
                const ir::Period period{rl.period, i};
                expr_.set_period(period);
                if (rl.when != ir::none && !truth(rl.when, nullptr)) continue;
                const Number pts = num(rl.points, nullptr);
                if (pts.is_zero()) continue;
                magnitude += pts;
                Line l{n, ri, Line::Kind::value, ir::none, sign(pts)};
                l.period = period;
                out_.lines.push_back(l);
            }
            expr_.set_period(outer, outer_section);
            if (rl.cap && magnitude > *rl.cap) {
                out_.lines.push_back({n, ri, Line::Kind::cap, ir::none, sign(*rl.cap - magnitude)});
                magnitude = *rl.cap;
            }
        } catch (const ArithmeticError& e) {
            throw record::RecordFailure(diag::Code::R009, std::string(e.what()) + " in the rule at " + rl.where,
                                        p_.node(n).path);
        }
        return sign(magnitude);
    }

    // A flag's condition reads the whole year; it moves no score.
    void raise_flags() {
        out_.flags.clear();
        for (std::size_t i = 0; i < p_.flags.size(); ++i) {
            try {
                if (truth(p_.flags[i].when, nullptr)) out_.flags.push_back(i);
            } catch (const UnitUnknown&) {
                out_.unit_undecided = true;  // not raised, and the result says the unit is unknown
            } catch (const ArithmeticError& e) {
                throw record::RecordFailure(diag::Code::R009, std::string(e.what()) + " in the flag at " + p_.flags[i].where, "");
            }
        }
    }

    // The first of the record's events a veto fires on (its kind, and its `where` if it has one).
    record::EventAt fired(const ir::Veto& v) const {
        record::EventAt at = ir::none;
        for_each_event(v.event, [&](const record::Event& ev, record::EventAt i) {
            if (at == ir::none && (v.filter == ir::none || truth(v.filter, &ev))) at = i;
        });
        return at;
    }

    // The grade is decided by a veto that forces (the first written that fires), else a grade rule
    // (`grade "G" when ...`, the first written that holds), else the band the total reaches. Then
    // each veto that caps and fires and each `grade at most` that holds lowers it to its cap,
    // whatever decided it: a cap is a ceiling ("受到警告处分的不得评为优秀" holds under a forced
    // grade too); bands are ordered best first, so a lower grade stays. Without grades, the first
    // veto that fires is the outcome.
    void grade() {
        std::size_t reached = p_.grades.size();
        for (const ir::Veto& v : p_.vetoes) {
            if (v.action == ir::Veto::Action::caps) continue;
            const record::EventAt at = fired(v);
            if (at == ir::none) continue;
            out_.veto = &v;
            out_.veto_at = at;
            out_.veto_event = v.event;
            if (v.action != ir::Veto::Action::forces) return;
            out_.grade = &v.grade;
            reached = index_of(v.grade);
            break;
        }
        if (p_.grades.empty()) return;
        if (!out_.grade)
            for (const ir::GradeRule& g : p_.grade_rules) {
                if (g.at_most || !holds(g)) continue;
                out_.grade = &g.grade;
                out_.rule = &g;
                reached = index_of(g.grade);
                break;
            }
        if (!out_.grade)
            for (std::size_t i = 0; i < p_.grades.size(); ++i) {
                const ir::GradeBand& b = p_.grades[i];
                if (!b.at_least || out_.total >= *b.at_least) {
                    reached = i;
                    out_.grade = &b.name;
                    out_.band = &b;
                    break;
                }
            }
        // What decided the grade before a cap lowered it, when that was a veto or a grade rule.
        const ir::Veto* forced = out_.veto;
        const ir::GradeRule* given = out_.rule;
        const auto lowered = [&] {
            if (out_.lowered_veto || out_.lowered_rule) return;
            out_.lowered_veto = forced;
            out_.lowered_rule = given;
        };
        for (const ir::Veto& v : p_.vetoes) {
            if (v.action != ir::Veto::Action::caps) continue;
            const std::size_t cap = index_of(v.grade);
            if (reached >= cap) continue;
            const record::EventAt at = fired(v);
            if (at == ir::none) continue;
            lowered();
            reached = cap;
            out_.grade = &p_.grades[cap].name;
            out_.veto = &v;
            out_.veto_at = at;
            out_.rule = nullptr;
        }
        for (const ir::GradeRule& g : p_.grade_rules) {
            if (!g.at_most) continue;
            const std::size_t cap = index_of(g.grade);
            if (reached >= cap || !holds(g)) continue;
            lowered();
            reached = cap;
            out_.grade = &p_.grades[cap].name;
            out_.veto = nullptr;
            out_.veto_at = ir::none;
            out_.rule = &g;
        }
    }

    bool holds(const ir::GradeRule& g) const {
        try {
            return truth(g.when, nullptr);
        } catch (const UnitUnknown&) {
            out_.unit_undecided = true;  // not decided without the unit: the result says so
            return false;
        } catch (const ArithmeticError& e) {
            throw record::RecordFailure(diag::Code::R009, std::string(e.what()) + " in the grade rule at " + g.where, "grade");
        }
    }

    std::size_t index_of(const std::string& grade) const {
        std::size_t i = 0;
        while (i < p_.grades.size() && p_.grades[i].name != grade) ++i;
        return i;
    }

    const ir::Program& p_;
    const record::Record& r_;
    Outcome& out_;
    Expressions expr_;
};

}  // namespace

void evaluate(const ir::Program& program, const record::Record& record, Outcome& out) {
    Evaluator(program, record, out).run();
}

void decide_in_unit(const ir::Program& program, const record::Record& record, const UnitStats& unit, Outcome& out) {
    Evaluator(program, record, out).decide_in_unit(unit);
}

bool reads_unit(const ir::Program& program) {
    const auto reads = [&](auto& self, ir::ExprId e) -> bool {
        if (e == ir::none) return false;
        const ir::Expr& x = program.expr(e);
        using Op = ir::Expr::Op;
        if (x.op == Op::unit_mean || x.op == Op::unit_rank || x.op == Op::unit_size) return true;
        for (ir::ExprId a : x.args)
            if (self(self, a)) return true;
        return self(self, x.a) || self(self, x.b) || self(self, x.c);
    };
    for (const ir::GradeRule& g : program.grade_rules)
        if (reads(reads, g.when)) return true;
    for (const ir::Flag& f : program.flags)
        if (reads(reads, f.when)) return true;
    return false;
}

}  // namespace kaohe::eval
