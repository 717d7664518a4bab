#include "sheet/writer.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <unistd.h>

#include "api/receipt.hpp"
#include "kaohe/number.hpp"
#include "support/sources.hpp"
#include "support/text.hpp"

namespace kaohe::sheet {

WorkbookFile::WorkbookFile() {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/kaohe-XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0) throw std::runtime_error("cannot make a temporary file for the workbook in " + pattern);
    ::close(fd);
    path_ = name.data();
    lxw_workbook_options options{};
    options.constant_memory = LXW_FALSE;
    options.tmpdir = nullptr;
    options.use_zip64 = LXW_FALSE;
    book_ = workbook_new_opt(path_.c_str(), &options);
    if (!book_) {
        std::remove(path_.c_str());
        throw std::runtime_error("cannot start a workbook in " + path_);
    }
}

WorkbookFile::~WorkbookFile() {
    if (book_) workbook_close(book_);  // frees it; the file it wrote is removed below
    std::remove(path_.c_str());
}

std::string WorkbookFile::finish() {
    lxw_workbook* book = book_;
    book_ = nullptr;
    const lxw_error e = workbook_close(book);
    if (e != LXW_NO_ERROR) throw std::runtime_error(std::string("cannot write the workbook: ") + lxw_strerror(e));
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in.good() && !in.eof()) throw std::runtime_error("cannot read back the workbook from " + path_);
    return bytes.str();
}

lxw_worksheet* add_sheet(lxw_workbook* book, const std::string& name) {
    lxw_worksheet* s = workbook_add_worksheet(book, name.c_str());
    if (!s) throw std::runtime_error("cannot add the sheet " + name);
    return s;
}

double width_for(std::string_view text) {
    const double w = display_width(text) + 2.0;
    return w < 8 ? 8 : (w > 60 ? 60 : w);
}

bool write_figure(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const std::string& text, lxw_format* format) {
    const std::optional<Number> exact = Number::from_decimal(text);
    if (exact) {
        const double d = std::strtod(text.c_str(), nullptr);
        // What the file holds (libxlsxwriter writes 16 significant digits), read back and shown at
        // a spreadsheet's precision (15 significant digits, as Excel and Calc show and sum it).
        char written[64], shown[64];
        std::snprintf(written, sizeof written, "%.16G", d);
        std::snprintf(shown, sizeof shown, "%.15G", std::strtod(written, nullptr));
        const std::optional<Number> back = Number::from_decimal(shown);
        if (back && *back == *exact) {
            check(worksheet_write_number(ws, row, col, d, format), "number cell");
            return true;
        }
    }
    check(worksheet_write_string(ws, row, col, text.c_str(), format), "text cell");
    return false;
}

std::string relative_where(const Sources& sources, const std::string& where) {
    const std::vector<std::string> names = api::relative_names(sources);
    // The longest name that `where` starts with, followed by ":"; a name may itself hold ":".
    std::size_t best = sources.size(), best_length = 0;
    for (std::uint32_t f = 0; f < sources.size(); ++f) {
        const std::string& name = sources.name(f);
        if (name.size() >= best_length && where.size() > name.size() && where.compare(0, name.size(), name) == 0 &&
            where[name.size()] == ':') {
            best = f;
            best_length = name.size();
        }
    }
    if (best == sources.size()) return where;
    return names[best] + where.substr(best_length);
}

void check(lxw_error error, const char* what) {
    if (error != LXW_NO_ERROR) throw std::runtime_error(std::string(what) + ": " + lxw_strerror(error));
}

}  // namespace kaohe::sheet
