// Mutation testing (include/kaohe/policy.hpp): every single-point change to a ruleset that a
// policy author could get wrong, each compiled in memory and run against the tests.
//
// Mutants are made from the AST's spans (the checker keeps the AST with the program), as text
// edits of one rule file. Each worker thread compiles a mutant with that file's changed text
// standing in for the file on disk (parse::Overlay); the files it does not change come from the
// worker's parse cache, so only the changed file is parsed again. The tests that exercised the
// changed construct on the unchanged ruleset run first, and a mutant's run stops at its first
// failing test.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "api/access.hpp"
#include "check/checker.hpp"
#include "kaohe/policy.hpp"
#include "policy/common.hpp"
#include "support/text.hpp"
#include "testing/observation.hpp"

namespace kaohe::policy {

std::string MutationReport::summary() const {
    return "mutants: " + std::to_string(results.size()) + ", killed: " + std::to_string(killed) +
           ", survived: " + std::to_string(survived) + ", score: " + score().round(1, Rounding::half_up).to_string() + "%";
}

Number MutationReport::score() const {
    if (results.empty()) return Number(100);
    return Number(static_cast<std::int64_t>(killed)) * Number(100) / Number(static_cast<std::int64_t>(results.size()));
}

namespace {

using ir::Index;

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The start of the n-th whitespace-separated token before `pos`.
std::uint32_t back_tokens(const std::string& t, std::uint32_t pos, int n) {
    std::size_t p = pos;
    for (int k = 0; k < n; ++k) {
        while (p > 0 && space(t[p - 1])) --p;
        while (p > 0 && !space(t[p - 1])) --p;
    }
    return static_cast<std::uint32_t>(p);
}

// The start of the whitespace before `pos` (for removing a suffix together with its space).
std::uint32_t back_space(const std::string& t, std::uint32_t pos) {
    std::size_t p = pos;
    while (p > 0 && space(t[p - 1])) --p;
    return static_cast<std::uint32_t>(p);
}

std::uint32_t skip_space(const std::string& t, std::uint32_t pos) {
    std::size_t p = pos;
    while (p < t.size() && space(t[p])) ++p;
    return static_cast<std::uint32_t>(p);
}

std::uint32_t word_end(const std::string& t, std::uint32_t pos) {
    std::size_t p = pos;
    while (p < t.size() && !space(t[p]) && t[p] != '{' && t[p] != '}' && t[p] != '(' && t[p] != ')') ++p;
    return static_cast<std::uint32_t>(p);
}

// The literal one step up or down in its last digit: 5000 → 5001 / 4999, 0.5 → 0.6 / 0.4.
std::optional<std::string> step(std::string_view lit, int dir, bool allow_negative) {
    auto n = Number::from_decimal(lit);
    if (!n) return std::nullopt;
    const std::size_t dot = lit.find('.');
    const std::size_t places = dot == std::string_view::npos ? 0 : lit.size() - dot - 1;
    Number unit(1);
    for (std::size_t i = 0; i < places; ++i) unit = unit / Number(10);
    const Number v = dir > 0 ? *n + unit : *n - unit;
    if (v.is_negative() && !allow_negative) return std::nullopt;
    return v.to_string(static_cast<int>(places) + 1);
}

struct Anchor {
    std::string rule;     // rule key (file + position): tests that moved a score through it first
    std::string node;     // node key: tests whose card has it next
    std::string event;    // event id: tests that give the event
    std::string measure;  // measure id: tests that give the measure
    bool grades = false;  // tests that expect a grade
};

struct Generated {
    Mutant mutant;
    Anchor anchor;
    std::uint32_t file = 0;  // in the ruleset's Sources
};

class Generator {
public:
    Generator(const ir::Program& p, std::vector<Generated>& out, std::vector<Equivalent>* equivalent)
        : p_(p), s_(p.sources), out_(out), equivalent_(equivalent) {}

