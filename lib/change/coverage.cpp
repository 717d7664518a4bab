// Coverage of a ruleset's tests (include/kaohe/policy.hpp): which rules the tests moved a score
// through, and which boundaries they sit on both sides of.
//
// The test runner reports what each test saw (testing/observation.hpp); a plan per compiled
// ruleset maps its rules, clauses, events and grade bands to items, which are keyed by file and
// position so that one rule reached from many test files is one item.
#include <algorithm>
#include <map>
#include <set>

#include "api/access.hpp"
#include "kaohe/policy.hpp"
#include "change/common.hpp"
#include "change/probe.hpp"
#include "support/text.hpp"
#include "testing/observation.hpp"

namespace kaohe::policy {

const char* to_string(CoverageItem::Kind k) {
    switch (k) {
    case CoverageItem::Kind::rule: return "rule";
    case CoverageItem::Kind::threshold: return "threshold";
    case CoverageItem::Kind::range_low: return "range_low";
    case CoverageItem::Kind::range_high: return "range_high";
    case CoverageItem::Kind::cap: return "cap";
    case CoverageItem::Kind::floor: return "floor";
    case CoverageItem::Kind::table_entry: return "table_entry";
    case CoverageItem::Kind::multiplier: return "multiplier";
    case CoverageItem::Kind::grade_band: return "grade_band";
    case CoverageItem::Kind::ceiling: return "ceiling";
    case CoverageItem::Kind::decision: return "decision";
    case CoverageItem::Kind::flag: return "flag";
    case CoverageItem::Kind::coefficient: return "coefficient";
    }
    return "rule";
}

std::string CoverageItem::uncovered_text() const {
    std::string out = subject + ":";
    bool first = true;
    auto missing = [&](const std::string& side) {
        out += std::string(first ? " no " : ", and no ") + side;
        first = false;
    };
    if (!seen_a) missing(side_a);
    if (!side_b.empty() && !seen_b) missing(side_b);
    return out;
}

std::string CoverageReport::summary() const {
    return "rules covered: " + std::to_string(rules_covered) + "/" + std::to_string(rules) +
           ", boundaries covered: " + std::to_string(boundaries_covered) + "/" + std::to_string(boundaries);
}

bool CoverageReport::meets(const Number& percent) const {
    const auto ok = [&](int covered, int total) {
        return total == 0 || Number(covered) * Number(100) >= percent * Number(total);
    };
    return ok(rules_covered, rules) && ok(boundaries_covered, boundaries);
}

std::string CoverageReport::text() const {
    std::string out;
    for (const auto& item : items)
        if (!item.covered()) out += terminal_place(item.where) + ": uncovered: " + terminal_text(item.uncovered_text()) + "\n";
    for (const auto& [where, what] : unreachable)
        out += terminal_place(where) + ": unreachable, not counted: " + terminal_text(what) + "\n";
    return out + summary() + "\n";
}

std::string CoverageReport::json() const {
    std::string out = "{\"rules\":{\"covered\":" + std::to_string(rules_covered) + ",\"total\":" + std::to_string(rules) +
                      "},\"boundaries\":{\"covered\":" + std::to_string(boundaries_covered) +
                      ",\"total\":" + std::to_string(boundaries) + "},\"items\":[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        const CoverageItem& it = items[i];
        if (i) out += ",";
        out += "{\"kind\":\"" + std::string(to_string(it.kind)) + "\",\"file\":";
        append_json_string(out, it.where.file);
        out += ",\"line\":" + std::to_string(it.where.line) + ",\"column\":" + std::to_string(it.where.column);
        out += ",\"subject\":";
        append_json_string(out, it.subject);
        out += ",\"covered\":";
        out += it.covered() ? "true" : "false";
        out += ",\"sides\":[{\"side\":";
        append_json_string(out, it.side_a);
        out += std::string(",\"seen\":") + (it.seen_a ? "true" : "false") + "}";
        if (!it.side_b.empty()) {
            out += ",{\"side\":";
            append_json_string(out, it.side_b);
            out += std::string(",\"seen\":") + (it.seen_b ? "true" : "false") + "}";
        }
        out += "],\"tests\":[";
        for (std::size_t t = 0; t < it.tests.size(); ++t) {
            if (t) out += ",";
            append_json_string(out, it.tests[t]);
        }
        out += "]}";
    }
    out += "],\"unreachable\":[";
    for (std::size_t i = 0; i < unreachable.size(); ++i) {
        const auto& [where, what] = unreachable[i];
        if (i) out += ",";
        out += "{\"file\":";
        append_json_string(out, where.file);
        out += ",\"line\":" + std::to_string(where.line) + ",\"column\":" + std::to_string(where.column) + ",\"what\":";
        append_json_string(out, what);
        out += "}";
    }
    return out + "]}";
}

