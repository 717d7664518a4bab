// Reading .xlsx workbooks (lib/sheet/xlsx.cpp): workbooks written by libxlsxwriter, as a
// spreadsheet application writes them, and parts written by hand, as odd or hostile files do.
// The files of tests/bad-input/sheets/*.xlsx each give the problem in their .expected file.
#include <doctest/doctest.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>

#include "support.hpp"

#include "kaohe/workbook.hpp"
#include "sheet/read.hpp"

namespace fs = std::filesystem;
using kaohe::sheet::Cell;
using kaohe::sheet::ReadFailure;
using kaohe::sheet::read_xlsx;
using kaohe::sheet::Table;

namespace {

// A zip holding `parts` (name → text), as bytes.
std::string zip_of(const std::map<std::string, std::string>& parts) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
    REQUIRE(out);
    zip_source_keep(out);
    zip_t* z = zip_open_from_source(out, ZIP_TRUNCATE, &error);
    REQUIRE(z);
    for (const auto& [name, text] : parts) {
        zip_source_t* s = zip_source_buffer(z, text.data(), text.size(), 0);
        REQUIRE(zip_file_add(z, name.c_str(), s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    REQUIRE(zip_close(z) == 0);
    REQUIRE(zip_source_open(out) == 0);
    zip_source_seek(out, 0, SEEK_END);
    const zip_int64_t size = zip_source_tell(out);
    zip_source_seek(out, 0, SEEK_SET);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    REQUIRE(zip_source_read(out, bytes.data(), static_cast<zip_uint64_t>(size)) == size);
    zip_source_close(out);
    zip_source_free(out);
    return bytes;
}

const std::string kWorkbook = R"(<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="人员名单" sheetId="1" r:id="rId1"/></sheets></workbook>)";
const std::string kRels = R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>)";

// A workbook of one sheet, 人员名单, whose sheetData is `rows`, with `shared` strings.
std::string one_sheet(const std::string& rows, const std::string& shared = "") {
    std::map<std::string, std::string> parts{
        {"xl/workbook.xml", kWorkbook},
        {"xl/_rels/workbook.xml.rels", kRels},
        {"xl/worksheets/sheet1.xml",
         R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
             rows + "</sheetData></worksheet>"},
    };
    if (!shared.empty())
        parts["xl/sharedStrings.xml"] =
            R"(<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)" + shared + "</sst>";
    return zip_of(parts);
}

// The problem reading `bytes` gives, rendered as the importer renders a file's problem.
std::string problem(const std::string& bytes, const std::string& name = "登记表.xlsx") {
    try {
        (void)read_xlsx(bytes);
    } catch (const ReadFailure& f) {
        return kaohe::render(kaohe::SheetProblem{name, "", 0, 0, kaohe::diag::name(f.code), f.message, ""});
    }
    return "(read)";
}

// A workbook written by libxlsxwriter: `fill` writes its sheets.
template <class Fill>
std::string written(Fill fill) {
    char path[] = "/tmp/kaohe-xlsx-test-XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    lxw_workbook* wb = workbook_new(path);
    fill(wb);
    REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
    std::string bytes = kaohe::testing::slurp(path);
    fs::remove(path);
    return bytes;
}

const Cell* cell(const Table& t, std::size_t row, std::size_t column) {
    for (const auto& r : t.rows)
        if (r.number == row)
            for (const auto& c : r.cells)
                if (c.column == column) return &c;
    return nullptr;
}

}  // namespace

TEST_CASE("a workbook's sheets are read in order, with their names, and hidden ones are marked") {
    const auto tables = read_xlsx(written([](lxw_workbook* wb) {
        worksheet_write_string(workbook_add_worksheet(wb, "人员名单"), 0, 0, "编号", nullptr);
        lxw_worksheet* lists = workbook_add_worksheet(wb, "选项");
        worksheet_write_string(lists, 0, 0, "是", nullptr);
        worksheet_hide(lists);
        workbook_add_worksheet(wb, "事件登记");
    }));
    REQUIRE(tables.size() == 3);
    CHECK(tables[0].name == "人员名单");
    CHECK_FALSE(tables[0].hidden);
    CHECK(tables[1].name == "选项");
    CHECK(tables[1].hidden);
    CHECK(tables[2].name == "事件登记");
    CHECK(tables[2].rows.empty());
}

TEST_CASE("text cells hold their text and number cells their decimal text, as the file writes it") {
    const auto tables = read_xlsx(written([](lxw_workbook* wb) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, "人员名单");
        worksheet_write_string(ws, 0, 0, "编号", nullptr);
        worksheet_write_string(ws, 1, 0, "2022-017", nullptr);
        worksheet_write_number(ws, 1, 3, 4200, nullptr);
        worksheet_write_number(ws, 1, 4, 3.5, nullptr);
        worksheet_write_boolean(ws, 1, 5, 1, nullptr);
    }));
    const Table& t = tables.at(0);
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[0].number == 1);
    CHECK(t.rows[1].number == 2);
    CHECK(cell(t, 2, 1)->type == Cell::Type::text);
    CHECK(cell(t, 2, 1)->text == "2022-017");
    CHECK(cell(t, 2, 4)->type == Cell::Type::number);
    CHECK(cell(t, 2, 4)->text == "4200");
    CHECK(cell(t, 2, 5)->text == "3.5");
    CHECK(cell(t, 2, 6)->type == Cell::Type::boolean);
    CHECK(cell(t, 2, 6)->text == "1");
    CHECK(cell(t, 2, 2) == nullptr);  // nothing written there
}

