// The entry workbook (登记表.xlsx): the layout's sheets (sheet/layout.hpp) with their header rows,
// comments, drop-downs and validations; a hidden sheet of the drop-downs' lists (选项), a hidden
// sheet of what the workbook was made from (_kaohe), and the instructions (填表说明), written
// with libxlsxwriter.
#include <algorithm>
#include <map>
#include <stdexcept>

#include "api/access.hpp"
#include "kaohe/workbook.hpp"
#include "sheet/layout.hpp"
#include "sheet/words.hpp"
#include "sheet/writer.hpp"

namespace kaohe {

namespace {

using sheet::Column;
using sheet::ColumnKind;

// Rows 2..kLastRow of each entry sheet carry the validations (Excel's rows from 0 here).
constexpr lxw_row_t kLastRow = 999;
constexpr const char* kListsSheet = "选项";

// The hidden sheet of lists: each distinct list once, in a column of its own, so that a drop-down
// is a range there (Excel limits a list written inline to 255 characters).
class Lists {
public:
    explicit Lists(lxw_worksheet* sheet) : sheet_(sheet) {}
    // "='选项'!$A$2:$A$5"
    std::string range(const std::string& header, const std::vector<std::string>& choices) {
        auto it = columns_.find(choices);
        if (it == columns_.end()) {
            const auto col = static_cast<lxw_col_t>(columns_.size());
            sheet::check(worksheet_write_string(sheet_, 0, col, header.c_str(), nullptr), "选项");
            for (std::size_t i = 0; i < choices.size(); ++i)
                sheet::check(worksheet_write_string(sheet_, static_cast<lxw_row_t>(i + 1), col, choices[i].c_str(), nullptr), "选项");
            it = columns_.emplace(choices, columns_.size()).first;
        }
        const std::string letters = cell_name(0, it->second + 1);
        return "='" + std::string(kListsSheet) + "'!$" + letters + "$2:$" + letters + "$" + std::to_string(choices.size() + 1);
    }

private:
    lxw_worksheet* sheet_;
    std::map<std::vector<std::string>, std::size_t> columns_;
};

// A validation's texts, kept alive while libxlsxwriter copies them.
struct Validation {
    lxw_data_validation v{};
    std::string formula, title, message;
    // A number validation's bounds, as their exact decimal text: the sheet gets the number as
    // the rules write it, never through a binary double.
    std::string low, high;
};

std::size_t utf8_length(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
    return n;
}


std::string label_of(const std::string& label, const std::string& id) { return label.empty() ? id : label; }

// A column's help, with what the template knows beyond the layout: 分值's one validation is the
// union of the events' ranges, each said in 填表说明; 评分 on a scale.
std::string column_help(const Column& c) {
    if (c.kind == ColumnKind::amount && c.min && c.max)
        return c.help + "（各事件的分值范围见填表说明；本列只有一个数据验证，取各范围的并集" + c.min->to_string(6) + "至" +
               c.max->to_string(6) + "）";
    if (c.kind == ColumnKind::mark) return c.help + "（评分有等次的测评，可从下拉列表中选择等次或填写其分数，见填表说明）";
    return c.help;
}

// The validation of a column's cells, or false when the column takes any text.
bool validation_for(const Column& c, int year, Lists& lists, Validation& out) {
    lxw_data_validation& v = out.v;
    v.ignore_blank = LXW_VALIDATION_ON;
    v.show_error = LXW_VALIDATION_ON;
    v.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
    v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
    // Excel takes a validation's title of at most 32 characters.
    out.title = "“" + c.header + "”填写有误";
    if (utf8_length(out.title) > 32) out.title = "填写有误";
    if (!c.choices.empty()) {
        v.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
        out.formula = lists.range(c.header, c.choices);
        out.message = "请从下拉列表中选择" + c.header + "。";
        // A scale's measure also takes its score as a number: warn, let the clerk keep it.
        if (c.kind == ColumnKind::measure) {
            v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
            out.message = "请从下拉列表中选择等次，或填写其分数。";
        }
        if (c.kind == ColumnKind::mark) {
            v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
            out.message = "请从下拉列表中选择评分等次，或填写其分数。";
        }
    } else if (c.kind == ColumnKind::date) {
        v.validate = LXW_VALIDATION_TYPE_DATE;
        v.minimum_datetime = lxw_datetime{year, 1, 1, 0, 0, 0};
        v.maximum_datetime = lxw_datetime{year, 12, 31, 0, 0, 0};
        out.message = "请填写" + std::to_string(year) + "年内的日期，如 " + std::to_string(year) + "-03-14。";
    } else if (c.min || c.max) {
        v.validate = c.whole ? LXW_VALIDATION_TYPE_INTEGER_FORMULA : LXW_VALIDATION_TYPE_DECIMAL_FORMULA;
        if (c.min && c.max) {
            out.low = c.min->to_string();
            out.high = c.max->to_string();
            v.minimum_formula = out.low.data();
            v.maximum_formula = out.high.data();
            out.message = "请填写" + c.min->to_string(6) + "至" + c.max->to_string(6) + "之间的" + (c.whole ? "整数" : "数字") + "。";
        } else if (c.min) {
            v.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
            out.low = c.min->to_string();
            v.value_formula = out.low.data();
            out.message = "请填写不小于" + c.min->to_string(6) + "的" + (c.whole ? "整数" : "数字") + "。";
        } else {
            v.criteria = LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO;
            out.high = c.max->to_string();
            v.value_formula = out.high.data();
            out.message = "请填写不大于" + c.max->to_string(6) + "的" + (c.whole ? "整数" : "数字") + "。";
        }
    } else if (c.whole) {
        v.validate = LXW_VALIDATION_TYPE_INTEGER_FORMULA;
        v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        out.low = "-1000000000000000";
        out.high = "1000000000000000";
        v.minimum_formula = out.low.data();
        v.maximum_formula = out.high.data();
        out.message = "请填写整数。";
    } else {
        return false;
    }
    if (!out.formula.empty()) v.value_formula = out.formula.data();
    v.error_title = out.title.data();
    v.error_message = out.message.data();
    return true;
}

// Who must fill a column: "（必填）" for a column every row needs; for a measure, only when it has
// no default and a role's card reads it, naming the roles when not every role does ("（岗位为
// 主任科员（学会）的必填）"); "" otherwise.
std::string required_words(const ir::Program& p, const Column& c) {
    if (c.kind != ColumnKind::measure && c.kind != ColumnKind::fact) return c.required ? "（必填）" : "";
    const ir::Measure& m = p.measures[c.index];
    if (m.default_value) return "";
    std::string roles;
    std::size_t readers = 0;
    for (const ir::Role& r : p.roles) {
        if (!r.uses_measure[ir::MeasureId::at(c.index)]) continue;
        roles += (roles.empty() ? "" : "、") + label_of(r.label, r.id);
        ++readers;
    }
    if (readers == 0) return "";
    if (readers == p.roles.size() || p.one_card) return "（必填）";
    return "（岗位为 " + roles + " 的必填，其他岗位可不填）";
}

// A rating's marks on a scale: its labels, then its scores as numbers, each once, over every
// rating with a scale; empty when no rating has one.
std::vector<std::string> scale_marks(const ir::Program& p) {
    std::vector<std::string> out;
    auto add = [&](const std::string& s) {
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    };
    for (const ir::Measure& m : p.measures)
        if (m.rating) for (const auto& l : m.scale_labels) add(l);
    for (const ir::Measure& m : p.measures)
        if (m.rating) for (const auto& v : m.scale_values) add(v.to_string());
    return out;
}

void write_entry_sheet(lxw_worksheet* ws, const sheet::SheetLayout& s, const ir::Program& p, lxw_format* bold,
                       lxw_format* date, Lists& lists) {
    const int year = p.policy.year;
    for (std::size_t i = 0; i < s.columns.size(); ++i) {
        const Column& c = s.columns[i];
        const auto col = static_cast<lxw_col_t>(i);
        double width = sheet::width_for(c.header);
        for (const auto& choice : c.choices) width = std::max(width, sheet::width_for(choice));
        if (c.kind == ColumnKind::date) width = std::max(width, 12.0);
        if (c.kind == ColumnKind::note) width = std::max(width, 30.0);
        sheet::check(worksheet_set_column(ws, col, col, width, c.kind == ColumnKind::date ? date : nullptr), "列宽");
        sheet::check(worksheet_write_string(ws, 0, col, c.header.c_str(), bold), "表头");
        std::string comment = column_help(c) + required_words(p, c);
        if (!comment.empty()) sheet::check(worksheet_write_comment(ws, 0, col, comment.c_str()), "批注");
        Validation v;
        Column checked = c;
        // A mark on a scale: the scale's labels and scores, as a drop-down that only warns.
        if (c.kind == ColumnKind::mark) checked.choices = scale_marks(p);
        if (validation_for(checked, year, lists, v))
            sheet::check(worksheet_data_validation_range(ws, 1, col, kLastRow, col, &v.v), "数据验证");
    }
    worksheet_freeze_panes(ws, 1, 0);
}

const char* sheet_how(sheet::SheetKind kind) {
    switch (kind) {
    case sheet::SheetKind::people: return "每人一行：编号不得重复；其余各列按表头批注填写，带下拉列表的列从列表中选择。";
    case sheet::SheetKind::events: return "每个事件一行：填写当事人的编号、事件类型和日期；同一事件多次可填次数。";
    case sheet::SheetKind::unit_events: return "本单位的事件，每个事件一行，对本单位每个人计分。";
    case sheet::SheetKind::ratings: return "每位评分人的评分一行；投票测评每个等次的票数一行。";
    case sheet::SheetKind::periods: return "按月或按季度填报的数据，每人每期一行。";
    }
    return "";
}


void write_instructions(lxw_worksheet* ws, const ir::Program& p, const sheet::Layout& layout, lxw_format* bold,
                        lxw_format* wrap) {
    sheet::check(worksheet_set_column(ws, 0, 0, 24, nullptr), "列宽");
    sheet::check(worksheet_set_column(ws, 1, 1, 22, nullptr), "列宽");
    sheet::check(worksheet_set_column(ws, 2, 2, 90, wrap), "列宽");
    lxw_row_t row = 0;
    auto line = [&](const std::string& a, const std::string& b, const std::string& c, lxw_format* f = nullptr) {
        if (!a.empty()) sheet::check(worksheet_write_string(ws, row, 0, a.c_str(), f), "填表说明");
        if (!b.empty()) sheet::check(worksheet_write_string(ws, row, 1, b.c_str(), f), "填表说明");
        if (!c.empty()) sheet::check(worksheet_write_string(ws, row, 2, c.c_str(), f ? f : wrap), "填表说明");
        ++row;
    };
    line(p.policy.name.empty() ? "填表说明" : p.policy.name + " 填表说明", "", "", bold);
    line("考核年度", std::to_string(p.policy.year), "日期一律填写本年度内的日期，格式如 " + std::to_string(p.policy.year) + "-03-14。");
    ++row;
    line("工作表", "", "填写方法", bold);
    for (const auto& s : layout.sheets) {
        std::string cols;
        for (const auto& c : s.columns) {
            if (!cols.empty()) cols += "；";
            cols += c.header + required_words(p, c) + "：" + column_help(c);
        }
        line(s.name, "", std::string(sheet_how(s.kind)) + "各列：" + cols);
    }
    ++row;
    line("事件", "编号", "用于哪些考核条款，如何计分", bold);
    for (std::size_t e = 0; e < p.events.size(); ++e) {
        std::string how;
        for (ir::RuleId r : sheet::rules_reading_event(p, ir::EventId::at(e))) {
            if (!how.empty()) how += "\n";
            how += sheet::rule_line(p, p.rule(r));
        }
        if (how.empty()) how = "不计分";
        const ir::Event& event = p.events[e];
        if (event.has_amount)
            how = "分值栏填写" + event.amount_min.to_string(6) + "至" + event.amount_max.to_string(6) + "之间的数。\n" + how;
        line(label_of(event.label, event.id), event.id, how);
    }
    ++row;
    line("数据项", "编号", "用于哪些考核条款，如何计分", bold);
    for (std::size_t m = 0; m < p.measures.size(); ++m) {
        std::string how;
        for (ir::RuleId r : sheet::rules_reading_measure(p, ir::MeasureId::at(m))) {
            if (!how.empty()) how += "\n";
            how += sheet::rule_line(p, p.rule(r));
        }
        if (how.empty()) how = "不直接计分";
        const ir::Measure& measure = p.measures[m];
        if (measure.rating && !measure.scale_labels.empty()) {
            std::string scale;
            for (std::size_t i = 0; i < measure.scale_labels.size(); ++i)
                scale += (i ? "，" : "") + measure.scale_labels[i] + "（" + measure.scale_values[i].to_string() + "分）";
            how = "评分填写等次或其分数：" + scale + "。\n" + how;
        }
        line(label_of(measure.label, measure.id), measure.id, how);
    }
    worksheet_freeze_panes(ws, 1, 0);
}

}  // namespace

std::string entry_workbook(const Ruleset& ruleset) {
    const ir::Program& p = Access::program(ruleset);
    const sheet::Layout layout = sheet::layout_of(p);
    sheet::WorkbookFile file;
    lxw_workbook* book = file.book();
    lxw_format* bold = workbook_add_format(book);
    format_set_bold(bold);
    lxw_format* date = workbook_add_format(book);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format* wrap = workbook_add_format(book);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);

