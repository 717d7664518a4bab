// Reading a file into tables (sheet/table.hpp): a workbook's sheets (sheet/xlsx.cpp) or one
// CSV file (sheet/csv.cpp). Both throw ReadFailure for a file that cannot be read at all, and
// never anything else for any input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sheet/table.hpp"

namespace kaohe::sheet {

// Every sheet of an .xlsx workbook, in the workbook's order, hidden ones marked.
std::vector<Table> read_xlsx(std::string_view bytes);

// One CSV file (RFC 4180: quotes, doubled quotes, line breaks inside quotes, CRLF or LF; fields
// separated by `,`, `;` or tab, whichever the header row holds most of), in UTF-8, UTF-8 with a
// byte-order mark, GB18030 or UTF-16 (with or without its byte-order mark; converted with iconv);
// its table is named `sheet`.
Table read_csv(std::string_view bytes, std::string sheet);

}  // namespace kaohe::sheet
