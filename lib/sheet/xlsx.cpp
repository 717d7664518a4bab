// Reading an .xlsx workbook (Office Open XML, ECMA-376 part 1 §18): a zip (libzip) of XML parts
// (expat). Read: the workbook's sheet list (xl/workbook.xml) and where each sheet's part is
// (xl/_rels/workbook.xml.rels), the shared strings (xl/sharedStrings.xml), which cell formats
// show a date (xl/styles.xml), and each sheet's cells (xl/worksheets/sheetN.xml). Formulas are
// not evaluated: a formula cell is read as the value the application saved with it.
//
// The file is hostile until read: every part is parsed as a stream, its uncompressed bytes
// counted against a limit as they come (a zip's stated sizes are not trusted), a document type
// declaration (and so any entity) is refused, and rows, columns, cells and a cell's text each
// have a limit. Nothing is written to disk.
#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "kaohe/workbook.hpp"
#include "sheet/limits.hpp"
#include "sheet/read.hpp"

namespace kaohe::sheet {
namespace {

using diag::Code;

[[noreturn]] void unreadable(const std::string& why) { throw ReadFailure(Code::S001, "无法读取工作簿：" + why); }
[[noreturn]] void too_large(const std::string& what) { throw ReadFailure(Code::S007, what); }

struct ZipCloser {
    void operator()(zip_t* z) const { zip_discard(z); }
};
struct FileCloser {
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};
struct ParserFree {
    void operator()(XML_ParserStruct* p) const { XML_ParserFree(p); }
};

// The local name of an element or attribute read with namespaces on ("ns|name" → "name").
std::string_view local(const XML_Char* name) {
    std::string_view n(name);
    const auto bar = n.rfind('|');
    return bar == std::string_view::npos ? n : n.substr(bar + 1);
}

// The attribute `name` (local name) of an element, or null.
const XML_Char* attribute(const XML_Char** atts, std::string_view name) {
    for (; atts && *atts; atts += 2)
        if (local(atts[0]) == name) return atts[1];
    return nullptr;
}

// A handler of one XML part: the callbacks expat calls, with the part's state.
struct Handler {
    virtual ~Handler() = default;
    virtual void start(std::string_view name, const XML_Char** atts) = 0;
    virtual void end(std::string_view name) = 0;
    virtual void text(std::string_view) {}
    std::string failure;               // why the part cannot be read (S001), once fail() stopped the parse
    std::optional<ReadFailure> limit;  // the limit it passed (S007), once over() stopped the parse
    XML_Parser parser = nullptr;

