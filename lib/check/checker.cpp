// Checking: names, types, totals. See checker.hpp.
//
// Order of work: declarations first (vocabulary, so that rules may name events declared later
// in the file), then the scoring tree, then per-role summaries (which measures and events a
// role's card uses), then warnings. Every check appends a diagnostic and goes on.
#include "ir/reads.hpp"
#include "check/checker.hpp"
#include "ir/range.hpp"
#include "check/written.hpp"
#include "check/reach.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "diag/codes.hpp"
#include "diag/limits.hpp"
#include "record/record.hpp"
#include "support/suggest.hpp"

namespace kaohe::check {

using diag::Code;

namespace {

using ir::none;
using ir::AttributeId, ir::EventId, ir::ExprId, ir::GroupId, ir::MeasureId, ir::NodeId, ir::RoleId, ir::RuleId,
    ir::SlotId, ir::TableId, ir::ValueId;
using Op = ir::Expr::Op;

enum class Type { number, truth, attribute, error };

struct Typed {
    ExprId expr = none;
    Type type = Type::error;
    SlotId attribute_slot = none;  // for Type::attribute: slot in the current event
};

class Checker {
public:
    Checker(Sources sources, std::vector<Diagnostic>& diagnostics) : diags_(diagnostics) {
        p_ = std::make_unique<ir::Program>();
        p_->sources = std::move(sources);
    }

    std::unique_ptr<ir::Program> run(const ast::Module& module) {
        declare(module);
        declare_values(module);
        lower_vetoes();
        lower_grade_rules(module);
        for (auto& d : module.declarations) {
            if (auto* n = std::get_if<ast::Node>(&d)) top_nodes_.push_back(add_node(*n, none, "", none));
            else if (auto* r = std::get_if<ast::Role>(&d)) role_nodes(*r);
        }
        if (p_->roles.empty()) add_one_card();
        declare_flags(module);
        declare_coefficients(module);
        summarize_roles();
        flags_on_cards();
        check_card_weights();
        check_card_totals();
        warn_unused_events();
        warn_unused_values();
        for (const auto& d : module.declarations)
            if (const auto* t = std::get_if<ast::Test>(&d)) check_test(*t);
        for (const auto& d : module.declarations)
            if (const auto* t = std::get_if<ast::Test>(&d)) p_->tests.push_back(lower_test(*p_, *t));
        if (errors_ > 0) return nullptr;
        for (ir::Role& role : p_->roles) ir::attribute_needs(*p_, role);
        ir::analyse_ranges(*p_);
        warn_raising_grades();
        warn_constant_flags();
        warn_constant_decisions();
        warn_outcomes_never_given();
        warn_divisions();
        return std::move(p_);
    }

private:
    // A division by an expression that is not a constant, for W004 once the ranges are known.
    struct Division {
        ExprId divisor;
        EventId event;  // the event whose amount the divisor may read (none outside `each`)
        Span at;        // the `/`
        Span divisor_span;
    };
    std::vector<Division> divisions_;

    // Expressions (as written, without spaces) that a condition around the one being lowered
    // keeps from being 0, so a division by one is not warned about.
    std::vector<std::string> nonzero_;
    struct NonZero {
        std::vector<std::string>& list;
        bool pushed;
        NonZero(std::vector<std::string>& l, const std::string* text) : list(l), pushed(text != nullptr) {
            if (pushed) list.push_back(*text);
        }
        ~NonZero() {
            if (pushed) list.pop_back();
        }
        NonZero(const NonZero&) = delete;
        NonZero& operator=(const NonZero&) = delete;
    };

    std::string plain_text(Span s) const {
        std::string out;
        for (char c : p_->sources.text(s.file).substr(s.begin, s.end - s.begin))
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out.push_back(c);
        return out;
    }

    // A comparison of an expression with a number, `X op N` or `N op X`: the expression, and
    // whether it is the `then` side (the condition false at X = 0) or the `else` side (true at 0)
    // on which X cannot be 0.
    std::optional<std::pair<std::string, bool>> nonzero_guard(const ast::Expr& c) const {
        using AOp = ast::Expr::Op;
        if (c.kind != ast::Expr::Kind::binary || c.args.size() != 2) return std::nullopt;
        if (c.op != AOp::lt && c.op != AOp::le && c.op != AOp::gt && c.op != AOp::ge && c.op != AOp::eq && c.op != AOp::ne)
            return std::nullopt;
        const bool left_number = c.args[0]->kind == ast::Expr::Kind::number;
        const bool right_number = c.args[1]->kind == ast::Expr::Kind::number;
        if (left_number == right_number) return std::nullopt;
        const ast::Expr& x = left_number ? *c.args[1] : *c.args[0];
        const Number& n = left_number ? c.args[0]->number : c.args[1]->number;
        const Number zero(0);
        // The condition at X = 0, as written (`N op 0` when the number is on the left).
        const Number& l = left_number ? n : zero;
        const Number& r = left_number ? zero : n;
        bool holds = false;
        switch (c.op) {
        case AOp::lt: holds = l < r; break;
        case AOp::le: holds = !(r < l); break;
        case AOp::gt: holds = r < l; break;
        case AOp::ge: holds = !(l < r); break;
        case AOp::eq: holds = l == r; break;
        case AOp::ne: holds = !(l == r); break;
        default: return std::nullopt;
        }
        return std::make_pair(plain_text(x.span), !holds);
    }

    // A divisor whose range holds 0: the records where it is 0 fail at scoring (R009), so the
    // author hears of them now, with the divisor and its range.
    void warn_divisions() {
        for (const auto& dv : divisions_) {
            const ir::Bounds r = ir::expression_bounds(*p_, dv.divisor, dv.event);
            const bool holds_zero = (!r.lo || !(Number(0) < *r.lo)) && (!r.hi || !(*r.hi < Number(0)));
            if (!holds_zero) continue;
            const std::string text(p_->sources.text(dv.divisor_span.file).substr(dv.divisor_span.begin,
                                                                                  dv.divisor_span.end - dv.divisor_span.begin));
            const std::string range = (r.lo ? r.lo->to_string() : std::string("-∞")) + ".." +
                                      (r.hi ? r.hi->to_string() : std::string("∞"));
            const std::string whose = dv.event != none ? "an event `" + p_->event(dv.event).id + "`" : "a record";
            report(Code::W004, dv.at, "this divides by `" + text + "`, which may be 0 (it ranges over " + range + "): " + whose +
                                          " where it is 0 cannot be scored (R009); guard it, as in `if " + text +
                                          " = 0 then ... else ...`, or narrow the declared domain or amount range to exclude 0");
        }
    }

    // ---- Diagnostics

    // A diagnostic with the severity of its code (lib/diag/codes.hpp).
    Diagnostic& report(Code code, Span at, std::string message) {
        const Severity sev = diag::severity(code);
        // A use of a name declared twice: which declaration it meant is unknown, and the C002
        // already stands; a type or period error there would send the author after the wrong one.
        if (sev == Severity::error && code != Code::C002 && !clashed_.empty() && at.end > at.begin &&
            clashed_.count(std::string(p_->sources.text(at.file).substr(at.begin, at.end - at.begin))))
            return dropped_ = Diagnostic{};
        if (sev == Severity::error) ++errors_;
        // Past the limit a diagnostic is dropped; its notes go to a scratch one.
        if (!diag::admit(diags_, sev, p_->sources.name(at.file))) return dropped_ = Diagnostic{};
        diags_.push_back(diag::make(code, p_->sources.locate(at), std::move(message)));
        return diags_.back();
    }
    Diagnostic& error(Code code, Span at, std::string message) { return report(code, at, std::move(message)); }
    void note(Diagnostic& d, Span at, std::string message) {
        if (&d == &dropped_) return;
        d.notes.push_back(Note{p_->sources.locate(at), std::move(message)});
    }

    template <typename Map>
    std::string did_you_mean(std::string_view word, const Map& names) {
        std::vector<std::string_view> candidates;
        for (const auto& [k, v] : names) candidates.push_back(k);
        return kaohe::did_you_mean(word, candidates);
    }

    // Declares `id` in `map`, or reports the duplicate with the first declaration as a note.
    template <typename Map>
    bool define(Map& map, const ast::Name& id, typename Map::mapped_type index, const char* what, std::vector<Span>& spans) {
        auto [it, fresh] = map.emplace(id.text, index);
        if (!fresh) {
            auto& d = error(Code::C002, id.span, std::string(what) + " `" + id.text + "` is declared twice");
            note(d, spans[it->second.index()], "first declared here");
            return false;
        }
        spans.push_back(id.span);
        return true;
    }

    // Claims `id` in the namespace of groups, measures, ratings and facts for a `what`, or
    // reports the clash naming both kinds, with the first declaration as a note.
    bool claim(const ast::Name& id, const char* what) {
        auto [it, fresh] = shared_names_.emplace(id.text, std::make_pair(what, id.span));
        if (fresh) return true;
        clashed_.insert(id.text);
        const std::string first = it->second.first;
        if (first == what) {
            auto& d = error(Code::C002, id.span, std::string(what) + " `" + id.text + "` is declared twice");
            note(d, it->second.second, "first declared here");
        } else {
            auto& d = error(Code::C002, id.span, std::string(what) + " `" + id.text + "` has the name of a " + first + ": a " +
                                                     what + " needs a name of its own");
            note(d, it->second.second, "the " + first + " is declared here");
        }
        return false;
    }

    static const char* kind_of(const ast::Measure& m) {
        if (m.rating) return "rating";
        return m.kind == ast::Measure::Kind::number ? "measure" : "fact";
    }

    // ---- Declarations

    void declare(const ast::Module& module) {
        const ast::Policy* policy = nullptr;
        std::vector<Span> attr_spans, event_spans, measure_spans, group_spans, role_spans;
        for (const auto& d : module.declarations) {
            if (const auto* p = std::get_if<ast::Policy>(&d)) {
                if (policy) {
                    auto& e = error(Code::C001, p->span, "a second `policy` declaration: a ruleset has one");
                    note(e, policy->span, "the first is here");
                    continue;
                }
                policy = p;
                declare_policy(*p);
            } else if (const auto* a = std::get_if<ast::Attribute>(&d)) {
                const auto index = AttributeId::at(p_->attributes.size());
                if (!define(p_->attribute_index, a->id, index, "attribute", attr_spans)) continue;
                ir::Attribute attr{a->id.text, a->label.value, {}, {}, {}, a->span};
                for (const auto& [vid, vlabel] : a->values) {
                    auto [it, fresh] = attr.value_index.emplace(vid.text, ValueId::at(attr.values.size()));
                    if (!fresh) {
                        error(Code::C002, vid.span, "value `" + vid.text + "` of attribute `" + a->id.text + "` is listed twice");
                        continue;
                    }
                    check_value_label(vid, vlabel, attr.values, attr.value_labels, "attribute", a->id.text, false);
                    attr.values.push_back(vid.text);
                    attr.value_labels.push_back(vlabel.value);
                }
                if (attr.values.empty()) error(Code::C003, a->span, "attribute `" + a->id.text + "` has no values");
                p_->attributes.push_back(std::move(attr));
            } else if (const auto* g = std::get_if<ast::Group>(&d)) {
                if (claim(g->id, "group") && define(p_->group_index, g->id, GroupId::at(p_->groups.size()), "group", group_spans))
                    p_->groups.push_back({g->id.text, g->label.value, g->span});
            } else if (const auto* m = std::get_if<ast::Measure>(&d)) {
                if (claim(m->id, kind_of(*m)) &&
                    define(p_->measure_index, m->id, MeasureId::at(p_->measures.size()), kind_of(*m), measure_spans))
                    p_->measures.push_back(declare_measure(*m));
            } else if (const auto* r = std::get_if<ast::Role>(&d)) {
                if (define(p_->role_index, r->id, RoleId::at(p_->roles.size()), "role", role_spans)) {
                    ir::Role role;
                    role.id = r->id.text;
                    role.label = r->label.value;
                    role.span = r->span;
                    if (r->total) {
                        role.total = r->total->value;
                        role.total_span = r->total->span;
                    }
                    p_->roles.push_back(std::move(role));
                }
            }
        }
        // Events after attributes, so that an event may name an attribute declared after it.
        for (const auto& d : module.declarations)
            if (const auto* e = std::get_if<ast::Event>(&d))
                if (define(p_->event_index, e->id, EventId::at(p_->events.size()), "event", event_spans))
                    p_->events.push_back(declare_event(*e));
        for (const auto& d : module.declarations) {
            if (const auto* g = std::get_if<ast::Grades>(&d)) declare_grades(*g);
            else if (const auto* v = std::get_if<ast::Veto>(&d)) {
                const EventId ev = lookup_event(v->event);
                if (ev != none) p_->vetoes.push_back(declare_veto(*v, ev));
            }
        }
        // A forced grade no band declares would put a stray grade into results.
        if (!p_->grades.empty())
            for (const auto& d : module.declarations)
                if (const auto* v = std::get_if<ast::Veto>(&d)) check_veto_grade(*v);
        if (!policy) {
            Span at{0, 0, 0};
            error(Code::C001, at, "no `policy` declaration: a ruleset starts with `policy \"NAME\" year YYYY`");
        }
        if (p_->grades.empty())
            for (const auto& d : module.declarations)
                if (const auto* v = std::get_if<ast::Veto>(&d); v && v->action == ast::Veto::Action::forces) {
                    error(Code::C014, v->span, "a `veto` forces a grade, but the ruleset declares no `grades`");
                    break;
                }
    }

    ir::Veto declare_veto(const ast::Veto& v, EventId ev) {
        ir::Veto out;
        out.event = ev;
        out.grade = v.grade.value;
        out.action = v.action == ast::Veto::Action::caps     ? ir::Veto::Action::caps
                     : v.action == ast::Veto::Action::forces ? ir::Veto::Action::forces
                                                              : ir::Veto::Action::alone;
        out.where = p_->sources.file_line(v.span);
        if (v.cite) out.cite = v.cite->value;
        out.span = v.span;
        out.grade_span = v.grade.span;
        veto_filters_.push_back(&v);
        return out;
    }

    // Each veto's `where`, in its event's context, once named values are declared. A veto that caps
    // needs grades to cap; one that neither forces nor caps is the outcome of a scheme without them.
    void lower_vetoes() {
        for (std::size_t i = 0; i < p_->vetoes.size(); ++i) {
            ir::Veto& v = p_->vetoes[i];
            const ast::Veto& a = *veto_filters_[i];
            if (a.filter) {
                v.filter = expect_truth(*a.filter, Context{v.event, none}).expr;
                v.written = phrases(a.filter);
            }
            if (v.action == ir::Veto::Action::caps && p_->grades.empty())
                error(Code::C050, a.span, "a `veto` caps the grade, but the ruleset declares no `grades`: declare them, or "
                                          "write `veto " + a.event.text + "` alone to carry the veto as the outcome");
            if (v.action == ir::Veto::Action::alone && !p_->grades.empty())
                error(Code::C050, a.span, "which grade does this veto decide? The ruleset declares `grades`: write `veto " +
                                              a.event.text + " forces \"" + p_->grades.back().name + "\"` or `caps \"...\"`");
        }
    }

    // `grade "G" when COND`, `grade at most "G" when COND`: COND on the whole record, G a declared
    // grade; `at most` the best grade would lower nothing.
    void lower_grade_rules(const ast::Module& module) {
        for (const auto& d : module.declarations) {
            const auto* g = std::get_if<ast::GradeRule>(&d);
            if (!g) continue;
            ir::GradeRule r;
            r.grade = g->grade.value;
            r.at_most = g->at_most;
            r.where = p_->sources.file_line(g->span);
            if (g->cite) r.cite = g->cite->value;
            r.span = g->span;
            r.grade_span = g->grade.span;
            r.when_span = g->when->span;
            r.condition = one_line_text(g->when->span);
            r.when = expect_truth(*g->when, Context{none, none, true}).expr;
            r.written = phrases(g->when);
            events_read(r.when, r.events);
            if (p_->grades.empty())
                error(Code::C053, g->span, "a grade rule, but the ruleset declares no `grades`: declare them, as in "
                                           "`grades { \"优秀\" >= 90, \"称职\" >= 60, \"不称职\" otherwise }`");
            else {
                check_grade(g->grade, g->at_most ? "this grade rule caps at" : "this grade rule gives");
                if (g->at_most && p_->grades.front().name == g->grade.value)
                    error(Code::C053, g->grade.span, "`at most \"" + g->grade.value + "\"` lowers nothing: \"" + g->grade.value +
                                                         "\" is the best grade; name the grade it may not pass");
            }
            p_->grade_rules.push_back(std::move(r));
        }
    }

    std::string one_line_text(Span s) const {
        std::string out;
        bool space = false;
        for (char ch : p_->sources.text(s.file).substr(s.begin, s.end - s.begin)) {
            const bool blank = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
            if (blank) space = !out.empty();
            else {
                if (space) out.push_back(' ');
                space = false;
                out.push_back(ch);
            }
        }
        return out;
    }

    void check_veto_grade(const ast::Veto& v) {
        if (v.action == ast::Veto::Action::forces) check_grade(v.grade, "this veto forces");
        else if (v.action == ast::Veto::Action::caps) {
            check_grade(v.grade, "this veto caps at");
            if (p_->grades.front().name == v.grade.value)
                error(Code::C050, v.grade.span, "`caps \"" + v.grade.value + "\"` lowers nothing: \"" + v.grade.value +
                                                    "\" is the best grade; name the grade it may not pass");
        }
    }