    void run() {
        if (!p_.module) return;
        std::map<const ast::Node*, Index> node_of;
        for (std::size_t n = 0; n < p_.nodes.size(); ++n)
            if (p_.nodes[n].source) node_of[p_.nodes[n].source] = static_cast<Index>(n);
        for (std::size_t r = 0; r < p_.rules.size(); ++r)
            if (p_.rules[r].source) rule_of_[p_.rules[r].source] = static_cast<Index>(r);
        node_of_ = std::move(node_of);
        for (const auto& d : p_.module->declarations) {
            if (const auto* n = std::get_if<ast::Node>(&d)) node(*n);
            else if (const auto* r = std::get_if<ast::Role>(&d)) {
                for (const auto& s : r->sections) node(s);
            } else if (const auto* e = std::get_if<ast::Event>(&d)) event(*e);
            else if (const auto* m = std::get_if<ast::Measure>(&d)) measure(*m);
            else if (const auto* g = std::get_if<ast::Grades>(&d)) grades(*g);
        }
    }

private:
    const std::string& text(std::uint32_t file) const { return s_.text(file); }
    std::string key(Span at) { return keys_.key(at.file) + ":" + std::to_string(at.begin); }

    // Adds the mutant that replaces [begin, end) of `file` with `replacement`; the phrase shown is
    // [from, to) before and after the change. A non-empty `equivalent` reason records it instead.
    void add(const char* kind, std::uint32_t file, std::uint32_t begin, std::uint32_t end, std::string replacement,
             std::uint32_t from, std::uint32_t to, const Anchor& anchor, const std::string& equivalent = "") {
        const std::string& t = text(file);
        Mutant m;
        m.file = s_.name(file);
        m.begin = begin;
        m.end = end;
        m.replacement = std::move(replacement);
        m.kind = kind;
        m.where = s_.locate(Span{file, begin == end || m.replacement.empty() ? from : begin, end});
        if (m.replacement.empty()) m.where = s_.locate(Span{file, skip_space(t, begin), end});
        m.before = one_line(std::string_view(t).substr(from, to - from));
        // The phrase after the change: a removal that starts before the phrase (its space) takes it all.
        const std::string head = begin > from ? t.substr(from, begin - from) : std::string();
        const std::string tail = end < to ? t.substr(end, to - end) : std::string();
        m.after = one_line(head + m.replacement + tail);
        if (!seen_.insert({file, begin, end, m.replacement}).second) return;
        if (!equivalent.empty()) {
            if (equivalent_) equivalent_->push_back(Equivalent{m.where, m.kind, m.before, m.after, equivalent});
            return;
        }
        out_.push_back({std::move(m), anchor, file});
    }

    // A number one up and one down. `equivalent(v)` gives the reason a new value is equivalent.
    template <typename Eq>
    void number(const ast::NumberLit& lit, std::uint32_t from, std::uint32_t to, const Anchor& anchor, bool allow_negative,
                Eq&& equivalent) {
        const std::string& t = text(lit.span.file);
        const std::string_view written = std::string_view(t).substr(lit.span.begin, lit.span.end - lit.span.begin);
        for (int dir : {+1, -1}) {
            auto v = step(written, dir, allow_negative);
            if (!v) continue;
            auto nv = Number::from_decimal(*v);
            add("number", lit.span.file, lit.span.begin, lit.span.end, *v, from, to, anchor, nv ? equivalent(*nv) : "");
        }
    }
    void number(const ast::NumberLit& lit, std::uint32_t from, std::uint32_t to, const Anchor& anchor,
                bool allow_negative = false) {
        number(lit, from, to, anchor, allow_negative, [](const Number&) { return std::string(); });
    }

    // ---- Structure

    void node(const ast::Node& n) {
        const std::uint32_t file = n.span.file;
        const std::string& t = text(file);
        Anchor anchor;
        anchor.node = key(n.span);
        if (n.max) number(*n.max, n.span.begin, n.max->span.end, anchor);
        auto it = node_of_.find(&n);
        const ir::Node* ir_node = it == node_of_.end() ? nullptr : &p_.nodes[static_cast<std::size_t>(it->second)];
        if (!n.is_section && !n.no_floor && ir_node) {
            // `floor none` goes after the maximum (or `uncapped`), before any `cite`.
            std::uint32_t at = n.max ? n.max->span.end : n.label.span.end;
            if (!n.max && n.uncapped) {
                const std::uint32_t w = skip_space(t, at);
                at = word_end(t, w);
            }
            add("floor removed", file, at, at, " floor none", n.span.begin, at, anchor,
                floor_reachable(p_, *ir_node) ? "" : "the floor of a clause that can never go below 0");
        }
        for (const auto& c : n.children) node(c);
        for (const auto& r : n.rules) rule(r, n, anchor.node);
    }

