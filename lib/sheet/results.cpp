// The results workbook (考核结果.xlsx): one row a person with every section and clause, a sheet
// of every explanation line and a sheet of the records that failed, written with libxlsxwriter.
#include <map>
#include <set>

#include "api/access.hpp"
#include "kaohe/workbook.hpp"
#include "sheet/writer.hpp"

namespace kaohe {

namespace {

// What decided the grade, in the clerk's words (the JSON result's outcome.by).
std::string outcome_words(const std::string& by) {
    if (by == "band") return "按分数段";
    if (by == "veto") return "一票否决";
    if (by == "condition") return "等次条件";
    if (by == "cap") return "等次上限";
    if (by == "quota") return "名额限制";
    return by;
}

struct ScoreColumn {
    std::string path, label;
    std::vector<std::string> parents;  // the labels of its parent, its parent's parent, …
};

// Columns that would share a label take their parent's label too (一季度·德), then the
// grandparent's, until they differ or have no parent left: each column can be named on its own.
void qualify_repeated_labels(std::vector<ScoreColumn>& columns) {
    std::vector<std::size_t> taken(columns.size(), 0);
    for (bool changed = true; changed;) {
        changed = false;
        std::map<std::string, std::vector<std::size_t>> by_label;
        for (std::size_t i = 0; i < columns.size(); ++i) by_label[columns[i].label].push_back(i);
        for (const auto& [label, same] : by_label) {
            if (same.size() < 2) continue;
            for (std::size_t i : same) {
                ScoreColumn& c = columns[i];
                if (taken[i] >= c.parents.size()) continue;
                c.label = c.parents[taken[i]++] + "·" + c.label;
                changed = true;
            }
        }
    }
}

// The cards' sections and clauses, the union over roles in declaration order, each path once;
// then any path a result has that the ruleset's latest version does not (a result of an older version).
std::vector<ScoreColumn> score_columns(const ir::Program& p, const std::vector<Result>& results) {
    std::vector<ScoreColumn> out;
    std::set<std::string> seen;
    for (const auto& n : p.nodes) {
        if (!seen.insert(n.path).second) continue;
        ScoreColumn c{n.path, n.label.empty() ? n.path : n.label, {}};
        for (ir::NodeId up = n.parent; up != ir::none; up = p.node(up).parent) {
            const ir::Node& parent = p.node(up);
            c.parents.push_back(parent.label.empty() ? parent.id : parent.label);
        }
        out.push_back(std::move(c));
    }
    for (const auto& r : results)
        for (const auto& s : r.scores())
            if (seen.insert(s.path).second) out.push_back({s.path, s.label.empty() ? s.path : s.label, {}});
    qualify_repeated_labels(out);
    return out;
}

// A number format showing `places` decimal places ("0.00"), or none for places 0 or no `report`.
lxw_format* places_format(lxw_workbook* book, std::map<int, lxw_format*>& formats, const ir::Program& p) {
    if (!p.policy.report || p.policy.report->places <= 0) return nullptr;
    const int places = p.policy.report->places;
    auto it = formats.find(places);
    if (it != formats.end()) return it->second;
    lxw_format* f = workbook_add_format(book);
    const std::string text = "0." + std::string(static_cast<std::size_t>(places), '0');
    format_set_num_format(f, text.c_str());
    return formats.emplace(places, f).first->second;
}

void headers(lxw_worksheet* ws, const std::vector<std::string>& names, lxw_format* bold) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto col = static_cast<lxw_col_t>(i);
        sheet::check(worksheet_write_string(ws, 0, col, names[i].c_str(), bold), "表头");
        sheet::check(worksheet_set_column(ws, col, col, sheet::width_for(names[i]), nullptr), "列宽");
    }
    worksheet_freeze_panes(ws, 1, 0);
}