TEST_CASE("a number shown as a date by its format is marked as a date, its serial number kept") {
    const auto tables = read_xlsx(written([](lxw_workbook* wb) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, "事件登记");
        lxw_format* date = workbook_add_format(wb);
        format_set_num_format(date, "yyyy-mm-dd");
        lxw_format* chinese = workbook_add_format(wb);
        format_set_num_format(chinese, "yyyy\"年\"m\"月\"d\"日\"");
        lxw_format* money = workbook_add_format(wb);
        format_set_num_format(money, "[Red]0.00;\"-\"0.00");
        lxw_datetime day = {2022, 3, 14, 0, 0, 0};
        worksheet_write_datetime(ws, 0, 0, &day, date);
        worksheet_write_datetime(ws, 0, 1, &day, chinese);
        worksheet_write_number(ws, 0, 2, 44634, money);
        worksheet_write_number(ws, 0, 3, 44634, nullptr);
    }));
    const Table& t = tables.at(0);
    CHECK(cell(t, 1, 1)->date_format);
    CHECK(cell(t, 1, 1)->text == "44634");  // 2022-03-14
    CHECK(cell(t, 1, 2)->date_format);
    CHECK_FALSE(cell(t, 1, 3)->date_format);
    CHECK_FALSE(cell(t, 1, 4)->date_format);
}

TEST_CASE("inline strings, rich text runs and a formula's saved value are read; phonetic guides are not text") {
    const auto tables = read_xlsx(one_sheet(
        R"(<row r="1"><c r="A1" t="inlineStr"><is><t>张三</t></is></c>)"
        R"(<c r="B1" t="s"><v>0</v></c><c r="C1" t="str"><f>A1&amp;"x"</f><v>张三x</v></c><c r="D1"><f>1+1</f><v>2</v></c>)"
        R"(<c r="E1" t="e"><v>#N/A</v></c></row>)",
        R"(<si><r><t>迟</t></r><r><t>到</t></r><rPh sb="0" eb="1"><t>chi</t></rPh></si>)"));
    const Table& t = tables.at(0);
    CHECK(cell(t, 1, 1)->text == "张三");
    CHECK(cell(t, 1, 2)->text == "迟到");
    CHECK(cell(t, 1, 3)->text == "张三x");
    CHECK(cell(t, 1, 4)->type == Cell::Type::number);
    CHECK(cell(t, 1, 4)->text == "2");
    CHECK(cell(t, 1, 5)->type == Cell::Type::error);
}

TEST_CASE("rows and cells without references follow the ones before them, and empty cells are left out") {
    const auto tables = read_xlsx(one_sheet(R"(<row><c t="inlineStr"><is><t>a</t></is></c><c/><c t="inlineStr"><is><t>c</t></is></c></row>)"
                                            R"(<row r="5"><c r="B5"><v>1</v></c></row><row><c><v>2</v></c></row>)"));
    const Table& t = tables.at(0);
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[0].number == 1);
    REQUIRE(t.rows[0].cells.size() == 2);
    CHECK(t.rows[0].cells[1].column == 3);
    CHECK(t.rows[1].number == 5);
    CHECK(t.rows[1].cells[0].column == 2);
    CHECK(t.rows[2].number == 6);
    CHECK(t.rows[2].cells[0].column == 1);
}