    // `grade` must name a declared band; `what` says who names it ("this veto forces").
    void check_grade(const ast::Text& grade, const std::string& what) {
        std::vector<std::string_view> names;
        std::string listed;
        for (const auto& g : p_->grades) {
            if (g.name == grade.value) return;
            names.push_back(g.name);
            listed += (listed.empty() ? "\"" : ", \"") + g.name + "\"";
        }
        if (names.empty()) {
            error(Code::C014, grade.span, what + " a grade, but the ruleset declares no `grades`");
            return;
        }
        error(Code::C014, grade.span, what + " grade \"" + grade.value + "\", which no band declares: the grades are " + listed +
                                      kaohe::did_you_mean(grade.value, names));
    }

    std::vector<const ast::Veto*> veto_filters_;  // by veto, its declaration (for lower_vetoes)

    void declare_policy(const ast::Policy& p) {
        p_->policy.name = p.name.value;
        p_->policy.declared = true;
        p_->policy.span = p.span;
        if (p.version) p_->policy.version = p.version->value;
        if (p.total) {
            p_->policy.total = p.total->value;
            p_->policy.total_span = p.total->span;
        }
        if (!p.year) {
            error(Code::C001, p.span, "the policy needs its assessment year: `year 2022`");
        } else {
            auto y = p.year->value.to_int64();
            if (!y || *y < 1900 || *y > 9999) error(Code::C001, p.year->span, "the year must be between 1900 and 9999");
            else p_->policy.year = static_cast<int>(*y);
        }
        if (p.round_places) {
            auto places = p.round_places->value.to_int64();
            if (!places || *places > 12) error(Code::C001, p.round_places->span, "round to at most 12 decimal places");
            else p_->policy.round_places = static_cast<int>(*places);
            const std::string& mode = p.round_mode->text;
            p_->policy.rounding = mode == "half_even" ? Rounding::half_even
                                  : mode == "up"      ? Rounding::up
                                  : mode == "down"    ? Rounding::down
                                                      : Rounding::half_up;
        }
        declare_figures(p);
    }

    // `report 2 places half_up` and `round each clause|each section|total N places [MODE]`: each
    // level once, to at most 6 places (a scheme's figures have one or two).
    void declare_figures(const ast::Policy& p) {
        using Level = ast::FigureRounding::Level;
        for (const ast::FigureRounding& f : p.figures) {
            std::optional<ir::Places>& slot = f.level == Level::report         ? p_->policy.report
                                              : f.level == Level::each_clause  ? p_->policy.each_clause
                                              : f.level == Level::each_section ? p_->policy.each_section
                                                                               : p_->policy.at_total;
            const char* what = f.level == Level::report         ? "`report`"
                               : f.level == Level::each_clause  ? "`round each clause`"
                               : f.level == Level::each_section ? "`round each section`"
                                                                : "`round total`";
            if (!slot && f.level == Level::report && p.round_places && p.round_mode &&
                p.round_places->span.begin > f.span.begin) {
                // `report 2 places round 2 half_up`: the later declaration is the one given twice.
                const Span round{f.span.file, p.round_places->span.begin, p.round_mode->span.end};
                auto& d = error(Code::C063, round,
                                "the policy already declares `report`, the places of the figures it shows: "
                                "give the rounding of each level once");
                note(d, f.span, "`report` is here");
                continue;
            }
            if (slot || (f.level == Level::report && p.round_places)) {
                error(Code::C063, f.span,
                      std::string("the policy already declares ") +
                          (slot ? what : "`round N MODE`, the places of the figures it shows") +
                          ": give the rounding of each level once");
                continue;
            }
            const auto places = f.places.value.to_int64();
            if (!places || *places > 6) {
                error(Code::C062, f.places.span, std::string(what) + " to at most 6 decimal places");
                continue;
            }
            ir::Places out;
            out.places = static_cast<int>(*places);
            out.span = f.span;
            out.places_span = f.places.span;
            if (f.mode) {
                const std::string& mode = f.mode->text;
                out.mode = mode == "half_even" ? Rounding::half_even
                           : mode == "up"      ? Rounding::up
                           : mode == "down"    ? Rounding::down
                                               : Rounding::half_up;
            }
            slot = out;
            if (f.level == Level::report) {
                p_->policy.round_places = out.places;
                p_->policy.rounding = out.mode;
            }
        }
    }

    // A vote rating: its grades, each with a label, each given once.
    ir::Measure declare_votes(const ast::Measure& m) {
        ir::Measure out;
        out.kind = ir::Measure::Kind::votes;
        out.rating = true;
        out.id = m.id.text;
        out.label = m.label.value;
        out.span = m.span;
        if (m.method_span.end > m.method_span.begin)
            error(Code::C044, m.method_span, "vote rating `" + m.id.text + "` counts votes per grade: a `mean` (and "
                                             "`dropping highest and lowest`) combines marks, as in `marks 0..100 mean`");
        if (m.values.empty())
            error(Code::C047, m.votes_span, "vote rating `" + m.id.text + "` has no grades: list them, as in `votes { "
                                            "excellent \"优秀\", competent \"称职\" }`");
        for (const auto& [gid, glabel] : m.values) {
            for (std::size_t i = 0; i < out.values.size(); ++i) {
                if (out.values[i] == gid.text) {
                    error(Code::C047, gid.span, "grade `" + gid.text + "` of vote rating `" + m.id.text + "` is listed twice");
                    break;
                }
                if (out.value_labels[i] == glabel.value || out.values[i] == glabel.value || out.value_labels[i] == gid.text) {
                    error(Code::C047, glabel.span, "the label \"" + glabel.value + "\" of grade `" + gid.text + "` is also grade `" +
                                                       out.values[i] + "`'s: a record names a grade by its id or its label, "
                                                       "so each needs its own");
                    break;
                }
            }
            out.values.push_back(gid.text);
            out.value_labels.push_back(glabel.value);
        }
        out.period = period_kind(m.period);
        return out;
    }

    // The one rating that expression `e` reads (none: no rating, or more than one).
    ir::MeasureId rating_read(ir::ExprId e) const {
        ir::MeasureId found = none;
        bool several = false;
        std::vector<ir::ExprId> todo{e};
        while (!todo.empty()) {
            const ir::ExprId at = todo.back();
            todo.pop_back();
            if (at == none) continue;
            const ir::Expr& x = p_->expr(at);
            if ((x.op == Op::measure || x.op == Op::share) && p_->measure(x.measure()).rating) {
                several = several || (found != none && found != x.measure());
                found = x.measure();
            }
            for (ir::ExprId c : {x.a, x.b, x.c}) todo.push_back(c);
            for (ir::ExprId c : x.args) todo.push_back(c);
        }
        return several ? none : found;
    }

    ir::Measure declare_measure(const ast::Measure& m) {
        if (m.kind != ast::Measure::Kind::number) return declare_fact(m);
        if (m.votes) return declare_votes(m);
        ir::Measure out;
        out.id = m.id.text;
        out.label = m.label.value;
        out.whole = m.whole;
        out.span = m.span;
        if (m.min) out.min = m.min->value, out.min_span = m.min->span;
        if (m.max) out.max = m.max->value, out.max_span = m.max->span;
        out.domain_from = m.domain_span.begin;
        out.default_from = m.default_span.begin;
        out.rating = m.rating;
        out.dropping = m.dropping_span.end > m.dropping_span.begin;
        out.dropping_span = m.dropping_span;
        out.method_span = m.method_span;
        out.period = period_kind(m.period);
        if (m.whole) {
            if (m.min && !m.min->value.is_integer())
                error(Code::C003, m.min->span, "a whole-number measure needs whole-number bounds");
            if (m.max && !m.max->value.is_integer())
                error(Code::C003, m.max->span, "a whole-number measure needs whole-number bounds");
        }
        if (out.min && out.max && *out.max < *out.min)
            error(Code::C003, m.max->span, "the domain's upper end is below its lower end");
        if (m.scale_span.end > m.scale_span.begin && m.scale.empty())
            error(Code::C038, m.scale_span, std::string(m.rating ? "rating `" : "measure `") + m.id.text + "` has an empty scale: list its values, as in "
                                             "`scale { 优秀: 95, 良好: 85 }`");
        if (!m.scale.empty()) declare_scale(m, out);
        if (m.default_value) {
            const Number& v = m.default_value->value;
            if (!out.scale_values.empty() && !out.scale_label(v))
                error(Code::C003, m.default_value->span, "the default value is not on the measure's scale: " + out.scale_text());
            else if ((out.min && v < *out.min) || (out.max && v > *out.max) || (m.whole && !v.is_integer()))
                error(Code::C003, m.default_value->span, "the default value lies outside the measure's domain");
            out.default_value = v;
            out.default_span = m.default_value->span;
        }
        return out;
    }

    // A fact: yes/no, or a standing's values, each given once. Its value is held as the index of
    // its value, so its domain is 0..n-1, whole.
    ir::Measure declare_fact(const ast::Measure& m) {
        ir::Measure out;
        out.id = m.id.text;
        out.label = m.label.value;
        out.span = m.span;
        out.whole = true;
        if (m.kind == ast::Measure::Kind::yes_no) {
            out.kind = ir::Measure::Kind::yes_no;
            out.values = {"no", "yes"};
            out.value_labels = {"否", "是"};
        } else {
            out.kind = ir::Measure::Kind::standing;
            for (const auto& [vid, vlabel] : m.values) {
                if (std::find(out.values.begin(), out.values.end(), vid.text) != out.values.end()) {
                    error(Code::C002, vid.span, "value `" + vid.text + "` of standing `" + m.id.text + "` is listed twice");
                    continue;
                }
                check_value_label(vid, vlabel, out.values, out.value_labels, "standing", m.id.text, true);
                out.values.push_back(vid.text);
                out.value_labels.push_back(vlabel.value);
            }
            if (out.values.empty()) error(Code::C003, m.span, "standing `" + m.id.text + "` has no values");
        }
        out.min = Number(0);
        out.max = Number(static_cast<std::int64_t>(out.values.empty() ? 0 : out.values.size() - 1));
        if (m.default_name) {
            const auto it = std::find(out.values.begin(), out.values.end(), m.default_name->text);
            if (it == out.values.end()) {
                std::map<std::string, bool> known;
                for (const auto& v : out.values) known.emplace(v, true);
                error(Code::C003, m.default_name->span, "`" + m.default_name->text + "` is not a value of " +
                                                        (out.kind == ir::Measure::Kind::yes_no ? "fact `" : "standing `") +
                                                        m.id.text + "`: expected one of " + out.values_text() +
                                                        did_you_mean(m.default_name->text, known));
            } else {
                out.default_value = Number(static_cast<std::int64_t>(it - out.values.begin()));
            }
            out.default_from = m.default_span.begin;
        }
        return out;
    }

    // A value's label names it alone. A record gives a standing's value by its id or its label,
    // the first match winning, so a label shared with another value, or equal to another value's
    // id, makes one of them unreachable; an attribute's labels only show in explanations, where
    // two equal ones still hide which value counted.
    void check_value_label(const ast::Name& vid, const ast::Text& vlabel, const std::vector<std::string>& ids,
                           const std::vector<std::string>& labels, const char* what, const std::string& owner,
                           bool by_label) {
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (labels[i] == vlabel.value) {
                error(Code::C040, vlabel.span, "value `" + vid.text + "` of " + what + " `" + owner + "` has the label \"" +
                                                   vlabel.value + "\", as value `" + ids[i] + "` has" +
                                                   (by_label ? ": a record giving \"" + vlabel.value + "\" could not say which it means"
                                                             : ": the scores would not show which value counted") +
                                                   "; give each value its own label");
                return;
            }
            if (by_label && (ids[i] == vlabel.value || labels[i] == vid.text)) {
                const bool mine = ids[i] == vlabel.value;  // this label is the earlier value's id
                const std::string& word = mine ? vlabel.value : vid.text;
                error(Code::C040, vlabel.span, "value `" + vid.text + "` of standing `" + owner + "` " +
                                                   (mine ? "has the label \"" + word + "\", the id of value `" + ids[i] + "`"
                                                         : "has the id `" + word + "`, the label of value `" + ids[i] + "`") +
                                                   ": a record or test giving `" + word +
                                                   "` could not say which value it means; give each value a label that no "
                                                   "other value has as its id");
                return;
            }
        }
    }

    // A scale's values and labels, each given once; the domain becomes the scale's ends, whole when
    // every value is.
    void declare_scale(const ast::Measure& m, ir::Measure& out) {
        bool whole = true;
        for (const auto& [label, value] : m.scale) {
            for (std::size_t i = 0; i < out.scale_values.size(); ++i) {
                if (out.scale_labels[i] == label.text)
                    error(Code::C037, label.span, "the label `" + label.text + "` is already on the scale of " + (m.rating ? "rating `" : "measure `") +
                                                  m.id.text + "`: give each label once");
                else if (out.scale_values[i] == value.value)
                    error(Code::C037, value.span, "the value " + value.value.to_string() + " is already on the scale of " + (m.rating ? "rating `" : "measure `") +
                                                  m.id.text + "`, as `" + out.scale_labels[i] +
                                                  "`: a record's value must name one label");
            }
            out.scale_labels.push_back(label.text);
            out.scale_values.push_back(value.value);
            out.scale_spans.push_back(value.span);
            whole = whole && value.value.is_integer();
            if (!out.min || value.value < *out.min) out.min = value.value;
            if (!out.max || value.value > *out.max) out.max = value.value;
        }
        out.whole = whole;
    }

    ir::Event declare_event(const ast::Event& e) {
        ir::Event out;
        out.id = e.id.text;
        out.label = e.label.value;
        out.span = e.span;
        out.unit_fact = e.unit_fact;
        if (e.amount_min && e.amount_max) {
            out.has_amount = true;
            out.amount_min = e.amount_min->value;
            out.amount_max = e.amount_max->value;
            out.amount_from = e.amount_span.begin;
            out.amount_min_span = e.amount_min->span;
            out.amount_max_span = e.amount_max->span;
            if (out.amount_max < out.amount_min)
                error(Code::C003, e.amount_max->span, "the amount range's upper end is below its lower end");
        }
        std::set<std::string> seen;
        for (const auto& a : e.attributes) {
            auto it = p_->attribute_index.find(a.text);
            if (it == p_->attribute_index.end()) {
                error(Code::C004, a.span, "unknown attribute `" + a.text + "`" + did_you_mean(a.text, p_->attribute_index));
                continue;
            }
            if (!seen.insert(a.text).second) {
                error(Code::C002, a.span, "attribute `" + a.text + "` is listed twice");
                continue;
            }
            out.attributes.push_back(it->second);
        }
        return out;
    }

    void declare_grades(const ast::Grades& g) {
        if (!p_->grades.empty()) {
            error(Code::C014, g.span, "a second `grades` declaration: a ruleset has one");
            return;
        }
        if (!p_->grades_span) p_->grades_span = g.span;
        std::optional<Number> previous;
        for (std::size_t i = 0; i < g.bands.size(); ++i) {
            const auto& b = g.bands[i];
            if (!b.at_least && i + 1 != g.bands.size())
                error(Code::C014, b.span, "`otherwise` must be the last grade band");
            if (b.at_least && previous && !(b.at_least->value < *previous))
                error(Code::C014, b.span, "grade bands must be listed from the highest threshold down");
            if (b.at_least) previous = b.at_least->value;
            p_->grades.push_back({b.name.value, b.at_least ? std::optional<Number>(b.at_least->value) : std::nullopt, b.span,
                                  b.at_least ? b.at_least->span : Span{}});
            if (b.quota) declare_quota(*b.quota, b.name.value, i + 1 == g.bands.size());
        }
    }

    // A quota moves those past it to the next grade down, so the grade needs one below it; its
    // share is of the unit's people, so it lies in 0..100%.
    void declare_quota(const ast::GradeQuota& q, const std::string& grade, bool last) {
        if (last)
            error(Code::C059, q.span, "a quota on \"" + grade + "\", the last grade: there is no grade below it for those past the quota");
        if (q.share.value < Number(0) || Number(100) < q.share.value)
            error(Code::C060, q.share.span, "a quota of " + q.share.value.to_string() + "%: a share of the unit's people lies in 0..100%");
        MeasureId tie = none;
        if (q.tie_measure) tie = quota_tie_measure(*q.tie_measure);
        p_->grades.back().quota =
            ir::GradeQuota{q.share.value, q.nearest, q.all_in, p_->sources.file_line(q.span), q.span, tie, q.tie_highest};
    }

    // `ties by highest M`: M ranks people by one number for the year, so a measure of numbers
    // (a rating's mean counts), not a fact, a vote rating or a measure given per period.
    MeasureId quota_tie_measure(const ast::Name& n) {
        std::map<std::string, bool> numbers;
        for (const auto& m : p_->measures)
            if (m.kind == ir::Measure::Kind::number && m.period == ir::PeriodKind::year) numbers.emplace(m.id, true);
        const auto it = p_->measure_index.find(n.text);
        if (it != p_->measure_index.end() && numbers.count(n.text)) return it->second;
        const std::string what = it == p_->measure_index.end() ? "is not a measure"
                                 : p_->measure(it->second).period != ir::PeriodKind::year
                                     ? "is given per period, not one number for the year"
                                     : "is not a measure of numbers";
        error(Code::C061, n.span, "`ties by` ranks people by a measure, and `" + n.text + "` " + what + did_you_mean(n.text, numbers));
        return none;
    }