    void fail(std::string why) {
        if (failure.empty() && !limit) failure = std::move(why);
        XML_StopParser(parser, XML_FALSE);
    }
    void over(std::string what) {
        if (failure.empty() && !limit) limit.emplace(Code::S007, std::move(what));
        XML_StopParser(parser, XML_FALSE);
    }
};

class Workbook {
public:
    explicit Workbook(std::string_view bytes) {
        if (bytes.size() > kMaxWorkbookBytes)
            too_large("工作簿过大：" + std::to_string(bytes.size()) + " 字节，上限为 " + std::to_string(kMaxWorkbookBytes) + " 字节");
        if (bytes.size() >= 8 && std::memcmp(bytes.data(), "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
            unreadable("这是加密的工作簿或旧版 .xls 文件；请去掉密码，另存为 Excel 工作簿（.xlsx）后再导入");
        zip_error_t error;
        zip_error_init(&error);
        zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
        if (!source) unreadable("内存不足");
        zip_t* z = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
        if (!z) {
            zip_source_free(source);
            zip_error_fini(&error);
            unreadable("不是 .xlsx 工作簿（不是有效的 zip 文件）；请在表格软件中另存为 Excel 工作簿（.xlsx）");
        }
        zip_error_fini(&error);
        zip_.reset(z);
    }

    bool has(const std::string& part) const { return zip_name_locate(zip_.get(), part.c_str(), 0) >= 0; }

    // Parses the part `name` with `h`, its uncompressed bytes counted against the workbook's budget.
    void parse(const std::string& name, Handler& h) {
        const zip_int64_t index = zip_name_locate(zip_.get(), name.c_str(), 0);
        if (index < 0) unreadable("缺少 " + name);
        std::unique_ptr<zip_file_t, FileCloser> file(zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0));
        if (!file) unreadable(name + " 已损坏或已加密");
        std::unique_ptr<XML_ParserStruct, ParserFree> parser(XML_ParserCreateNS(nullptr, '|'));
        if (!parser) unreadable("内存不足");
        XML_SetUserData(parser.get(), &h);
        h.parser = parser.get();
        XML_SetElementHandler(
            parser.get(),
            [](void* data, const XML_Char* n, const XML_Char** atts) { static_cast<Handler*>(data)->start(local(n), atts); },
            [](void* data, const XML_Char* n) { static_cast<Handler*>(data)->end(local(n)); });
        XML_SetCharacterDataHandler(parser.get(), [](void* data, const XML_Char* s, int len) {
            static_cast<Handler*>(data)->text(std::string_view(s, static_cast<std::size_t>(len)));
        });
        // No part of a workbook has a document type: refusing one refuses every entity with it.
        XML_SetStartDoctypeDeclHandler(parser.get(),
                                       [](void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
                                           static_cast<Handler*>(data)->fail("XML 中含有文档类型声明");
                                       });
        char buffer[64 * 1024];
        for (;;) {
            const zip_int64_t n = zip_fread(file.get(), buffer, sizeof buffer);
            if (n < 0) unreadable(name + " 已损坏（" + zip_file_strerror(file.get()) + "）");
            unpacked_ += static_cast<std::size_t>(n);
            if (unpacked_ > kMaxUnpackedBytes)
                too_large("工作簿解压后过大：超过 " + std::to_string(kMaxUnpackedBytes) + " 字节的上限");
            const bool last = n == 0;
            if (XML_Parse(parser.get(), buffer, static_cast<int>(n), last) != XML_STATUS_OK) {
                if (h.limit) throw *h.limit;
                if (!h.failure.empty()) unreadable(name + "：" + h.failure);
                unreadable(name + " 第 " + std::to_string(XML_GetCurrentLineNumber(parser.get())) + " 行不是有效的 XML（" +
                           XML_ErrorString(XML_GetErrorCode(parser.get())) + "）");
            }
            if (h.limit) throw *h.limit;
            if (!h.failure.empty()) unreadable(name + "：" + h.failure);
            if (last) break;
        }
    }

private:
    std::unique_ptr<zip_t, ZipCloser> zip_;
    std::size_t unpacked_ = 0;
};

// xl/workbook.xml: the sheets, in order.
struct SheetEntry {
    std::string name, rel;
    bool hidden = false;
};
struct WorkbookPart : Handler {
    std::vector<SheetEntry> sheets;
    void start(std::string_view name, const XML_Char** atts) override {
        if (name != "sheet") return;
        SheetEntry s;
        if (const char* n = attribute(atts, "name")) s.name = n;
        if (const char* id = attribute(atts, "id")) s.rel = id;  // r:id
        if (const char* st = attribute(atts, "state")) s.hidden = std::strcmp(st, "visible") != 0;
        if (sheets.size() >= kMaxSheets) over("工作表超过 " + std::to_string(kMaxSheets) + " 个");
        else sheets.push_back(std::move(s));
    }
    void end(std::string_view) override {}
};

// xl/_rels/workbook.xml.rels: relationship id → part.
struct RelsPart : Handler {
    std::unordered_map<std::string, std::string> targets;
    void start(std::string_view name, const XML_Char** atts) override {
        if (name != "Relationship") return;
        const char* id = attribute(atts, "Id");
        const char* target = attribute(atts, "Target");
        if (id && target && targets.size() < kMaxSheets * 4) targets[id] = target;
    }
    void end(std::string_view) override {}
};

// xl/sharedStrings.xml: the strings cells refer to by index. A string's text is its <t>, or
// its runs' <t> in order; phonetic guides (<rPh>) are not part of it.
struct SharedStringsPart : Handler {
    std::vector<std::string> strings;
    std::string current;
    bool in_t = false;
    int in_phonetic = 0;
    std::size_t total = 0;
    void start(std::string_view name, const XML_Char**) override {
        if (name == "si") current.clear();
        else if (name == "rPh") ++in_phonetic;
        else if (name == "t" && !in_phonetic) in_t = true;
    }
    void end(std::string_view name) override {
        if (name == "t") in_t = false;
        else if (name == "rPh") --in_phonetic;
        else if (name == "si") {
            if (strings.size() >= kMaxCells) over("共享字符串超过 " + std::to_string(kMaxCells) + " 个");
            else strings.push_back(std::move(current));
            current.clear();
        }
    }
    void text(std::string_view s) override {
        if (!in_t) return;
        current.append(s);
        if (current.size() > kMaxCellBytes)
            over("单元格文字超过 " + std::to_string(kMaxCellBytes) + " 字节的上限");
    }
};

// Whether a number format shows a date or a time: the built-in ones (ECMA-376 §18.8.30, and the
// CJK date formats 27–36 and 50–58 of Chinese Excel), or a format code with a date or time
// letter outside quoted text, escapes and [colour] sections.
bool date_format_id(int id) { return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58); }
bool date_format_code(std::string_view code) {
    bool quoted = false;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const char c = code[i];
        if (c == '"') quoted = !quoted;
        else if (quoted) continue;
        else if (c == '\\' || c == '_' || c == '*') ++i;  // the next character is literal
        else if (c == '[') {
            const auto close = code.find(']', i);
            if (close == std::string_view::npos) return false;
            const std::string_view inside = code.substr(i + 1, close - i - 1);
            if (inside == "h" || inside == "hh" || inside == "m" || inside == "mm" || inside == "s" || inside == "ss") return true;
            i = close;
        } else if (c != '\0' && std::strchr("dmyhsDMYHS", c)) {
            return true;
        }
    }
    return false;
}

// xl/styles.xml: for each cell format (the `s` of a cell), whether it shows a date.
struct StylesPart : Handler {
    std::map<int, std::string> formats;  // custom numFmtId → formatCode
    std::vector<int> xf_formats;         // cellXfs, in order: their numFmtId
    bool in_cell_xfs = false;
    void start(std::string_view name, const XML_Char** atts) override {
        if (name == "numFmt") {
            const char* id = attribute(atts, "numFmtId");
            const char* code = attribute(atts, "formatCode");
            if (id && code && formats.size() < kMaxSheets * 64) formats[std::atoi(id)] = code;
        } else if (name == "cellXfs") {
            in_cell_xfs = true;
        } else if (name == "xf" && in_cell_xfs) {
            const char* id = attribute(atts, "numFmtId");
            if (xf_formats.size() < 65536) xf_formats.push_back(id ? std::atoi(id) : 0);
        }
    }
    void end(std::string_view name) override {
        if (name == "cellXfs") in_cell_xfs = false;
    }
    std::vector<bool> dates() const {
        std::vector<bool> out;
        for (int id : xf_formats) {
            const auto f = formats.find(id);
            out.push_back(f != formats.end() ? date_format_code(f->second) : date_format_id(id));
        }
        return out;
    }
};

// "C14" → column 3 (from 1); 0 when it is not a cell reference.
std::size_t column_of(std::string_view ref) {
    std::size_t col = 0, i = 0;
    for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) {
        col = col * 26 + static_cast<std::size_t>(ref[i] - 'A' + 1);
        if (col > kMaxColumns) return 0;
    }
    return i == 0 ? 0 : col;
}

