// The members of ir::Program (program.hpp).
#include "ir/program.hpp"

namespace kaohe::ir {

Index Program::find_node(Index role, std::string_view path) const {
    for (Index n : roles[static_cast<std::size_t>(role)].nodes)
        if (nodes[static_cast<std::size_t>(n)].path == path) return n;
    return none;
}

}  // namespace kaohe::ir