    EventId lookup_event(const ast::Name& n) {
        auto it = p_->event_index.find(n.text);
        if (it != p_->event_index.end()) return it->second;
        error(Code::C004, n.span, "unknown event `" + n.text + "`" + did_you_mean(n.text, p_->event_index));
        return none;
    }

    // ---- The scoring tree

    void role_nodes(const ast::Role& r) {
        auto it = p_->role_index.find(r.id.text);
        if (it == p_->role_index.end()) return;  // duplicate role, already reported
        const RoleId role = it->second;
        for (const auto& s : r.sections) role_roots_[role].push_back(add_node(s, none, "", role));
        role_positions_[role] = top_nodes_.size();
    }

    NodeId add_node(const ast::Node& n, NodeId parent, const std::string& parent_path, RoleId role) {
        const auto index = NodeId::at(p_->nodes.size());
        {
            ir::Node node;
            node.id = n.id.text;
            node.path = parent_path.empty() ? n.id.text : parent_path + "." + n.id.text;
            node.label = n.label.value;
            node.clause = !n.is_section;
            node.floor = !n.no_floor && !n.within;  // a `within` clause has its own lower bound
            if (n.within && !n.is_section) node.within = n.within->value;
            node.parent = parent;
            node.role = role;
            node.span = n.span;
            node.where = p_->sources.file_line(n.span);
            node.written = written_node(n);
            node.depth = parent == none ? 0 : p_->node(parent).depth + 1;
            if (n.cite) node.cite = n.cite->value;
            if (n.max) node.max = n.max->value;
            if (n.weight) node.weight = n.weight->value;
            p_->nodes.push_back(std::move(node));
        }
        check_weight(n, index);
        const ir::PeriodKind outer_period = section_period_;
        check_period_section(n, index);
        if (n.max && n.uncapped) error(Code::C005, n.span, "a maximum and `uncapped` together");
        if (n.max && n.max->value.is_negative()) error(Code::C005, n.max->span, "a maximum cannot be negative");
        if (!n.max && !n.uncapped && !n.within && parent != none && p_->node(parent).max)
            error(Code::C005, n.span, std::string(n.is_section ? "section" : "clause") + " `" + n.id.text +
                                      "` needs a maximum, since its section has one (or say `uncapped`)");
        if (n.is_section && n.children.empty()) error(Code::C005, n.span, "section `" + n.id.text + "` has no clauses");
        check_start(n, index);
        check_within(n, index, parent);

        const std::string path = p_->node(index).path;
        std::map<std::string, Span> child_ids;
        std::vector<NodeId> children;
        for (const auto& c : n.children) {
            auto [it, fresh] = child_ids.emplace(c.id.text, c.id.span);
            if (!fresh) {
                auto& d = error(Code::C002, c.id.span, "`" + path + "." + c.id.text + "` is declared twice");
                note(d, it->second, "first declared here");
                continue;
            }
            children.push_back(add_node(c, index, path, role));
        }
        std::vector<RuleId> rules;
        for (const auto& r : n.rules) rules.push_back(add_rule(r, index));
        section_period_ = outer_period;

        ir::Node& node = p_->node(index);
        node.children = std::move(children);
        node.rules = std::move(rules);
        if (n.is_section) check_sibling_weights(node.children, "section `" + node.path + "`", n.span);
        if (n.is_section && node.max) check_allocation(index, n);
        return index;
    }

    // `weight 70%` on one part: a capped section, weighted by more than 0 and at most 100%.
    void check_weight(const ast::Node& n, NodeId index) {
        if (!n.weight) return;
        const std::string w = n.weight->value.to_string(12) + "%";
        ir::Node& node = p_->node(index);
        if (!n.is_section) {
            error(Code::C042, n.weight_span, "`weight " + w + "` on clause `" + n.id.text +
                                                 "`: a weight belongs on a section scored on its own card, as in "
                                                 "`section ID \"LABEL\" 100 weight " + w + " { ... }`");
            node.weight.reset();
        } else if (!n.max) {
            error(Code::C042, n.weight_span, "`weight " + w + "` on uncapped section `" + n.id.text +
                                                 "`: a weight takes a part of a capped card; give the section its maximum, "
                                                 "as in `section " + n.id.text + " \"LABEL\" 100 weight " + w + "`");
            node.weight.reset();
        } else if (n.weight->value.is_zero() || n.weight->value.is_negative() || n.weight->value > Number(100)) {
            error(Code::C042, n.weight->span, "`weight " + w + "` on section `" + n.id.text +
                                                  "`: a weight is more than 0% and at most 100%");
            node.weight.reset();
        }
    }

    // Weighted parts side by side: either every capped part is weighted and the weights add up
    // to 100%, or none is. Uncapped parts (a bonus) and `within` adjustments stand outside.
    // `whose` names their parent ("section `work`", "the card of role `chair`").
    void check_sibling_weights(const std::vector<NodeId>& siblings, const std::string& whose, Span at) {
        std::vector<NodeId> weighted, plain;
        for (NodeId c : siblings) {
            const ir::Node& node = p_->node(c);
            if (!node.max) continue;
            (node.weight ? weighted : plain).push_back(c);
        }
        if (weighted.empty()) return;
        if (!plain.empty()) {
            for (NodeId c : plain) {
                const ir::Node& node = p_->node(c);
                std::string message = std::string(node.clause ? "clause" : "section") + " `" + node.id +
                                      "` has no weight, but other parts of " + whose +
                                      " do: give every capped part its `weight`, or none";
                if (!weight_reported_.insert(message).second) continue;
                auto& d = error(Code::C043, node.span, std::move(message));
                for (NodeId o : weighted) note(d, p_->node(o).span, "`" + p_->node(o).id + "` weighs " + p_->node(o).weight->to_string(12) + "%");
            }
            return;
        }
        Number sum;
        for (NodeId c : weighted) sum += *p_->node(c).weight;
        if (sum == Number(100)) return;
        std::string message = "the weights of the parts of " + whose + " add up to " + sum.to_string(12) + "%, not 100%";
        if (!weight_reported_.insert(message).second) return;
        auto& d = error(Code::C042, at, std::move(message));
        for (NodeId c : weighted) note(d, p_->node(c).span, "`" + p_->node(c).id + "` weighs " + p_->node(c).weight->to_string(12) + "%");
    }

    // Each card's top-level parts, the common ones and the role's own, are siblings.
    void check_card_weights() {
        for (std::size_t i = 0; i < p_->roles.size(); ++i) {
            const ir::Role& role = p_->roles[i];
            if (role.roots.empty()) continue;
            const Span at = role.total_span.end > role.total_span.begin ? role.total_span
                            : p_->one_card || role.span.end == role.span.begin ? p_->node(role.roots.front()).span
                                                                            : role.span;
            const std::string card = p_->one_card ? p_->card_of(RoleId::at(i)) : "the card of " + p_->card_of(RoleId::at(i));
            check_sibling_weights(role.roots, card, at);
        }
    }

    // `within N`: an adjustment clause, starting at 0 and moving both ways, its net held to -N..+N.
    // It allocates none of its section's points; a section holding one stays within 0..its maximum.
    void check_within(const ast::Node& n, NodeId index, NodeId parent) {
        if (!n.within) return;
        const std::string bound = n.within->value.to_string();
        if (n.is_section) {
            error(Code::C036, n.within->span, "`within " + bound + "` on section `" + n.id.text +
                                                  "`: a section is the sum of its parts; write the adjustment as a clause "
                                                  "`clause ID \"LABEL\" within " + bound + " { ... }` inside it");
            return;
        }
        if (n.within->value.is_zero())
            error(Code::C036, n.within->span, "`within 0` holds clause `" + n.id.text + "` at 0: no rule of it can count");
        if (n.no_floor)
            error(Code::C036, n.span, "clause `" + n.id.text + "` is held within ±" + bound +
                                      ": its lower bound is -" + bound + ", so `floor none` means nothing");
        if (n.start_span.end > n.start_span.begin)
            error(Code::C036, n.start_span, "clause `" + n.id.text + "` is held within ±" + bound +
                                                ": it starts at 0 and moves both ways, so `from` means nothing");
        if (parent != none) p_->node(parent).holds_within = true;
        (void)index;
    }

    // A clause's start as written: `from 0` makes it an earned item; `from full` is the default.
    void check_start(const ast::Node& n, NodeId index) {
        if (n.start_span.end == n.start_span.begin || n.within) return;
        const std::string what = n.start_full ? "`from full`" : "`from " + (n.start ? n.start->value.to_string() : std::string()) + "`";
        if (n.is_section) {
            error(Code::C033, n.start_span, what + " on section `" + n.id.text +
                                                "`: a section is the sum of its parts; a start belongs on a clause");
            return;
        }
        if (n.start && !n.start->value.is_zero()) {
            error(Code::C033, n.start->span, "a clause starts at 0 (`from 0`, an earned item) or at its maximum "
                                             "(`from full`, the default): `from " + n.start->value.to_string() + "` is neither");
            return;
        }
        if (!n.max) {
            error(Code::C033, n.start_span,
                  what + " on clause `" + n.id.text + "`, which has no maximum" +
                      (n.start_full ? std::string(" to start at")
                                    : std::string(": a clause without one starts at 0 already, with no ceiling to earn up to")) +
                      "; give it a maximum or drop " + what);
            return;
        }
        if (n.start_full) return;
        if (n.no_floor) {
            error(Code::C033, n.start_span, "clause `" + n.id.text + "` starts at 0 and earns up to its maximum (`from 0`): "
                                            "its floor of 0 stays, so `floor none` contradicts it; drop `floor none`, or drop "
                                            "`from 0` for a clause that starts full and may go below 0");
            return;
        }
        p_->node(index).earned = true;
        const bool adds = std::any_of(n.rules.begin(), n.rules.end(), [](const ast::Rule& r) { return r.sign == ast::Rule::Sign::add; });
        if (!adds)
            error(Code::C035, n.span, "clause `" + n.id.text + "` starts at 0 (`from 0`) but has no `add` rule: it can "
                                      "never score; earn its points with `add ...`, or drop `from 0` to start it full");
    }

    // A part's maximum as it counts in its parent: "40", or "100 × 70% = 70" when weighted.
    static std::string weighted_max(const ir::Node& n) {
        // A section scored per period and summed: "2 × 12 months = 24".
        std::string max = n.max->to_string(12);
        if (n.period_sum)
            max += " × " + std::to_string(ir::periods_in_year(n.period)) + " " + ir::period_word(n.period) + "s = " +
                   n.year_max()->to_string(12);
        if (!n.weight) return max;
        return max + " × " + n.weight->to_string(12) + "% = " + n.counted_max()->to_string(12);
    }

    // Children allocating more than the section's maximum is an error; fewer, a warning, and
    // the section awards the difference.
    void check_allocation(NodeId index, const ast::Node& n) {
        ir::Node& node = p_->node(index);
        Number allocated;
        for (NodeId c : node.children) {
            const auto& child = p_->node(c);
            if (const auto m = child.counted_max()) allocated += *m;  // a weighted part: its max × weight
        }
        if (allocated > *node.max) {
            auto& d = error(Code::C006, n.span, "the parts of `" + node.path + "` allocate " + allocated.to_string() +
                                                " points, more than its maximum " + node.max->to_string());
            for (NodeId c : node.children) {
                const auto& child = p_->node(c);
                if (child.max)
                    note(d, child.span, "`" + child.id + "` allocates " + weighted_max(child));
            }
        } else if (allocated < *node.max) {
            node.unallocated = *node.max - allocated;
            auto& d = report(Code::W001, n.span,
                             "the parts of `" + node.path + "` allocate " + allocated.to_string() + " of its " +
                                 node.max->to_string() + " points: " + node.unallocated.to_string() +
                                 " points are not allocated to any clause and are always awarded");
            (void)d;
        }
    }

    // ---- Expressions

    ExprId emit(ir::Expr e) {
        p_->exprs.push_back(std::move(e));
        return ExprId::at(p_->exprs.size() - 1);
    }
    ExprId constant(Number v, Span at = {}) {
        ir::Expr e;
        e.op = Op::constant;
        e.constant = std::move(v);
        e.span = at;
        return emit(std::move(e));
    }
    ExprId binary(Op op, ExprId a, ExprId b, Span at = {}) {
        ir::Expr e;
        e.op = op;
        e.a = a;
        e.b = b;
        e.span = at;
        return emit(std::move(e));
    }

    // The event whose attributes and amount an expression may name; none outside `each` and
    // `count(... where ...)`.
    struct Context {
        EventId event = none;
        NodeId node = none;
        bool unit = false;  // a grade rule's or a flag's condition: may read the person's unit (unit_mean, ...)
    };

    Typed expect_number(const ast::Expr& e, const Context& ctx) {
        Typed t = expr(e, ctx);
        if (t.type == Type::truth) error(Code::C008, e.span, "expected a number here, but this is a condition");
        if (t.type == Type::attribute)
            error(Code::C008, e.span, "an attribute is not a number: compare it, as in `issuer = unit`");
        return t.type == Type::number ? t : Typed{};
    }
    Typed expect_truth(const ast::Expr& e, const Context& ctx) {
        Typed t = expr(e, ctx);
        if (t.type == Type::number) error(Code::C008, e.span, "expected a condition here, but this is a number");
        if (t.type == Type::attribute)
            error(Code::C008, e.span, "an attribute alone is not a condition: compare it, as in `issuer = unit`");
        return t.type == Type::truth ? t : Typed{};
    }

    Typed expr(const ast::Expr& e, const Context& ctx) {
        using K = ast::Expr::Kind;
        switch (e.kind) {
        case K::number: return {constant(e.number, e.span), Type::number};
        case K::amount: {
            if (ctx.event == none && !value_stack_.empty()) {
                error(Code::C009, e.span, "value `" + p_->value(value_stack_.back()).id + "` is computed once per record, "
                                          "outside any event: `amount` has no event here (sum it with `sum(amount of EVENT)`)");
                return {};
            }
            if (ctx.event == none) {
                error(Code::C009, e.span, "`amount` names the amount of an event: use it in `amount each EVENT` or "
                                      "`sum(amount of EVENT)`");
                return {};
            }
            const auto& ev = p_->event(ctx.event);
            if (!ev.has_amount) {
                error(Code::C009, e.span, "event `" + ev.id + "` has no amount: declare it with `amount LO..HI`");
                return {};
            }
            ir::Expr x;
            x.op = Op::amount;
            x.span = e.span;
            return {emit(std::move(x)), Type::number};
        }
        case K::name: return name(e, ctx);
        case K::neg: {
            Typed a = expect_number(*e.args[0], ctx);
            ir::Expr x;
            x.op = Op::neg;
            x.a = a.expr;
            x.span = e.span;
            return {emit(std::move(x)), a.type == Type::error ? Type::error : Type::number};
        }
        case K::logical_not: {
            Typed a = expect_truth(*e.args[0], ctx);
            ir::Expr x;
            x.op = Op::logical_not;
            x.a = a.expr;
            x.span = e.span;
            return {emit(std::move(x)), a.type == Type::error ? Type::error : Type::truth};
        }
        case K::binary: return binary_expr(e, ctx);
        case K::call: {
            if (e.name.text.rfind("unit_", 0) == 0) return unit_call(e, ctx);
            ir::Expr x;
            x.span = e.span;
            const std::string& fn = e.name.text;
            bool ok = true;
            std::vector<ExprId> args;
            for (const auto& a : e.args) {
                Typed t = expect_number(*a, ctx);
                ok = ok && t.type == Type::number;
                args.push_back(t.expr);
            }
            if (fn == "min" || fn == "max") {
                if (args.size() < 2) {
                    error(Code::C010, e.span, "`" + fn + "` takes two or more values");
                    return {};
                }
                x.op = fn == "min" ? Op::min : Op::max;
                x.args = std::move(args);
            } else {
                if (args.size() != 1) {
                    error(Code::C010, e.span, "`" + fn + "` takes one value");
                    return {};
                }
                x.op = fn == "floor" ? Op::floor : Op::ceil;
                x.a = args[0];
            }
            return {emit(std::move(x)), ok ? Type::number : Type::error};
        }
        case K::if_then: {
            Typed c = expect_truth(*e.args[0], ctx);
            // `if weeks = 0 then 0 else 100 / weeks`: the branch where the divisor cannot be 0.
            const auto guard = nonzero_guard(*e.args[0]);
            Typed a, b;
            {
                NonZero in_then(nonzero_, guard && guard->second ? &guard->first : nullptr);
                a = expr(*e.args[1], ctx);
            }
            {
                NonZero in_else(nonzero_, guard && !guard->second ? &guard->first : nullptr);
                b = expr(*e.args[2], ctx);
            }
            if (a.type != Type::error && b.type != Type::error && a.type != b.type) {
                error(Code::C008, e.span, "both branches of `if` must be numbers, or both conditions");
                return {};
            }
            if (a.type == Type::attribute) {
                error(Code::C008, e.args[1]->span, "an attribute is not a value: compare it, as in `issuer = unit`");
                return {};
            }
            ir::Expr x;
            x.op = Op::if_then;
            x.a = c.expr;
            x.b = a.expr;
            x.c = b.expr;
            x.span = e.span;
            const bool ok = c.type != Type::error && a.type != Type::error && b.type != Type::error;
            return {emit(std::move(x)), ok ? a.type : Type::error};
        }
        case K::share: return share(e, ctx);
        case K::count:
        case K::longest_run:
        case K::sum_amount: {
            const EventId ev = lookup_event(e.name);
            if (ev == none) return {};
            ir::Expr x;
            x.op = e.kind == K::count ? Op::count : e.kind == K::longest_run ? Op::longest_run : Op::sum_amount;
            x.refer(ev);
            x.span = e.span;
            // A run of days crosses the edges of a month or quarter ("连续旷工" from 01-30 to 02-01):
            // read per period it would be cut there silently, and which period owns a run is the
            // policy's call, so a run is read over the whole year only.
            if (e.kind == K::longest_run && rule_period_ != ir::PeriodKind::year) {
                error(Code::C058, e.span, "`longest_run(" + e.name.text + ")` in a rule or section scored each " +
                                              ir::period_word(rule_period_) + " would cut a run of days at the " +
                                              ir::period_word(rule_period_) + "'s edges: read it over the year, as in `deduct 5 when " +
                                              "longest_run(" + e.name.text + ") >= 3` or `grade \"...\" when longest_run(" + e.name.text + ") >= 5`");
                return {};
            }
            if (e.kind == K::sum_amount && !p_->event(ev).has_amount) {
                error(Code::C009, e.name.span, "event `" + e.name.text + "` has no amount to sum");
                return {};
            }
            used_events_in_node(ev, ctx.node);
            if (!e.args.empty()) {
                Typed f = expect_truth(*e.args[0], Context{ev, ctx.node});
                if (f.type == Type::error) return {};
                x.a = f.expr;
            }
            return {emit(std::move(x)), Type::number};
        }
        }
        return {};
    }

