// One row of a sheet into a person's record: 人员名单's row is the person, each row of 事件登记,
// 单位事件, 测评打分 and 分期数据 adds to a person (or to the unit) by 编号. Each cell is read by
// sheet/cells.hpp as a clerk means it, and remembered as the place of the record field it gives.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sheet/importer.hpp"
#include "support/suggest.hpp"

namespace kaohe::sheet {

const Cell* cell_of(const std::vector<std::pair<const Column*, Cell>>& cells, ColumnKind kind) {
    for (const auto& [col, cell] : cells)
        if (col->kind == kind) return &cell;
    return nullptr;
}

void Importer::read_person(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells) {
    const Place row_at{g.file, g.table.name, row.number, 0};
    const Cell* id = cell_of(cells, ColumnKind::id);
    if (!id) {
        problem(empty_cell(g, row, ColumnKind::id), diag::Code::S004, "编号必须填写");
        return;
    }
    Person p;
    p.id = ascii_forms(id->text);
    p.row = row_at;
    if (auto dup = person_index_.find(p.id); dup != person_index_.end()) {
        people_[dup->second].bad = true;
        problem(Place{g.file, g.table.name, row.number, id->column}, diag::Code::S006,
                "编号 " + quoted(p.id) + " 重复（已在第" + std::to_string(people_[dup->second].row.row) + "行）", p.id);
        return;
    }
    p.where["id"] = Place{g.file, g.table.name, row.number, id->column};
    bool role_given = false;
    for (const auto& [col, cell] : cells) {
        const Place at{g.file, g.table.name, row.number, cell.column};
        CellProblem bad;
        switch (col->kind) {
        case ColumnKind::name: p.name = cell.text, p.where["name"] = at; break;
        case ColumnKind::unit: p.unit = cell.text, p.where["unit"] = at; break;
        case ColumnKind::role: {
            role_given = true;
            p.where["role"] = at;
            std::vector<std::string> labels, ids;
            for (const auto& r : program_.roles) labels.push_back(r.label.empty() ? r.id : r.label), ids.push_back(r.id);
            if (auto i = read_name(cell.text, labels, ids, "岗位", bad)) p.role = program_.roles[*i].id;
            else cell_problem(at, bad, &p);
            break;
        }
        case ColumnKind::group: {
            p.where["groups"] = at;
            if (auto yes = read_yes_no(cell.text, bad)) {
                if (*yes) p.groups.push_back(col->id);
            } else {
                cell_problem(at, bad, &p);
            }
            break;
        }
        case ColumnKind::measure:
        case ColumnKind::fact: {
            const ir::Measure& m = program_.measures[col->index];
            if (auto v = measure_value(m, cell, cell.text, bad)) member(m.fact() ? p.facts : p.measures, m.id) = *v;
            else cell_problem(at, bad, &p);
            break;
        }
        default: break;
        }
    }
    // Where the record reader's errors about a cell left empty belong (R004: a measure a rule needs).
    for (std::size_t c = 0; c < current_columns_.size(); ++c) {
        const Column* col = current_columns_[c];
        if (col && (col->kind == ColumnKind::measure || col->kind == ColumnKind::fact))
            p.where.emplace((col->kind == ColumnKind::fact ? "facts." : "measures.") + col->id, Place{g.file, g.table.name, row.number, c});
    }
    bool role_column = false;
    for (const Column* c : current_columns_) role_column = role_column || (c && c->kind == ColumnKind::role);
    if (!role_given && role_column) {
        p.bad = true;
        problem(empty_cell(g, row, ColumnKind::role), diag::Code::S004, "岗位必须填写", p.id);
    }
    person_index_[p.id] = people_.size();
    people_.push_back(std::move(p));
}

std::optional<std::string> Importer::measure_value(const ir::Measure& m, const Cell& cell, const std::string& text,
                                                   CellProblem& bad) {
    if (m.kind == ir::Measure::Kind::yes_no) {
        auto yes = read_yes_no(text, bad);
        if (!yes) return std::nullopt;
        return std::string(*yes ? "true" : "false");
    }
    if (m.kind == ir::Measure::Kind::standing) {
        auto i = read_name(text, m.value_labels, m.values, m.label.empty() ? m.id : m.label, bad);
        if (!i) return std::nullopt;
        return json_string(m.values[*i]);
    }
    for (std::size_t i = 0; i < m.scale_labels.size(); ++i)
        if (m.scale_labels[i] == text) return m.scale_values[i].to_string();
    auto n = read_number(cell, text, bad);
    if (!n) {
        if (!m.scale_labels.empty()) bad.message += "，也不是等次（" + m.scale_text() + "）";
        return std::nullopt;
    }
    if (m.whole && !n->is_integer()) {
        bad = {diag::Code::S004, quoted(text) + " 不是整数"};
        return std::nullopt;
    }
    if (!m.scale_values.empty() && !m.scale_label(*n)) {
        bad = {diag::Code::S005, quoted(text) + " 不在等次之中（" + m.scale_text() + "）"};
        return std::nullopt;
    }
    if ((m.min && *n < *m.min) || (m.max && *n > *m.max)) {
        std::string range = m.min && m.max ? m.min->to_string() + "至" + m.max->to_string()
                            : m.min        ? "不小于" + m.min->to_string()
                                           : "不大于" + m.max->to_string();
        bad = {diag::Code::S005, quoted(text) + " 超出范围（" + range + "）"};
        return std::nullopt;
    }
    return n->to_string();
}

Person* Importer::person_of(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells) {
    const Cell* id = cell_of(cells, ColumnKind::id);
    if (!id) {
        problem(empty_cell(g, row, ColumnKind::id), diag::Code::S004, "编号必须填写");
        return nullptr;
    }
    const Place at{g.file, g.table.name, row.number, id->column};
    const std::string key = ascii_forms(id->text);
    auto found = person_index_.find(key);
    if (found == person_index_.end()) {
        std::vector<std::string_view> ids;
        for (const auto& p : people_) ids.push_back(p.id);
        const std::string_view near = nearest(key, ids);
        problem(at, diag::Code::S006,
                "人员名单中没有编号 " + quoted(key) + (near.empty() ? std::string() : "，是否为 `" + std::string(near) + "`？"));
        return nullptr;
    }
    Person& p = people_[found->second];
    if (const Cell* name = cell_of(cells, ColumnKind::name); name && !p.name.empty() && name->text != p.name) {
        p.bad = true;
        problem(Place{g.file, g.table.name, row.number, name->column}, diag::Code::S006,
                "编号 " + quoted(p.id) + " 是 " + p.name + "，不是 " + quoted(name->text), p.id);
        return nullptr;
    }
    return &p;
}

void Importer::read_event(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells, Person* person) {
    const Place row_at{g.file, g.table.name, row.number, 0};
    std::map<std::string, Place>& where = person ? person->where : unit_where_;
    std::vector<std::string>& events = person ? person->events : unit_events_;
    const std::string path = std::string(person ? "" : "unit.") + "events[" + std::to_string(events.size()) + "]";
    const Cell* type = cell_of(cells, ColumnKind::event_type);
    if (!type) {
        if (person) person->bad = true;
        problem(empty_cell(g, row, ColumnKind::event_type), diag::Code::S004, "事件类型必须填写", person ? person->id : "");
        return;
    }
    std::vector<std::string> labels, ids;
    std::vector<const ir::Event*> events_here;
    for (const auto& e : program_.events) {
        if (!person && !e.unit_fact) continue;
        events_here.push_back(&e);
        labels.push_back(e.label.empty() ? e.id : e.label);
        ids.push_back(e.id);
    }
    CellProblem bad;
    const Place type_at{g.file, g.table.name, row.number, type->column};
    auto which = read_name(type->text, labels, ids, "事件类型", bad);
    if (!which) {
        cell_problem(type_at, bad, person);
        return;
    }
    const ir::Event& e = *events_here[*which];
    const std::string event_name = labels[*which];
    Members fields;
    fields.emplace_back("type", json_string(e.id));
    where[path] = row_at;
    where[path + ".type"] = type_at;
    bool ok = true;
    for (const auto& [col, cell] : cells) {
        const Place at{g.file, g.table.name, row.number, cell.column};
        switch (col->kind) {
        case ColumnKind::date:
            where[path + ".date"] = at;
            if (auto d = read_date(cell, cell.text, year_, bad)) fields.emplace_back("date", json_string(*d));
            else cell_problem(at, bad, person), ok = false;
            break;
        case ColumnKind::amount: {
            where[path + ".amount"] = at;
            auto n = read_number(cell, cell.text, bad);
            if (n && !e.has_amount) bad = {diag::Code::S005, "事件「" + event_name + "」不填分值"}, n.reset();
            else if (n && (*n < e.amount_min || *n > e.amount_max))
                bad = {diag::Code::S005, "分值 " + quoted(cell.text) + " 超出「" + event_name + "」的范围（" +
                                             e.amount_min.to_string() + "至" + e.amount_max.to_string() + "）"},
                n.reset();
            if (n) fields.emplace_back("amount", n->to_string());
            else cell_problem(at, bad, person), ok = false;
            break;
        }
        case ColumnKind::count: {
            where[path + ".count"] = at;
            auto n = read_number(cell, cell.text, bad);
            if (n && !n->is_integer()) bad = {diag::Code::S004, quoted(cell.text) + " 不是整数"}, n.reset();
            else if (n && (*n < *col->min || *n > *col->max))
                bad = {diag::Code::S005, "次数 " + quoted(cell.text) + " 超出范围（1至1000000）"}, n.reset();
            if (n) fields.emplace_back("count", n->to_string());
            else cell_problem(at, bad, person), ok = false;
            break;
        }
        case ColumnKind::attribute: {
            const ir::Attribute& a = program_.attributes[col->index];
            where[path + "." + a.id] = at;
            bool declared = false;
            for (auto slot : e.attributes) declared = declared || slot.index() == col->index;
            if (!declared) {
                cell_problem(at, CellProblem{diag::Code::S005, "事件「" + event_name + "」没有「" + col->header + "」这一项：请留空"}, person);
                ok = false;
                break;
            }
            if (auto v = read_name(cell.text, a.value_labels, a.values, col->header, bad)) fields.emplace_back(a.id, json_string(a.values[*v]));
            else cell_problem(at, bad, person), ok = false;
            break;
        }
        case ColumnKind::note:
            where[path + ".note"] = at;
            fields.emplace_back("note", json_string(cell.text));
            break;
        default: break;
        }
    }
    // The cells of the row left empty, for the record reader's errors about them (R004: an
    // amount or an attribute a rule reads).
    for (std::size_t c = 0; c < current_columns_.size(); ++c) {
        const Column* col = current_columns_[c];
        if (!col) continue;
        const Place at{g.file, g.table.name, row.number, c};
        if (col->kind == ColumnKind::amount) where.emplace(path + ".amount", at);
        if (col->kind == ColumnKind::date) where.emplace(path + ".date", at);
        if (col->kind == ColumnKind::attribute) where.emplace(path + "." + program_.attributes[col->index].id, at);
    }
    if (ok) events.push_back(json_object(fields));
}

void Importer::read_rating(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells, Person& person) {
    const Place row_at{g.file, g.table.name, row.number, 0};
    const Cell* rating = cell_of(cells, ColumnKind::rating);
    if (!rating) {
        person.bad = true;
        problem(empty_cell(g, row, ColumnKind::rating), diag::Code::S004, "测评项目必须填写", person.id);
        return;
    }
    std::vector<std::string> labels, ids;
    std::vector<const ir::Measure*> ratings;
    for (const auto& m : program_.measures)
        if (m.rating || m.kind == ir::Measure::Kind::votes)
            ratings.push_back(&m), labels.push_back(m.label.empty() ? m.id : m.label), ids.push_back(m.id);
    CellProblem bad;
    auto which = read_name(rating->text, labels, ids, "测评项目", bad);
    if (!which) return cell_problem(Place{g.file, g.table.name, row.number, rating->column}, bad, &person);
    const ir::Measure& m = *ratings[*which];
    const bool votes = m.kind == ir::Measure::Kind::votes;
    RatingInputs* into = &person.ratings;
    std::string path = "ratings." + m.id;
    const Cell* period = cell_of(cells, ColumnKind::period);
    if (m.period != ir::PeriodKind::year) {
        if (!period) return person.bad = true, problem(empty_cell(g, row, ColumnKind::period), diag::Code::S004, "「" + labels[*which] + "」按期测评：期间必须填写", person.id);
        std::vector<std::string> choices;
        for (int i = 1; i <= ir::periods_in_year(m.period); ++i) choices.push_back(ir::period_name(year_, ir::Period{m.period, i}));
        auto p = period_of(period->text, choices, bad);
        if (!p) return cell_problem(Place{g.file, g.table.name, row.number, period->column}, bad, &person);
        into = &person.periods[*p].ratings;
        path = "periods." + *p + ".ratings." + m.id;
    } else if (period) {
        return cell_problem(Place{g.file, g.table.name, row.number, period->column},
                            CellProblem{diag::Code::S005, "「" + labels[*which] + "」按年度测评：期间不填"}, &person);
    }
    const Cell* mark = cell_of(cells, ColumnKind::mark);
    const Cell* grade = cell_of(cells, ColumnKind::vote_grade);
    const Cell* count = cell_of(cells, ColumnKind::votes);
    if (!votes) {
        if (!mark) return person.bad = true, problem(empty_cell(g, row, ColumnKind::mark), diag::Code::S004, "评分必须填写", person.id);
        const Place at{g.file, g.table.name, row.number, mark->column};
        auto v = measure_value(m, *mark, mark->text, bad);
        if (!v) return cell_problem(at, bad, &person);
        std::vector<std::string>* marks = nullptr;
        for (auto& r : into->marks)
            if (r.first == m.id) marks = &r.second;
        if (!marks) marks = &into->marks.emplace_back(m.id, std::vector<std::string>()).second;
        person.where[path + "[" + std::to_string(marks->size()) + "]"] = at;
        person.where[path] = at;
        marks->push_back(*v);
        return;
    }
    if (!grade || !count) return person.bad = true, problem(row_at, diag::Code::S004, "投票测评须填写等次和票数", person.id);
    const Place grade_at{g.file, g.table.name, row.number, grade->column}, count_at{g.file, g.table.name, row.number, count->column};
    auto g_index = read_name(grade->text, m.value_labels, m.values, "等次", bad);
    if (!g_index) return cell_problem(grade_at, bad, &person);
    auto n = read_number(*count, count->text, bad);
    if (n && !n->is_integer()) bad = {diag::Code::S004, quoted(count->text) + " 不是整数"}, n.reset();
    else if (n && (n->is_negative() || *n > Number(1000000))) bad = {diag::Code::S005, "票数 " + quoted(count->text) + " 超出范围（0至1000000）"}, n.reset();
    if (!n) return cell_problem(count_at, bad, &person);
    Members* grades = nullptr;
    for (auto& r : into->votes)
        if (r.first == m.id) grades = &r.second;
    if (!grades) grades = &into->votes.emplace_back(m.id, Members()).second;
    for (const auto& existing : *grades)
        if (existing.first == m.values[*g_index])
            return cell_problem(grade_at, CellProblem{diag::Code::S006, "编号 " + quoted(person.id) + " 的「" + labels[*which] + "」等次 `" +
                                                                        m.value_labels[*g_index] + "` 重复"}, &person);
    person.where[path] = row_at;
    person.where[path + "." + m.values[*g_index]] = count_at;
    grades->emplace_back(m.values[*g_index], n->to_string());
}

// A period of the year as records name it ("2022-03", "2022-Q1"), from what a clerk types: the
// name itself, a month as a date's month (2022年3月, 2022/3), a quarter as 2022Q1, Q1,
// 2022年第1季度, 2022年第一季度, 第一季度 or 一季度. No hint by likeness of spelling: `2022-03` is
// one character from `2022-Q3`, but March is in the first quarter, so a month given for a
// quarterly input is told the quarter it falls in.
std::optional<std::string> Importer::period_of(const std::string& text, const std::vector<std::string>& choices, CellProblem& bad) {
    std::string s = ascii_forms(text);
    for (char& c : s) c = static_cast<char>(c == 'q' ? 'Q' : c);
    const std::string year = std::to_string(year_);
    std::string name = s;
    // A quarter: the year (with 年 or -) optional, then Q1, or 第1季度, 第一季度, 一季度.
    std::string rest = s;
    if (rest.starts_with(year)) {
        rest = rest.substr(year.size());
        if (rest.starts_with("年")) rest = rest.substr(std::string("年").size());
        else if (rest.starts_with("-")) rest = rest.substr(1);
    }
    if (rest.starts_with("第")) rest = rest.substr(std::string("第").size());
    static const char* const kDigits[] = {"一", "二", "三", "四"};
    int quarter = 0;
    if (rest.size() == 2 && rest[0] == 'Q' && rest[1] >= '1' && rest[1] <= '4') quarter = rest[1] - '0';
    for (int q = 1; q <= 4 && !quarter && rest.ends_with("季度"); ++q)
        if (rest == std::to_string(q) + "季度" || rest == std::string(kDigits[q - 1]) + "季度") quarter = q;
    if (quarter) name = year + "-Q" + std::to_string(quarter);
    int month = 0;
    if (!quarter && name.find('Q') == std::string::npos) {
        CellProblem ignored;
        Cell as_text;
        if (auto date = read_date(as_text, s, year_, ignored); date && date->size() == 7) {
            name = *date;
            if (name.starts_with(year)) month = std::stoi(name.substr(5));
        }
    }
    for (const auto& c : choices)
        if (c == name) return c;
    const bool quarterly = !choices.empty() && choices[0].find('Q') != std::string::npos;
    std::string message = "未知的期间 " + quoted(text);
    if (quarterly && month) {
        message = quoted(text) + " 是月份；本项按季度填写，" + std::to_string(month) + "月属于 " + year + "-Q" + std::to_string((month + 2) / 3);
    } else if (!quarterly && quarter) {
        message = quoted(text) + " 是季度；本项按月填写，如 " + year + "-" + (quarter * 3 - 2 < 10 ? "0" : "") + std::to_string(quarter * 3 - 2);
    } else {
        message += "：可填 ";
        for (std::size_t i = 0; i < choices.size(); ++i) message += (i ? "、" : "") + choices[i];
    }
    bad = {diag::Code::S003, std::move(message)};
    return std::nullopt;
}

void Importer::read_period(const Given& g, const Row& row, const std::vector<std::pair<const Column*, Cell>>& cells, Person& person) {
    const Place row_at{g.file, g.table.name, row.number, 0};
    const Cell* period = cell_of(cells, ColumnKind::period);
    if (!period) return person.bad = true, problem(empty_cell(g, row, ColumnKind::period), diag::Code::S004, "期间必须填写", person.id);
    CellProblem bad;
    auto name = period_of(period->text, g.layout->columns[1].choices, bad);
    if (!name) return cell_problem(Place{g.file, g.table.name, row.number, period->column}, bad, &person);
    PeriodInputs& in = person.periods[*name];
    if (in.row)
        return cell_problem(Place{g.file, g.table.name, row.number, period->column},
                            CellProblem{diag::Code::S006, "编号 " + quoted(person.id) + " 的期间 " + *name + " 已在第" +
                                                              std::to_string(in.row) + "行填写"}, &person);
    in.row = row.number;
    const bool quarter = name->find('Q') != std::string::npos;
    for (const auto& [col, cell] : cells) {
        if (col->kind != ColumnKind::measure && col->kind != ColumnKind::fact) continue;
        const ir::Measure& m = program_.measures[col->index];
        const Place at{g.file, g.table.name, row.number, cell.column};
        if ((m.period == ir::PeriodKind::quarter) != quarter) {
            cell_problem(at, CellProblem{diag::Code::S005, "「" + col->header + "」按" + (quarter ? "月" : "季度") + "填写，不填在" +
                                                               (quarter ? "季度" : "月份") + "的行"}, &person);
            continue;
        }
        if (auto v = measure_value(m, cell, cell.text, bad)) {
            member(in.measures, m.id) = *v;
            person.where["periods." + *name + ".measures." + m.id] = at;
        } else {
            cell_problem(at, bad, &person);
        }
    }
}

}  // namespace kaohe::sheet