namespace {

using ir::NodeId, ir::RuleId;
constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// What a compiled ruleset's constructs are, as items.
struct Plan {
    std::vector<std::size_t> rule;                         // by rule
    std::vector<std::size_t> threshold;                    // by rule, kNone: not a `per` rule
    std::vector<Number> threshold_value;                   // by rule
    std::vector<ir::WrittenRule::Shortfall> shortfall;     // by rule
    std::vector<std::size_t> cap;                          // by rule
    std::vector<std::vector<std::size_t>> multiplier;      // by rule, by `times` suffix
    std::vector<std::vector<std::size_t>> table_entry;     // by rule, by attribute value
    std::vector<NodeId> rule_node;                         // by rule: its clause
    std::vector<std::size_t> floor;                        // by node
    std::vector<std::size_t> ceiling;                      // by node: an earned clause's maximum
    std::vector<std::size_t> range_low, range_high;        // by event
    std::vector<std::size_t> marks_low, marks_high;        // by measure: a rating's marks range
    std::vector<std::size_t> band;                         // by grade band
    std::vector<std::vector<std::size_t>> coefficient;     // by coefficient, by entry
    std::vector<std::size_t> veto, grade_rule;             // by veto, by grade rule
    std::vector<std::size_t> flag;                         // by flag
};

}  // namespace

struct Coverage::State {
    std::vector<CoverageItem> items;
    std::vector<std::pair<std::size_t, std::uint32_t>> order;  // file rank, position
    std::vector<int> kind_rank;
    std::map<std::string, std::size_t> by_key;
    std::map<std::string, std::size_t> file_rank;
    std::vector<std::set<std::string>> test_sets;  // per item: tests already listed

    std::size_t item(FileKeys& keys, const Sources& s, Span at, CoverageItem::Kind kind, const std::string& extra,
                     std::string subject, std::string side_a, std::string side_b) {
        const std::string& file = keys.key(at.file);
        const std::string key = file + "\n" + std::to_string(at.begin) + "\n" + to_string(kind) + "\n" + extra;
        if (auto it = by_key.find(key); it != by_key.end()) return it->second;
        auto rank = file_rank.emplace(file, file_rank.size()).first->second;
        CoverageItem c;
        c.kind = kind;
        c.where = s.locate(at);
        c.subject = std::move(subject);
        c.side_a = std::move(side_a);
        c.side_b = std::move(side_b);
        items.push_back(std::move(c));
        order.emplace_back(rank, at.begin);
        kind_rank.push_back(static_cast<int>(kind));
        test_sets.emplace_back();
        by_key.emplace(key, items.size() - 1);
        return items.size() - 1;
    }

    void seen(std::size_t i, bool side_a, const std::string& test) {
        if (i == kNone) return;
        CoverageItem& c = items[i];
        (side_a ? c.seen_a : c.seen_b) = true;
        if (test_sets[i].insert(test).second) c.tests.push_back(test);
    }