    Typed name(const ast::Expr& e, const Context& ctx) {
        const std::string& n = e.name.text;
        if (ctx.event != none) {
            const auto& ev = p_->event(ctx.event);
            for (SlotId slot : ev.attributes.ids())
                if (p_->attribute(ev.attributes[slot]).id == n) return {none, Type::attribute, slot};
        }
        if (auto it = p_->measure_index.find(n); it != p_->measure_index.end()) {
            ir::Expr x;
            x.op = Op::measure;
            x.refer(it->second);
            x.span = e.span;
            used_measure_in_node(it->second, ctx.node);
            check_period_input(it->second, e.span);
            const ir::Measure& m = p_->measure(it->second);
            if (m.kind == ir::Measure::Kind::yes_no) return {fact_is(emit(std::move(x)), 1, e.span), Type::truth};
            if (m.kind == ir::Measure::Kind::votes) {
                error(Code::C044, e.span, "vote rating `" + n + "` is not a number: take the share of its votes for some "
                                          "grades, as in `share(" + n + " for " + (m.values.empty() ? "GRADE" : m.values[0]) + ")`");
                return {};
            }
            if (m.kind == ir::Measure::Kind::standing) {
                error(Code::C008, e.span, "standing `" + n + "` is not a number or a condition: compare it with one of its "
                                          "values, as in `" + n + " = " + (m.values.empty() ? "VALUE" : m.values[0]) + "`");
                return {};
            }
            return {emit(std::move(x)), Type::number};
        }
        if (auto it = p_->group_index.find(n); it != p_->group_index.end()) {
            ir::Expr x;
            x.op = Op::group;
            x.refer(it->second);
            x.span = e.span;
            return {emit(std::move(x)), Type::truth};
        }
        if (auto it = p_->value_index.find(n); it != p_->value_index.end()) return use_value(it->second, e.span, ctx.node);
        if (n == "total" && ctx.unit) {  // a grade rule's or a flag's condition: decided once the total is known
            ir::Expr x;
            x.op = Op::total;
            x.span = e.span;
            return {emit(std::move(x)), Type::number};
        }
        std::string hint;
        if (p_->event_index.count(n))
            hint = ": `" + n + "` is an event; count it with `count(" + n + ")`";
        else {
            std::map<std::string, bool> known;  // the names; did_you_mean reads the keys
            for (const auto& [k, v] : p_->measure_index) known.emplace(k, true);
            for (const auto& [k, v] : p_->group_index) known.emplace(k, true);
            for (const auto& [k, v] : p_->value_index) known.emplace(k, true);
            hint = did_you_mean(n, known);
        }
        error(Code::C004, e.span, "unknown name `" + n + "`: not a measure" + (p_->values.empty() ? " or group" : ", group or value") + hint);
        return {};
    }

    // `unit_mean(total)`, `unit_mean(M)`, `unit_rank(total)`, `unit_size(total)`: the person's unit
    // in a batch, known only once the unit is scored; so only a grade rule or a flag reads it.
    Typed unit_call(const ast::Expr& e, const Context& ctx) {
        const std::string& fn = e.name.text;
        if (!ctx.unit) {
            error(Code::C069, e.span, "`" + fn + "` reads the person's unit, known only once the unit is scored: only a "
                                      "grade rule's or a flag's condition may read it, as in "
                                      "`grade at most \"称职\" when total < unit_mean(total)`");
            return {};
        }
        const ast::Expr* a = e.args.size() == 1 ? e.args[0].get() : nullptr;
        const std::string arg = a && a->kind == ast::Expr::Kind::name ? a->name.text : "";
        ir::Expr x;
        x.span = e.span;
        x.op = fn == "unit_mean" ? Op::unit_mean : fn == "unit_rank" ? Op::unit_rank : Op::unit_size;
        if (arg == "total") return {emit(std::move(x)), Type::number};
        if (x.op == Op::unit_mean && !arg.empty())
            if (auto it = p_->measure_index.find(arg); it != p_->measure_index.end()) {
                const ir::Measure& m = p_->measure(it->second);
                if (m.kind == ir::Measure::Kind::number && m.period == ir::PeriodKind::year) {
                    x.refer(it->second);
                    return {emit(std::move(x)), Type::number};
                }
            }
        error(Code::C070, a ? a->span : e.span,
              x.op == Op::unit_mean ? "`unit_mean` is of `total` or of a measure of numbers for the year, as in `unit_mean(total)`"
                                    : "`" + fn + "` is by the total: write `" + fn + "(total)`");
        return {};
    }

    // `share(votes for excellent, competent)`: the fraction of a vote rating's votes cast for
    // those grades, a number in 0..1.
    Typed share(const ast::Expr& e, const Context& ctx) {
        const std::string& n = e.name.text;
        const auto it = p_->measure_index.find(n);
        if (it == p_->measure_index.end()) {
            std::map<std::string, bool> ratings;
            for (const auto& m : p_->measures)
                if (m.kind == ir::Measure::Kind::votes) ratings.emplace(m.id, true);
            error(Code::C004, e.name.span, "unknown vote rating `" + n + "`" + did_you_mean(n, ratings));
            return {};
        }
        const ir::Measure& m = p_->measure(it->second);
        if (m.kind != ir::Measure::Kind::votes) {
            error(Code::C044, e.name.span, std::string("`share` counts the votes of a vote rating, and `") + n + "` is " +
                                               (m.rating ? "a marks rating: use it as a number, as in `0.7 * " + n + "`"
                                                         : "not a rating"));
            return {};
        }
        ir::Expr x;
        x.op = Op::share;
        x.refer(it->second);
        x.span = e.span;
        bool ok = true;
        for (const auto& g : e.grades) {
            const int v = m.fact_value(g.text);
            if (v < 0) {
                std::map<std::string, bool> grades;
                for (const auto& id : m.values) grades.emplace(id, true);
                error(Code::C004, g.span, "unknown grade `" + g.text + "` of vote rating `" + n + "`" + did_you_mean(g.text, grades));
                ok = false;
                continue;
            }
            const ir::ValueId id = ir::ValueId::at(static_cast<std::size_t>(v));
            if (std::find(x.grades.begin(), x.grades.end(), id) != x.grades.end()) {
                error(Code::C047, g.span, "grade `" + m.values[id.index()] + "` is counted twice in this share: name each grade once");
                ok = false;
                continue;
            }
            x.grades.push_back(id);
        }
        if (!ok) return {};
        used_measure_in_node(it->second, ctx.node);
        check_period_input(it->second, e.name.span);
        return {emit(std::move(x)), Type::number};
    }

    // The fact `measure` (an index of its values) equals `value`.
    ExprId fact_is(ExprId measure, std::int64_t value, Span span) {
        ir::Expr c;
        c.op = Op::constant;
        c.constant = Number(value);
        c.span = span;
        return binary(Op::eq, measure, emit(std::move(c)), span);
    }

    // `village_kind = autonomous`, `has_system != yes`: a fact compared with one of its values, by
    // name (an attribute of the current event, of the same name, comes first). Empty: not one.
    std::optional<Typed> fact_comparison(const ast::Expr& e, const Context& ctx) {
        const ast::Expr& left = *e.args[0];
        if (left.kind != ast::Expr::Kind::name) return std::nullopt;
        const auto it = p_->measure_index.find(left.name.text);
        if (it == p_->measure_index.end() || !p_->measure(it->second).fact()) return std::nullopt;
        if (ctx.event != none)
            for (SlotId slot : p_->event(ctx.event).attributes.ids())
                if (p_->attribute(p_->event(ctx.event).attributes[slot]).id == left.name.text) return std::nullopt;
        const ir::Measure& m = p_->measure(it->second);
        const ast::Expr& right = *e.args[1];
        const char* what = m.kind == ir::Measure::Kind::yes_no ? "fact" : "standing";
        if (right.kind != ast::Expr::Kind::name) {
            error(Code::C008, right.span, std::string("compare ") + what + " `" + m.id + "` with one of its values: " + m.values_text());
            return Typed{};
        }
        const auto v = std::find(m.values.begin(), m.values.end(), right.name.text);
        if (v == m.values.end()) {
            std::map<std::string, bool> known;
            for (const auto& x : m.values) known.emplace(x, true);
            std::string hint = did_you_mean(right.name.text, known);
            error(Code::C004, right.span, "`" + right.name.text + "` is not a value of " + what + " `" + m.id + "`" +
                                          (hint.empty() ? ": expected one of " + m.values_text() : hint));
            return Typed{};
        }
        ir::Expr x;
        x.op = Op::measure;
        x.refer(it->second);
        x.span = left.span;
        used_measure_in_node(it->second, ctx.node);
        ExprId is = fact_is(emit(std::move(x)), v - m.values.begin(), e.span);
        if (e.op == ast::Expr::Op::ne) {
            ir::Expr n;
            n.op = Op::logical_not;
            n.a = is;
            n.span = e.span;
            is = emit(std::move(n));
        }
        return Typed{is, Type::truth};
    }

    Typed binary_expr(const ast::Expr& e, const Context& ctx) {
        using AOp = ast::Expr::Op;
        const AOp op = e.op;
        if (op == AOp::logical_and || op == AOp::logical_or) {
            Typed a = expect_truth(*e.args[0], ctx);
            Typed b = expect_truth(*e.args[1], ctx);
            const ExprId x = binary(op == AOp::logical_and ? Op::logical_and : Op::logical_or, a.expr, b.expr, e.span);
            return {x, a.type == Type::error || b.type == Type::error ? Type::error : Type::truth};
        }
        if (op == AOp::eq || op == AOp::ne)
            if (auto t = fact_comparison(e, ctx)) return *t;
        // `attribute = value` and `attribute != value` compare an event's attribute with one of
        // the attribute's values, named as they are in records.
        if ((op == AOp::eq || op == AOp::ne) && ctx.event != none) {
            Typed left = expr(*e.args[0], ctx);
            if (left.type == Type::attribute) {
                const auto& ev = p_->event(ctx.event);
                const auto& attr = p_->attribute(ev.attributes[left.attribute_slot]);
                const ast::Expr& right = *e.args[1];
                if (right.kind != ast::Expr::Kind::name) {
                    error(Code::C008, right.span, "compare attribute `" + attr.id + "` with one of its values");
                    return {};
                }
                auto v = attr.value_index.find(right.name.text);
                if (v == attr.value_index.end()) {
                    std::map<std::string, ValueId> values(attr.value_index.begin(), attr.value_index.end());
                    error(Code::C004, right.span, "`" + right.name.text + "` is not a value of attribute `" + attr.id + "`" +
                                                  did_you_mean(right.name.text, values));
                    return {};
                }
                ir::Expr x;
                x.op = Op::attribute_is;
                x.refer(left.attribute_slot);
                x.value = v->second;
                x.span = e.span;
                ExprId is = emit(std::move(x));
                if (op == AOp::ne) {
                    ir::Expr n;
                    n.op = Op::logical_not;
                    n.a = is;
                    n.span = e.span;
                    is = emit(std::move(n));
                }
                return {is, Type::truth};
            }
            if (left.type == Type::error) return {};
            Typed right = expect_number(*e.args[1], ctx);
            if (left.type != Type::number) {
                error(Code::C008, e.args[0]->span, "only numbers and attributes can be compared");
                return {};
            }
            const ExprId x = binary(op == AOp::eq ? Op::eq : Op::ne, left.expr, right.expr, e.span);
            return {x, right.type == Type::error ? Type::error : Type::truth};
        }
        Typed a = expect_number(*e.args[0], ctx);
        Typed b = expect_number(*e.args[1], ctx);
        Op o = Op::add;
        Type result = Type::number;
        switch (op) {
        case AOp::add: o = Op::add; break;
        case AOp::sub: o = Op::sub; break;
        case AOp::mul: o = Op::mul; break;
        case AOp::div: o = Op::div; break;
        case AOp::lt: o = Op::lt, result = Type::truth; break;
        case AOp::le: o = Op::le, result = Type::truth; break;
        case AOp::gt: o = Op::gt, result = Type::truth; break;
        case AOp::ge: o = Op::ge, result = Type::truth; break;
        case AOp::eq: o = Op::eq, result = Type::truth; break;
        case AOp::ne: o = Op::ne, result = Type::truth; break;
        default: break;
        }
        if (o == Op::div) {
            const auto& d = p_->exprs.empty() || b.expr == none ? ir::Expr{} : p_->expr(b.expr);
            if (b.expr != none && d.op == Op::constant && d.constant.is_zero())
                error(Code::C011, e.args[1]->span, "division by zero");
            else if (b.expr != none && d.op != Op::constant &&
                     std::find(nonzero_.begin(), nonzero_.end(), plain_text(e.args[1]->span)) == nonzero_.end())
                divisions_.push_back(Division{b.expr, ctx.event, e.op_span.end > e.op_span.begin ? e.op_span : e.span,
                                              e.args[1]->span});
        }
        const ExprId x = binary(o, a.expr, b.expr, e.span);
        return {x, a.type == Type::error || b.type == Type::error ? Type::error : result};
    }

    // ---- Rules: the scoring forms, lowered onto expressions

    // A rule's `cite` names the item it scores; one that names nothing would show an empty
    // citation on its lines, so it is refused rather than passed over.
    std::string rule_citation(const ast::Text& cite) {
        if (cite.value.find_first_not_of(" \t\n") == std::string::npos)
            error(Code::C030, cite.span, "this citation names no item: give the policy's number for it, as in `cite \"第3项\"`, or leave `cite` out");
        return cite.value;
    }

    // Points per event computed from the event (`0.3 * floor(amount / 4) each E`): their lines show
    // the arithmetic with the event's numbers (lib/explain/), so where it is written is kept.
    static void per_event_arithmetic(const ast::Expr& value, ir::Rule& rule) {
        if (value.kind == ast::Expr::Kind::number || value.kind == ast::Expr::Kind::amount) return;
        rule.arithmetic = value.span;
    }