    // A deduction of at least the clause's whole maximum, in a clause that only deducts and keeps
    // its floor, empties the clause on any occurrence: one point more or less (still at least the
    // maximum) gives the same score for every record.
    static std::string whole_clause_equivalent(const ast::Node& n, const ast::Rule& r, const Number& v) {
        if (n.is_section || n.no_floor || !n.max || !r.multipliers.empty()) return "";
        for (const auto& other : n.rules)
            if (other.sign != ast::Rule::Sign::deduct) return "";
        if (!r.each_value || r.each_value->kind != ast::Expr::Kind::number) return "";
        if (r.each_value->number >= n.max->value && v >= n.max->value)
            return "a deduction of at least the clause's whole maximum, in a clause that only deducts";
        return "";
    }

    void rule(const ast::Rule& r, const ast::Node& n, const std::string& node_key) {
        const std::uint32_t file = r.span.file;
        const std::string& t = text(file);
        Anchor anchor;
        anchor.rule = key(r.span);
        anchor.node = node_key;
        auto ir_it = rule_of_.find(&r);
        const ir::Rule* ir_rule = ir_it == rule_of_.end() ? nullptr : &p_.rules[static_cast<std::size_t>(ir_it->second)];

        switch (r.form) {
        case ast::Rule::Form::each:
            anchor.event = r.event.text;
            if (r.each_value && r.each_value->kind == ast::Expr::Kind::number) {
                ast::NumberLit lit{r.each_value->number, r.each_value->span};
                number(lit, r.span.begin, lit.span.end, anchor, false,
                       [&](const Number& v) { return whole_clause_equivalent(n, r, v); });
            } else if (r.each_value) {
                expr(*r.each_value, r, anchor);
            }
            if (r.filter) expr(*r.filter, r, anchor);
            for (const auto& [k, v] : r.table) number(v, k.span.begin, v.span.end, anchor);
            break;
        case ast::Rule::Form::per: {
            number(r.per_points, r.span.begin, r.per_points.span.end, anchor);
            number(r.per_unit, back_tokens(t, r.per_unit.span.begin, 1), r.per_unit.span.end, anchor);
            // The shortfall's words lie between the unit and the threshold.
            const std::uint32_t kb = skip_space(t, r.per_unit.span.end);
            const std::uint32_t ke = back_space(t, r.per_threshold.span.begin);
            number(r.per_threshold, kb, r.per_threshold.span.end, anchor);
            const char* flipped = r.shortfall == ast::Rule::Shortfall::above ? "below" : "above";
            add("comparison", file, kb, ke, flipped, kb, r.per_threshold.span.end, anchor);
            rounding(r, ir_rule, anchor);
            break;
        }
        case ast::Rule::Form::value:
            if (r.value) expr(*r.value, r, anchor);
            break;
        }
        if (r.cap) {
            const std::uint32_t from = back_tokens(t, r.cap->span.begin, 2);
            const std::optional<Number> bound =
                r.form == ast::Rule::Form::per && ir_rule ? per_bound(p_, r, ir_rule->measure) : std::nullopt;
            const std::string unreachable = "a cap the rule can never reach";
            number(*r.cap, from, r.cap->span.end, anchor, false, [&](const Number& v) {
                return bound && *bound <= r.cap->value && *bound <= v ? unreachable : std::string();
            });
            add("cap removed", file, back_space(t, from), r.cap->span.end, "", from, r.cap->span.end, anchor,
                bound && *bound <= r.cap->value ? unreachable : "");
        }
        for (const auto& m : r.multipliers) {
            const std::uint32_t factor_end = m.denominator ? m.denominator->span.end : m.numerator.span.end;
            number(m.numerator, m.span.begin, factor_end, anchor);
            if (m.denominator) number(*m.denominator, m.span.begin, factor_end, anchor);
            const std::uint32_t kw = skip_space(t, factor_end);
            const std::uint32_t kw_end = word_end(t, kw);
            add("condition", file, kw, kw_end, m.unless ? "if" : "unless", m.span.begin, m.span.end, anchor);
            expr(*m.condition, r, anchor);
            add("multiplier dropped", file, back_space(t, m.span.begin), m.span.end, "", m.span.begin, m.span.end, anchor);
        }
        if (r.when) expr(*r.when, r, anchor);
    }

