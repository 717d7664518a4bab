// Placeholder until the workbook reader lands: an .xlsx file is refused as unreadable, so that
// the importer links and says so instead of guessing. Replaced whole by the reader (libzip, expat).
#include "sheet/read.hpp"

namespace kaohe::sheet {

std::vector<Table> read_xlsx(std::string_view) {
    throw ReadFailure(diag::Code::S001, "此版本还不能读取 .xlsx 工作簿：请将每张表另存为 CSV");
}

}  // namespace kaohe::sheet
