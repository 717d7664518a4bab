// The members of ir::Program (program.hpp).
#include "ir/program.hpp"

namespace kaohe::ir {

NodeId Program::find_node(RoleId role, std::string_view path) const {
    for (NodeId n : this->role(role).nodes)
        if (node(n).path == path) return n;
    return none;
}

std::string Program::card_of(RoleId r) const {
    return one_card ? std::string("the card") : "role `" + role(r).id + "`";
}

}  // namespace kaohe::ir