    RuleId add_rule(const ast::Rule& r, NodeId node) {
        // A per-period input may be read inside a period rule, or any rule of a period section.
        const ir::PeriodKind outer_rule_period = rule_period_;
        rule_period_ = r.period != ast::Rule::Period::none ? period_kind(r.period) : section_period_;
        ir::Rule rule;
        rule.sign = r.sign == ast::Rule::Sign::add ? +1 : -1;
        rule.span = r.span;
        rule.where = p_->sources.file_line(r.span);
        rule.written = written_rule(r);
        if (r.cite) rule.cite = rule_citation(*r.cite);
        // A rule's points are computed only when its `when` holds, and only for the events its
        // `where` keeps: either may rule out a divisor's 0.
        const auto when_guard = r.when ? nonzero_guard(*r.when) : std::nullopt;
        NonZero by_when(nonzero_, when_guard && when_guard->second ? &when_guard->first : nullptr);
        const auto where_guard = r.filter ? nonzero_guard(*r.filter) : std::nullopt;
        NonZero by_where(nonzero_, where_guard && where_guard->second ? &where_guard->first : nullptr);
        Context whole{none, node};
        ExprId points = none;
        switch (r.form) {
        case ast::Rule::Form::each: {
            rule.form = ir::Rule::Form::each;
            // `deduct each month when ...`: a period rule without its points reads as an event.
            if ((r.event.text == "month" || r.event.text == "quarter") && !p_->event_index.count(r.event.text)) {
                error(Code::C012, r.event.span, "how many points for each " + r.event.text + "? Write `deduct 5 each " +
                                                    r.event.text + " when count(absent) >= 3`");
                break;
            }
            // `each week when ...`: another period, not a misspelt event.
            if (!p_->event_index.count(r.event.text)) {
                static const std::set<std::string> periods{"week", "weeks", "day", "days", "year", "years", "half", "halves",
                                                            "months", "quarters", "周", "日", "天", "月", "季", "季度", "年", "半年"};
                if (periods.count(r.event.text)) {
                    error(Code::C004, r.event.span, "unknown event `" + r.event.text +
                                                        "`: rules are counted per period only `each month` or `each quarter`");
                    break;
                }
            }
            rule.event = lookup_event(r.event);
            if (rule.event == none) break;
            used_events_in_node(rule.event, node);
            Context ev{rule.event, node};
            if (r.filter) rule.filter = expect_truth(*r.filter, ev).expr;
            if (r.by_attribute) {
                if (r.each_value) {
                    error(Code::C012, r.each_value->span, "give the points either before `each` or in the `by` table, not both");
                    break;
                }
                points = table(r, rule.event);
                if (points != none) rule.table = TableId::at(p_->tables.size() - 1);
            } else if (r.each_value) {
                points = expect_number(*r.each_value, ev).expr;
                per_event_arithmetic(*r.each_value, rule);
            } else {
                error(Code::C012, r.event.span, "how many points for each `" + r.event.text +
                                                "`? Write `deduct 2 each " + r.event.text + "` or add a `by` table");
            }
            break;
        }
        case ast::Rule::Form::per: {
            rule.form = ir::Rule::Form::whole;
            auto it = p_->measure_index.find(r.measure.text);
            const auto named = p_->value_index.find(r.measure.text);
            ExprId mv = none;
            if (it == p_->measure_index.end() && named != p_->value_index.end()) {
                // `per ... in workload`: the steps are counted on a named value
                mv = use_value(named->second, r.measure.span, node).expr;
                if (mv == none) break;
                rule.named = named->second;
            } else if (it == p_->measure_index.end()) {
                std::map<std::string, bool> known;
                for (const auto& [k, v] : p_->measure_index) known.emplace(k, true);
                for (const auto& [k, v] : p_->value_index) known.emplace(k, true);
                error(Code::C004, r.measure.span, (p_->values.empty() ? "unknown measure `" : "unknown measure or value `") + r.measure.text + "`" +
                                                  did_you_mean(r.measure.text, known));
                break;
            } else if (p_->measure(it->second).kind == ir::Measure::Kind::votes) {
                error(Code::C044, r.measure.span, "vote rating `" + r.measure.text + "` is not a number: a `per … in` rule "
                                                  "reads a measure, a marks rating or a value");
                break;
            } else {
                rule.measure = it->second;
                used_measure_in_node(it->second, node);
                check_period_input(it->second, r.measure.span);
            }
            if (!r.per_unit.value.is_negative() && r.per_unit.value.is_zero()) {
                error(Code::C011, r.per_unit.span, "the step after `per` must be more than 0");
                break;
            }
            if (r.rounding == ast::Rule::StepRounding::unspecified) {
                error(Code::C013, r.span, "say how a partial step counts: `rounding up` (each started " +
                                          r.per_unit.value.to_string() + " counts), `rounding down` (only full steps "
                                          "count) or `linear` (in proportion)");
                break;
            }
            // gap = max(0, threshold - measure), or max(0, measure - threshold) for `above`
            if (mv == none) {
                ir::Expr m;
                m.op = Op::measure;
                m.refer(rule.measure);
                m.span = r.measure.span;
                mv = emit(std::move(m));
            }
            ExprId t = none;
            if (r.per_threshold_expr) {
                const Typed threshold = expect_number(*r.per_threshold_expr, whole);
                if (threshold.type == Type::error || threshold.expr == none) break;
                t = rule.threshold = threshold.expr;
            } else {
                t = constant(r.per_threshold.value, r.per_threshold.span);
            }
            const ExprId diff = r.shortfall == ast::Rule::Shortfall::above ? binary(Op::sub, mv, t) : binary(Op::sub, t, mv);
            ir::Expr gap;
            gap.op = Op::max;
            gap.args = {constant(Number(0)), diff};
            ExprId steps = binary(Op::div, emit(std::move(gap)), constant(r.per_unit.value, r.per_unit.span));
            if (r.rounding != ast::Rule::StepRounding::linear) {
                ir::Expr rd;
                rd.op = r.rounding == ast::Rule::StepRounding::up ? Op::ceil : Op::floor;
                rd.a = steps;
                rd.span = r.rounding_span;
                steps = emit(std::move(rd));
            }
            points = binary(Op::mul, constant(r.per_points.value, r.per_points.span), steps, r.span);
            break;
        }
        case ast::Rule::Form::by_fact: {
            rule.form = ir::Rule::Form::whole;
            points = fact_table(r, node, rule);
            break;
        }
        case ast::Rule::Form::value: {
            rule.form = ir::Rule::Form::whole;
            Typed t = expect_number(*r.value, whole);
            points = t.expr;
            const auto& x = t.expr == none ? ir::Expr{} : p_->expr(t.expr);
            if (x.op == Op::measure) rule.measure = x.measure();
            if (x.op == Op::named) rule.named = x.named();
            // `add 0.7 * review`: the line of a rule that reads one rating shows its marks' mean.
            if (rule.measure == none && rule.named == none) rule.measure = rating_read(t.expr);
            break;
        }
        }
        if (r.cap) {
            if (!r.cap->value.is_negative() && r.cap->value.is_zero())
                error(Code::C012, r.cap->span, "`at most 0` would cancel the rule");
            rule.cap = r.cap->value;
        }
        // Multipliers scale the points: points × (cond ? factor : 1), or (cond ? 1 : factor) for `unless`.
        for (const auto& m : r.multipliers) {
            Number factor = m.numerator.value;
            if (m.denominator) {
                if (m.denominator->value.is_zero()) {
                    error(Code::C011, m.denominator->span, "division by zero");
                    rule.multiplier_conditions.push_back(none);
                    continue;
                }
                factor = factor / m.denominator->value;
            }
            Context ctx{rule.form == ir::Rule::Form::each ? rule.event : none, node};
            Typed c = expect_truth(*m.condition, ctx);
            rule.multiplier_conditions.push_back(c.type == Type::error ? none : c.expr);
            if (points == none || c.type == Type::error) continue;
            ir::Expr choose;
            choose.op = Op::if_then;
            choose.a = c.expr;
            choose.b = m.unless ? constant(Number(1)) : constant(factor, m.span);
            choose.c = m.unless ? constant(factor, m.span) : constant(Number(1));
            choose.span = m.span;
            points = binary(Op::mul, points, emit(std::move(choose)), m.span);
        }
        if (r.when) rule.when = expect_truth(*r.when, whole).expr;
        // `deduct 5 when share(votes for incompetent) > 0.2`: the line shows the rating its condition reads.
        if (rule.form == ir::Rule::Form::whole && rule.measure == none && rule.named == none && rule.table == none &&
            rating_read(points) == none)
            rule.measure = rating_read(rule.when);
        rule.points = points;
        if (r.period != ast::Rule::Period::none) period_rule(r, rule);
        rule_period_ = outer_rule_period;
        p_->rules.push_back(std::move(rule));
        return RuleId::at(p_->rules.size() - 1);
    }

    // `VALUE each month|quarter when COND`: its condition must read the period's events (or an
    // input given per period), or every period would answer the same and the rule would count 12
    // (or 4) times or never.
    void period_rule(const ast::Rule& r, ir::Rule& rule) {
        rule.period = period_kind(r.period);
        const std::string word = ir::period_word(rule.period);
        if (section_period_ != ir::PeriodKind::year) {
            error(Code::C048, r.period_span, "`each " + word + "` on a rule inside a section scored each " +
                                                 ir::period_word(section_period_) + ": its rules already read one " +
                                                 ir::period_word(section_period_) + " at a time; drop `each " + word + "`");
            rule.period = ir::PeriodKind::year;
            return;
        }
        if (!r.when) {
            error(Code::C046, r.period_span, "`each " + word + "` needs a condition on that " + word +
                                                 "'s events, as in `each " + word + " when count(absent) >= 3`: without "
                                                 "one, every " + word + " counts");
            return;
        }
        if (rule.when != none && !reads_events(rule.when))
            error(Code::C046, r.when->span, "this condition reads no event, so every " + word +
                                                " would answer the same: count the " + word + "'s events, as in `count(absent) >= 3`");
    }

    static ir::PeriodKind period_kind(ast::Rule::Period p) {
        return p == ast::Rule::Period::month ? ir::PeriodKind::month
               : p == ast::Rule::Period::quarter ? ir::PeriodKind::quarter
                                                 : ir::PeriodKind::year;
    }

    // `section ID "…" 100 each quarter mean { ... }`: a capped section, not inside another scored
    // per period.
    void check_period_section(const ast::Node& n, NodeId index) {
        if (n.period == ast::Rule::Period::none) return;
        const ir::PeriodKind kind = period_kind(n.period);
        const std::string each = std::string("each ") + ir::period_word(kind) + (n.period_sum ? " sum" : " mean");
        if (!n.is_section) {
            error(Code::C048, n.period_span, "`" + each + "` on clause `" + n.id.text + "`: a section is scored per period, "
                                             "a clause per period is a rule, as in `deduct 5 each " + ir::period_word(kind) +
                                             " when count(absent) >= 3`");
            return;
        }
        if (!n.max) {
            error(Code::C048, n.period_span, "`" + each + "` on uncapped section `" + n.id.text + "`: each period is held to "
                                             "0..the section's maximum; give it one, as in `section " + n.id.text +
                                             " \"LABEL\" 2 " + each + "`");
            return;
        }
        if (section_period_ != ir::PeriodKind::year) {
            error(Code::C048, n.period_span, "`" + each + "` on section `" + n.id.text + "`, inside a section scored each " +
                                             ir::period_word(section_period_) + ": a part of a period's card is scored in that "
                                             "period already; drop `" + each + "`");
            return;
        }
        ir::Node& node = p_->node(index);
        node.period = kind;
        node.period_sum = n.period_sum;
        section_period_ = kind;
    }

    // A per-period input (`measure ... each quarter`) read at `at`: only inside a period rule or a
    // period section of its kind, where one period's value is meant.
    void check_period_input(MeasureId m, Span at) {
        const ir::Measure& decl = p_->measure(m);
        if (decl.period == ir::PeriodKind::year) return;
        const std::string word = ir::period_word(decl.period);
        const std::string what = decl.rating ? "rating `" : "measure `";
        if (rule_period_ == ir::PeriodKind::year)
            error(Code::C045, at, what + decl.id + "` is given each " + word + ", so it has no one value for the year: "
                                  "read it in a rule `each " + word + "`, or in a section scored `each " + word + " mean` (or `sum`)");
        else if (rule_period_ != decl.period)
            error(Code::C049, at, what + decl.id + "` is given each " + word + ", but this rule is scored each " +
                                  ir::period_word(rule_period_) + ": read it where the periods are " + word + "s");
    }

    // The events an expression counts, sums or runs over (through named values too).
    void events_read(ExprId e, std::vector<EventId>& out) const {
        if (e == none) return;
        const ir::Expr& x = p_->expr(e);
        if ((x.op == Op::count || x.op == Op::sum_amount || x.op == Op::longest_run) &&
            std::find(out.begin(), out.end(), x.event()) == out.end())
            out.push_back(x.event());
        if (x.op == Op::named) events_read(p_->value(x.named()).expr, out);
        for (ExprId c : {x.a, x.b, x.c}) events_read(c, out);
        for (ExprId c : x.args) events_read(c, out);
    }

    // The expression reads a run of days (through named values too).
    bool reads_run(ExprId e) const {
        if (e == none) return false;
        const ir::Expr& x = p_->expr(e);
        if (x.op == Op::longest_run) return true;
        if (x.op == Op::named) return reads_run(p_->value(x.named()).expr);
        for (ExprId c : {x.a, x.b, x.c})
            if (reads_run(c)) return true;
        for (ExprId c : x.args)
            if (reads_run(c)) return true;
        return false;
    }

    // The expression counts or sums events (through named values too).
    bool reads_events(ExprId e) const {
        if (e == none) return false;
        const ir::Expr& x = p_->expr(e);
        if (x.op == Op::count || x.op == Op::sum_amount || x.op == Op::longest_run) return true;
        if ((x.op == Op::measure || x.op == Op::share) && p_->measure(x.measure()).period != ir::PeriodKind::year) return true;
        if (x.op == Op::named) return reads_events(p_->value(x.named()).expr);
        for (ExprId c : {x.a, x.b, x.c})
            if (reads_events(c)) return true;
        for (ExprId c : x.args)
            if (reads_events(c)) return true;
        return false;
    }

    // A table's `otherwise: N`: given at most once, and only where some value is left for it.
    void table_otherwise(const ast::Rule& r, const ir::Attribute& attr, ir::Table& t) {
        for (std::size_t i = 1; i < r.table_otherwise.size(); ++i)
            error(Code::C002, r.table_otherwise[i].first, "`otherwise` is given twice in this table");
        if (r.table_otherwise.empty()) return;
        const auto& [at, pts] = r.table_otherwise.front();
        t.otherwise = pts.value;
        const bool all_listed = std::all_of(t.points.begin(), t.points.end(), [](const auto& x) { return x.has_value(); });
        if (all_listed && !t.points.empty())  // no values at all is C003 already
            error(Code::C032, at, "the table lists every value of attribute `" + attr.id +
                                      "`: its `otherwise` never applies (remove it, or remove the entries it should cover)");
    }

    ExprId table(const ast::Rule& r, EventId event) {
        const auto& ev = p_->event(event);
        ir::Table t;
        t.span = r.table_span;
        for (SlotId slot : ev.attributes.ids()) {
            if (p_->attribute(ev.attributes[slot]).id == r.by_attribute->text) {
                t.slot = slot;
                t.attribute = ev.attributes[slot];
            }
        }
        if (t.slot == none) {
            error(Code::C004, r.by_attribute->span, "event `" + ev.id + "` has no attribute `" + r.by_attribute->text + "`");
            return none;
        }
        const auto& attr = p_->attribute(t.attribute);
        t.points.assign(attr.values.size(), std::nullopt);
        for (const auto& [key, pts] : r.table) {
            auto v = attr.value_index.find(key.text);
            if (v == attr.value_index.end()) {
                std::map<std::string, ValueId> values(attr.value_index.begin(), attr.value_index.end());
                error(Code::C004, key.span, "`" + key.text + "` is not a value of attribute `" + attr.id + "`" +
                                            did_you_mean(key.text, values));
                continue;
            }
            auto& slot = t.points[v->second];
            if (slot) {
                error(Code::C002, key.span, "`" + key.text + "` is listed twice in this table");
                continue;
            }
            slot = pts.value;
        }
        table_otherwise(r, attr, t);
        p_->tables.push_back(std::move(t));
        ir::Expr x;
        x.op = Op::lookup;
        x.refer(TableId::at(p_->tables.size() - 1));
        x.span = r.table_span;
        return emit(std::move(x));
    }

