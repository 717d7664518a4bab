// What decided a result's grade: the band the total reached, or the veto that forced or capped it
// (with the first event it fired on), or, in a scheme without grades, the veto that fired.
#include "explain/explain.hpp"
#include "support/text.hpp"

namespace kaohe::explain {

namespace {

// "优秀: 15% of 40 = 6, round down, ties all_in"; the share's exact count when not whole,
// "15% of 41 = 6.15, round down = 6".
std::string quota_text(const ir::Program& p, const ir::GradeBand& band, const eval::Outcome::QuotaPlace& q) {
    const ir::GradeQuota& quota = *band.quota;
    const Number exact = quota.share * Number(static_cast<std::int64_t>(q.people)) / Number(100);
    std::string s = band.name + ": " + quota.share.to_string() + "% of " + std::to_string(q.people) + " = ";
    const std::string rounding = quota.nearest ? "round nearest" : "round down";
    if (exact.is_integer()) s += std::to_string(q.count) + ", " + rounding;
    else s += exact.to_string() + ", " + rounding + " = " + std::to_string(q.count);
    std::string by;  // ", ties by highest attendance then all_in"
    if (quota.tie_measure != ir::none)
        by = std::string(" by ") + (quota.tie_highest ? "highest " : "lowest ") + p.measure(quota.tie_measure).id + " then";
    return s + ", ties" + by + (quota.all_in ? " all_in" : " all_out");
}

// A grade with a quota: "before" it for a single record; as applied, in a batch.
void add_quota(const ir::Program& p, const eval::Outcome& o, Outcome& out) {
    if (o.quota) {
        out.quota = quota_text(p, *o.quota->band, *o.quota);
        out.rank = static_cast<std::int64_t>(o.quota->rank);
        if (o.quota->missed) {
            out.by = "quota";
            out.rule = o.quota->band->quota->where;
            out.cite.clear();
        }
        return;
    }
    if (!o.grade) return;
    for (const ir::GradeBand& b : p.grades)
        if (b.quota && b.name == *o.grade) out.quota = "before";
}

}  // namespace

std::optional<Outcome> outcome(const ir::Program& p, const record::Record& r, const eval::Outcome& o) {
    auto out = decided(p, r, o);
    if (out) add_quota(p, o, *out);
    return out;
}

std::optional<Outcome> decided(const ir::Program& p, const record::Record& r, const eval::Outcome& o) {
    if (!o.grade && !o.veto) return std::nullopt;
    Outcome out;
    if (o.grade) out.grade = *o.grade;
    if (o.band) out.band = o.band->name + (o.band->at_least ? " >= " + o.band->at_least->to_string() : " otherwise");
    if (o.lowered_veto)
        out.capped = o.lowered_veto->grade + " forced by veto " + p.event(o.lowered_veto->event).id + " at " + o.lowered_veto->where;
    else if (o.lowered_rule)
        out.capped = o.lowered_rule->grade + " by condition " + o.lowered_rule->condition + " at " + o.lowered_rule->where;
    if (o.rule) {
        out.by = o.rule->at_most ? "cap" : "condition";
        out.condition = o.rule->condition;
        out.why = condition_why(p, r, o.rule->when, &o);
        out.rule = o.rule->where;
        out.cite = o.rule->cite;
        return out;
    }
    if (!o.veto) {
        out.by = "band";
        // The figure the bands compared, when the result shows the total otherwise (rounded).
        if (o.total_before_rounding || (p.policy.report && !(p.policy.report->apply(o.total) == o.total)))
            out.on_total = o.total.to_string(12, p.policy.rounding);
        return out;
    }
    out.by = o.veto->action == ir::Veto::Action::caps ? "cap" : "veto";
    out.event = p.event(o.veto->event).id;
    const record::Event& e = r.event(o.veto_at);
    if (e.date.year) record::append_date(out.date, e.date);
    out.note = e.note;
    out.event_index = e.from_unit ? -1 - static_cast<std::int64_t>(e.position) : static_cast<std::int64_t>(e.position);
    out.rule = o.veto->where;
    out.cite = o.veto->cite;
    return out;
}

// {"grade", "by", "band", "on_total", "capped", "condition", "why", "event", "date", "note", "event_index", "rule", "cite", "quota", "rank"}: empty fields left out.
void append_outcome_json(std::string& out, const Outcome& o) {
    out += "{";
    bool first = true;
    auto field = [&](const char* key, const std::string& value) {
        if (value.empty()) return;
        out += first ? "\"" : ",\"";
        first = false;
        out += key;
        out += "\":";
        append_json_string(out, value);
    };
    if (o.grade) field("grade", *o.grade);
    field("by", o.by);
    field("band", o.band);
    if (!o.on_total.empty()) out += ",\"on_total\":" + o.on_total;
    field("capped", o.capped);
    field("condition", o.condition);
    field("why", o.why);
    field("event", o.event);
    field("date", o.date);
    field("note", o.note);
    if (!o.event.empty()) out += ",\"event_index\":" + std::to_string(o.event_index);
    field("rule", o.rule);
    field("cite", o.cite);
    field("quota", o.quota);
    if (o.rank > 0) out += ",\"rank\":" + std::to_string(o.rank);
    out += "}";
}

}  // namespace kaohe::explain
