// Explanation: an evaluated record, written for machines (the result JSON of docs/records.md) and
// for people (a scorecard). Numbers are written exactly; a value with no finite decimal form is
// rounded as the policy says (`round 2 half_up`).
#pragma once

#include <string>

#include "eval/evaluate.hpp"
#include "kaohe/kaohe.hpp"

namespace kaohe::explain {

void write_json(std::string& out, const ir::Program& p, const record::Record& r, const eval::Outcome& o);
void write_error_json(std::string& out, const RecordError& e);
std::string scorecard(const ir::Program& p, const record::Record& r, const eval::Outcome& o);

// Public views of one line, for the C++ API.
Line line(const ir::Program& p, const record::Record& r, const eval::Line& l);
const char* kind_name(eval::Line::Kind k);

}  // namespace kaohe::explain
