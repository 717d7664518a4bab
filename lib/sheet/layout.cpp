#include "sheet/layout.hpp"

namespace kaohe::sheet {

const SheetLayout* Layout::find(SheetKind kind) const {
    for (const auto& s : sheets)
        if (s.kind == kind) return &s;
    return nullptr;
}

const char* fixed_header(ColumnKind kind) {
    switch (kind) {
    case ColumnKind::id: return "编号";
    case ColumnKind::name: return "姓名";
    case ColumnKind::unit: return "单位";
    case ColumnKind::role: return "岗位";
    case ColumnKind::event_type: return "事件类型";
    case ColumnKind::date: return "日期";
    case ColumnKind::amount: return "分值";
    case ColumnKind::count: return "次数";
    case ColumnKind::note: return "备注";
    case ColumnKind::rating: return "测评项目";
    case ColumnKind::period: return "期间";
    case ColumnKind::mark: return "评分";
    case ColumnKind::vote_grade: return "等次";
    case ColumnKind::votes: return "票数";
    case ColumnKind::group:
    case ColumnKind::measure:
    case ColumnKind::fact:
    case ColumnKind::attribute: return "";
    }
    return "";
}

namespace {

Column fixed(ColumnKind kind, bool required, std::string help) {
    Column c;
    c.kind = kind;
    c.header = fixed_header(kind);
    c.required = required;
    c.help = std::move(help);
    return c;
}

// The periods of the year a measure (or rating) of `kind` is given for: "2022-01" … or "2022-Q1" ….
void add_periods(int year, ir::PeriodKind kind, std::vector<std::string>& out) {
    for (int i = 1; i <= ir::periods_in_year(kind); ++i) {
        std::string name = ir::period_name(year, ir::Period{kind, i});
        bool seen = false;
        for (const auto& s : out) seen = seen || s == name;
        if (!seen) out.push_back(std::move(name));
    }
}

Column measure_column(const ir::Measure& m, std::size_t index) {
    Column c;
    c.header = m.label.empty() ? m.id : m.label;
    c.id = m.id;
    c.index = index;
    if (m.fact()) {
        c.kind = ColumnKind::fact;
        if (m.kind == ir::Measure::Kind::yes_no) {
            c.choices = {kYes, kNo};
            c.help = "填“是”或“否”";
        } else {
            c.choices = m.value_labels;
            c.help = "从下拉列表中选择";
        }
    } else {
        c.kind = ColumnKind::measure;
        c.min = m.min;
        c.max = m.max;
        c.whole = m.whole;
        if (!m.scale_labels.empty()) {
            c.choices = m.scale_labels;
            c.help = "从下拉列表中选择等次，或填其分数（" + m.scale_text() + "）";
        } else {
            c.help = std::string(m.whole ? "整数" : "数字");
            if (m.min && m.max) c.help += "，" + m.min->to_string() + "至" + m.max->to_string();
            else if (m.min) c.help += "，不小于" + m.min->to_string();
            else if (m.max) c.help += "，不大于" + m.max->to_string();
        }
    }
    c.required = !m.default_value.has_value();
    if (m.default_value) c.help += "；不填按" + m.default_value->to_string() + "计";
    return c;
}

// One column per attribute that an event of `events` declares, in the order the attributes are declared.
void add_attribute_columns(const ir::Program& p, const std::vector<const ir::Event*>& events, std::vector<Column>& out) {
    for (std::size_t a = 0; a < p.attributes.size(); ++a) {
        bool used = false;
        for (const ir::Event* e : events)
            for (auto slot : e->attributes) used = used || slot.index() == a;
        if (!used) continue;
        const ir::Attribute& attr = p.attributes[a];
        Column c;
        c.kind = ColumnKind::attribute;
        c.header = attr.label.empty() ? attr.id : attr.label;
        c.id = attr.id;
        c.index = a;
        c.choices = attr.value_labels;
        c.help = "从下拉列表中选择（只对有此项的事件填写）";
        out.push_back(std::move(c));
    }
}

SheetLayout events_sheet(const ir::Program& p, SheetKind kind, const std::vector<const ir::Event*>& events) {
    SheetLayout s;
    s.kind = kind;
    s.name = kind == SheetKind::events ? kEventsSheet : kUnitEventsSheet;
    if (kind == SheetKind::events) {
        s.columns.push_back(fixed(ColumnKind::id, true, "人员名单中的编号"));
        s.columns.push_back(fixed(ColumnKind::name, false, "可不填；填写时须与人员名单一致"));
    }
    Column type = fixed(ColumnKind::event_type, true, "从下拉列表中选择");
    for (const ir::Event* e : events) type.choices.push_back(e->label.empty() ? e->id : e->label);
    s.columns.push_back(std::move(type));
    s.columns.push_back(fixed(ColumnKind::date, false, "日期（如 " + std::to_string(p.policy.year) + "-03-14），或月份（" +
                                                           std::to_string(p.policy.year) + "-03）"));
    bool amounts = false;
    Column amount = fixed(ColumnKind::amount, false, "只对需要考核人确定分值的事件填写，在其范围之内");
    for (const ir::Event* e : events) {
        if (!e->has_amount) continue;
        if (!amounts || e->amount_min < *amount.min) amount.min = e->amount_min;
        if (!amounts || e->amount_max > *amount.max) amount.max = e->amount_max;
        amounts = true;
    }
    if (amounts) s.columns.push_back(std::move(amount));
    Column count = fixed(ColumnKind::count, false, "不填为1次");
    count.min = Number(1);
    count.max = Number(1000000);
    count.whole = true;
    s.columns.push_back(std::move(count));
    add_attribute_columns(p, events, s.columns);
    s.columns.push_back(fixed(ColumnKind::note, false, "情况说明，可不填"));
    return s;
}

}  // namespace

Layout layout_of(const ir::Program& p) {
    Layout out;
    out.year = p.policy.year;

    SheetLayout people;
    people.kind = SheetKind::people;
    people.name = kPeopleSheet;
    people.columns.push_back(fixed(ColumnKind::id, true, "每人一个，不得重复"));
    people.columns.push_back(fixed(ColumnKind::name, false, "姓名"));
    people.columns.push_back(fixed(ColumnKind::unit, false, "所在单位或科室；同一单位写法一致"));
    if (!p.one_card) {
        Column role = fixed(ColumnKind::role, true, "从下拉列表中选择");
        for (const auto& r : p.roles) role.choices.push_back(r.label.empty() ? r.id : r.label);
        people.columns.push_back(std::move(role));
    }
    for (std::size_t g = 0; g < p.groups.size(); ++g) {
        Column c;
        c.kind = ColumnKind::group;
        c.header = p.groups[g].label.empty() ? p.groups[g].id : p.groups[g].label;
        c.id = p.groups[g].id;
        c.index = g;
        c.choices = {kYes, kNo};
        c.help = "属于此类人员的填“是”，否则留空或填“否”";
        people.columns.push_back(std::move(c));
    }

    SheetLayout periods;
    periods.kind = SheetKind::periods;
    periods.name = kPeriodsSheet;
    periods.columns.push_back(fixed(ColumnKind::id, true, "人员名单中的编号"));
    periods.columns.push_back(fixed(ColumnKind::period, true, "从下拉列表中选择月份或季度"));

    SheetLayout ratings;
    ratings.kind = SheetKind::ratings;
    ratings.name = kRatingsSheet;
    ratings.columns.push_back(fixed(ColumnKind::id, true, "人员名单中的编号"));
    Column rating = fixed(ColumnKind::rating, true, "从下拉列表中选择");
    Column rating_period = fixed(ColumnKind::period, false, "只对按月或按季度的测评填写");
    Column mark = fixed(ColumnKind::mark, false, "一位评分人的评分，一行一个");
    Column grade = fixed(ColumnKind::vote_grade, false, "只对投票测评填写：所投的等次");
    Column votes = fixed(ColumnKind::votes, false, "只对投票测评填写：该等次的票数");
    votes.min = Number(0);
    votes.max = Number(1000000);
    votes.whole = true;
    bool any_votes = false, any_marks = false, any_period_rating = false;

    for (std::size_t m = 0; m < p.measures.size(); ++m) {
        const ir::Measure& decl = p.measures[m];
        if (decl.rating || decl.kind == ir::Measure::Kind::votes) {
            rating.choices.push_back(decl.label.empty() ? decl.id : decl.label);
            if (decl.kind == ir::Measure::Kind::votes) {
                any_votes = true;
                for (const auto& l : decl.value_labels) {
                    bool seen = false;
                    for (const auto& c : grade.choices) seen = seen || c == l;
                    if (!seen) grade.choices.push_back(l);
                }
            } else {
                any_marks = true;
            }
            if (decl.period != ir::PeriodKind::year) {
                any_period_rating = true;
                add_periods(p.policy.year, decl.period, rating_period.choices);
            }
            continue;
        }
        if (decl.period != ir::PeriodKind::year) {
            add_periods(p.policy.year, decl.period, periods.columns[1].choices);
            periods.columns.push_back(measure_column(decl, m));
            continue;
        }
        people.columns.push_back(measure_column(decl, m));
    }
    out.sheets.push_back(std::move(people));

    std::vector<const ir::Event*> person_events, unit_events;
    for (const auto& e : p.events) {
        person_events.push_back(&e);
        if (e.unit_fact) unit_events.push_back(&e);
    }
    if (!person_events.empty()) out.sheets.push_back(events_sheet(p, SheetKind::events, person_events));
    if (!unit_events.empty()) out.sheets.push_back(events_sheet(p, SheetKind::unit_events, unit_events));

    if (!rating.choices.empty()) {
        ratings.columns.push_back(std::move(rating));
        if (any_period_rating) ratings.columns.push_back(std::move(rating_period));
        if (any_marks) ratings.columns.push_back(std::move(mark));
        if (any_votes) {
            ratings.columns.push_back(std::move(grade));
            ratings.columns.push_back(std::move(votes));
        }
        out.sheets.push_back(std::move(ratings));
    }
    if (periods.columns.size() > 2) out.sheets.push_back(std::move(periods));
    return out;
}

}  // namespace kaohe::sheet
