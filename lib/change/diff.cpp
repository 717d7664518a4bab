// The impact of a policy change (include/kaohe/policy.hpp): the structural difference of two
// rulesets, and the difference each makes to every record of a population.
//
// With records, the JSON Lines are read in chunks (support/lines.hpp) and scored on the ordered
// pool (support/ordered_pool.hpp): one work item scores a record under the old and the new
// ruleset and compares the two results; this thread takes the compared chunks in input order,
// counts them and passes each record on. At most about two chunks per thread are in flight,
// whatever the input's length.
#include <algorithm>
#include <fstream>
#include <functional>
#include <istream>
#include <iterator>
#include <streambuf>
#include <set>
#include <sstream>

#include "api/access.hpp"
#include "api/versions.hpp"
#include "api/quota.hpp"
#include "kaohe/batch.hpp"
#include "support/files.hpp"
#include "ir/program.hpp"
#include "kaohe/policy.hpp"
#include "change/common.hpp"
#include "support/lines.hpp"
#include "support/ordered_pool.hpp"
#include "support/text.hpp"

namespace kaohe::policy {
namespace {

using ir::NodeId, ir::RuleId;

// ---- Structural difference

std::string slice_line(const Sources& s, Span at) { return one_line(s.slice(at)); }

// A node's header as written: from its keyword to its last item before `{`.
Span header_span(const ir::Node& n) { return n.written.header; }

// The numbers of a rule, header or declaration as written, in the order they are written: each
// literal's text, with a minus written right before it.
std::vector<std::string> written_numbers(const Sources& s, std::vector<Span> spans) {
    std::erase_if(spans, [](const Span& x) { return x.end <= x.begin; });
    std::sort(spans.begin(), spans.end(), [](const Span& x, const Span& y) { return x.begin < y.begin; });
    std::vector<std::string> out;
    std::uint32_t last = 0;
    for (const Span& x : spans) {
        if (!out.empty() && x.begin == last) continue;  // one literal kept twice (a plain `each` number)
        last = x.begin;
        std::string text(s.slice(x));
        if (x.begin > 0 && s.text(x.file)[x.begin - 1] == '-') text = "-" + text;
        out.push_back(std::move(text));
    }
    return out;
}

// The numbers that differ between two things with as many numbers, in order.
std::vector<std::pair<std::string, std::string>> number_changes(const std::vector<std::string>& a,
                                                                const std::vector<std::string>& b) {
    std::vector<std::pair<std::string, std::string>> out;
    if (a.size() != b.size()) return out;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i]) out.emplace_back(a[i], b[i]);
    return out;
}

void add_phrases(std::vector<Span>& out, const std::vector<ir::Phrase>& phrases) {
    for (const auto& x : phrases)
        if (x.kind == ir::Phrase::Kind::number) out.push_back(x.span);
}

// Where the numbers of a rule are written.
std::vector<Span> number_spans(const ir::Rule& r) {
    const ir::WrittenRule& w = r.written;
    std::vector<Span> out;
    if (w.each_points) out.push_back(w.each_points->span);
    add_phrases(out, w.each_value);
    add_phrases(out, w.filter);
    for (const auto& e : w.table) out.push_back(e.points.span);
    if (w.form == ir::WrittenRule::Form::per) {
        for (const ir::Literal* l : {&w.per_points, &w.per_unit}) out.push_back(l->span);
        if (w.threshold_is_expr) add_phrases(out, w.threshold);
        else out.push_back(w.per_threshold.span);
    }
    add_phrases(out, w.value);
    if (w.cap) out.push_back(w.cap->span);
    for (const auto& m : w.multipliers) {
        out.push_back(m.numerator.span);
        if (m.denominator) out.push_back(m.denominator->span);
        add_phrases(out, m.condition);
    }
    add_phrases(out, w.when);
    return out;
}

std::vector<Span> number_spans(const ir::Node& n) {
    std::vector<Span> out;
    if (n.written.within) out.push_back(n.written.within->span);
    if (n.written.max) out.push_back(n.written.max->span);
    if (n.written.weight) out.push_back(n.written.weight->span);  // `weight 70%`
    return out;
}
std::vector<Span> number_spans(const ir::Event& e) {
    if (!e.has_amount) return {};
    return {e.amount_min_span, e.amount_max_span};
}
std::vector<Span> number_spans(const ir::Measure& m) {
    if (m.fact()) return {};  // a fact's values are names, compared with its text
    if (m.scale_spans.empty()) return {m.min_span, m.max_span, m.default_span};
    std::vector<Span> out = m.scale_spans;  // a scale's values are its domain's numbers
    out.push_back(m.default_span);
    return out;
}
std::vector<Span> number_spans(const ir::Group&) { return {}; }
std::vector<Span> number_spans(const ir::Attribute&) { return {}; }
std::vector<Span> number_spans(const ir::NamedValue& v) {
    std::vector<Span> out;
    for (const ir::Phrase& x : v.written)
        if (x.kind == ir::Phrase::Kind::number) out.push_back(x.span);
    return out;
}

struct Side {
    const ir::Program& p;
    std::map<std::string, NodeId> nodes;  // by key: "role|path" ("" for the common part)
    std::string key(NodeId n) const {
        const ir::Node& node = p.node(n);
        return (node.role == ir::none ? std::string() : p.role(node.role).id) + "|" + node.path;
    }
    std::string label(NodeId n) const {
        const ir::Node& node = p.node(n);
        return node.role == ir::none ? node.path : p.role(node.role).id + ": " + node.path;
    }
    explicit Side(const ir::Program& prog) : p(prog) {
        for (std::size_t n = 0; n < p.nodes.size(); ++n) nodes.emplace(key(NodeId::at(n)), NodeId::at(n));
    }
};

class Differ {
public:
    Differ(const ir::Program& a, const ir::Program& b, std::vector<Change>& out) : a_(a), b_(b), out_(out) {}