// A worksheet: its rows of cells.
struct SheetPart : Handler {
    const std::vector<std::string>& strings;
    const std::vector<bool>& date_styles;
    Table& table;
    std::size_t& cells;  // cells read so far in the whole workbook
    std::size_t next_row = 1, next_column = 1;
    // The cell being read.
    bool in_cell = false, in_value = false, in_inline = false;
    int in_phonetic = 0;
    std::string type;
    Cell cell;
    std::string value;

    SheetPart(const std::vector<std::string>& s, const std::vector<bool>& d, Table& t, std::size_t& c)
        : strings(s), date_styles(d), table(t), cells(c) {}

    void start(std::string_view name, const XML_Char** atts) override {
        if (name == "row") {
            std::size_t number = next_row;
            if (const char* r = attribute(atts, "r")) number = static_cast<std::size_t>(std::strtoull(r, nullptr, 10));
            if (number == 0 || number > kMaxRows || (!table.rows.empty() && number <= table.rows.back().number)) {
                if (number > kMaxRows) over("工作表 " + table.name + " 的行号超过 " + std::to_string(kMaxRows));
                else fail("工作表 " + table.name + " 的行号 " + std::to_string(number) + " 无效");
                return;
            }
            table.rows.push_back(Row{number, {}});
            next_row = number + 1;
            next_column = 1;
        } else if (name == "c") {
            if (table.rows.empty()) table.rows.push_back(Row{next_row++, {}});  // a cell outside a row: tolerated, as Excel does
            in_cell = true;
            cell = Cell{};
            value.clear();
            const char* r = attribute(atts, "r");
            std::size_t col = r ? column_of(r) : next_column;
            if (col == 0) {
                fail(std::string("单元格引用 ") + (r ? r : "") + " 无效");
                return;
            }
            auto& row = table.rows.back();
            if (!row.cells.empty() && col <= row.cells.back().column) {
                fail("工作表 " + table.name + " 第 " + std::to_string(row.number) + " 行的单元格顺序错乱");
                return;
            }
            cell.column = col;
            next_column = col + 1;
            const char* t = attribute(atts, "t");
            type = t ? t : "n";
            const char* s = attribute(atts, "s");
            if (s) {
                const auto style = static_cast<std::size_t>(std::strtoull(s, nullptr, 10));
                cell.date_format = style < date_styles.size() && date_styles[style];
            }
        } else if (name == "mergeCell") {
            // "A2:A5": where a problem at an empty cell is told that the cell is merged.
            const char* ref = attribute(atts, "ref");
            const std::string_view r = ref ? ref : "";
            const std::size_t colon = r.find(':');
            if (colon == std::string_view::npos) return;
            Merge m;
            auto corner = [](std::string_view at, std::size_t& row, std::size_t& column) {
                column = column_of(at);
                std::size_t i = 0;
                while (i < at.size() && at[i] >= 'A' && at[i] <= 'Z') ++i;
                row = 0;
                for (; i < at.size() && at[i] >= '0' && at[i] <= '9' && row <= kMaxRows; ++i) row = row * 10 + static_cast<std::size_t>(at[i] - '0');
            };
            corner(r.substr(0, colon), m.first_row, m.first_column);
            corner(r.substr(colon + 1), m.last_row, m.last_column);
            if (!m.first_row || !m.first_column || m.last_row < m.first_row || m.last_column < m.first_column) return;
            if (++cells > kMaxCells) {
                over("工作簿的单元格超过 " + std::to_string(kMaxCells) + " 个");
                return;
            }
            table.merged.push_back(m);
        } else if (in_cell && name == "v") {
            in_value = true;
        } else if (in_cell && name == "is") {
            in_inline = true;
        } else if (in_inline && name == "rPh") {
            ++in_phonetic;
        } else if (in_inline && name == "t" && !in_phonetic) {
            in_value = true;
        }
    }

