// The members of ir::Program (program.hpp).
#include "ir/program.hpp"

namespace kaohe::ir {

Index Program::find_node(Index role, std::string_view path) const {
    for (Index n : this->role(role).nodes)
        if (node(n).path == path) return n;
    return none;
}

}  // namespace kaohe::ir