void text(lxw_worksheet* ws, lxw_row_t row, std::size_t col, const std::string& s) {
    if (!s.empty()) sheet::check(worksheet_write_string(ws, row, static_cast<lxw_col_t>(col), s.c_str(), nullptr), "单元格");
}

}  // namespace

std::string results_workbook(const Ruleset& ruleset, const std::vector<Result>& results, const std::vector<RecordError>& failed) {
    const ir::Program& latest = Access::program(ruleset);
    sheet::WorkbookFile file;
    lxw_workbook* book = file.book();
    lxw_format* bold = workbook_add_format(book);
    format_set_bold(bold);
    std::map<int, lxw_format*> formats;

    lxw_worksheet* scores = sheet::add_sheet(book, "考核结果");
    lxw_worksheet* lines = sheet::add_sheet(book, "扣分明细");
    lxw_worksheet* failures = sheet::add_sheet(book, "未能评分");

    // 考核结果: one row a person.
    const std::vector<ScoreColumn> columns = score_columns(latest, results);
    std::vector<std::string> names = {"编号", "姓名", "单位", "岗位", "总分", "等次", "等次依据"};
    const std::size_t fixed = names.size();
    for (const auto& c : columns) names.push_back(c.label);
    headers(scores, names, bold);
    for (std::size_t i = 0; i < columns.size(); ++i)
        sheet::check(worksheet_write_comment(scores, 0, static_cast<lxw_col_t>(fixed + i), columns[i].path.c_str()), "批注");
    lxw_row_t row = 1;
    for (const Result& r : results) {
        const Access::ResultState& state = Access::state(r);
        lxw_format* f = places_format(book, formats, *state.program);
        text(scores, row, 0, r.id());
        text(scores, row, 1, r.name());
        text(scores, row, 2, state.record.unit);
        text(scores, row, 3, r.role_label().empty() ? r.role() : r.role_label());
        if (auto total = r.reported("total")) sheet::write_figure(scores, row, 4, *total, f);
        const std::optional<Outcome> outcome = r.outcome();
        if (outcome && outcome->grade) text(scores, row, 5, *outcome->grade);
        if (outcome) text(scores, row, 6, outcome_words(outcome->by));
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (auto figure = r.reported(columns[i].path))
                sheet::write_figure(scores, row, static_cast<lxw_col_t>(fixed + i), *figure, f);
        ++row;
    }

    // 扣分明细: every explanation line.
    headers(lines, {"编号", "姓名", "条款路径", "条款", "分值", "事件", "日期", "备注", "规则位置", "依据"}, bold);
    row = 1;
    for (const Result& r : results) {
        const ir::Program& p = *Access::state(r).program;
        std::map<std::string, std::string> labels;
        for (const auto& s : r.scores()) labels[s.path] = s.label;
        for (const Line& l : r.lines()) {
            text(lines, row, 0, r.id());
            text(lines, row, 1, r.name());
            text(lines, row, 2, l.path);
            text(lines, row, 3, labels[l.path]);
            sheet::write_figure(lines, row, 4, l.points.to_string(p.policy.round_places, p.policy.rounding), nullptr);
            if (!l.event.empty()) {
                auto e = p.event_index.find(l.event);
                const std::string label = e == p.event_index.end() ? "" : p.event(e->second).label;
                text(lines, row, 5, label.empty() ? l.event : label);
            }
            text(lines, row, 6, l.date);
            text(lines, row, 7, l.note);
            text(lines, row, 8, sheet::relative_where(p.sources, l.rule));
            text(lines, row, 9, l.cite);
            ++row;
        }
    }

    // 未能评分: each record that could not be scored.
    headers(failures, {"编号", "字段", "代码", "说明"}, bold);
    row = 1;
    for (const RecordError& e : failed) {
        text(failures, row, 0, e.id);
        text(failures, row, 1, e.where);
        text(failures, row, 2, e.code);
        text(failures, row, 3, e.message);
        ++row;
    }
    return file.finish();
}

}  // namespace kaohe