    void rounding(const ast::Rule& r, const ir::Rule* ir_rule, const Anchor& anchor) {
        if (r.rounding == ast::Rule::StepRounding::unspecified) return;
        const std::uint32_t file = r.span.file;
        const std::string& t = text(file);
        const std::uint32_t from =
            r.rounding == ast::Rule::StepRounding::linear ? r.rounding_span.begin : back_tokens(t, r.rounding_span.begin, 1);
        const std::uint32_t to = r.rounding_span.end;
        // Steps are always whole when the measure is whole, the threshold whole, and the step
        // divides 1: then up, down and linear compute the same.
        std::string equivalent;
        if (ir_rule && ir_rule->measure != ir::none && p_.measures[static_cast<std::size_t>(ir_rule->measure)].whole &&
            r.per_threshold.value.is_integer() && !r.per_unit.value.is_zero() && (Number(1) / r.per_unit.value).is_integer())
            equivalent = "rounding of a per-step rule whose steps are always whole";
        static const std::pair<ast::Rule::StepRounding, const char*> kinds[] = {
            {ast::Rule::StepRounding::up, "rounding up"},
            {ast::Rule::StepRounding::down, "rounding down"},
            {ast::Rule::StepRounding::linear, "linear"}};
        for (const auto& [k, words] : kinds)
            if (k != r.rounding) add("rounding", file, from, to, words, from, to, anchor, equivalent);
    }

    // Numbers, comparisons and min/max inside an expression. `parent` is the expression that holds
    // `e` (or `e` itself at the top): a number is shown with it, and with the rule's start when near.
    void expr(const ast::Expr& e, const ast::Rule& r, const Anchor& anchor, const ast::Expr* parent = nullptr) {
        const std::uint32_t file = e.span.file;
        const std::string& t = text(file);
        switch (e.kind) {
        case ast::Expr::Kind::number: {
            const Span shown = parent ? parent->span : e.span;
            std::uint32_t from = shown.begin;
            if (from - r.span.begin <= 24 && t.find('\n', r.span.begin) >= from) from = r.span.begin;
            number(ast::NumberLit{e.number, e.span}, from, std::max(shown.end, e.span.end), anchor);
            return;
        }
        case ast::Expr::Kind::binary: {
            static const std::map<ast::Expr::Op, const char*> flip = {
                {ast::Expr::Op::lt, "<="}, {ast::Expr::Op::le, "<"}, {ast::Expr::Op::gt, ">="},
                {ast::Expr::Op::ge, ">"},  {ast::Expr::Op::eq, "!="}, {ast::Expr::Op::ne, "="}};
            if (auto f = flip.find(e.op); f != flip.end() && e.args.size() == 2) {
                const std::uint32_t ob = skip_space(t, e.args[0]->span.end);
                const std::uint32_t oe = back_space(t, e.args[1]->span.begin);
                if (ob < oe) add("comparison", file, ob, oe, f->second, e.span.begin, e.span.end, anchor);
            }
            break;
        }
        case ast::Expr::Kind::call:
            if (e.name.text == "min" || e.name.text == "max")
                add("min/max", file, e.name.span.begin, e.name.span.end, e.name.text == "min" ? "max" : "min", e.span.begin,
                    e.span.end, anchor);
            break;
        default: break;
        }
        for (const auto& a : e.args) expr(*a, r, anchor, &e);
    }

    // ---- Vocabulary

    void event(const ast::Event& e) {
        if (!e.amount_min || !e.amount_max) return;
        const std::string& t = text(e.span.file);
        Anchor anchor;
        anchor.event = e.id.text;
        const std::uint32_t from = back_tokens(t, e.amount_min->span.begin, 1);
        number(*e.amount_min, from, e.amount_max->span.end, anchor);
        number(*e.amount_max, from, e.amount_max->span.end, anchor);
    }

    void measure(const ast::Measure& m) {
        const std::string& t = text(m.span.file);
        Anchor anchor;
        anchor.measure = m.id.text;
        if (m.min) {
            const std::uint32_t from = back_tokens(t, m.min->span.begin, m.max ? 1 : 2);
            const std::uint32_t to = m.max ? m.max->span.end : m.min->span.end;
            number(*m.min, from, to, anchor, true);
            if (m.max) number(*m.max, from, to, anchor, true);
        }
        if (m.default_value)
            number(*m.default_value, back_tokens(t, m.default_value->span.begin, 1), m.default_value->span.end, anchor, true);
    }

    void grades(const ast::Grades& g) {
        Anchor anchor;
        anchor.grades = true;
        for (const auto& b : g.bands)
            if (b.at_least) number(*b.at_least, b.span.begin, b.span.end, anchor);
    }

