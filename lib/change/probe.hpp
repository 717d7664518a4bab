// Probing a scored record: the value of one IR expression (a rule's `when`, a multiplier's
// condition) for a record, with the evaluator's own expression semantics (lib/eval/expressions).
// Coverage uses it to tell which side of a condition a test sat on; it never changes a score.
#pragma once

#include "eval/expressions.hpp"

namespace kaohe::policy {

class Probe {
public:
    Probe(const ir::Program& p, const record::Record& r) : expr_(p, r) {}
    // Reading one period (a part of a section scored per period).
    Probe(const ir::Program& p, const record::Record& r, const ir::Period& period) : expr_(p, r, period) {}

    // Throws nothing: an expression that cannot be computed for this record reads as 0 / false.
    bool truth(ir::ExprId e, const record::Event* ev) const {
        try {
            return expr_.truth(e, ev);
        } catch (...) {
            return false;
        }
    }

    Number number(ir::ExprId e, const record::Event* ev) const {
        try {
            return expr_.num(e, ev);
        } catch (...) {
            return Number();
        }
    }

private:
    eval::Expressions expr_;
};

}  // namespace kaohe::policy
