// The importer on tables already read (kaohe/workbook.hpp's import_records reads the files first):
// for the tests, which build their tables in code, and for any reader of another kind of file.
#pragma once

#include <string>
#include <vector>

#include "kaohe/workbook.hpp"
#include "sheet/table.hpp"

namespace kaohe::sheet {

// A sheet as read, and the file it came from (for the problems; "" for none).
struct NamedTable {
    std::string file;
    Table table;  // its name says which sheet of the layout it is; other names are ignored
};

// import_records on `tables`: the same sheets, columns, cells and problems.
Import import_tables(const Ruleset& ruleset, const std::vector<NamedTable>& tables, const ImportOptions& options = {});

}  // namespace kaohe::sheet