    const ir::Program& p_;
    const Sources& s_;
    std::vector<Generated>& out_;
    std::vector<Equivalent>* equivalent_;
    FileKeys keys_{s_};
    std::map<const ast::Node*, Index> node_of_;
    std::map<const ast::Rule*, Index> rule_of_;
    std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::string>> seen_;
};

std::vector<Generated> generate(const Ruleset& ruleset, std::vector<Equivalent>* equivalent) {
    std::vector<Generated> out;
    Generator(Access::program(ruleset), out, equivalent).run();
    std::stable_sort(out.begin(), out.end(), [](const Generated& a, const Generated& b) {
        return std::tie(a.file, a.mutant.begin) < std::tie(b.file, b.mutant.begin);
    });
    return out;
}

// ---- Running

// What a test exercised on the unchanged ruleset, to order the tests for each mutant.
struct TestInfo {
    std::size_t root = 0, index = 0;
    std::set<std::string> rules_moved, card, events, measures;
    bool grade = false;
};

std::optional<Ruleset> compile(const std::string& path, const parse::Overlay* overlay, parse::ParseCache* cache,
                               std::vector<Diagnostic>& diagnostics) {
    Sources sources;
    ast::Module module = parse::parse_file(path, sources, diagnostics, parse::ParseOptions{overlay, cache, {}});
    if (has_errors(diagnostics)) return std::nullopt;
    auto program = check::check(std::move(module), std::move(sources), diagnostics);
    if (!program) return std::nullopt;
    return Access::ruleset(std::shared_ptr<const ir::Program>(std::move(program)));
}

std::string first_error(const std::vector<Diagnostic>& ds) {
    for (const auto& d : ds)
        if (d.severity == Severity::error) return "error[" + d.code + "]: " + d.message;
    return "error";
}

}  // namespace

std::vector<Mutant> mutants_of(const Ruleset& ruleset, std::vector<Equivalent>* equivalent) {
    std::vector<Mutant> out;
    for (auto& g : generate(ruleset, equivalent)) out.push_back(std::move(g.mutant));
    return out;
}

MutationReport mutate(const std::string& rules, const std::vector<std::string>& test_files, const MutationOptions& options) {
    MutationReport report;
    std::vector<Diagnostic> diagnostics;
    auto ruleset = compile(rules, nullptr, nullptr, diagnostics);
    if (!ruleset) {
        report.error = rules + " does not compile";
        report.diagnostics = std::move(diagnostics);
        return report;
    }
    std::vector<Generated> mutants = generate(*ruleset, &report.equivalent);

    // The unchanged ruleset: every test must pass, and what each exercised is kept.
    std::vector<TestInfo> tests;
    for (std::size_t root = 0; root < test_files.size(); ++root) {
        std::vector<Diagnostic> ds;
        auto compiled = compile(test_files[root], nullptr, nullptr, ds);
        if (!compiled) {
            report.error = test_files[root] + " does not compile";
            report.diagnostics = std::move(ds);
            return report;
        }
        const ir::Program& p = Access::program(*compiled);
        FileKeys keys(p.sources);
        TestOptions opts;
        const auto observe = [&](const testing::TestObservation& o) {
            TestInfo info;
            info.root = root;
            info.index = o.index;
            if (o.raw) {
                for (const auto& e : o.raw->events) info.events.emplace(e.type);
                for (const auto& [m, v] : o.raw->measures) info.measures.emplace(m);
            }
            if (o.raw_unit)
                for (const auto& e : o.raw_unit->events) info.events.emplace(e.type);
            for (const auto& x : o.test.expectations) info.grade = info.grade || x.kind == ast::Expectation::Kind::grade;
            if (o.record && o.result) {
                for (Index n : p.roles[static_cast<std::size_t>(o.record->role)].nodes) {
                    const Span at = p.nodes[static_cast<std::size_t>(n)].span;
                    info.card.insert(keys.key(at.file) + ":" + std::to_string(at.begin));
                }
                for (const auto& l : o.result->lines) {
                    if (l.rule == ir::none || l.points.is_zero()) continue;
                    const Span at = p.rules[static_cast<std::size_t>(l.rule)].span;
                    info.rules_moved.insert(keys.key(at.file) + ":" + std::to_string(at.begin));
                }
            }
            tests.push_back(std::move(info));
        };
        TestReport r = testing::run_observed(*compiled, opts, observe);
        for (const auto& t : r.tests) {
            if (!t.passed) {
                report.error = "the tests fail on the unchanged ruleset: " + t.where.file + ":" +
                               std::to_string(t.where.line) + ": test \"" + t.name + "\"";
                return report;
            }
        }
    }
    report.tests = tests.size();

    // Keys of the rule files, for the overlay.
    std::map<std::string, std::string> overlay_keys;
    for (const auto& g : mutants)
        if (!overlay_keys.count(g.mutant.file)) overlay_keys.emplace(g.mutant.file, parse::overlay_key(g.mutant.file));
    std::map<std::string, std::string> texts;
    for (std::uint32_t f = 0; f < Access::program(*ruleset).sources.size(); ++f)
        texts.emplace(Access::program(*ruleset).sources.name(f), Access::program(*ruleset).sources.text(f));

    unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>({threads, std::max<std::size_t>(1, mutants.size()), 1024}));
    report.threads = threads;
    report.results.resize(mutants.size());
    std::atomic<std::size_t> next{0};
    std::mutex progress_lock;
    std::size_t done = 0;
    const auto start = std::chrono::steady_clock::now();

