// The public API's hidden parts (include/kaohe/kaohe.hpp), shared by lib/api/ruleset.cpp and
// lib/api/batch.cpp.
#pragma once

#include <memory>

#include "eval/evaluate.hpp"
#include "kaohe/kaohe.hpp"
#include "record/record.hpp"

namespace kaohe {

struct Result::Impl {
    std::shared_ptr<const ir::Program> program;
    record::Record record;
    eval::Outcome outcome;
};

struct Unit::Impl {
    record::Unit unit;
};

}  // namespace kaohe
