// A workbook's problems as text: the one place they are said (kaohe/workbook.hpp).
#include "kaohe/workbook.hpp"

namespace kaohe {

std::string cell_name(std::size_t row, std::size_t column) {
    std::string letters;
    for (std::size_t c = column; c > 0; c = (c - 1) / 26) letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
    return letters + (row ? std::to_string(row) : std::string());
}

std::string render(const SheetProblem& p) {
    std::string out;
    if (!p.file.empty()) out += p.file + ": ";
    if (!p.sheet.empty()) {
        out += p.sheet;
        const std::string cell = cell_name(p.row, p.column);
        if (!cell.empty()) out += (p.row && !p.column ? "!第" + std::to_string(p.row) + "行" : "!" + cell);
        out += ": ";
    }
    return out + "[" + p.code + "] " + p.message;
}

}  // namespace kaohe