    // `by FACT { value: points, ..., otherwise: points }`: points by a fact's value, lowered onto
    // `if FACT = v0 then p0 else if ...`. Every value must have its points, listed or by
    // `otherwise`: a fact's values are known here, so a value left out is a mistake in the rules,
    // not in a record.
    ExprId fact_table(const ast::Rule& r, NodeId node, ir::Rule& rule) {
        const auto it = p_->measure_index.find(r.by_attribute->text);
        if (it != p_->measure_index.end() && p_->measure(it->second).kind == ir::Measure::Kind::votes) {
            error(Code::C044, r.by_attribute->span, "vote rating `" + r.by_attribute->text + "` has votes per grade, not one "
                                                    "value: take the share of its votes, as in `share(" + r.by_attribute->text +
                                                    " for " + (p_->measure(it->second).values.empty() ? std::string("GRADE") : p_->measure(it->second).values.front()) + ")`");
            return none;
        }
        if (it == p_->measure_index.end() || !p_->measure(it->second).fact()) {
            std::map<std::string, bool> facts;
            for (const auto& m : p_->measures)
                if (m.fact()) facts.emplace(m.id, true);
            error(Code::C004, r.by_attribute->span, "unknown fact `" + r.by_attribute->text + "`" +
                                                    (it != p_->measure_index.end()
                                                         ? ": it is a measure, a number (points by a fact's value take a "
                                                           "`fact` or a `standing`)"
                                                         : did_you_mean(r.by_attribute->text, facts)));
            return none;
        }
        const ir::Measure& m = p_->measure(it->second);
        const char* what = m.kind == ir::Measure::Kind::yes_no ? "fact" : "standing";
        ir::Table t;
        t.fact = it->second;
        t.span = r.table_span;
        t.points.assign(m.values.size(), std::nullopt);
        bool ok = true;
        for (const auto& [key, pts] : r.table) {
            const auto v = std::find(m.values.begin(), m.values.end(), key.text);
            if (v == m.values.end()) {
                std::map<std::string, bool> known;
                for (const auto& x : m.values) known.emplace(x, true);
                const std::string hint = did_you_mean(key.text, known);
                error(Code::C004, key.span, "`" + key.text + "` is not a value of " + what + " `" + m.id + "`" +
                                            (hint.empty() ? ": expected one of " + m.values_text() : hint));
                ok = false;
                continue;
            }
            auto& slot = t.points[ValueId::at(static_cast<std::size_t>(v - m.values.begin()))];
            if (slot) {
                error(Code::C002, key.span, "`" + key.text + "` is listed twice in this table");
                continue;
            }
            slot = pts.value;
        }
        for (std::size_t i = 1; i < r.table_otherwise.size(); ++i)
            error(Code::C002, r.table_otherwise[i].first, "`otherwise` is given twice in this table");
        std::string missing;
        for (ValueId v : t.points.ids())
            if (!t.points[v]) missing += (missing.empty() ? "`" : ", `") + m.values[v.index()] + "`";
        if (!r.table_otherwise.empty()) {
            t.otherwise = r.table_otherwise.front().second.value;
            if (missing.empty() && !m.values.empty())  // no values at all is C003 already
                error(Code::C032, r.table_otherwise.front().first,
                      std::string("the table lists every value of ") + what + " `" + m.id +
                          "`: its `otherwise` never applies (remove it, or remove the entries it should cover)");
        } else if (!missing.empty() && ok) {
            error(Code::C039, r.table_span, std::string("the table gives no points for ") + missing + " of " + what + " `" +
                                                m.id + "`: list them, or give the rest with `otherwise: 0`");
            ok = false;
        }
        if (!ok) return none;
        rule.measure = it->second;
        used_measure_in_node(it->second, node);
        p_->tables.push_back(t);
        rule.table = TableId::at(p_->tables.size() - 1);
        // From the last value back: if FACT = v then its points else (the rest).
        ExprId out = none;
        for (std::size_t i = m.values.size(); i-- > 0;) {
            const auto& pts = t.points[ValueId::at(i)];
            const ExprId here = constant(pts ? *pts : *t.otherwise, r.table_span);
            if (out == none) {
                out = here;
                continue;
            }
            ir::Expr x;
            x.op = Op::measure;
            x.refer(it->second);
            x.span = r.by_attribute->span;
            ir::Expr choose;
            choose.op = Op::if_then;
            choose.a = fact_is(emit(std::move(x)), static_cast<std::int64_t>(i), r.table_span);
            choose.b = here;
            choose.c = out;
            choose.span = r.table_span;
            out = emit(std::move(choose));
        }
        return out;
    }

    // ---- Tests: checked like rules, so that every wrong name and value in a test block is
    // reported in one run at its own place. A test that expects an error builds a bad record on
    // purpose: its record is left to the runner, which rejects it as it would a JSON record.

    void check_test(const ast::Test& t) {
        const bool expects_error = std::any_of(t.expectations.begin(), t.expectations.end(), [](const auto& x) {
            return x.kind == ast::Expectation::Kind::error;
        });
        RoleId role = p_->one_card ? RoleId::at(0) : none;
        if (t.role && p_->one_card) {
            if (!expects_error)
                error(Code::C034, t.role->span, "the scheme declares no roles: every person has the same card, so a "
                                                "test names no role (delete `role " + t.role->text + "`)");
        } else if (t.role) {
            if (auto it = p_->role_index.find(t.role->text); it != p_->role_index.end()) role = it->second;
            else if (!expects_error)
                error(Code::C004, t.role->span, "unknown role `" + t.role->text + "`" + did_you_mean(t.role->text, p_->role_index));
        }
        if (!expects_error) check_test_record(t);
        for (const auto& x : t.expectations) {
            if (x.kind == ast::Expectation::Kind::grade) check_grade(x.text, "this test expects");
            else if (x.kind == ast::Expectation::Kind::veto) check_test_veto(x);
            else if (x.kind == ast::Expectation::Kind::flag || x.kind == ast::Expectation::Kind::no_flag) check_test_flag(x);
            else if (x.kind == ast::Expectation::Kind::coefficient) check_test_coefficient(x);
            else if (x.kind == ast::Expectation::Kind::rank) check_test_rank(t, x);
            else if (x.kind == ast::Expectation::Kind::value && x.named_value) check_test_value(x);
            else if (x.kind == ast::Expectation::Kind::value && x.path != "total") check_test_path(x, role);
            if (x.period) check_test_period_path(x, role);
        }
    }

    // `expect rank = N`: a place among those reaching a grade with a quota, which only a
    // population scored together has.
    void check_test_rank(const ast::Test& t, const ast::Expectation& x) {
        const bool quota = std::any_of(p_->grades.begin(), p_->grades.end(), [](const ir::GradeBand& b) { return b.quota.has_value(); });
        if (!t.population)
            error(Code::C067, x.span, "a test scored alone has no rank: put it in a `population \"NAME\" { test ... }` with "
                                      "the people it is ranked among");
        else if (!quota)
            error(Code::C067, x.span, "no grade has a `quota`, so nobody is ranked: a rank is a place among those reaching a "
                                      "grade with a quota");
    }

    // `expect veto E`: E must be an event some `veto` names.
    void check_test_veto(const ast::Expectation& x) {
        if (x.path.empty()) return;  // `expect no veto`
        std::vector<std::string_view> vetoed;
        for (const auto& v : p_->vetoes) {
            if (p_->event(v.event).id == x.path) return;
            vetoed.push_back(p_->event(v.event).id);
        }
        // A name that is no event at all is the unknown name it is everywhere else (C004).
        if (!p_->event_index.count(x.path)) {
            error(Code::C004, x.path_span, "unknown event `" + x.path + "`" +
                                               (vetoed.empty() ? did_you_mean(x.path, p_->event_index) : kaohe::did_you_mean(x.path, vetoed)));
            return;
        }
        error(Code::C052, x.path_span, "this test expects a veto on `" + x.path + "`, but no `veto` names that event" +
                                           (vetoed.empty() ? std::string(": the ruleset declares no vetoes") : kaohe::did_you_mean(x.path, vetoed)));
    }

    // `expect quarterly.tasks in 2022-Q1 = 58`: a period of the year, and a part of a section
    // scored per period of that kind.
    void check_test_period_path(const ast::Expectation& x, RoleId role) {
        std::string why;
        const std::optional<ir::Period> at = ir::parse_period(x.period->value, p_->policy.year, why);
        if (!at) {
            error(Code::C015, x.period->span, "period `" + x.period->value + "` " +
                                          (it_contains_unusual(x.period->value).empty() ? why : "is not a period: " + it_contains_unusual(x.period->value)));
            return;
        }
        if (x.named_value || x.path == "total") {
            error(Code::C004, x.path_span, "`" + x.path + "` is scored for the year: only a part of a section scored per period "
                                           "has a score in a period");
            return;
        }
        for (std::size_t r = 0; r < p_->roles.size(); ++r) {
            if (role != none && RoleId::at(r) != role) continue;
            for (NodeId n : p_->roles[r].nodes) {
                if (p_->node(n).path != x.path) continue;
                for (NodeId a = n; a != none; a = p_->node(a).parent)
                    if (p_->node(a).period == at->kind) return;
                error(Code::C004, x.path_span, "`" + x.path + "` is not part of a section scored each " +
                                               ir::period_word(at->kind) + ", so it has no score in " + x.period->value);
                return;
            }
        }
    }

    // `period 2022-Q1 { measures { output: 9 } }`: a period of the year, holding measures given
    // per period of its kind, each within its domain.
    void check_test_period(const ast::TestPeriod& tp) {
        std::string why;
        const std::optional<ir::Period> at = ir::parse_period(tp.period.value, p_->policy.year, why);
        if (!at) {
            error(Code::C015, tp.period.span, "period `" + tp.period.value + "` " +
                                          (it_contains_unusual(tp.period.value).empty() ? why : "is not a period: " + it_contains_unusual(tp.period.value)));
            return;
        }
        for (const auto& [name, value] : tp.measures) {
            auto it = p_->measure_index.find(name.text);
            if (it == p_->measure_index.end()) {
                error(Code::C004, name.span, "unknown measure `" + name.text + "`" + did_you_mean(name.text, p_->measure_index));
                continue;
            }
            const ir::Measure& m = p_->measure(it->second);
            if (m.period != at->kind) {
                error(Code::C015, name.span, "measure `" + m.id + "` is " +
                                             (m.period == ir::PeriodKind::year ? std::string("given once for the year: give it in `measures { }`")
                                                                              : "given each " + std::string(ir::period_word(m.period)) +
                                                                                    ", not in " + tp.period.value));
                continue;
            }
            check_test_measure_value(m, value);
        }
        for (const auto& [name, marks] : tp.ratings) check_test_rating(name, marks, *at);
        for (const auto& [name, counts] : tp.votes) check_test_votes(name, counts, *at);
    }

    // A measure's value in a test, against its scale or domain.
    void check_test_measure_value(const ir::Measure& m, const ast::NumberLit& value) {
        const Number& v = value.value;
        if (!m.scale_values.empty()) {
            if (!m.scale_label(v))
                error(Code::C015, value.span, "measure `" + m.id + "` is " + v.to_string() + ", not on its scale: " + m.scale_text());
        } else if (m.whole && !v.is_integer())
            error(Code::C015, value.span, "measure `" + m.id + "` must be a whole number, not " + v.to_string());
        else if ((m.min && v < *m.min) || (m.max && v > *m.max))
            error(Code::C015, value.span, "measure `" + m.id + "` is " + v.to_string() + ", outside its domain " +
                                          (m.min && m.max ? m.min->to_string() + ".." + m.max->to_string()
                                           : m.min        ? ">= " + m.min->to_string()
                                                          : "<= " + m.max->to_string()));
    }

    // `expect value NAME = N` names a declared value.
    void check_test_value(const ast::Expectation& x) {
        if (p_->value_index.count(x.path)) return;
        error(Code::C004, x.path_span, "unknown value `" + x.path + "`" + did_you_mean(x.path, p_->value_index));
    }

    // An expected path names a clause or section of the test's role (of any role when the test
    // names none, or one that does not exist).
    void check_test_path(const ast::Expectation& x, RoleId role) {
        std::vector<std::string_view> paths;
        for (std::size_t r = 0; r < p_->roles.size(); ++r) {
            if (role != none && RoleId::at(r) != role) continue;
            for (NodeId n : p_->roles[r].nodes) {
                const std::string& path = p_->node(n).path;
                if (path == x.path) return;
                paths.push_back(path);
            }
        }
        const std::string whose = role != none ? p_->card_of(role) + " has no" : "no role has a";
        error(Code::C004, x.path_span, whose + " clause or section `" + x.path + "` (or write `total`)" +
                                       kaohe::did_you_mean(x.path, paths));
    }

    void check_test_record(const ast::Test& t) {
        // A scale measure by its label, as a record may give it (`"rating": "良好"`).
        for (const auto& [name, label] : t.measure_labels) {
            auto it = p_->measure_index.find(name.text);
            if (it == p_->measure_index.end()) {
                error(Code::C004, name.span, "unknown measure `" + name.text + "`" + did_you_mean(name.text, p_->measure_index));
                continue;
            }
            const ir::Measure& m = p_->measure(it->second);
            if (m.fact())
                error(Code::C004, name.span, "`" + m.id + "` is a fact, not a measure: give it in `facts { " + m.id + ": " +
                                             label.text + " }`");
            else if (m.scale_values.empty())
                error(Code::C015, label.span, "measure `" + m.id + "` is a number, not a scale with labels: give its value, "
                                              "as in `" + m.id + ": 5`");
            else if (std::find(m.scale_labels.begin(), m.scale_labels.end(), label.text) == m.scale_labels.end())
                error(Code::C015, label.span, "`" + label.text + "` is not on the scale of measure `" + m.id + "`: " +
                                              m.scale_text());
        }
        const int year = p_->policy.year;
        if (t.year && year != 0 && !(t.year->value == Number(year)))
            error(Code::C015, t.year->span, "the test is for " + t.year->value.to_string() + " but the ruleset assesses " +
                                            std::to_string(year));
        for (const auto& g : t.groups)
            if (!p_->group_index.count(g.text))
                error(Code::C004, g.span, "unknown group `" + g.text + "`" + did_you_mean(g.text, p_->group_index));
        for (const auto& [name, value] : t.measures) {
            auto it = p_->measure_index.find(name.text);
            if (it == p_->measure_index.end()) {
                error(Code::C004, name.span, "unknown measure `" + name.text + "`" + did_you_mean(name.text, p_->measure_index));
                continue;
            }
            const ir::Measure& m = p_->measure(it->second);
            const Number& v = value.value;
            if (m.rating) {
                error(Code::C004, name.span, "`" + m.id + "` is a rating: give its marks in `ratings { " + m.id + ": [...] }`");
            } else if (m.period != ir::PeriodKind::year) {
                error(Code::C015, name.span, "measure `" + m.id + "` is given each " + ir::period_word(m.period) + ": give it in `period " +
                                             ir::period_name(year, {m.period, 1}) + " { measures { " + m.id + ": ... } }`");
            } else if (m.fact()) {
                error(Code::C004, name.span, "`" + m.id + "` is a fact, not a measure: give it in `facts { " + m.id + ": " +
                                             (m.values.empty() ? "VALUE" : m.values.back()) + " }`");
            } else if (!m.scale_values.empty()) {
                if (!m.scale_label(v))
                    error(Code::C015, value.span, "measure `" + m.id + "` is " + v.to_string() + ", not on its scale: " +
                                                  m.scale_text());
            } else if (m.whole && !v.is_integer())
                error(Code::C015, value.span, "measure `" + m.id + "` must be a whole number, not " + v.to_string());
            else if ((m.min && v < *m.min) || (m.max && v > *m.max))
                error(Code::C015, value.span, "measure `" + m.id + "` is " + v.to_string() + ", outside its domain " +
                                              (m.min && m.max ? m.min->to_string() + ".." + m.max->to_string()
                                               : m.min        ? ">= " + m.min->to_string()
                                                              : "<= " + m.max->to_string()));
        }
        for (const auto& [name, value] : t.facts) check_test_fact(name, value);
        year_ = year;
        for (const auto& [name, marks] : t.ratings) check_test_rating(name, marks, {});
        for (const auto& [name, counts] : t.votes) check_test_votes(name, counts, {});
        for (const auto& tp : t.periods) check_test_period(tp);
        for (const auto& e : t.events) check_test_event(e, false, year);
        for (const auto& e : t.unit_events) check_test_event(e, true, year);
    }

    // Rating `m` is given where it is declared to be: a year rating in the test's `ratings { }`, a
    // rating `each quarter` in a `period 2022-Q1 { ratings { } }` (`period`: the test's own, the year).
    bool rating_in_period(const ir::Measure& m, const ast::Name& name, const ir::Period& period) {
        if (m.period == period.kind) return true;
        if (period.whole_year())
            error(Code::C015, name.span, "rating `" + m.id + "` is given each " + ir::period_word(m.period) + ": give it in `period " +
                                             ir::period_name(year_, {m.period, 1}) + " { ratings { " + m.id + ": ... } }`");
        else
            error(Code::C015, name.span, "rating `" + m.id + "` is " +
                                             (m.period == ir::PeriodKind::year ? std::string("given once for the year: give it in `ratings { }`")
                                                                              : "given each " + std::string(ir::period_word(m.period)) +
                                                                                    ", not in " + ir::period_name(year_, period)));
        return false;
    }

    // The rating a test block names, given where it belongs (the year, or a period of its kind); null
    // after the error (C004 for a name that is no rating, with the nearest rating's).
    const ir::Measure* test_rating(const ast::Name& name, const ir::Period& period) {
        const auto it = p_->measure_index.find(name.text);
        if (it == p_->measure_index.end() || !p_->measure(it->second).rating) {
            std::map<std::string, bool> ratings;
            for (const auto& m : p_->measures)
                if (m.rating) ratings.emplace(m.id, true);
            error(Code::C004, name.span, it != p_->measure_index.end()
                                             ? "`" + name.text + "` is not a rating: give it in `measures { }` or `facts { }`"
                                             : "unknown rating `" + name.text + "`" + did_you_mean(name.text, ratings));
            return nullptr;
        }
        const ir::Measure& m = p_->measure(it->second);
        return rating_in_period(m, name, period) ? &m : nullptr;
    }

    // `ratings { review: [92, 88, 95] }`: a declared rating, each mark in its range or on its scale.
    void check_test_rating(const ast::Name& name, const std::vector<ast::Test::Mark>& marks, const ir::Period& period) {
        const ir::Measure* rating = test_rating(name, period);
        if (!rating) return;
        const ir::Measure& m = *rating;
        if (m.kind == ir::Measure::Kind::votes) {
            error(Code::C015, name.span, "rating `" + m.id + "` counts votes: give them per grade, as in `" + m.id + ": { " +
                                             (m.values.empty() ? "GRADE" : m.values[0]) + ": 30 }`");
            return;
        }
        for (const auto& mark : marks) {
            if (mark.label) {
                if (m.scale_values.empty())
                    error(Code::C015, mark.label->span, "rating `" + m.id + "` is marked in numbers, not on a scale with labels");
                else if (std::find(m.scale_labels.begin(), m.scale_labels.end(), mark.label->text) == m.scale_labels.end())
                    error(Code::C015, mark.label->span, "`" + mark.label->text + "` is not on the scale of rating `" + m.id +
                                                            "`: " + m.scale_text());
                continue;
            }
            const Number& v = mark.number->value;
            if (!m.scale_values.empty() && !m.scale_label(v))
                error(Code::C015, mark.number->span, "rating `" + m.id + "` has a mark of " + v.to_string() +
                                                         ", not on its scale: " + m.scale_text());
            else if (m.scale_values.empty() && ((m.min && v < *m.min) || (m.max && v > *m.max)))
                error(Code::C015, mark.number->span, "rating `" + m.id + "` has a mark of " + v.to_string() +
                                                         ", outside its range " + m.min->to_string() + ".." + m.max->to_string());
        }
    }

