// What the two workbook writers (template.cpp, results.cpp) share: libxlsxwriter writes to a
// file, so a workbook is written to a temporary file of its own, read back and removed on every
// path (exceptions included), and a few helpers for sheets.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <xlsxwriter.h>

namespace kaohe {
class Sources;  // support/sources.hpp
}

namespace kaohe::sheet {

// A workbook being written into a temporary file made with mkstemp in the system's temporary
// directory ($TMPDIR, else /tmp). The destructor closes the workbook if finish() was not reached
// and removes the file, so that no file is left behind whatever happens.
class WorkbookFile {
public:
    WorkbookFile();  // throws std::runtime_error when no temporary file can be made
    ~WorkbookFile();
    WorkbookFile(const WorkbookFile&) = delete;
    WorkbookFile& operator=(const WorkbookFile&) = delete;

    lxw_workbook* book() const { return book_; }
    const std::string& path() const { return path_; }
    // Closes the workbook and returns the file's bytes; throws std::runtime_error when it cannot
    // be written (no space) or read back.
    std::string finish();

private:
    std::string path_;
    lxw_workbook* book_ = nullptr;
};

// A worksheet named `name`; throws std::runtime_error when libxlsxwriter refuses it.
lxw_worksheet* add_sheet(lxw_workbook* book, const std::string& name);

// A column's width, in Excel's character units, that fits `text` (a CJK character counts two).
double width_for(std::string_view text);

// A rule's "file:line" with the file named by its path relative to the folder of the ruleset's main
// file ("bonus.kh:7", "roles/chair.kh:12"), as the ruleset's fingerprint names it, so that a
// workbook does not depend on where the rules were compiled from; `where` as it is when its file
// is not one of `sources`.
std::string relative_where(const Sources& sources, const std::string& where);

// Throws std::runtime_error naming `what` when a libxlsxwriter call failed.
void check(lxw_error error, const char* what);

}  // namespace kaohe::sheet

namespace kaohe::sheet {

// Writes a figure given as its decimal text (as a result's JSON shows it, "90.50") as a number
// cell when the double nearest to it, as written (16 significant digits) and shown at a
// spreadsheet's precision (15 significant digits), is exactly that value: any figure of at most
// 15 significant digits. Beyond that it writes a text cell holding the decimal text, so that no
// digit is lost.
// Returns whether it wrote a number.
bool write_figure(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const std::string& text, lxw_format* format);

}  // namespace kaohe::sheet