    void end(std::string_view name) override {
        if (name == "v" || name == "t") {
            in_value = false;
        } else if (name == "rPh") {
            --in_phonetic;
        } else if (name == "is") {
            in_inline = false;
        } else if (name == "c" && in_cell) {
            in_cell = false;
            finish();
        }
    }

    void text(std::string_view s) override {
        if (!in_value) return;
        value.append(s);
        if (value.size() > kMaxCellBytes)
            over("工作表 " + table.name + " 有单元格文字超过 " + std::to_string(kMaxCellBytes) + " 字节的上限");
    }

    void finish() {
        if (type == "s") {
            char* end = nullptr;
            const unsigned long long i = std::strtoull(value.c_str(), &end, 10);
            if (value.empty() || *end || i >= strings.size()) {
                fail("单元格 " + cell_ref() + " 指向不存在的共享字符串");
                return;
            }
            cell.type = Cell::Type::text;
            cell.text = strings[i];
            cell.date_format = false;
        } else if (type == "inlineStr" || type == "str" || type == "d") {
            cell.type = Cell::Type::text;
            cell.text = std::move(value);
            cell.date_format = false;
        } else if (type == "b") {
            cell.type = Cell::Type::boolean;
            cell.text = value == "1" || value == "true" ? "1" : "0";
            cell.date_format = false;
        } else if (type == "e") {
            cell.type = Cell::Type::error;
            cell.text = std::move(value);
            cell.date_format = false;
        } else {
            cell.type = Cell::Type::number;
            cell.text = std::move(value);
        }
        if (cell.text.empty()) return;  // a formatted cell that holds nothing
        if (++cells > kMaxCells) {
            over("工作簿的单元格超过 " + std::to_string(kMaxCells) + " 个");
            return;
        }
        table.rows.back().cells.push_back(std::move(cell));
    }