    // `ratings { votes: { excellent: 30 } }`: a vote rating, its grades by id or label, and whole
    // counts of 0 or more.
    void check_test_votes(const ast::Name& name, const std::vector<std::pair<ast::Name, ast::NumberLit>>& counts,
                          const ir::Period& period) {
        const ir::Measure* rating = test_rating(name, period);
        if (!rating) return;
        const ir::Measure& m = *rating;
        if (m.kind != ir::Measure::Kind::votes) {
            error(Code::C015, name.span, "rating `" + m.id + "` is marked: give its marks in brackets, as in `" + m.id + ": [90, 85]`");
            return;
        }
        for (const auto& [grade, n] : counts) {
            if (m.fact_value(grade.text) < 0) {
                std::map<std::string, bool> grades;
                for (const auto& id : m.values) grades.emplace(id, true);
                error(Code::C004, grade.span, "unknown grade `" + grade.text + "` of vote rating `" + m.id + "`" +
                                                  did_you_mean(grade.text, grades));
            } else if (!n.value.is_integer() || n.value.is_negative())
                error(Code::C015, n.span, "grade `" + grade.text + "` has " + n.value.to_string() +
                                              " votes: a count of votes is a whole number of 0 or more");
        }
    }

    // `facts { village_kind: autonomous }`: a declared fact, and one of its values by id or label.
    void check_test_fact(const ast::Name& name, const ast::Name& value) {
        const auto it = p_->measure_index.find(name.text);
        if (it == p_->measure_index.end() || !p_->measure(it->second).fact()) {
            std::map<std::string, bool> facts;
            for (const auto& m : p_->measures)
                if (m.fact()) facts.emplace(m.id, true);
            error(Code::C004, name.span, it != p_->measure_index.end()
                                             ? "`" + name.text + "` is a measure, not a fact: give it in `measures { }`"
                                             : "unknown fact `" + name.text + "`" + did_you_mean(name.text, facts));
            return;
        }
        const ir::Measure& m = p_->measure(it->second);
        if (m.fact_value(value.text) >= 0) return;
        std::map<std::string, bool> known;
        for (const auto& x : m.values) known.emplace(x, true);
        error(Code::C015, value.span, "fact `" + m.id + "` is `" + value.text + "`, expected one of " + m.values_text() +
                                      did_you_mean(value.text, known));
    }

    void check_test_event(const ast::TestEvent& e, bool unit, int year) {
        auto it = p_->event_index.find(e.type.text);
        if (it == p_->event_index.end()) {
            error(Code::C004, e.type.span, "unknown event `" + e.type.text + "`" + did_you_mean(e.type.text, p_->event_index));
            return;
        }
        const ir::Event& ev = p_->event(it->second);
        if (unit && !ev.unit_fact)
            error(Code::C015, e.type.span, "event `" + ev.id + "` is about a person, not the unit: only events declared as "
                                           "unit facts may stand in `unit { }`");
        if (e.count) {
            const Number& c = e.count->value;
            if (!c.is_integer() || c < Number(1))
                error(Code::C015, e.count->span, "`count` must be a whole number of at least 1, not " + c.to_string());
            else if (c > Number(record::kMaxCount))
                error(Code::C015, e.count->span, "`count` " + c.to_string() + " is more than " + std::to_string(record::kMaxCount) +
                                                 " (the limit)");
        }
        if (ev.has_amount && !e.amount)
            error(Code::C015, e.type.span, "event `" + ev.id + "` needs an `amount` between " + ev.amount_min.to_string() +
                                           " and " + ev.amount_max.to_string());
        else if (ev.has_amount && (e.amount->value < ev.amount_min || e.amount->value > ev.amount_max))
            error(Code::C015, e.amount->span, "amount " + e.amount->value.to_string() + " is outside the range " +
                                              ev.amount_min.to_string() + ".." + ev.amount_max.to_string() + " of event `" +
                                              ev.id + "`");
        else if (!ev.has_amount && e.amount)
            error(Code::C015, e.amount->span, "event `" + ev.id + "` takes no `amount`: its points are fixed by the rules");
        if (e.date && year != 0)
            if (std::string why = record::date_problem(e.date->value, year); !why.empty()) error(Code::C015, e.date->span, why);
        for (const auto& [name, value] : e.attributes) {
            const ir::Attribute* attr = nullptr;
            std::vector<std::string_view> known;
            for (AttributeId a : ev.attributes) {
                const auto& candidate = p_->attribute(a);
                if (candidate.id == name.text) attr = &candidate;
                known.push_back(candidate.id);
            }
            if (!attr) {
                error(Code::C004, name.span, "event `" + ev.id + "` has no attribute `" + name.text + "`" +
                                             kaohe::did_you_mean(name.text, known));
                continue;
            }
            if (!attr->value_index.count(value.text)) {
                std::map<std::string, ValueId> values(attr->value_index.begin(), attr->value_index.end());
                error(Code::C004, value.span, "`" + value.text + "` is not a value of attribute `" + attr->id + "`" +
                                              did_you_mean(value.text, values));
            }
        }
    }

    // ---- Per-role summaries

    // Inside a named value's definition, what it reads goes to the value, and to each node that
    // uses the value (use_value).
    void used_measure_in_node(MeasureId measure, NodeId node) {
        if (!value_stack_.empty()) value_measures_[value_stack_.back()].insert(measure);
        else node_measures_[node].insert(measure);
    }
    void used_events_in_node(EventId event, NodeId node) {
        if (!value_stack_.empty()) value_events_[value_stack_.back()].insert(event);
        else node_events_[node].insert(event);
        event_used_.insert(event);
    }

    void collect(ir::Role& role, NodeId node) {
        role.nodes.push_back(node);
        const auto& n = p_->node(node);
        for (MeasureId m : node_measures_[node]) {
            if (!role.uses_measure[m]) role.measure_user[m] = n.path;
            role.uses_measure[m] = true;
        }
        for (EventId e : node_events_[node]) role.uses_event[e] = true;
        for (NodeId c : n.children) collect(role, c);
    }

    // A scheme with no roles: one card, its top-level sections, for everyone.
    void add_one_card() {
        p_->one_card = true;
        p_->roles.emplace_back();
    }

    // A declared `total` (the role's, else the policy's) must equal the sum of the maxima of the
    // card's top-level sections. An uncapped section (a bonus) has no maximum and is not counted.
    void check_card_totals() {
        for (std::size_t i = 0; i < p_->roles.size(); ++i) {
            const ir::Role& role = p_->roles[i];
            const bool own = role.total.has_value();
            const std::optional<Number>& declared = own ? role.total : p_->policy.total;
            if (!declared) continue;
            Number sum(0);
            for (NodeId n : role.roots)
                if (const auto max = p_->node(n).counted_max()) sum = sum + *max;
            if (sum == *declared) continue;
            const std::string card = p_->one_card ? p_->card_of(RoleId::at(i)) : "the card of " + p_->card_of(RoleId::at(i));
            auto& d = error(Code::C031, own ? role.total_span : p_->policy.total_span,
                            card + " adds up to " + sum.to_string(12) + ", not the declared total " +
                                declared->to_string(12));
            for (NodeId n : role.roots) {
                const ir::Node& node = p_->node(n);
                note(d, node.span, "section `" + node.id + "`: " +
                                   (node.max ? weighted_max(node) : std::string("uncapped, not counted")));
            }
        }
    }

    void summarize_roles() {
        // Top-level paths must be unique across the common part and every role's part.
        std::map<std::string, NodeId> common;
        for (NodeId n : top_nodes_) {
            const auto& node = p_->node(n);
            auto [it, fresh] = common.emplace(node.id, n);
            if (!fresh) {
                auto& d = error(Code::C002, node.span, "section `" + node.id + "` is declared twice");
                note(d, p_->node(it->second).span, "first declared here");
            }
        }
        for (std::size_t r = 0; r < p_->roles.size(); ++r) {
            ir::Role& role = p_->roles[r];
            const auto own = role_roots_[RoleId::at(r)];
            for (NodeId n : own) {
                const auto& node = p_->node(n);
                if (auto it = common.find(node.id); it != common.end()) {
                    auto& d = error(Code::C002, node.span, "role `" + role.id + "` declares section `" + node.id +
                                                           "`, which every role already has");
                    note(d, p_->node(it->second).span, "the common section is here");
                }
            }
            // The role's part stands where its role block stood among the common sections.
            const std::size_t pos = role_positions_.count(RoleId::at(r)) ? role_positions_[RoleId::at(r)] : top_nodes_.size();
            for (std::size_t i = 0; i < top_nodes_.size(); ++i) {
                if (i == pos) role.roots.insert(role.roots.end(), own.begin(), own.end());
                role.roots.push_back(top_nodes_[i]);
            }
            if (pos >= top_nodes_.size()) role.roots.insert(role.roots.end(), own.begin(), own.end());
            role.uses_measure.assign(p_->measures.size(), false);
            role.measure_user.assign(p_->measures.size(), "");
            role.uses_event.assign(p_->events.size(), false);
            for (NodeId n : role.roots) collect(role, n);
        }
    }

    // ---- Named values

    // Named values share the namespace of measures, facts and groups: each is declared once.
    void declare_values(const ast::Module& module) {
        for (const auto& d : module.declarations) {
            const auto* v = std::get_if<ast::Value>(&d);
            if (!v) continue;
            const auto clash = [&](const char* what, Span first) {
                auto& e = error(Code::C002, v->id.span, "value `" + v->id.text + "` has the name of a " + what +
                                                        ": a value needs a name of its own");
                note(e, first, std::string("the ") + what + " is declared here");
            };
            if (auto m = p_->measure_index.find(v->id.text); m != p_->measure_index.end()) {
                clash(p_->measure(m->second).fact() ? "fact" : p_->measure(m->second).rating ? "rating" : "measure", p_->measure(m->second).span);
                continue;
            }
            if (auto g = p_->group_index.find(v->id.text); g != p_->group_index.end()) {
                clash("group", p_->group(g->second).span);
                continue;
            }
            if (!define(p_->value_index, v->id, ir::NamedId::at(p_->values.size()), "value", value_spans_)) continue;
            ir::NamedValue out;
            out.id = v->id.text;
            out.label = v->label.value;
            out.span = v->span;
            out.expr_span = v->expr->span;
            out.where = p_->sources.file_line(v->span);
            out.written = phrases(v->expr);
            p_->values.push_back(std::move(out));
            value_ast_.push_back(v);
        }
        value_state_.assign(p_->values.size(), 0);
        value_used_.assign(p_->values.size(), false);
        for (std::size_t i = 0; i < p_->values.size(); ++i) define_value(ir::NamedId::at(i));
    }

    // Lowers a value's expression once; a value met again while it is being lowered is a cycle.
    void define_value(ir::NamedId v) {
        if (value_state_[v.index()] != 0) return;
        value_state_[v.index()] = 1;
        value_stack_.push_back(v);
        // A value is computed for the whole record: no period is in force inside it.
        const ir::PeriodKind outer_rule_period = rule_period_;
        rule_period_ = ir::PeriodKind::year;
        const Typed t = expr(*value_ast_[v.index()]->expr, Context{});
        rule_period_ = outer_rule_period;
        value_stack_.pop_back();
        if (t.type == Type::truth)
            error(Code::C008, value_ast_[v.index()]->expr->span, "value `" + p_->value(v).id + "` is a condition, but a value is a "
                                                                  "number: use the condition in `when`, or write `if ... then ... else ...`");
        else if (t.type == Type::attribute)
            error(Code::C008, value_ast_[v.index()]->expr->span, "an attribute is not a number");
        p_->values[v.index()].expr = t.type == Type::number ? t.expr : none;
        value_state_[v.index()] = 2;
    }

    // A use of value `v`: its reads count as the node's (or, inside another value, as that
    // value's).
    Typed use_value(ir::NamedId v, Span at, NodeId node) {
        value_used_[v.index()] = true;
        if (value_state_[v.index()] == 1) {
            std::string path;
            const auto from = std::find(value_stack_.begin(), value_stack_.end(), v);
            for (auto i = from; i != value_stack_.end(); ++i) path += "`" + p_->value(*i).id + "` → ";
            auto& d = error(Code::C041, at, "values depend on each other in a cycle: " + path + "`" + p_->value(v).id +
                                            "`; a value may use only values that do not use it");
            note(d, p_->value(v).span, "value `" + p_->value(v).id + "` is declared here");
            return {};
        }
        define_value(v);
        if (p_->value(v).expr == none) return {};
        if (rule_period_ != ir::PeriodKind::year && reads_run(p_->value(v).expr)) {
            error(Code::C058, at, "value `" + p_->value(v).id + "` reads a `longest_run`, and in a rule or section scored each " +
                                      ir::period_word(rule_period_) + " that would cut a run of days at the " +
                                      ir::period_word(rule_period_) + "'s edges: read it over the year");
            return {};
        }
        const auto measures = value_measures_[v];
        const auto events = value_events_[v];
        for (MeasureId m : measures) used_measure_in_node(m, node);
        for (EventId e : events) used_events_in_node(e, node);
        ir::Expr x;
        x.op = Op::named;
        x.refer(v);
        x.span = at;
        return {emit(std::move(x)), Type::number};
    }

    // ---- Flags

    // `flag ID "LABEL" when COND cite "..."`: ids and labels are each the flag's own (a reader acts
    // on the label); the condition is read over the year, like a rule's `when` outside any period.
    // A flag shares the one set of names with measures, facts, ratings, groups, named values and
    // events, by id and by label: a reader sees a flag next to them on the scorecard, and `expect
    // flag rate` next to `expect rate`. `total` names the card's total.
    bool flag_name_taken(const ast::Flag& f) {
        const auto clash = [&](Span at, const std::string& what, const std::string& whose, Span first) {
            auto& e = error(Code::C002, at, "flag `" + f.id.text + "` has the " + what + " of " + whose +
                                                ": a flag needs a name and a label of its own");
            note(e, first, "it is declared here");
            return true;
        };
        if (f.id.text == "total") {
            error(Code::C002, f.id.span, "flag `total` has the name of the card's total (`expect total = ...`): a flag needs a name of its own");
            return true;
        }
        const auto kind = [&](const ir::Measure& m) { return std::string(m.fact() ? "fact" : m.rating ? "rating" : "measure"); };
        for (const ir::Measure& m : p_->measures) {
            if (m.id == f.id.text) return clash(f.id.span, "name", kind(m) + " `" + m.id + "`", m.span);
            if (m.label == f.label.value) return clash(f.label.span, "label \"" + m.label + "\"", kind(m) + " `" + m.id + "`", m.span);
        }
        for (const ir::Event& ev : p_->events) {
            if (ev.id == f.id.text) return clash(f.id.span, "name", "event `" + ev.id + "`", ev.span);
            if (ev.label == f.label.value) return clash(f.label.span, "label \"" + ev.label + "\"", "event `" + ev.id + "`", ev.span);
        }
        for (const ir::Group& g : p_->groups) {
            if (g.id == f.id.text) return clash(f.id.span, "name", "group `" + g.id + "`", g.span);
            if (g.label == f.label.value) return clash(f.label.span, "label \"" + g.label + "\"", "group `" + g.id + "`", g.span);
        }
        for (const ir::NamedValue& v : p_->values) {
            if (v.id == f.id.text) return clash(f.id.span, "name", "value `" + v.id + "`", v.span);
            if (v.label == f.label.value) return clash(f.label.span, "label \"" + v.label + "\"", "value `" + v.id + "`", v.span);
        }
        return false;
    }

    void declare_flags(const ast::Module& module) {
        std::map<std::string, Span> ids, labels;
        for (const auto& d : module.declarations) {
            const auto* f = std::get_if<ast::Flag>(&d);
            if (!f) continue;
            if (auto [it, fresh] = ids.emplace(f->id.text, f->id.span); !fresh) {
                auto& e = error(Code::C002, f->id.span, "flag `" + f->id.text + "` is declared twice");
                note(e, it->second, "first declared here");
                continue;
            }
            if (flag_name_taken(*f)) continue;
            if (auto [it, fresh] = labels.emplace(f->label.value, f->label.span); !fresh) {
                auto& e = error(Code::C002, f->label.span, "flag `" + f->id.text + "` has the label \"" + f->label.value +
                                                               "\" of another flag: whoever acts on a flag tells them apart by it");
                note(e, it->second, "the other flag's label is here");
                continue;
            }
            ir::Flag out;
            out.id = f->id.text;
            out.label = f->label.value;
            out.cite = f->cite ? f->cite->value : "";
            out.span = f->span;
            out.when_span = f->when->span;
            out.where = p_->sources.file_line(f->span);
            out.written = phrases(f->when);
            const ir::PeriodKind outer = rule_period_;
            rule_period_ = ir::PeriodKind::year;
            out.when = expect_truth(*f->when, Context{none, none, true}).expr;
            rule_period_ = outer;
            p_->flags.push_back(std::move(out));
        }
        // What the flags read, apart from what the card's nodes read (collect() reads those).
        flag_measures_ = std::move(node_measures_[NodeId()]);
        flag_events_ = std::move(node_events_[NodeId()]);
        node_measures_.erase(NodeId());
        node_events_.erase(NodeId());
    }