    auto worker = [&] {
        parse::ParseCache cache;
        for (;;) {
            const std::size_t i = next.fetch_add(1);
            if (i >= mutants.size()) break;
            const Generated& g = mutants[i];
            MutantResult& result = report.results[i];
            result.mutant = g.mutant;
            const std::string& original = texts.at(g.mutant.file);
            parse::Overlay overlay;
            overlay.emplace(overlay_keys.at(g.mutant.file), original.substr(0, g.mutant.begin) + g.mutant.replacement +
                                                             original.substr(g.mutant.end));
            std::vector<Diagnostic> ds;
            if (!compile(rules, &overlay, &cache, ds)) {
                result.status = MutantResult::Status::killed_by_checker;
                result.killer = first_error(ds);
            } else {
                // Tests in order: those that exercised the changed construct, then the rest.
                std::vector<std::pair<int, std::size_t>> order;
                for (std::size_t t = 0; t < tests.size(); ++t) {
                    const TestInfo& info = tests[t];
                    const Anchor& a = g.anchor;
                    int tier = 3;
                    if (!a.rule.empty() && info.rules_moved.count(a.rule)) tier = 0;
                    else if (!a.event.empty() && info.events.count(a.event)) tier = 0;
                    else if (!a.measure.empty() && info.measures.count(a.measure)) tier = 0;
                    else if (a.grades && info.grade) tier = 0;
                    else if (!a.node.empty() && info.card.count(a.node)) tier = 1;
                    order.emplace_back(tier, t);
                }
                std::stable_sort(order.begin(), order.end(),
                                 [](const auto& x, const auto& y) { return x.first < y.first; });
                std::map<std::size_t, std::optional<Ruleset>> roots;
                std::set<std::size_t> broken;
                for (std::size_t k = 0; k < order.size() && result.status == MutantResult::Status::survived;) {
                    const std::size_t root = tests[order[k].second].root;
                    TestOptions opts;
                    opts.stop_at_first_failure = true;
                    for (; k < order.size() && tests[order[k].second].root == root; ++k)
                        opts.only.push_back(tests[order[k].second].index);
                    if (broken.count(root)) continue;
                    auto it = roots.find(root);
                    if (it == roots.end()) {
                        std::vector<Diagnostic> rds;
                        it = roots.emplace(root, compile(test_files[root], &overlay, &cache, rds)).first;
                        if (!it->second) {
                            broken.insert(root);
                            result.status = MutantResult::Status::killed_by_checker;
                            result.killer = test_files[root] + ": " + first_error(rds);
                            break;
                        }
                    }
                    TestReport r = run_tests(*it->second, opts);
                    for (const auto& t : r.tests) {
                        if (t.passed) continue;
                        result.status = MutantResult::Status::killed_by_test;
                        result.killer = t.where.file + ":" + std::to_string(t.where.line) + ": " + t.name;
                        break;
                    }
                }
            }
            if (options.progress) {
                std::lock_guard<std::mutex> lock(progress_lock);
                options.progress(++done, mutants.size());
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    report.milliseconds =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    for (const auto& r : report.results) (r.status == MutantResult::Status::survived ? report.survived : report.killed)++;
    return report;
}

}  // namespace kaohe::policy