    Plan plan(const ir::Program& p) {
        using K = CoverageItem::Kind;
        const Sources& s = p.sources;
        FileKeys keys(s);
        Plan plan;
        const std::size_t nr = p.rules.size();
        plan.rule.assign(nr, kNone);
        plan.threshold.assign(nr, kNone);
        plan.threshold_value.assign(nr, Number());
        plan.shortfall.assign(nr, ir::WrittenRule::Shortfall::short_of);
        plan.cap.assign(nr, kNone);
        plan.multiplier.assign(nr, {});
        plan.table_entry.assign(nr, {});
        plan.rule_node.assign(nr, ir::none);
        plan.floor.assign(p.nodes.size(), kNone);
        plan.ceiling.assign(p.nodes.size(), kNone);
        plan.range_low.assign(p.events.size(), kNone);
        plan.range_high.assign(p.events.size(), kNone);
        plan.marks_low.assign(p.measures.size(), kNone);
        plan.marks_high.assign(p.measures.size(), kNone);
        plan.band.assign(p.grades.size(), kNone);
        plan.veto.assign(p.vetoes.size(), kNone);
        plan.grade_rule.assign(p.grade_rules.size(), kNone);
        // A coefficient's entries: by total as the grade bands are, by grade a test that got it.
        for (const ir::Coefficient& c : p.coefficients) {
            plan.coefficient.emplace_back();
            for (const ir::CoefficientEntry& e : c.entries) {
                const std::string subject = "coefficient `" + c.id + "` entry `" + one_line(s.slice(e.span)) + "`";
                if (e.at_least) {
                    const std::string t = e.at_least->to_string();
                    plan.coefficient.back().push_back(item(keys, s, e.span, K::coefficient, "", subject,
                                                           "test expecting it with a total of exactly " + t,
                                                           "test expecting it with a total below " + t));
                } else {
                    plan.coefficient.back().push_back(item(keys, s, e.span, K::coefficient, "", subject, "test expecting it that got it", ""));
                }
            }
        }
        // A flag's condition, like a rule's `when`: a test where it held and one where it did not.
        for (const ir::Flag& f : p.flags)
            plan.flag.push_back(item(keys, s, f.when_span, K::flag, "",
                                     "flag `" + f.id + "` when `" + one_line(s.slice(f.when_span)) + "`",
                                     "test that expects it raised", "test that expects it not raised"));
        std::vector<std::pair<Span, std::string>> unreachable;

        // Rules, in the order of the card (nodes in declaration order).
        for (std::size_t n = 0; n < p.nodes.size(); ++n) {
            const ir::Node& node = p.nodes[n];
            bool deducts = false;
            for (RuleId ri : node.rules) {
                const std::size_t r = ri.index();
                const ir::Rule& rule = p.rules[r];
                plan.rule_node[r] = NodeId::at(n);
                // A rule that can lower the score: a deduction, or an addition that may be negative.
                if (rule.sign < 0 || !rule.counted.lo || rule.counted.lo->is_negative()) deducts = true;
                const ir::WrittenRule& a = rule.written;
                const std::string text = rule_text(s, rule);
                plan.rule[r] = item(keys, s, rule.span, K::rule, "", "rule `" + text + "`", "test moved a score through it", "");
                if (a.form == ir::WrittenRule::Form::per && (rule.measure != ir::none || rule.named != ir::none)) {
                    // `per ... in workload` counts its steps on a named value: the same item, on the value.
                    const std::string& m = rule.measure != ir::none ? p.measure(rule.measure).id : p.value(rule.named).id;
                    // An expression threshold is named as written; a test meets it at its value for that record.
                    const std::string t = a.threshold_is_expr ? "`" + one_line(s.slice(a.per_threshold.span)) + "`"
                                                              : a.per_threshold.value.to_string();
                    const bool above = a.shortfall == ir::WrittenRule::Shortfall::above;
                    plan.threshold[r] = item(keys, s, a.per_threshold.span, K::threshold, "",
                                             "threshold " + t + " of `" + text + "`",
                                             "test with " + m + " exactly " + t,
                                             "test with " + m + (above ? " above " : " below ") + t);
                    plan.threshold_value[r] = a.per_threshold.value;
                    plan.shortfall[r] = a.shortfall;
                }
                const std::optional<Number>& bound = rule.counted.hi;
                if (a.cap && bound && *bound <= a.cap->value) {
                    unreachable.push_back({a.cap->span, "cap `at most " + a.cap->value.to_string() + "` of `" + text +
                                                            "`: the rule counts at most " + bound->to_string()});
                } else if (a.cap) {
                    const std::string c = a.cap->value.to_string();
                    plan.cap[r] = item(keys, s, a.cap->span, K::cap, "", "cap `at most " + c + "` of `" + text + "`",
                                       "test where the rule counted " + c + " or less (and more than 0)",
                                       "test where it counted more than " + c);
                }
                for (std::size_t k = 0; k < a.multipliers.size(); ++k) {
                    const ir::WrittenMultiplier& m = a.multipliers[k];
                    plan.multiplier[r].push_back(item(keys, s, m.span, K::multiplier, "",
                                                      "multiplier `" + one_line(s.slice(m.span)) + "` in clause " + node.path,
                                                      "test where it applied", "test where it did not apply"));
                }
                if (rule.table != ir::none) {
                    const ir::Table& t = p.table(rule.table);
                    // An event's attribute, or a fact's values (a standing's table: each value an item).
                    const std::vector<std::string>& values =
                        t.fact != ir::none ? p.measure(t.fact).values : p.attribute(t.attribute).values;
                    plan.table_entry[r].assign(values.size(), kNone);
                    for (const auto& e : a.table) {
                        if (e.otherwise) continue;
                        const auto v = std::find(values.begin(), values.end(), e.key);
                        if (v == values.end()) continue;
                        const Span entry{e.key_span.file, e.key_span.begin, e.points.span.end};
                        plan.table_entry[r][static_cast<std::size_t>(v - values.begin())] =
                            item(keys, s, e.key_span, K::table_entry, "",
                                 "table entry `" + one_line(s.slice(entry)) + "` in clause " + node.path,
                                 t.fact != ir::none ? "test with " + p.measure(t.fact).id + " " + e.key
                                                    : std::string("test scored an event through it"), "");
                    }
                    // `otherwise: N` is one item, met by an event of any value the table does not list.
                    for (const auto& e : a.table) {
                        if (!e.otherwise || !t.otherwise) continue;
                        const Span entry{e.key_span.file, e.key_span.begin, e.points.span.end};
                        const std::size_t i = item(keys, s, e.key_span, K::table_entry, "",
                                                   "table entry `" + one_line(s.slice(entry)) + "` in clause " + node.path,
                                                   t.fact != ir::none
                                                       ? "test with " + p.measure(t.fact).id + " of a value not listed"
                                                       : std::string("test scored an event of a value not listed through it"), "");
                        for (ir::ValueId v : t.points.ids())
                            if (!t.points[v]) plan.table_entry[r][v.index()] = i;
                        break;
                    }
                }
            }
            if (node.clause && node.floor && !node.within && deducts && !node.floor_reachable()) {
                const Number start = node.max && !node.earned ? *node.max : Number();
                unreachable.push_back({node.span, "floor of clause `" + node.path + "`: its rules can take at most " +
                                                      (start - *node.lowest).to_string() + " of its " + start.to_string() +
                                                      " points"});
            } else if (node.clause && node.floor && !node.within && deducts) {
                const std::string max = node.max ? node.max->to_string() : "0";
                plan.floor[n] = item(keys, s, node.span, K::floor, "",
                                     "floor of clause `" + node.path + "` (" + max + " points)",
                                     "test where its deductions went below 0",
                                     "test where it lost points without going below 0");
            }
            // An earned clause's maximum is the boundary its additions reach, as a floor is for
            // deductions.
            if (node.clause && node.earned && node.max && !node.ceiling_reachable()) {
                unreachable.push_back({node.span, "ceiling of earned clause `" + node.path + "`: its rules can earn at most " +
                                                      node.highest->to_string() + " of its " + node.max->to_string() +
                                                      " points"});
            } else if (node.clause && node.earned) {
                plan.ceiling[n] = item(keys, s, node.span, K::ceiling, "",
                                       "ceiling of earned clause `" + node.path + "` (" + node.max->to_string() + " points)",
                                       "test where its additions went above its maximum",
                                       "test where it earned points without going above its maximum");
            }
            // A `within N` clause's two bounds, -N and +N.
            if (node.clause && node.within) {
                const std::string b = node.within->to_string();
                for (const bool upper : {true, false}) {
                    const std::string subject = std::string(upper ? "upper bound +" : "lower bound -") + b +
                                                " of clause `" + node.path + "` (within " + b + ")";
                    if (!node.within_reachable(upper)) {
                        unreachable.push_back({node.span, subject + ": its rules cannot take its net past it"});
                        continue;
                    }
                    (upper ? plan.ceiling : plan.floor)[n] =
                        upper ? item(keys, s, node.span, K::ceiling, "", subject, "test where its net went above +" + b,
                                     "test where it gained points without going above +" + b)
                              : item(keys, s, node.span, K::floor, "", subject, "test where its net went below -" + b,
                                     "test where it lost points without going below -" + b);
                }
            }
        }
        // Amount ranges and grade bands.
        for (std::size_t ev = 0; ev < p.events.size(); ++ev) {
            const ir::Event& e = p.events[ev];
            if (!e.has_amount) continue;
            const std::string lo = e.amount_min.to_string(), hi = e.amount_max.to_string();
            const std::string range = lo + ".." + hi;
            plan.range_low[ev] = item(keys, s, e.amount_min_span, K::range_low, "",
                                      "lower end " + lo + " of the amount range " + range + " of `" + e.id + "`",
                                      "test scored an amount of exactly " + lo,
                                      "test was rejected for an amount below " + lo);
            plan.range_high[ev] = item(keys, s, e.amount_max_span, K::range_high, "",
                                       "upper end " + hi + " of the amount range " + range + " of `" + e.id + "`",
                                       "test scored an amount of exactly " + hi,
                                       "test was rejected for an amount above " + hi);
        }
        // A rating's marks range: mutation moves its ends, so coverage names them as it does an amount range's.
        for (std::size_t mi = 0; mi < p.measures.size(); ++mi) {
            const ir::Measure& m = p.measures[mi];
            if (!m.rating || !m.scale_values.empty() || !m.min || !m.max) continue;
            const std::string lo = m.min->to_string(), hi = m.max->to_string();
            const std::string range = lo + ".." + hi;
            plan.marks_low[mi] = item(keys, s, m.min_span, K::range_low, "",
                                      "lower end " + lo + " of the marks range " + range + " of `" + m.id + "`",
                                      "test scored a mark of exactly " + lo, "test was rejected for a mark below " + lo);
            plan.marks_high[mi] = item(keys, s, m.max_span, K::range_high, "",
                                       "upper end " + hi + " of the marks range " + range + " of `" + m.id + "`",
                                       "test scored a mark of exactly " + hi, "test was rejected for a mark above " + hi);
        }
        if (p.grades_span) {
            for (std::size_t b = 0; b < p.grades.size(); ++b) {
                const ir::GradeBand& band = p.grades[b];
                const std::string text = one_line(s.slice(band.span));
                if (band.at_least) {
                    const std::string t = band.at_least->to_string();
                    plan.band[b] = item(keys, s, band.span, K::grade_band, "", "grade band `" + text + "`",
                                        "test expecting a grade with a total of exactly " + t,
                                        "test expecting a grade with a total below " + t);
                } else {
                    plan.band[b] = item(keys, s, band.span, K::grade_band, "", "grade band `" + text + "`",
                                        "test expecting the grade its total reached in this band, with no veto or grade rule deciding", "");
                }
            }
        }
        for (std::size_t v = 0; v < p.vetoes.size(); ++v)
            plan.veto[v] = item(keys, s, p.vetoes[v].span, K::decision, "", "veto `" + one_line(s.slice(p.vetoes[v].span)) + "`",
                                "test expecting a grade or a veto where it decided",
                                "test expecting a grade or a veto where it did not");
        for (std::size_t g = 0; g < p.grade_rules.size(); ++g)
            plan.grade_rule[g] = item(keys, s, p.grade_rules[g].span, K::decision, "",
                                      "grade rule `" + one_line(s.slice(p.grade_rules[g].span)) + "`",
                                      "test expecting a grade where it decided", "test expecting a grade where it did not");
        for (const auto& [at, text] : unreachable)
            unreachable_.emplace(std::make_pair(keys.key(at.file), at.begin), std::make_pair(s.locate(at), text));
        return plan;
    }