    void run() {
        policy_header();
        vocabulary();
        tree();
        grades();
        flags();
        coefficients();
    }

private:
    Change& add(const char* change, const char* what, std::string path) {
        Change c;
        c.change = change;
        c.what = what;
        c.path = std::move(path);
        out_.push_back(std::move(c));
        return out_.back();
    }
    void old_side(Change& c, const Sources& s, Span at, std::string text) {
        c.old_where = s.locate(at);
        c.old_text = std::move(text);
    }
    void new_side(Change& c, const Sources& s, Span at, std::string text) {
        c.new_where = s.locate(at);
        c.new_text = std::move(text);
    }
    // A thing on both sides; `numbers_a` and `numbers_b` are where their numbers are written.
    void both(const char* change, const char* what, const std::string& path, Span at_a, const std::string& text_a, Span at_b,
              const std::string& text_b, const std::vector<Span>& numbers_a = {}, const std::vector<Span>& numbers_b = {}) {
        Change& c = add(change, what, path);
        old_side(c, a_.sources, at_a, text_a);
        new_side(c, b_.sources, at_b, text_b);
        c.numbers = number_changes(written_numbers(a_.sources, numbers_a), written_numbers(b_.sources, numbers_b));
    }

    // Declarations by id: their spans, and where their numbers are written.
    struct Decl {
        Span span;
        std::vector<Span> numbers;
    };
    template <typename T>
    static std::map<std::string, Decl> decls(const std::vector<T>& list) {
        std::map<std::string, Decl> out;
        for (const T& x : list) out.emplace(x.id, Decl{x.span, number_spans(x)});
        return out;
    }
    // Measures, yes/no facts or standings, which a diff lists by what they are declared as.
    static std::map<std::string, Decl> decls(const std::vector<ir::Measure>& list, ir::Measure::Kind kind, bool rating = false) {
        std::map<std::string, Decl> out;
        for (const ir::Measure& x : list)
            if (x.kind == kind && x.rating == rating) out.emplace(x.id, Decl{x.span, number_spans(x)});
        return out;
    }

    void policy_header() {
        const ir::Policy& pa = a_.policy;
        const ir::Policy& pb = b_.policy;
        if (!pa.declared || !pb.declared) return;
        const std::string ta = slice_line(a_.sources, pa.span), tb = slice_line(b_.sources, pb.span);
        if (ta == tb) return;
        both("changed", "policy", "policy", pa.span, ta, pb.span, tb);
        // The header's numbers are its year and its places (the IR keeps no span for them).
        auto& numbers = out_.back().numbers;
        if (pa.year && pb.year && pa.year != pb.year) numbers.emplace_back(std::to_string(pa.year), std::to_string(pb.year));
        if (pa.round_places != pb.round_places)
            numbers.emplace_back(std::to_string(pa.round_places), std::to_string(pb.round_places));
        if (pa.total != pb.total) numbers.emplace_back(total_text(pa.total), total_text(pb.total));
        // `round each clause|each section|total N places`: the places where the arithmetic rounds.
        const auto places = [](const std::optional<ir::Places>& f) { return f ? std::to_string(f->places) : std::string("none"); };
        for (auto level : {&ir::Policy::each_clause, &ir::Policy::each_section, &ir::Policy::at_total})
            if (places(pa.*level) != places(pb.*level)) numbers.emplace_back(places(pa.*level), places(pb.*level));
    }

    // A declared card total as listed among a change's numbers ("none" when not declared).
    static std::string total_text(const std::optional<Number>& t) { return t ? t->to_string(12) : "none"; }
    static std::string role_header(const ir::Role& r) {
        return "role " + r.id + " \"" + r.label + "\"" + (r.total ? " total " + r.total->to_string(12) : "");
    }

    // Declarations compared by their text: added, removed, changed.
    void declarations(const char* what, const std::map<std::string, Decl>& da, const std::map<std::string, Decl>& db) {
        for (const auto& [id, x] : da) {
            auto it = db.find(id);
            const std::string ta = slice_line(a_.sources, x.span);
            if (it == db.end()) {
                Change& c = add("removed", what, id);
                old_side(c, a_.sources, x.span, ta);
                continue;
            }
            const Decl& y = it->second;
            const std::string tb = slice_line(b_.sources, y.span);
            if (ta != tb) both("changed", what, id, x.span, ta, y.span, tb, x.numbers, y.numbers);
        }
        for (const auto& [id, x] : db) {
            if (da.count(id)) continue;
            Change& c = add("added", what, id);
            new_side(c, b_.sources, x.span, slice_line(b_.sources, x.span));
        }
    }

    void vocabulary() {
        declarations("group", decls(a_.groups), decls(b_.groups));
        declarations("attribute", decls(a_.attributes), decls(b_.attributes));
        declarations("event", decls(a_.events), decls(b_.events));
        using K = ir::Measure::Kind;
        declarations("measure", decls(a_.measures, K::number), decls(b_.measures, K::number));
        declarations("rating", decls(a_.measures, K::number, true), decls(b_.measures, K::number, true));
        declarations("rating", decls(a_.measures, K::votes, true), decls(b_.measures, K::votes, true));
        declarations("fact", decls(a_.measures, K::yes_no), decls(b_.measures, K::yes_no));
        declarations("standing", decls(a_.measures, K::standing), decls(b_.measures, K::standing));
        declarations("value", decls(a_.values), decls(b_.values));
        // Roles: by their header (the card is compared node by node).
        for (const auto& r : a_.roles) {
            if (a_.one_card) break;  // one card for everyone: no role to compare
            auto it = b_.role_index.find(r.id);
            if (it == b_.role_index.end()) {
                Change& c = add("removed", "role", r.id);
                old_side(c, a_.sources, r.span, role_header(r));
                continue;
            }
            const ir::Role& rb = b_.role(it->second);
            if (rb.label != r.label || rb.total != r.total) {
                both("changed", "role", r.id, r.span, role_header(r), rb.span, role_header(rb));
                if (rb.total != r.total) out_.back().numbers.emplace_back(total_text(r.total), total_text(rb.total));
            }
        }
        for (const auto& r : b_.roles) {
            if (b_.one_card) break;
            if (a_.role_index.count(r.id)) continue;
            Change& c = add("added", "role", r.id);
            new_side(c, b_.sources, r.span, role_header(r));
        }
    }

    std::string header(const ir::Program& p, NodeId n) const {
        return slice_line(p.sources, header_span(p.node(n)));
    }

