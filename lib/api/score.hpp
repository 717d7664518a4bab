// One record through the per-record pipeline: read → validate → evaluate, and the one mapping of
// what can go wrong to a RecordError. Ruleset::evaluate, the batch and the test runner (records
// written in a test block or named by one) all score through here; SQL, Python and the C ABI
// through Ruleset::evaluate and the batch.
#pragma once

#include <optional>
#include <string_view>

#include "eval/evaluate.hpp"
#include "kaohe/kaohe.hpp"
#include "record/record.hpp"

namespace kaohe::api {

// `read(unit)` gives the record as written — read from JSON text, or built from a test block —
// and may set `unit` (null by default) to the unit record to validate it with. The record is
// validated into `rec` and evaluated into `out` (both reused: their buffers are kept), and then
// `finish()` may make something of the result (the batch writes its JSON there, so that an
// overflow while rounding it is this record's error too). Returns the failure, if any: the reader's and the validator's (RecordFailure, thrown also by
// `read`) with their own code and field, an arithmetic overflow as R009 at "total". The error's
// id is left "" for the caller, who knows the reader.
template <class Read, class Finish>
std::optional<RecordError> score(const ir::Program& p, Read&& read, record::Record& rec, eval::Outcome& out,
                                 Finish&& finish) {
    try {
        const record::Unit* unit = nullptr;
        const record::RawRecord& raw = read(unit);
        record::validate(p, raw, unit, rec);
        eval::evaluate(p, rec, out);
        finish();
        return std::nullopt;
    } catch (const record::RecordFailure& f) {
        return RecordError{"", f.message, f.where, diag::name(f.code)};
    } catch (const ArithmeticError& e) {
        return RecordError{"", e.what(), "total", diag::name(diag::Code::R009)};
    }
}

// A record's JSON text, read by `reader`; the error names the record's id when it was read that far.
// `finish(raw)` is given the record as read (its views are valid until the reader's next read).
template <class Finish>
std::optional<RecordError> score_json(const ir::Program& p, record::JsonReader& reader, std::string_view json,
                                      const record::Unit* unit, record::Record& rec, eval::Outcome& out, Finish&& finish) {
    const record::RawRecord* raw = nullptr;
    std::optional<RecordError> e = score(
        p,
        [&](const record::Unit*& u) -> const record::RawRecord& {
            u = unit;
            raw = &reader.read(json);
            return *raw;
        },
        rec, out, [&] { finish(*raw); });
    if (e) e->id = reader.last_id();
    return e;
}

}  // namespace kaohe::api