TEST_CASE("a file that is not a workbook says what it is and what to do") {
    CHECK(problem("编号,姓名\n") == "登记表.xlsx: [S001] 无法读取工作簿：不是 .xlsx 工作簿（不是有效的 zip 文件）；请在表格软件中另存为 Excel 工作簿（.xlsx）");
    CHECK(problem(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0')) ==
          "登记表.xlsx: [S001] 无法读取工作簿：这是加密的工作簿或旧版 .xls 文件；请去掉密码，另存为 Excel 工作簿（.xlsx）后再导入");
    CHECK(problem(zip_of({{"content.xml", "<office:document-content/>"}, {"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}})) ==
          "登记表.xlsx: [S001] 无法读取工作簿：这是 OpenDocument 表格（.ods）；请另存为 Excel 工作簿（.xlsx）后再导入");
    CHECK(problem(zip_of({{"word/document.xml", "<w:document/>"}})) ==
          "登记表.xlsx: [S001] 无法读取工作簿：不是 .xlsx 工作簿（缺少 xl/workbook.xml）");
}

TEST_CASE("malformed XML is refused with its part and line") {
    CHECK(problem(one_sheet("<row r=\"1\">\n<c r=\"A1\"><v>1</v></row>")) ==
          "登记表.xlsx: [S001] 无法读取工作簿：xl/worksheets/sheet1.xml 第 2 行不是有效的 XML（mismatched tag）");
}

TEST_CASE("a document type declaration is refused, so that no entity is ever expanded") {
    const std::string laughs = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>)"
                               R"(<workbook><sheets><sheet name="&lol2;" sheetId="1"/></sheets></workbook>)";
    CHECK(problem(zip_of({{"xl/workbook.xml", laughs}})) ==
          "登记表.xlsx: [S001] 无法读取工作簿：xl/workbook.xml：XML 中含有文档类型声明");
}

TEST_CASE("a cell that points past the shared strings, or cells out of order, are a damaged workbook") {
    CHECK(problem(one_sheet(R"(<row r="3"><c r="B3" t="s"><v>7</v></c></row>)", "<si><t>a</t></si>")) ==
          "登记表.xlsx: [S001] 无法读取工作簿：xl/worksheets/sheet1.xml：单元格 B3 指向不存在的共享字符串");
    CHECK(problem(one_sheet(R"(<row r="3"><c r="C3"><v>1</v></c><c r="B3"><v>2</v></c></row>)")) ==
          "登记表.xlsx: [S001] 无法读取工作簿：xl/worksheets/sheet1.xml：工作表 人员名单 第 3 行的单元格顺序错乱");
    CHECK(problem(one_sheet(R"(<row r="3"/><row r="2"/>)")) ==
          "登记表.xlsx: [S001] 无法读取工作簿：xl/worksheets/sheet1.xml：工作表 人员名单 的行号 2 无效");
}

TEST_CASE("a row past the spreadsheet's last row, a column past its last, or a cell's text past the limit is refused") {
    CHECK(problem(one_sheet(R"(<row r="1048577"><c><v>1</v></c></row>)")) ==
          "登记表.xlsx: [S007] 工作表 人员名单 的行号超过 1048576");
    CHECK(problem(one_sheet(R"(<row r="1"><c r="XFE1"><v>1</v></c></row>)")) ==
          "登记表.xlsx: [S001] 无法读取工作簿：xl/worksheets/sheet1.xml：单元格引用 XFE1 无效");
    CHECK(problem(one_sheet(R"(<row r="1"><c r="A1" t="inlineStr"><is><t>)" + std::string(100000, 'a') + "</t></is></c></row>")) ==
          "登记表.xlsx: [S007] 工作表 人员名单 有单元格文字超过 98304 字节的上限");
}

TEST_CASE("every workbook of the bad-input suite gives the problem its .expected file holds") {
    int files = 0;
    for (const auto& e : fs::directory_iterator("tests/bad-input/sheets")) {
        if (e.path().extension() != ".xlsx") continue;
        ++files;
        INFO(e.path().string());
        const std::string expected = kaohe::testing::slurp(fs::path(e.path()).replace_extension(".expected"));
        CHECK(problem(kaohe::testing::slurp(e.path()), e.path().filename().string()) + "\n" == expected);
    }
    CHECK(files >= 2);
}

TEST_CASE("a workbook that LibreOffice Calc filled in and saved imports to records scoring as the JSON records") {
    // tests/sheets/seed/calc_filled.xlsx: the seed ruleset's entry workbook, the example records
    // entered by Calc (tests/workbook/fill.py: typed dates as date cells, dates pasted as text,
    // numbers as text and in full-width digits) and saved by it.
    const auto compiled = kaohe::Ruleset::compile_file("rulesets/seed/seed.kh");
    REQUIRE(compiled.ruleset);
    const kaohe::Import in = kaohe::import_records(
        *compiled.ruleset, {kaohe::SheetFile{"calc_filled.xlsx", kaohe::testing::slurp("tests/sheets/seed/calc_filled.xlsx")}});
    std::string said;
    for (const auto& p : in.problems) said += kaohe::render(p) + "\n";
    REQUIRE_MESSAGE(in.ok(), said);
    std::ifstream json("examples/records/all.jsonl");
    std::vector<std::string> expected;
    for (std::string line; std::getline(json, line);) expected.push_back(line);
    REQUIRE(in.records.size() == expected.size());
    const auto unit = compiled.ruleset->read_unit(in.unit);
    const auto json_unit = compiled.ruleset->read_unit(kaohe::testing::slurp("examples/records/unit.json"));
    REQUIRE(unit);
    REQUIRE(json_unit);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const kaohe::Evaluation a = compiled.ruleset->evaluate(in.records[i], &*unit);
        const kaohe::Evaluation b = compiled.ruleset->evaluate(expected[i], &*json_unit);
        REQUIRE(a.ok());
        REQUIRE(b.ok());
        INFO(a.result().id());
        CHECK(a.result().id() == b.result().id());
        CHECK(a.result().total() == b.result().total());
        CHECK(a.result().grade() == b.result().grade());
        const auto sa = a.result().scores(), sb = b.result().scores();
        REQUIRE(sa.size() == sb.size());
        for (std::size_t k = 0; k < sa.size(); ++k) CHECK(sa[k].score == sb[k].score);
    }
}