    std::vector<std::string> rule_texts(const ir::Program& p, NodeId n) const {
        std::vector<std::string> out;
        for (RuleId r : p.node(n).rules) out.push_back(slice_line(p.sources, p.rule(r).span));
        return out;
    }

    // Nodes are matched by role and path; what is left on both sides is matched as a rename when
    // two nodes share their parent and their label or their rules.
    void tree() {
        const Side sa(a_), sb(b_);
        std::map<NodeId, NodeId> matched;  // old → new
        std::vector<NodeId> only_a, only_b;
        for (std::size_t n = 0; n < a_.nodes.size(); ++n) {
            auto it = sb.nodes.find(sa.key(NodeId::at(n)));
            if (it != sb.nodes.end()) matched.emplace(NodeId::at(n), it->second);
            else only_a.push_back(NodeId::at(n));
        }
        std::set<NodeId> matched_b;
        for (const auto& [x, y] : matched) matched_b.insert(y);
        for (std::size_t n = 0; n < b_.nodes.size(); ++n)
            if (!matched_b.count(NodeId::at(n))) only_b.push_back(NodeId::at(n));

        auto parent_key = [](const Side& s, NodeId n) {
            const NodeId parent = s.p.node(n).parent;
            const ir::Node& node = s.p.node(n);
            return parent == ir::none ? (node.role == ir::none ? std::string() : s.p.role(node.role).id) + "|"
                                      : s.key(parent);
        };
        std::set<NodeId> renamed_b, renamed_a;
        for (NodeId x : only_a) {
            const ir::Node& na = a_.node(x);
            for (NodeId y : only_b) {
                if (renamed_b.count(y)) continue;
                const ir::Node& nb = b_.node(y);
                if (na.clause != nb.clause || parent_key(sa, x) != parent_key(sb, y)) continue;
                const bool same_label = na.label == nb.label;
                const bool same_rules = na.clause && !na.rules.empty() && rule_texts(a_, x) == rule_texts(b_, y);
                if (!same_label && !same_rules) continue;
                renamed_a.insert(x);
                renamed_b.insert(y);
                both("renamed", na.clause ? "clause" : "section", sa.label(x) + " -> " + sb.label(y), header_span(na),
                     header(a_, x), header_span(nb), header(b_, y), number_spans(na), number_spans(nb));
                matched.emplace(x, y);
                break;
            }
        }
        // Removed and added: only the topmost of a removed or added subtree.
        std::set<NodeId> gone_a, new_b;
        for (NodeId x : only_a)
            if (!renamed_a.count(x)) gone_a.insert(x);
        for (NodeId y : only_b)
            if (!renamed_b.count(y)) new_b.insert(y);
        for (NodeId x : gone_a) {
            if (gone_a.count(a_.node(x).parent)) continue;
            Change& c = add("removed", a_.node(x).clause ? "clause" : "section", sa.label(x));
            old_side(c, a_.sources, header_span(a_.node(x)), header(a_, x));
        }
        for (NodeId y : new_b) {
            if (new_b.count(b_.node(y).parent)) continue;
            Change& c = add("added", b_.node(y).clause ? "clause" : "section", sb.label(y));
            new_side(c, b_.sources, header_span(b_.node(y)), header(b_, y));
        }
        // Matched nodes: their headers (maximum, label, citation, floor), then their rules.
        for (const auto& [x, y] : matched) {
            const ir::Node& na = a_.node(x);
            const ir::Node& nb = b_.node(y);
            if (!renamed_a.count(x)) {
                const std::string ha = header(a_, x), hb = header(b_, y);
                if (ha != hb)
                    both("changed", na.clause ? "clause" : "section", sa.label(x), header_span(na), ha,
                         header_span(nb), hb, number_spans(na), number_spans(nb));
            }
            if (na.clause) rules(sb.label(y), na, nb);
        }
    }

    void rules(const std::string& path, const ir::Node& na, const ir::Node& nb) {
        struct R {
            RuleId rule;
            std::string text, shape;
            bool used = false;
        };
        auto list = [](const ir::Program& p, const ir::Node& n) {
            std::vector<R> out;
            for (RuleId r : n.rules) {
                const ir::Rule& rule = p.rule(r);
                std::string shape = std::to_string(rule.sign) + "|" + std::to_string(static_cast<int>(rule.form)) + "|";
                if (rule.event != ir::none) shape += "e:" + p.event(rule.event).id;
                else if (rule.measure != ir::none) shape += "m:" + p.measure(rule.measure).id;
                else if (rule.named != ir::none) shape += "v:" + p.value(rule.named).id;
                out.push_back({r, slice_line(p.sources, rule.span), shape});
            }
            return out;
        };
        std::vector<R> ra = list(a_, na), rb = list(b_, nb);
        for (auto& x : ra)
            for (auto& y : rb)
                if (!y.used && x.text == y.text) {
                    x.used = y.used = true;
                    break;
                }
        for (auto& x : ra) {
            if (x.used) continue;
            for (auto& y : rb) {
                if (y.used || x.shape != y.shape) continue;
                x.used = y.used = true;
                both("changed", "rule", path, a_.rule(x.rule).span, x.text, b_.rule(y.rule).span, y.text,
                     number_spans(a_.rule(x.rule)), number_spans(b_.rule(y.rule)));
                break;
            }
        }
        for (auto& x : ra) {
            if (x.used) continue;
            Change& c = add("removed", "rule", path);
            old_side(c, a_.sources, a_.rule(x.rule).span, x.text);
        }
        for (auto& y : rb) {
            if (y.used) continue;
            Change& c = add("added", "rule", path);
            new_side(c, b_.sources, b_.rule(y.rule).span, y.text);
        }
    }