    std::string cell_ref() const {
        return cell_name(table.rows.empty() ? 0 : table.rows.back().number, cell.column);
    }
};

// A relationship's target as a part name: relative to xl/, or absolute from the package's root.
std::string part_name(const std::string& target) {
    if (!target.empty() && target[0] == '/') return target.substr(1);
    std::string t = target;
    std::string base = "xl";
    while (t.rfind("../", 0) == 0) {
        t = t.substr(3);
        base.clear();
    }
    return base.empty() ? t : base + "/" + t;
}

}  // namespace

std::vector<Table> read_xlsx(std::string_view bytes) {
    Workbook book(bytes);
    if (!book.has("xl/workbook.xml")) {
        if (book.has("content.xml")) unreadable("这是 OpenDocument 表格（.ods）；请另存为 Excel 工作簿（.xlsx）后再导入");
        unreadable("不是 .xlsx 工作簿（缺少 xl/workbook.xml）");
    }
    WorkbookPart workbook;
    book.parse("xl/workbook.xml", workbook);
    RelsPart rels;
    if (book.has("xl/_rels/workbook.xml.rels")) book.parse("xl/_rels/workbook.xml.rels", rels);
    SharedStringsPart shared;
    if (book.has("xl/sharedStrings.xml")) book.parse("xl/sharedStrings.xml", shared);
    StylesPart styles;
    if (book.has("xl/styles.xml")) book.parse("xl/styles.xml", styles);
    const std::vector<bool> dates = styles.dates();

    std::vector<Table> out;
    std::size_t cells = shared.strings.size();
    for (std::size_t i = 0; i < workbook.sheets.size(); ++i) {
        const SheetEntry& entry = workbook.sheets[i];
        std::string part;
        if (const auto t = rels.targets.find(entry.rel); t != rels.targets.end()) part = part_name(t->second);
        else part = "xl/worksheets/sheet" + std::to_string(i + 1) + ".xml";
        if (!book.has(part)) continue;  // a chart sheet or a dialog sheet: no cells to read
        Table table;
        table.name = entry.name;
        table.hidden = entry.hidden;
        SheetPart sheet(shared.strings, dates, table, cells);
        book.parse(part, sheet);
        out.push_back(std::move(table));
    }
    return out;
}

}  // namespace kaohe::sheet
