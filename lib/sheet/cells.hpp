// One cell's value, read as a clerk means it (sheet/import.cpp reads every cell through here):
// text trimmed of the spaces a clerk cannot see, full-width digits as ASCII, numbers from their
// decimal text (never through a double), dates typed as dates, as text or as Excel serials,
// 是/否 in the ways people write it, and names by label or id with the nearest one suggested.
// A cell that is not what its column takes gives a CellProblem: its code and a message in Chinese.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/codes.hpp"
#include "kaohe/number.hpp"
#include "sheet/table.hpp"

namespace kaohe::sheet {

struct CellProblem {
    diag::Code code = diag::Code::S004;
    std::string message;
};

// The cell's text without leading and trailing white space: ASCII spaces and tabs, line breaks,
// the full-width space U+3000, no-break spaces and zero-width characters (U+200B…U+200D, U+2060,
// U+FEFF).
std::string trimmed(std::string_view text);

// The text with every character NFKC maps to ASCII (full-width `１２．５`, `－`) made ASCII.
std::string ascii_forms(std::string_view text);

// A number from a number cell's decimal text, or from text typed as a number (full-width digits
// read as ASCII; a leading `+` allowed). `what` names the column in the message.
std::optional<Number> read_number(const Cell& cell, std::string_view text, CellProblem& problem);

// A date of `year` as a record writes it: "2022-03-14", or a month "2022-03". From a date cell
// (an Excel serial: 1 is 1900-01-01, and 60 the 1900-02-29 Excel counts but that never was; a
// fraction of a day is its time and left out, a time alone is refused), from a plain number cell
// that is a serial inside the year, or from text: 2022-03-14, 2022/3/14, 2022.3.14,
// 2022年3月14日, 2022-03, 2022/3, 2022年3月. S004 for anything else, S005 outside the year.
std::optional<std::string> read_date(const Cell& cell, std::string_view text, int year, CellProblem& problem);

// 是/否: 是, 否, Y/N, yes/no (any case), √/×, 1/0, true/false, and a boolean cell.
std::optional<bool> read_yes_no(std::string_view text, CellProblem& problem);

// A name among `labels` and `ids` (parallel; either may be matched), as its index; S003 naming
// `what` (事件类型) with the nearest label or id when there is one, else the labels there are.
std::optional<std::size_t> read_name(std::string_view text, const std::vector<std::string>& labels,
                                     const std::vector<std::string>& ids, std::string_view what, CellProblem& problem);

}  // namespace kaohe::sheet
