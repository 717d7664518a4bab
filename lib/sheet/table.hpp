// A sheet as read from a workbook or a CSV file, before anything is known of what its cells
// mean: rows of cells, each with the text it holds and how the spreadsheet typed it. The
// readers (sheet/xlsx.cpp, sheet/csv.cpp) produce it; the importer (sheet/import.cpp) reads it
// against the layout.
//
// Invariants: rows are in ascending order of `number`, cells of a row in ascending order of
// `column`; a cell that holds nothing is left out; text is valid UTF-8.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "diag/codes.hpp"

namespace kaohe::sheet {

struct Cell {
    enum class Type {
        text,     // a string (XLSX shared or inline string; every CSV cell)
        number,   // a number as the file writes it in decimal ("45000", "3.5", "1E-3"): read exactly, never as a double
        boolean,  // "1" or "0"
        error,    // a formula's error ("#N/A"), as written
    };
    std::size_t column = 0;  // from 1 (A)
    Type type = Type::text;
    std::string text;
    bool date_format = false;  // a number shown as a date or time by its cell's format (XLSX only)
};

struct Row {
    std::size_t number = 0;  // from 1, as the spreadsheet numbers it
    std::vector<Cell> cells;
};

// A range of merged cells (XLSX): only its first cell holds the value it shows.
struct Merge {
    std::size_t first_row = 0, first_column = 0, last_row = 0, last_column = 0;
    bool holds(std::size_t row, std::size_t column) const {
        return row >= first_row && row <= last_row && column >= first_column && column <= last_column;
    }
};

struct Table {
    std::string name;     // the sheet's name; for a CSV file, the sheet its file name says
    bool hidden = false;  // a hidden sheet (XLSX); hidden rows are not marked, and read as any other
    std::vector<Row> rows;
    std::vector<Merge> merged;  // its merged ranges (XLSX)
};

// A file that cannot be read as a workbook or CSV at all; `code` says which kind (S001, S007).
struct ReadFailure : std::runtime_error {
    diag::Code code;
    std::string message;  // in Chinese, for the clerk
    ReadFailure(diag::Code code_, std::string message_)
        : std::runtime_error(message_), code(code_), message(std::move(message_)) {}
};

}  // namespace kaohe::sheet