    void grades() {
        const std::optional<Span>& ga = a_.grades_span;
        const std::optional<Span>& gb = b_.grades_span;
        if (ga && gb) {
            const std::string ta = slice_line(a_.sources, *ga), tb = slice_line(b_.sources, *gb);
            auto thresholds = [](const ir::Program& p) {
                std::vector<Span> out;
                for (const auto& g : p.grades) out.push_back(g.at_least_span);
                return out;
            };
            if (ta != tb) both("changed", "grades", "grades", *ga, ta, *gb, tb, thresholds(a_), thresholds(b_));
        } else if (ga) {
            Change& c = add("removed", "grades", "grades");
            old_side(c, a_.sources, *ga, slice_line(a_.sources, *ga));
        } else if (gb) {
            Change& c = add("added", "grades", "grades");
            new_side(c, b_.sources, *gb, slice_line(b_.sources, *gb));
        }
        vetoes();
        grade_rules();
    }

    // A veto or grade rule as written, with its numbers, for pair_up.
    struct Written {
        Span span;
        std::string text;
        std::vector<Span> numbers;
        bool used = false;
    };
    template <typename T>
    static Written written_of(const ir::Program& p, const T& x) {
        Written w{x.span, slice_line(p.sources, x.span), {}};
        for (const ir::Phrase& ph : x.written)
            if (ph.kind == ir::Phrase::Kind::number) w.numbers.push_back(ph.span);
        return w;
    }

    // Vetoes of one event, or grade rules of one grade, each on its own: one written the same in
    // both is unchanged; the rest pair up in order as changed (each at its own line, with the
    // numbers that moved), and what is left is added or removed.
    void pair_up(const char* kind, std::map<std::string, std::vector<Written>> wa, std::map<std::string, std::vector<Written>> wb) {
        for (auto& [k, as] : wa) {
            std::vector<Written> none;
            auto it = wb.find(k);
            std::vector<Written>& bs = it == wb.end() ? none : it->second;
            for (auto& x : as)
                for (auto& y : bs)
                    if (!y.used && x.text == y.text) {
                        x.used = y.used = true;
                        break;
                    }
            for (auto& x : as) {
                if (x.used) continue;
                for (auto& y : bs) {
                    if (y.used) continue;
                    x.used = y.used = true;
                    both("changed", kind, k, x.span, x.text, y.span, y.text, x.numbers, y.numbers);
                    break;
                }
                if (!x.used) old_side(add("removed", kind, k), a_.sources, x.span, x.text);
            }
        }
        for (auto& [k, bs] : wb)
            for (auto& y : bs)
                if (!y.used) new_side(add("added", kind, k), b_.sources, y.span, y.text);
    }

    // Grade rules by the grade they give (`at most "称职"` apart from `"称职"`): a changed
    // condition, comparison, number or citation is a changed grade rule.
    void grade_rules() {
        auto written = [](const ir::Program& p) {
            std::map<std::string, std::vector<Written>> out;
            for (const auto& g : p.grade_rules) out[(g.at_most ? "at most " : "") + g.grade].push_back(written_of(p, g));
            return out;
        };
        pair_up("grade rule", written(a_), written(b_));
    }

    // Vetoes by their event (`veto accident where level = major forces "不称职"`): a changed
    // filter, action, grade or citation is a changed veto of that event.
    void vetoes() {
        auto written = [](const ir::Program& p) {
            std::map<std::string, std::vector<Written>> out;
            for (const auto& v : p.vetoes) out[p.event(v.event).id].push_back(written_of(p, v));
            return out;
        };
        pair_up("veto", written(a_), written(b_));
    }

    // Coefficients by id: added, removed, or changed as written (label, a value, a threshold, citation).
    void coefficients() {
        std::map<std::string, const ir::Coefficient*> cb;
        for (const auto& c : b_.coefficients) cb.emplace(c.id, &c);
        const auto numbers = [](const ir::Coefficient& x) {
            std::vector<Span> out;
            for (const ir::CoefficientEntry& e : x.entries) {
                if (e.at_least) out.push_back(e.at_least_span);
                out.push_back(e.value_span);
            }
            return out;
        };
        std::set<std::string> in_a;
        for (const auto& c : a_.coefficients) {
            in_a.insert(c.id);
            const std::string ta = slice_line(a_.sources, c.span);
            auto it = cb.find(c.id);
            if (it == cb.end()) {
                old_side(add("removed", "coefficient", c.id), a_.sources, c.span, ta);
                continue;
            }
            const std::string tb = slice_line(b_.sources, it->second->span);
            if (ta != tb) both("changed", "coefficient", c.id, c.span, ta, it->second->span, tb, numbers(c), numbers(*it->second));
        }
        for (const auto& c : b_.coefficients)
            if (!in_a.count(c.id)) new_side(add("added", "coefficient", c.id), b_.sources, c.span, slice_line(b_.sources, c.span));
    }

    // Flags by id: added, removed, or changed as written (label, condition, citation).
    void flags() {
        std::map<std::string, const ir::Flag*> fb;
        for (const auto& f : b_.flags) fb.emplace(f.id, &f);
        std::set<std::string> in_a;
        for (const auto& f : a_.flags) {
            in_a.insert(f.id);
            const std::string ta = slice_line(a_.sources, f.span);
            auto it = fb.find(f.id);
            if (it == fb.end()) {
                old_side(add("removed", "flag", f.id), a_.sources, f.span, ta);
                continue;
            }
            const std::string tb = slice_line(b_.sources, it->second->span);
            // Its numbers, where the condition writes them, for the "numbers: A -> B" line.
            const auto numbers = [](const ir::Flag& x) {
                std::vector<Span> out;
                for (const ir::Phrase& ph : x.written)
                    if (ph.kind == ir::Phrase::Kind::number) out.push_back(ph.span);
                return out;
            };
            if (ta != tb) both("changed", "flag", f.id, f.span, ta, it->second->span, tb, numbers(f), numbers(*it->second));
        }
        for (const auto& f : b_.flags)
            if (!in_a.count(f.id)) new_side(add("added", "flag", f.id), b_.sources, f.span, slice_line(b_.sources, f.span));
    }

    const ir::Program& a_;
    const ir::Program& b_;
    std::vector<Change>& out_;
};

std::string place(const Location& l) {
    return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

void append_location(std::string& out, const Location& l, const std::string& text) {
    out += "{\"file\":";
    append_json_string(out, l.file);
    out += ",\"line\":" + std::to_string(l.line) + ",\"column\":" + std::to_string(l.column) + ",\"text\":";
    append_json_string(out, text);
    out += "}";
}

}  // namespace