    // The entry sheets in the layout's order, then the instructions: last, so that the workbook
    // opens on 人员名单 and a spreadsheet's CSV export of the first sheet gives 人员名单 (the
    // importer finds sheets by name, so the order is for the clerk alone); then the hidden sheets.
    // libxlsxwriter keeps sheets in the order they are added, so all are added before any is filled.
    std::vector<lxw_worksheet*> entry;
    for (const auto& s : layout.sheets) entry.push_back(sheet::add_sheet(book, s.name));
    lxw_worksheet* instructions = sheet::add_sheet(book, sheet::kInstructionsSheet);
    lxw_worksheet* lists_sheet = sheet::add_sheet(book, kListsSheet);
    lxw_worksheet* about = sheet::add_sheet(book, sheet::kAboutSheet);

    Lists lists(lists_sheet);
    for (std::size_t i = 0; i < layout.sheets.size(); ++i) write_entry_sheet(entry[i], layout.sheets[i], p, bold, date, lists);
    write_instructions(instructions, p, layout, bold, wrap);

    // What the workbook was made from, as key/value rows, for the importer.
    const std::pair<const char*, std::string> facts[] = {
        {"policy", p.policy.name},
        {"version", p.policy.version},
        {"year", std::to_string(p.policy.year)},
        {"ruleset", ruleset.fingerprint()},
    };
    sheet::check(worksheet_write_string(about, 0, 0, "key", bold), "_kaohe");
    sheet::check(worksheet_write_string(about, 0, 1, "value", bold), "_kaohe");
    lxw_row_t row = 1;
    for (const auto& [key, value] : facts) {
        sheet::check(worksheet_write_string(about, row, 0, key, nullptr), "_kaohe");
        if (!value.empty()) sheet::check(worksheet_write_string(about, row, 1, value.c_str(), nullptr), "_kaohe");
        ++row;
    }
    worksheet_hide(lists_sheet);
    worksheet_hide(about);
    return file.finish();
}

}  // namespace kaohe
