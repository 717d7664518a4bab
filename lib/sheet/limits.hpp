// Limits on a workbook as read, each named in its problem (S007), never a crash, a hang or
// memory without bound. A year's records of a large unit (10,000 people, 50 columns, a few
// events each) are well inside them.
#pragma once

#include <cstddef>

namespace kaohe::sheet {

inline constexpr std::size_t kMaxWorkbookBytes = 64u << 20;   // an .xlsx file as given
inline constexpr std::size_t kMaxUnpackedBytes = 512u << 20;  // its parts' XML, uncompressed, all together
inline constexpr std::size_t kMaxSheets = 256;                // sheets in a workbook
inline constexpr std::size_t kMaxRows = 1048576;              // a row's number (Excel's last row)
inline constexpr std::size_t kMaxColumns = 16384;             // a column's number (Excel's last, XFD)
inline constexpr std::size_t kMaxCells = 2000000;             // cells that hold something, in all sheets, and shared strings
inline constexpr std::size_t kMaxCellBytes = 96u << 10;       // one cell's text (Excel's 32,767 characters, in UTF-8)

}  // namespace kaohe::sheet