StructuralDiff structural_diff(const std::string& old_rules, const std::string& new_rules) {
    StructuralDiff d;
    CompileResult a = Ruleset::compile_file(old_rules);
    CompileResult b = Ruleset::compile_file(new_rules);
    for (auto* c : {&a, &b})
        for (const auto& x : c->diagnostics)
            if (x.severity == Severity::error) d.diagnostics.push_back(x);
    if (!a.ruleset || !b.ruleset) {
        d.error = std::string(!a.ruleset ? old_rules : new_rules) + " does not compile";
        return d;
    }
    Differ(Access::program(*a.ruleset), Access::program(*b.ruleset), d.changes).run();
    return d;
}

std::string StructuralDiff::text() const {
    if (!ok()) return terminal_text(error) + "\n";
    std::string out;
    for (const auto& c : changes) out += c.text();
    return out + std::to_string(changes.size()) + (changes.size() == 1 ? " change\n" : " changes\n");
}

std::string StructuralDiff::json() const {
    if (!ok()) return "{\"error\":" + json_quote(error) + "}";
    std::string out = "{\"changes\":[";
    for (std::size_t i = 0; i < changes.size(); ++i) out += (i ? "," : "") + changes[i].json();
    return out + "],\"summary\":{\"changes\":" + std::to_string(changes.size()) + "}}";
}

std::string Change::text() const {
    const Change& c = *this;
    std::string out = c.change + " " + c.what + (c.path.empty() || c.path == c.what ? "" : " " + c.path) + "\n";
    if (c.old_where.line) out += "    old " + place(c.old_where) + ": " + c.old_text + "\n";
    else if (!c.old_text.empty()) out += "    old: " + c.old_text + "\n";
    if (c.new_where.line) out += "    new " + place(c.new_where) + ": " + c.new_text + "\n";
    else if (!c.new_text.empty()) out += "    new: " + c.new_text + "\n";
    if (!c.numbers.empty()) {
        out += "    numbers:";
        for (std::size_t i = 0; i < c.numbers.size(); ++i)
            out += std::string(i ? "," : "") + " " + c.numbers[i].first + " -> " + c.numbers[i].second;
        out += "\n";
    }
    return terminal_lines(out);
}

std::string Change::json() const {
    const Change& c = *this;
    std::string out = "{\"change\":";
    append_json_string(out, c.change);
    out += ",\"what\":";
    append_json_string(out, c.what);
    out += ",\"path\":";
    append_json_string(out, c.path);
    if (c.old_where.line || !c.old_text.empty()) {
        out += ",\"old\":";
        append_location(out, c.old_where, c.old_text);
    }
    if (c.new_where.line || !c.new_text.empty()) {
        out += ",\"new\":";
        append_location(out, c.new_where, c.new_text);
    }
    if (!c.numbers.empty()) {
        out += ",\"numbers\":[";
        for (std::size_t i = 0; i < c.numbers.size(); ++i) {
            if (i) out += ",";
            out += "[";
            append_json_string(out, c.numbers[i].first);
            out += ",";
            append_json_string(out, c.numbers[i].second);
            out += "]";
        }
        out += "]";
    }
    return out + "}";
}

// ---- Impact on a population

std::string RecordDiff::json() const {
    std::string out = "{\"id\":";
    append_json_string(out, id);
    out += ",\"old\":" + old_total.to_string(places, rounding) + ",\"new\":" + new_total.to_string(places, rounding) +
           ",\"delta\":" + delta.to_string(places, rounding) + ",\"paths\":{";
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (i) out += ",";
        append_json_string(out, paths[i].first);
        out += ":[";
        out += paths[i].second.first ? paths[i].second.first->to_string(places, rounding) : "null";
        out += ",";
        out += paths[i].second.second ? paths[i].second.second->to_string(places, rounding) : "null";
        out += "]";
    }
    out += "}";
    if (old_grade != new_grade) {
        out += ",\"grade\":[";
        if (old_grade) append_json_string(out, *old_grade);
        else out += "null";
        out += ",";
        if (new_grade) append_json_string(out, *new_grade);
        else out += "null";
        out += "]";
    }
    if (flags_changed()) {
        out += ",\"flags\":[[";
        for (std::size_t i = 0; i < old_flags.size(); ++i) {
            if (i) out += ",";
            append_json_string(out, old_flags[i]);
        }
        out += "],[";
        for (std::size_t i = 0; i < new_flags.size(); ++i) {
            if (i) out += ",";
            append_json_string(out, new_flags[i]);
        }
        out += "]]";
    }
    if (coefficients_changed()) {
        // {"pay_factor":[OLD,NEW]} for each coefficient whose value differs (null: none on that side).
        out += ",\"coefficients\":{";
        std::set<std::string> seen;
        bool first = true;
        const auto value_of = [](const std::vector<std::pair<std::string, Number>>& side, const std::string& id) -> std::string {
            for (const auto& [i, v] : side)
                if (i == id) return v.to_string();
            return "null";
        };
        for (const auto* side : {&old_coefficients, &new_coefficients})
            for (const auto& [id, v] : *side) {
                const std::string a = value_of(old_coefficients, id), b = value_of(new_coefficients, id);
                if (a == b || !seen.insert(id).second) continue;
                out += first ? "" : ",";
                first = false;
                append_json_string(out, id);
                out += ":[" + a + "," + b + "]";
            }
        out += "}";
    }
    return out + "}";
}