    std::map<std::pair<std::string, std::uint32_t>, std::pair<Location, std::string>> unreachable_;

    void observe(const ir::Program& p, const Plan& plan, const testing::TestObservation& o) {
        const std::string test = o.outcome.where.file + ":" + std::to_string(o.outcome.where.line) + ": " + o.outcome.name;
        // Amount ranges: an amount exactly at an end that was scored, or one past it that was rejected.
        auto ranges = [&](const record::RawRecord* raw, const std::string& prefix) {
            if (!raw) return;
            for (std::size_t i = 0; i < raw->events.size(); ++i) {
                const record::RawEvent& e = raw->events[i];
                if (!e.amount) continue;
                auto it = p.event_index.find(std::string(e.type));
                if (it == p.event_index.end()) continue;
                const std::size_t ev = it->second.index();
                const ir::Event& decl = p.events[ev];
                if (!decl.has_amount) continue;
                if (o.result) {
                    if (*e.amount == decl.amount_min) seen(plan.range_low[ev], true, test);
                    if (*e.amount == decl.amount_max) seen(plan.range_high[ev], true, test);
                } else if (o.error_where == prefix + "events[" + std::to_string(i) + "].amount") {
                    if (*e.amount < decl.amount_min) seen(plan.range_low[ev], false, test);
                    if (*e.amount > decl.amount_max) seen(plan.range_high[ev], false, test);
                }
            }
        };
        ranges(o.raw, "");
        ranges(o.raw_unit, "unit.");
        // Marks: one exactly at an end of the range in a record that was scored, or one past it rejected,
        // whether given for the year or for a period.
        auto marks_at = [&](const auto& ratings, const std::string& prefix) {
            for (const auto& [name, marks] : ratings) {
                auto it = p.measure_index.find(std::string(name));
                if (it == p.measure_index.end()) continue;
                const std::size_t mi = it->second.index();
                const ir::Measure& decl = p.measures[mi];
                if (plan.marks_low[mi] == kNone) continue;
                for (std::size_t i = 0; i < marks.size(); ++i) {
                    if (!marks[i].number) continue;
                    const Number& v = *marks[i].number;
                    if (o.result) {
                        if (v == *decl.min) seen(plan.marks_low[mi], true, test);
                        if (v == *decl.max) seen(plan.marks_high[mi], true, test);
                    } else if (o.error_where == prefix + std::string(name) + "[" + std::to_string(i) + "]") {
                        if (v < *decl.min) seen(plan.marks_low[mi], false, test);
                        if (*decl.max < v) seen(plan.marks_high[mi], false, test);
                    }
                }
            }
        };
        if (o.raw) {
            marks_at(o.raw->ratings, "ratings.");
            for (const auto& [period, given] : o.raw->periods)
                marks_at(given.ratings, "periods." + std::string(period) + ".ratings.");
        }
        if (!o.result || !o.record) return;
        const record::Record& rec = *o.record;
        const eval::Outcome& out = *o.result;
        const Probe probe(p, rec);
        const ir::Role& role = p.role(rec.role);
        std::vector<bool> on_card(p.nodes.size(), false);
        for (NodeId n : role.nodes) on_card[n.index()] = true;

        std::vector<bool> moved(p.rules.size(), false), capped(p.rules.size(), false);
        std::vector<bool> lost(p.nodes.size(), false), cut(p.nodes.size(), false);
    std::vector<bool> earned(p.nodes.size(), false), topped(p.nodes.size(), false);
        for (const eval::Line& l : out.lines) {
            const std::size_t node = l.node.index();
            if (l.kind == eval::Line::Kind::floor) {
                cut[node] = true;
                continue;
            }
            if (l.kind == eval::Line::Kind::ceiling) topped[node] = true;
            if (l.kind == eval::Line::Kind::ceiling || l.rule == ir::none) continue;
            const std::size_t r = l.rule.index();
            const ir::Rule& rule = p.rules[r];
            if (l.kind == eval::Line::Kind::cap) {
                capped[r] = true;
                continue;
            }
            const record::Event* ev = l.kind == eval::Line::Kind::event && l.event.valid() ? &rec.event(l.event) : nullptr;
            // Before the zero test: a table's `otherwise: 0` scores an event with a line of 0.
            if (ev && rule.table != ir::none && !plan.table_entry[r].empty()) {
                const ir::Table& t = p.table(rule.table);
                const ir::ValueId v = ev->attributes[t.slot];
                if (v != ir::none) seen(plan.table_entry[r][v.index()], true, test);
            }
            if (l.points.is_zero()) continue;
            moved[r] = true;
            if (l.points.is_negative()) lost[node] = true;
            else earned[node] = true;
            for (std::size_t k = 0; k < plan.multiplier[r].size() && k < rule.multiplier_conditions.size(); ++k) {
                const ir::ExprId c = rule.multiplier_conditions[k];
                if (c == ir::none) continue;
                const ir::WrittenMultiplier& m = rule.written.multipliers[k];
                const bool applies = probe.truth(c, ev) != m.unless;
                seen(plan.multiplier[r][k], applies, test);
            }
        }
        for (std::size_t r = 0; r < p.rules.size(); ++r) {
            const ir::Rule& rule = p.rules[r];
            if (plan.rule_node[r] == ir::none || !on_card[plan.rule_node[r].index()]) continue;
            if (moved[r]) seen(plan.rule[r], true, test);
            // A fact's table: the entry of the person's value, whenever the rule applies (even at 0).
            if (rule.table != ir::none && p.table(rule.table).fact != ir::none && !plan.table_entry[r].empty() &&
                (rule.when == ir::none || probe.truth(rule.when, nullptr))) {
                const auto& v = rec.measures[p.table(rule.table).fact];
                const auto i = v ? v->to_int64() : std::nullopt;
                if (i && *i >= 0 && *i < static_cast<std::int64_t>(plan.table_entry[r].size()))
                    seen(plan.table_entry[r][static_cast<std::size_t>(*i)], true, test);
            }
            if (plan.cap[r] != kNone && (moved[r] || capped[r])) seen(plan.cap[r], !capped[r], test);
            if (plan.threshold[r] != kNone) {
                // A measure given per period is read in each period of its section.
                const ir::PeriodKind kind = rule.measure != ir::none ? p.measure(rule.measure).period : ir::PeriodKind::year;
                const int periods = kind == ir::PeriodKind::year ? 1 : ir::periods_in_year(kind);
                for (int i = 1; i <= periods; ++i) {
                    const ir::Period at = kind == ir::PeriodKind::year ? ir::Period{} : ir::Period{kind, i};
                    const Probe in(p, rec, at);
                    if (rule.when != ir::none && !in.truth(rule.when, nullptr)) continue;
                    const std::optional<Number> m = rule.measure != ir::none
                                                        ? rec.measure(p, rule.measure, at)
                                                        : std::optional<Number>(in.number(p.value(rule.named).expr, nullptr));
                    if (!m) continue;
                    const Number t = rule.threshold != ir::none ? in.number(rule.threshold, nullptr) : plan.threshold_value[r];
                    if (*m == t) seen(plan.threshold[r], true, test);
                    else if (plan.shortfall[r] == ir::WrittenRule::Shortfall::above ? *m > t : *m < t)
                        seen(plan.threshold[r], false, test);
                }
            }
        }
        for (NodeId n : role.nodes) {
            const std::size_t node = n.index();
            if (plan.floor[node] == kNone) continue;
            if (cut[node]) seen(plan.floor[node], true, test);
            else if (lost[node]) seen(plan.floor[node], false, test);
        }
        for (NodeId n : role.nodes) {
            const std::size_t node = n.index();
            if (plan.ceiling[node] == kNone) continue;
            if (topped[node]) seen(plan.ceiling[node], true, test);
            else if (earned[node]) seen(plan.ceiling[node], false, test);
        }
        // A flag shows only to a test that expects it, raised or not.
        for (std::size_t f = 0; f < p.flags.size() && f < plan.flag.size(); ++f) {
            const bool expected = std::any_of(o.test.expectations.begin(), o.test.expectations.end(), [&](const ir::Expectation& x) {
                return (x.kind == ir::Expectation::Kind::flag || x.kind == ir::Expectation::Kind::no_flag) && x.path == p.flags[f].id;
            });
            if (!expected) continue;
            const bool raised = std::find(out.flags.begin(), out.flags.end(), f) != out.flags.end();
            seen(plan.flag[f], raised, test);
        }
        // A coefficient shows only to a test that expects it.
        for (std::size_t c = 0; c < p.coefficients.size() && c < plan.coefficient.size(); ++c) {
            const bool expected = std::any_of(o.test.expectations.begin(), o.test.expectations.end(), [&](const ir::Expectation& x) {
                return x.kind == ir::Expectation::Kind::coefficient && x.path == p.coefficients[c].id;
            });
            if (!expected) continue;
            for (std::size_t e = 0; e < p.coefficients[c].entries.size(); ++e) {
                const ir::CoefficientEntry& entry = p.coefficients[c].entries[e];
                const bool got = std::any_of(out.coefficients.begin(), out.coefficients.end(),
                                             [&](const eval::CoefficientAt& at) { return at.coefficient == c && at.entry == e; });
                if (entry.at_least) {
                    if (out.total == *entry.at_least) seen(plan.coefficient[c][e], true, test);
                    else if (out.total < *entry.at_least) seen(plan.coefficient[c][e], false, test);
                } else if (got) {
                    seen(plan.coefficient[c][e], true, test);
                }
            }
        }
        // A grade shows only to a test that expects one.
        const bool grade_expected = std::any_of(o.test.expectations.begin(), o.test.expectations.end(),
                                                [](const ir::Expectation& x) { return x.kind == ir::Expectation::Kind::grade; });
        const bool veto_expected = std::any_of(o.test.expectations.begin(), o.test.expectations.end(),
                                               [](const ir::Expectation& x) { return x.kind == ir::Expectation::Kind::veto; });
        for (std::size_t v = 0; v < p.vetoes.size() && (grade_expected || veto_expected); ++v)
            seen(plan.veto[v], out.veto == &p.vetoes[v], test);
        for (std::size_t g = 0; g < p.grade_rules.size() && grade_expected; ++g)
            seen(plan.grade_rule[g], out.rule == &p.grade_rules[g], test);
        for (std::size_t b = 0; b < p.grades.size() && grade_expected; ++b) {
            const ir::GradeBand& band = p.grades[b];
            if (band.at_least) {
                if (out.total == *band.at_least) seen(plan.band[b], true, test);
                else if (out.total < *band.at_least) seen(plan.band[b], false, test);
            } else if (out.band == &band && out.grade == &band.name) {
                seen(plan.band[b], true, test);
            }
        }
    }
};

Coverage::Coverage() : impl_(std::make_unique<State>()) {}
Coverage::~Coverage() = default;

TestReport Coverage::run(const Ruleset& ruleset, TestOptions options) {
    const ir::Program& p = Access::program(ruleset);
    const Plan plan = impl_->plan(p);
    return testing::run_observed(ruleset, options,
                                 [&](const testing::TestObservation& o) { impl_->observe(p, plan, o); });
}

CoverageReport Coverage::report() const {
    CoverageReport r;
    std::vector<std::size_t> idx(impl_->items.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
        if (impl_->order[a] != impl_->order[b]) return impl_->order[a] < impl_->order[b];
        return impl_->kind_rank[a] < impl_->kind_rank[b];
    });
    for (std::size_t i : idx) {
        const CoverageItem& c = impl_->items[i];
        if (c.kind == CoverageItem::Kind::rule) {
            ++r.rules;
            r.rules_covered += c.covered();
        } else {
            ++r.boundaries;
            r.boundaries_covered += c.covered();
        }
        r.items.push_back(c);
    }
    for (const auto& [k, v] : impl_->unreachable_) r.unreachable.push_back(v);
    return r;
}

}  // namespace kaohe::policy