    // A flag is raised on every card: the measures it reads are required of every person (the
    // record's R004 names the flag, ir::flag_reading), and its events are read on every card.
    void flags_on_cards() {
        for (ir::Role& role : p_->roles) {
            for (MeasureId m : flag_measures_) role.uses_measure[m] = true;
            for (EventId e : flag_events_) role.uses_event[e] = true;
        }
    }

    // A veto forces, and a grade rule gives, its grade whatever the total: one better than the
    // worst band raises a total that fell below it. 一票否决 lowers, so that is almost always a
    // slip (`forces "称职"` meant `"不称职"`), or a cap written as a force: W007 says which totals
    // are raised. The worst band is taken as reachable: a card's deductions can always empty it.
    void warn_raising_grades() {
        if (p_->grades.size() < 2) return;
        const auto below = [&](const std::string& grade) -> const ir::GradeBand* {
            for (std::size_t i = 0; i + 1 < p_->grades.size(); ++i)
                if (p_->grades[i].name == grade) return &p_->grades[i + 1];
            return nullptr;
        };
        const auto threshold = [&](const std::string& grade) {
            for (const auto& b : p_->grades)
                if (b.name == grade && b.at_least) return " (a total below " + b.at_least->to_string() + ")";
            return std::string();
        };
        for (const ir::Veto& v : p_->vetoes) {
            if (v.action != ir::Veto::Action::forces) continue;
            if (const ir::GradeBand* b = below(v.grade))
                report(Code::W007, v.grade_span, "this veto forces \"" + v.grade + "\" whatever the total: a person whose total is in \"" +
                                                     b->name + "\"" + (b == &p_->grades.back() ? "" : " or below") + threshold(v.grade) + " is raised to \"" + v.grade +
                                                     "\"; to keep a lower grade write `caps \"" + v.grade + "\"`, or force \"" +
                                                     p_->grades.back().name + "\"");
        }
        for (const ir::GradeRule& g : p_->grade_rules) {
            if (g.at_most) continue;
            if (const ir::GradeBand* b = below(g.grade))
                report(Code::W007, g.grade_span, "this grade rule gives \"" + g.grade + "\" whatever the total: a person whose total is in \"" +
                                                     b->name + "\"" + (b == &p_->grades.back() ? "" : " or below") + threshold(g.grade) + " is raised to \"" + g.grade +
                                                     "\" when its condition holds");
        }
    }

    // A flag that no record can raise, or that every record raises, says nothing (W005).
    void warn_constant_flags() {
        for (const ir::Flag& f : p_->flags) {
            if (f.when == none) continue;
            const ir::Bounds b = ir::expression_bounds(*p_, f.when, none);
            if (b.hi && b.hi->is_zero())
                report(Code::W005, f.when_span, "flag `" + f.id + "` is never raised: no record the declarations allow meets its condition");
            else if (b.lo && *b.lo == Number(1))
                report(Code::W005, f.when_span, "flag `" + f.id + "` is raised for every record: no record the declarations allow fails its condition");
        }
    }

    // A grade rule, or a veto's `where`, that no record can meet decides nothing, and one every
    // record meets decides for everyone (an always-true `grade at most` leaves the better bands
    // unreachable); a veto after one on the same event without `where` never decides, nor does a
    // grade rule written again. W005, as for flags.
    void warn_constant_decisions() {
        const auto bounds = [&](ExprId e, EventId ev) { return ir::expression_bounds(*p_, e, ev); };
        for (const ir::GradeRule& g : p_->grade_rules) {
            if (g.when == none) continue;
            const ir::Bounds b = bounds(g.when, none);
            if (b.hi && b.hi->is_zero())
                report(Code::W005, g.when_span, "this grade rule never decides: no record the declarations allow meets its condition");
            else if (b.lo && *b.lo == Number(1))
                report(Code::W005, g.when_span, std::string("this grade rule decides for every record: no record the declarations "
                                                            "allow fails its condition") +
                                                    (g.at_most ? ", so no grade above \"" + g.grade + "\" can be reached" : ""));
        }
        for (std::size_t i = 0; i < p_->grade_rules.size(); ++i)
            for (std::size_t j = 0; j < i; ++j) {
                const ir::GradeRule& a = p_->grade_rules[j];
                const ir::GradeRule& b = p_->grade_rules[i];
                if (a.at_most != b.at_most || a.grade != b.grade || a.condition != b.condition) continue;
                auto& d = report(Code::W005, b.span, "this grade rule is written twice: it never decides anything the first does not");
                note(d, a.span, "the first is here");
                break;
            }
        for (std::size_t i = 0; i < p_->vetoes.size(); ++i) {
            const ir::Veto& v = p_->vetoes[i];
            if (v.filter != none) {
                const ir::Bounds b = bounds(v.filter, v.event);
                if (b.hi && b.hi->is_zero())
                    report(Code::W005, v.span, "this veto never fires: no event the declarations allow meets its `where`");
            }
            for (std::size_t j = 0; j < i; ++j) {
                const ir::Veto& a = p_->vetoes[j];
                if (a.event != v.event || a.filter != none || a.action != v.action || v.action == ir::Veto::Action::caps) continue;
                auto& d = report(Code::W005, v.span, "this veto never decides: the veto before it on `" + p_->event(v.event).id +
                                                         "`, without `where`, fires on every such event first");
                note(d, a.span, "that veto is here");
                break;
            }
        }
    }

    // What the ruleset declares but can never give (W008), as W005 finds conditions never met: a
    // coefficient band by total no card's total reaches, or after a band every total reaches; a
    // coefficient by grade for a grade nothing gives; a `quota 0%`, which lets nobody keep its grade.
    void warn_outcomes_never_given() {
        const TotalBounds totals = total_bounds(*p_);
        for (std::size_t i = 0; i + 1 < p_->grades.size(); ++i)
            if (const ir::GradeBand& b = p_->grades[i]; b.quota && b.quota->share.is_zero())
                report(Code::W008, b.quota->span, "`quota 0%` lets nobody keep \"" + b.name + "\": everyone who reaches it is moved to \"" +
                                                      p_->grades[i + 1].name + "\"; remove the band, or the quota");
        const std::vector<std::string> unreached = band_unreached(*p_, totals);
        std::set<std::string> given;
        for (std::size_t i = 0; i < p_->grades.size(); ++i)
            if (unreached[i].empty()) given.insert(p_->grades[i].name);
        for (const ir::Veto& v : p_->vetoes) given.insert(v.grade);
        for (const ir::GradeRule& g : p_->grade_rules) given.insert(g.grade);
        for (const ir::Coefficient& c : p_->coefficients) {
            const ir::CoefficientEntry* takes_all = nullptr;
            for (const ir::CoefficientEntry& e : c.entries) {
                if (c.by_grade) {
                    if (e.grade.empty() || given.count(e.grade)) continue;
                    std::string why;
                    for (std::size_t i = 0; i < p_->grades.size(); ++i)
                        if (p_->grades[i].name == e.grade) why = unreached[i];
                    report(Code::W008, e.span, "coefficient `" + c.id + "` gives grade \"" + e.grade + "\" a coefficient, but no band, veto or grade rule "
                                               "can give that grade: " + why);
                    continue;
                }
                if (!e.at_least) continue;  // `otherwise` is required (C065) even where no total falls to it
                if (takes_all) {
                    auto& d = report(Code::W008, e.span, "coefficient `" + c.id + "`'s band `>= " + e.at_least->to_string(12) +
                                                             "` never applies: the band `>= " + takes_all->at_least->to_string(12) +
                                                             "` before it takes every total" +
                                                             (totals.lo ? " (no card's total is below " + totals.lo->to_string(12) + ")" : std::string()));
                    note(d, takes_all->span, "that band is here");
                    continue;
                }
                if (totals.hi && *e.at_least > *totals.hi)
                    report(Code::W008, e.span, "coefficient `" + c.id + "`'s band `>= " + e.at_least->to_string(12) +
                                                   "` never applies: no card's total can reach " + e.at_least->to_string(12) +
                                                   " (the highest is " + totals.hi->to_string(12) + ")");
                if (totals.lo && *e.at_least <= *totals.lo) takes_all = &e;
            }
        }
    }

    // ---- Coefficients

    // `coefficient ID "LABEL" by grade { ... }` / `by total { ... }`: every person gets one value,
    // so the table covers every grade (or has `otherwise`), and by total its bands go from the
    // highest threshold down with `otherwise` last, as the grades' bands do.
    void declare_coefficients(const ast::Module& module) {
        std::map<std::string, Span> ids, labels;
        for (const auto& d : module.declarations) {
            const auto* c = std::get_if<ast::Coefficient>(&d);
            if (!c) continue;
            if (auto [it, fresh] = ids.emplace(c->id.text, c->id.span); !fresh) {
                auto& e = error(Code::C002, c->id.span, "coefficient `" + c->id.text + "` is declared twice");
                note(e, it->second, "first declared here");
                continue;
            }
            if (auto [it, fresh] = labels.emplace(c->label.value, c->label.span); !fresh) {
                auto& e = error(Code::C002, c->label.span, "coefficient `" + c->id.text + "` has the label \"" + c->label.value +
                                                               "\" of another coefficient: the pay office tells them apart by it");
                note(e, it->second, "the other coefficient's label is here");
                continue;
            }
            ir::Coefficient out;
            out.id = c->id.text;
            out.label = c->label.value;
            out.cite = c->cite ? c->cite->value : "";
            out.by_grade = c->by_grade;
            out.span = c->span;
            out.where = p_->sources.file_line(c->span);
            for (const auto& e : c->entries)
                out.entries.push_back({e.grade ? e.grade->value : "", e.at_least ? std::optional<Number>(e.at_least->value) : std::nullopt,
                                       e.value.value, p_->sources.file_line(e.span), e.span, e.at_least ? e.at_least->span : Span{},
                                       e.value.span});
            const bool ok = c->by_grade ? check_coefficient_by_grade(*c) : check_coefficient_by_total(*c);
            if (ok) p_->coefficients.push_back(std::move(out));
        }
    }

    bool check_coefficient_by_grade(const ast::Coefficient& c) {
        if (p_->grades.empty()) {
            error(Code::C064, c.by_span, "coefficient `" + c.id.text + "` is by grade, but the ruleset declares no `grades`: give it `by total { ... }`, or declare the grades");
            return false;
        }
        std::vector<std::string_view> names;
        std::string listed;
        for (const auto& g : p_->grades) {
            names.push_back(g.name);
            listed += (listed.empty() ? "\"" : ", \"") + g.name + "\"";
        }
        bool ok = true, otherwise = false;
        std::map<std::string, Span> given;
        for (std::size_t i = 0; i < c.entries.size(); ++i) {
            const auto& e = c.entries[i];
            if (!e.grade) {
                otherwise = true;
                if (i + 1 != c.entries.size()) {
                    error(Code::C066, e.span, "`otherwise` must be the last entry of coefficient `" + c.id.text + "`");
                    ok = false;
                }
                continue;
            }
            if (std::find(names.begin(), names.end(), e.grade->value) == names.end()) {
                error(Code::C064, e.grade->span, "coefficient `" + c.id.text + "` gives a coefficient for grade \"" + e.grade->value +
                                                     "\", which no band declares: the grades are " + listed +
                                                     kaohe::did_you_mean(e.grade->value, names));
                ok = false;
                continue;
            }
            if (auto [it, fresh] = given.emplace(e.grade->value, e.grade->span); !fresh) {
                auto& x = error(Code::C002, e.grade->span, "coefficient `" + c.id.text + "` gives grade \"" + e.grade->value + "\" twice");
                note(x, it->second, "first given here");
                ok = false;
            }
        }
        if (!otherwise) {
            std::string missing;
            for (const auto& g : p_->grades)
                if (!given.count(g.name)) missing += (missing.empty() ? "\"" : ", \"") + g.name + "\"";
            if (!missing.empty()) {
                error(Code::C065, c.by_span, "coefficient `" + c.id.text + "` gives no coefficient for " + missing +
                                                 ": every grade needs one, or add `otherwise: N`");
                ok = false;
            }
        }
        return ok;
    }

    bool check_coefficient_by_total(const ast::Coefficient& c) {
        bool ok = true, otherwise = false;
        std::optional<Number> previous;
        for (std::size_t i = 0; i < c.entries.size(); ++i) {
            const auto& e = c.entries[i];
            if (!e.at_least) {
                otherwise = true;
                if (i + 1 != c.entries.size()) {
                    error(Code::C066, e.span, "`otherwise` must be the last entry of coefficient `" + c.id.text + "`");
                    ok = false;
                }
                continue;
            }
            if (previous && !(e.at_least->value < *previous)) {
                error(Code::C066, e.span, "coefficient `" + c.id.text + "`'s bands must be listed from the highest threshold down, each below the one before: `>= " +
                                              e.at_least->value.to_string() + "` follows `>= " + previous->to_string() + "`");
                ok = false;
            }
            previous = e.at_least->value;
        }
        if (!otherwise) {
            error(Code::C065, c.by_span, "coefficient `" + c.id.text + "` gives no coefficient for a total below its lowest band" +
                                             (previous ? " (`>= " + previous->to_string() + "`)" : std::string()) + ": end it with `otherwise: N`");
            ok = false;
        }
        return ok;
    }

    // `expect coefficient ID = N` must name a declared coefficient.
    void check_test_coefficient(const ast::Expectation& x) {
        std::map<std::string, bool> known;
        for (const ir::Coefficient& c : p_->coefficients) known.emplace(c.id, true);
        if (!known.count(x.path))
            error(Code::C004, x.path_span, "unknown coefficient `" + x.path + "`" +
                                               (known.empty() ? std::string(": the ruleset declares no coefficients") : did_you_mean(x.path, known)));
    }

    // `expect flag ID` / `expect no flag ID` must name a declared flag.
    void check_test_flag(const ast::Expectation& x) {
        std::map<std::string, bool> known;
        for (const ir::Flag& f : p_->flags) known.emplace(f.id, true);
        if (!known.count(x.path)) error(Code::C004, x.path_span, "unknown flag `" + x.path + "`" + did_you_mean(x.path, known));
    }

    void warn_unused_values() {
        for (std::size_t i = 0; i < p_->values.size(); ++i)
            if (!value_used_[i])
                report(Code::W006, p_->values[i].span, "value `" + p_->values[i].id + "` is declared but no rule uses it");
    }

    void warn_unused_events() {
        for (std::size_t e = 0; e < p_->events.size(); ++e) {
            bool vetoed = false;
            for (const auto& v : p_->vetoes) vetoed = vetoed || v.event == EventId::at(e);
            if (!event_used_.count(EventId::at(e)) && !vetoed)
                report(Code::W002, p_->events[e].span,
                       "event `" + p_->events[e].id + "` is declared but no rule uses it");
        }
    }

    std::unique_ptr<ir::Program> p_;
    std::vector<Diagnostic>& diags_;
    int errors_ = 0;
    Diagnostic dropped_;  // what report() returns for a diagnostic past the limit
    std::vector<NodeId> top_nodes_;
    std::map<RoleId, std::vector<NodeId>> role_roots_;
    std::map<RoleId, std::size_t> role_positions_;
    std::set<std::string> weight_reported_;  // a common part is on every card: report each message once
    // Groups, measures, ratings and facts share one namespace: each name's first kind and place,
    // and the names declared more than once (their uses would only repeat the C002).
    std::map<std::string, std::pair<const char*, Span>> shared_names_;
    std::set<std::string> clashed_;
    // The period in force while the checker lowers a rule (a period rule's, or its section's) and
    // the period of the section it is inside (year: none), for per-period inputs (C045, C048, C049).
    ir::PeriodKind rule_period_ = ir::PeriodKind::year;
    ir::PeriodKind section_period_ = ir::PeriodKind::year;
    int year_ = 0;  // the year of the test being checked: periods are named in it
    std::map<NodeId, std::set<MeasureId>> node_measures_;
    std::map<NodeId, std::set<EventId>> node_events_;
    std::set<EventId> event_used_;
    // Named values while checking: their declarations, lowering state (0 not yet, 1 under way,
    // 2 done), the stack of values being lowered, what each reads, and whether any rule uses it.
    std::vector<const ast::Value*> value_ast_;
    std::vector<Span> value_spans_;
    std::vector<int> value_state_;
    std::vector<ir::NamedId> value_stack_;
    std::map<ir::NamedId, std::set<MeasureId>> value_measures_;
    std::map<ir::NamedId, std::set<EventId>> value_events_;
    std::vector<bool> value_used_;
    // What the flags' conditions read: required on every card.
    std::set<MeasureId> flag_measures_;
    std::set<EventId> flag_events_;
};

}  // namespace

std::unique_ptr<ir::Program> check(ast::Module module, Sources sources, std::vector<Diagnostic>& diagnostics) {
    Checker c(std::move(sources), diagnostics);
    return c.run(module);
}

}  // namespace kaohe::check