namespace {

std::string line_key(const Line& l, int places, Rounding rounding) {
    std::string s = l.path + "  " + signed_text(l.points, places, rounding) + "  ";
    if (l.kind == "event") {
        s += l.event;
        if (l.count != 1) s += " ×" + std::to_string(l.count);
        if (!l.date.empty()) s += " " + l.date;
        if (!l.note.empty()) s += " “" + l.note + "”";
    } else if (l.kind == "value") {
        // As the scorecard names it: the fact and the person's value, the measure or the named value.
        if (!l.fact.empty()) s += l.fact + " = " + l.fact_value;
        else s += !l.measure.empty() ? l.measure : !l.named_value.empty() ? l.named_value : std::string("(expression)");
        if (l.value) s += " = " + l.value->to_string(places, rounding);
        if (!l.label.empty()) s += " (" + l.label + ")";
    } else {
        s += l.kind;
    }
    return s;
}

// `moved_year`: with --as-year, NEW's year and OLD's ("2023", "2022"): NEW's lines carry the dates
// moved to its year, shown and compared as the record wrote them.
RecordDiff compare(const Result& a, const Result& b, bool with_lines, int places, Rounding rounding,
                   const std::pair<std::string, std::string>& moved_year = {}) {
    RecordDiff d;
    d.id = a.id();
    d.old_total = a.total();
    d.new_total = b.total();
    d.delta = d.new_total - d.old_total;
    d.old_grade = a.grade();
    d.new_grade = b.grade();
    for (const Flag& f : a.flags()) d.old_flags.push_back(f.id);
    for (const Flag& f : b.flags()) d.new_flags.push_back(f.id);
    for (const Coefficient& c : a.coefficients()) d.old_coefficients.emplace_back(c.id, c.value);
    for (const Coefficient& c : b.coefficients()) d.new_coefficients.emplace_back(c.id, c.value);
    const std::vector<Score> sa = a.scores(), sb = b.scores();
    std::map<std::string, const Score*> mb;
    for (const auto& s : sb) mb.emplace(s.path, &s);
    std::set<std::string> in_a;
    for (const auto& s : sa) {
        in_a.insert(s.path);
        auto it = mb.find(s.path);
        if (it == mb.end()) d.paths.push_back({s.path, {s.score, std::nullopt}});
        else if (!(it->second->score == s.score)) d.paths.push_back({s.path, {s.score, it->second->score}});
    }
    for (const auto& s : sb)
        if (!in_a.count(s.path)) d.paths.push_back({s.path, {std::nullopt, s.score}});
    if (with_lines && d.changed()) {
        std::multiset<std::string> la, lb;
        std::vector<std::pair<std::string, std::string>> oa, ob;  // key, with the rule's place
        for (const auto& l : a.lines()) {
            const std::string k = line_key(l, places, rounding);
            la.insert(k);
            oa.emplace_back(k, l.rule);
        }
        for (Line l : b.lines()) {
            if (!moved_year.first.empty() && l.date.rfind(moved_year.first, 0) == 0)
                l.date = moved_year.second + l.date.substr(moved_year.first.size());
            const std::string k = line_key(l, places, rounding);
            lb.insert(k);
            ob.emplace_back(k, l.rule);
        }
        for (const auto& [k, rule] : oa) {
            auto it = lb.find(k);
            if (it != lb.end()) lb.erase(it);
            else d.lines.push_back("- " + k + "  " + rule);
        }
        for (const auto& [k, rule] : ob) {
            auto it = la.find(k);
            if (it != la.end()) la.erase(it);
            else d.lines.push_back("+ " + k + "  " + rule);
        }
    }
    return d;
}

// A stream of the text of a string, without copying it.
struct TextBuf : std::streambuf {
    explicit TextBuf(std::string& text) { setg(text.data(), text.data(), text.data() + text.size()); }
};

// The records of `in` under two rulesets of which one has a grade quota: a quota ranks each
// unit's people, so each ruleset scores the whole population and applies its quotas (as a batch
// does) before any record is compared. The input and the old ruleset's results are held.
void diff_population(const Ruleset& ra, const Ruleset& rb, const Unit* unit_a, const Unit* unit_b, std::istream& in,
                     const BatchDiffOptions& options, int places, Rounding rounding,
                     const std::function<void(RecordDiff&)>& take) {
    std::string all{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    BatchOptions batch;
    batch.threads = options.threads;
    batch.unit = unit_a;
    std::vector<Evaluation> old;
    std::vector<std::size_t> lines;
    {
        TextBuf buf(all);
        std::istream text(&buf);
        evaluate_batch(ra, text, [&](const BatchItem& item) {
            old.push_back(item.evaluation);
            lines.push_back(item.line);
        }, batch);
    }
    batch.unit = unit_b;
    TextBuf buf(all);
    std::istream text(&buf);
    std::size_t i = 0;
    evaluate_batch(rb, text, [&](const BatchItem& item) {
        const Evaluation& ea = old[i];
        const Evaluation& eb = item.evaluation;
        RecordDiff d;
        if (!ea.ok()) {
            d.error = true;
            d.id = ea.error().id;
            d.error_text = "old: " + (ea.error().where.empty() ? "" : ea.error().where + ": ") + ea.error().message;
        } else if (!eb.ok()) {
            d.error = true;
            d.id = ea.result().id();
            d.error_text = "new: " + (eb.error().where.empty() ? "" : eb.error().where + ": ") + eb.error().message;
        } else {
            d = compare(ea.result(), eb.result(), options.with_lines, places, rounding);
        }
        d.line = lines[i];
        d.places = places;
        d.rounding = rounding;
        old[i] = Evaluation(RecordError{});  // compared: its result is no longer held
        ++i;
        take(d);
    }, batch);
}

}  // namespace

ImpactReport diff_batch(const std::string& old_rules, const std::string& new_rules, std::istream& in,
                        const BatchDiffOptions& options, const std::function<void(const RecordDiff&)>& on_record,
                        std::size_t top) {
    ImpactReport summary;
    std::string& error = summary.error;
    CompileResult a = Ruleset::compile_file(old_rules);
    CompileResult b = Ruleset::compile_file(new_rules);
    for (auto* c : {&a, &b})
        for (const auto& x : c->diagnostics)
            if (x.severity == Severity::error) summary.diagnostics.push_back(x);
    if (!a.ruleset || !b.ruleset) {
        error = std::string(!a.ruleset ? old_rules : new_rules) + " does not compile";
        return summary;
    }
    const Ruleset& ra = *a.ruleset;
    const Ruleset& rb = *b.ruleset;
    if (options.as_year && !options.unit_path.empty()) {
        error = "--as-year moves a person's record to the new year, not a unit record: give no --unit with it";
        return summary;
    }
    std::optional<Unit> unit_a, unit_b;
    if (!options.unit_path.empty()) {
        FileText f = read_file(options.unit_path, kMaxRecordBytes);
        if (f.status != FileText::Status::ok) {
            error = cannot_read("unit record", options.unit_path, f);
            return summary;
        }
        const std::string& text = f.text;
        RecordError e;
        unit_a = ra.read_unit(text, &e);
        if (unit_a) unit_b = rb.read_unit(text, &e);
        if (!unit_a || !unit_b) {
            error = options.unit_path + " (under " + (unit_a ? new_rules : old_rules) + "): " + e.where + ": " + e.message;
            return summary;
        }
    }
    const ir::Program& pa = Access::program(ra);
    summary.places = pa.policy.round_places;
    summary.rounding = pa.policy.rounding;
    for (const auto& g : pa.grades) summary.old_grade_order.push_back(g.name);
    for (const auto& g : Access::program(rb).grades) summary.new_grade_order.push_back(g.name);

    // One work item scores a line under both rulesets and compares the two results.
    struct Chunk {
        LineChunk in;
        std::vector<RecordDiff> out;
    };
    struct None {};
    LineReader reader(in);
    const int places = summary.places;
    const Rounding rounding = summary.rounding;
    const std::pair<std::string, std::string> moved_year =
        options.as_year ? std::pair(std::to_string(rb.year()), std::to_string(ra.year())) : std::pair<std::string, std::string>();
    const auto score = [&](Chunk& c, None&) {
        c.out.clear();
        for (const RecordLine& l : c.in.lines) {
            RecordDiff d;
            const std::optional<Evaluation> ea =
                l.too_large() ? std::nullopt : std::optional<Evaluation>(ra.evaluate(c.in.text_of(l), unit_a ? &*unit_a : nullptr));
            if (!ea) {
                d.error = true;
                d.error_text = "old: " + too_large_message(l);
            } else if (!ea->ok()) {
                d.error = true;
                d.id = ea->error().id;
                d.error_text = "old: " + (ea->error().where.empty() ? "" : ea->error().where + ": ") + ea->error().message;
            } else {
                const Evaluation eb = options.as_year ? api::evaluate_as_year(rb, c.in.text_of(l), rb.year())
                                                      : rb.evaluate(c.in.text_of(l), unit_b ? &*unit_b : nullptr);
                if (!eb.ok()) {
                    d.error = true;
                    d.id = ea->result().id();
                    d.error_text = "new: " + (eb.error().where.empty() ? "" : eb.error().where + ": ") + eb.error().message;
                } else {
                    d = compare(ea->result(), eb.result(), options.with_lines, places, rounding, moved_year);
                }
            }
            d.line = l.line;
            d.places = places;
            d.rounding = rounding;
            c.out.push_back(std::move(d));
        }
    };

    auto by_size = [](const RecordDiff& x, const RecordDiff& y) {
        const Number ax = x.delta.abs(), ay = y.delta.abs();
        return ax != ay ? ax > ay : x.line < y.line;
    };
    // Adds one record's difference to the summary and hands it on.
    const auto take = [&](RecordDiff& d) {
        ++summary.records;
        if (d.error) {
            ++summary.errors;
            on_record(d);
            return;
        }
        if (!summary.smallest || d.delta < *summary.smallest) summary.smallest = d.delta;
        if (!summary.largest || d.delta > *summary.largest) summary.largest = d.delta;
        summary.sum += d.delta;
        if (d.changed()) ++summary.changed;
        if (d.flags_changed()) {
            // "+further_action -other": raised now, no longer raised.
            std::string what;
            for (const auto& f : d.new_flags)
                if (std::find(d.old_flags.begin(), d.old_flags.end(), f) == d.old_flags.end()) what += " +" + f;
            for (const auto& f : d.old_flags)
                if (std::find(d.new_flags.begin(), d.new_flags.end(), f) == d.new_flags.end()) what += " -" + f;
            summary.reflagged.push_back(d.id + " (line " + std::to_string(d.line) + "):" + what);
        }
        if (d.coefficients_changed()) ++summary.coefficients_changed;
        if (d.old_grade != d.new_grade) {
            if (++summary.regraded <= 100)
                summary.regraded_records.push_back(d.id + " (line " + std::to_string(d.line) + "): " +
                                                   d.old_grade.value_or("(none)") + " -> " + d.new_grade.value_or("(none)"));
        }
        else if (d.delta.is_zero() && !d.paths.empty()) ++summary.clauses_only;
        if (d.delta.is_negative()) ++summary.down;
        else if (!d.delta.is_zero()) ++summary.up;
        if (!d.delta.is_zero()) ++summary.deltas[d.delta];
        if (!summary.old_grade_order.empty() || !summary.new_grade_order.empty())
            ++summary.grades[{d.old_grade.value_or(""), d.new_grade.value_or("")}];
        on_record(d);
        if (top > 0 && !d.delta.is_zero() &&
            (summary.top.size() < top || by_size(d, summary.top.back()))) {
            auto pos = std::upper_bound(summary.top.begin(), summary.top.end(), d, by_size);
            summary.top.insert(pos, std::move(d));
            if (summary.top.size() > top) summary.top.pop_back();
        }
    };

    // A quota or a grade rule reading the unit: each ruleset's batch over the whole population.
    if (api::needs_population(ra) || api::needs_population(rb)) {
        diff_population(ra, rb, unit_a ? &*unit_a : nullptr, unit_b ? &*unit_b : nullptr, in, options, places, rounding, take);
        return summary;
    }
    run_ordered<Chunk>(
        options.threads, [] { return None{}; }, [&](Chunk& c) { return reader.next(c.in); }, score,
        [&](Chunk& c) {
            for (RecordDiff& d : c.out) take(d);
            return true;
        });
    return summary;
}

// ---- The report for people

namespace {

std::string bar(std::size_t n, std::size_t most, std::size_t width) {
    std::size_t fill = most ? (n * width + most - 1) / most : 0;
    std::string out;
    for (std::size_t i = 0; i < fill; ++i) out += "█";
    return out;
}

}  // namespace

std::string ImpactReport::text() const {
    if (!ok()) return terminal_text(error) + "\n";
    const std::size_t scored = records - errors;
    std::string out = "records: " + std::to_string(records) + ", scored under both: " + std::to_string(scored) +
                      ", errors: " + std::to_string(errors) + "\n";
    out += "changed: " + std::to_string(changed) + " (total up " + std::to_string(up) + ", down " + std::to_string(down);
    if (regraded) out += "; grade changed " + std::to_string(regraded);
    if (clauses_only) out += "; same total and grade, clause scores moved " + std::to_string(clauses_only);
    if (!reflagged.empty()) out += "; flags changed " + std::to_string(reflagged.size());
    if (coefficients_changed) out += "; coefficient changed " + std::to_string(coefficients_changed);
    out += ")\n";
    if (scored > 0 && smallest && largest) {
        const Number mean = sum / Number(static_cast<std::int64_t>(scored));
        out += "change of the total: smallest " + signed_text(*smallest, places, rounding) + ", largest " +
               signed_text(*largest, places, rounding) + ", mean " + signed_text(mean.round(4, Rounding::half_up), 4) +
               " over " + std::to_string(scored) + " records";
        if (up + down > 0)
            out += " (" + signed_text((sum / Number(static_cast<std::int64_t>(up + down))).round(4, Rounding::half_up), 4) +
                   " over the " + std::to_string(up + down) + " whose total changed)";
        out += "\n";
    }
    if (!deltas.empty()) {
        out += "\nchange of the total (records whose total changed):\n";
        std::vector<std::pair<std::string, std::size_t>> rows;
        if (deltas.size() <= 24) {
            for (const auto& [d, n] : deltas) rows.emplace_back(signed_text(d, places, rounding), n);
        } else {
            constexpr std::int64_t kBins = 16;
            const Number lo = deltas.begin()->first, hi = deltas.rbegin()->first;
            const Number width = (hi - lo) / Number(kBins);
            std::vector<std::size_t> counts(kBins, 0);
            for (const auto& [d, n] : deltas) {
                auto k = ((d - lo) / width).floor().to_int64().value_or(kBins - 1);
                counts[static_cast<std::size_t>(std::clamp<std::int64_t>(k, 0, kBins - 1))] += n;
            }
            for (std::int64_t k = 0; k < kBins; ++k) {
                const Number a = lo + width * Number(k), b = lo + width * Number(k + 1);
                rows.emplace_back(signed_text(a.round(2, Rounding::half_up), 2) + " .. " +
                                      signed_text(b.round(2, Rounding::half_up), 2),
                                  counts[static_cast<std::size_t>(k)]);
            }
        }
        std::size_t most = 0;
        unsigned label = 0;
        for (const auto& [l, n] : rows) most = std::max(most, n), label = std::max(label, display_width(l));
        for (const auto& [l, n] : rows) {
            std::string pad(label - display_width(l), ' ');
            out += "  " + pad + l + " │" + pad_right(bar(n, most, 40), 41) + std::to_string(n) + "\n";
        }
    }
    if (!grades.empty()) {
        out += "\ngrades (rows: old, columns: new):\n";
        std::vector<std::string> rows = old_grade_order, cols = new_grade_order;
        auto ensure = [](std::vector<std::string>& v, const std::string& g) {
            if (std::find(v.begin(), v.end(), g) == v.end()) v.push_back(g);
        };
        for (const auto& [k, n] : grades) ensure(rows, k.first), ensure(cols, k.second);
        auto name = [](const std::string& g) { return g.empty() ? std::string("(none)") : g; };
        unsigned w0 = 8;
        for (const auto& r : rows) w0 = std::max(w0, display_width(name(r)) + 2);
        std::vector<unsigned> w;
        for (const auto& c : cols) {
            unsigned cw = display_width(name(c));
            for (const auto& r : rows) {
                auto it = grades.find({r, c});
                cw = std::max(cw, static_cast<unsigned>(std::to_string(it == grades.end() ? 0 : it->second).size()));
            }
            w.push_back(cw + 2);
        }
        out += "  " + pad_right("", w0);
        for (std::size_t i = 0; i < cols.size(); ++i) {
            const std::string n = name(cols[i]);
            out += std::string(w[i] - display_width(n), ' ') + n;
        }
        out += "\n";
        for (const auto& r : rows) {
            out += "  " + pad_right(name(r), w0);
            for (std::size_t i = 0; i < cols.size(); ++i) {
                auto it = grades.find({r, cols[i]});
                const std::string n = std::to_string(it == grades.end() ? 0 : it->second);
                out += std::string(w[i] - n.size(), ' ') + n;
            }
            out += "\n";
        }
    }
    if (regraded) {
        out += "\ngrades changed (" + std::to_string(regraded) +
               (regraded > regraded_records.size() ? ", the first " + std::to_string(regraded_records.size()) : std::string()) + "):\n";
        for (const auto& r : regraded_records) out += "  " + r + "\n";
    }
    if (!reflagged.empty()) {
        out += "\nflags changed (" + std::to_string(reflagged.size()) + "):\n";
        for (const auto& r : reflagged) out += "  " + r + "\n";
    }
    if (!top.empty()) {
        out += "\nlargest movers:\n";
        for (const auto& d : top) {
            out += "  " + d.id + " (line " + std::to_string(d.line) + ")  " + d.old_total.to_string(places, rounding) + " -> " +
                   d.new_total.to_string(places, rounding) + " (" + signed_text(d.delta, places, rounding) + ")";
            if (d.old_grade != d.new_grade)
                out += "  " + d.old_grade.value_or("(none)") + " -> " + d.new_grade.value_or("(none)");
            out += "\n";
            for (const auto& l : d.lines) out += "      " + l + "\n";
        }
    }
    return terminal_lines(out);
}

std::string ImpactReport::json() const {
    if (!ok()) return "{\"error\":" + json_quote(error) + "}";
    return "{\"summary\":{\"records\":" + std::to_string(records) + ",\"changed\":" + std::to_string(changed) +
           ",\"up\":" + std::to_string(up) + ",\"down\":" + std::to_string(down) + ",\"errors\":" + std::to_string(errors) +
           (coefficients_changed ? ",\"coefficients_changed\":" + std::to_string(coefficients_changed) : std::string()) + "}}";
}

}  // namespace kaohe::policy
