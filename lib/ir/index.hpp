// An element of the IR is named by its position in one of the program's vectors.
#pragma once

#include <cstdint>

namespace kaohe::ir {

using Index = std::int32_t;
inline constexpr Index none = -1;

}  // namespace kaohe::ir
