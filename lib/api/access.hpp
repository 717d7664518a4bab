// The one way past the public API's walls, for lib/ alone. The public classes (include/kaohe/)
// keep their internals in private State types and befriend Access; the public headers name no
// internal type, so nothing a user can name gives one. The API's own files, the test runner and
// the tools reach the compiled program and a result's or unit's parts through here.
#pragma once

#include <memory>

#include "api/receipt.hpp"
#include "api/versions.hpp"
#include "eval/evaluate.hpp"
#include "kaohe/kaohe.hpp"
#include "record/record.hpp"

namespace kaohe {

struct Ruleset::State {
    std::shared_ptr<const ir::Program> program;  // of a ruleset of versions: the latest version's
    std::vector<api::Version> versions;          // by year; empty for a single rule file
    std::string fingerprint;  // the receipt's ruleset hash, "sha256:…" (of the latest version's files)
};

struct Result::State {
    std::shared_ptr<const ir::Program> program;
    record::Record record;
    eval::Outcome outcome;
    // The receipt's hashes: the ruleset's, and the record's ("" when not read from JSON text).
    std::string fingerprint, record_hash;
};

struct Unit::State {
    record::Unit unit;
    const ir::Program* program = nullptr;  // the version it was read against
};

struct Access {
    using ResultState = Result::State;
    using UnitState = Unit::State;

    static Ruleset ruleset(std::shared_ptr<const ir::Program> program) {
        auto s = std::make_shared<Ruleset::State>();
        s->fingerprint = api::fingerprint(program->sources);
        s->program = std::move(program);
        return Ruleset(std::move(s));
    }
    static const ir::Program& program(const Ruleset& r) { return *r.state_->program; }
    static const std::shared_ptr<const ir::Program>& shared_program(const Ruleset& r) { return r.state_->program; }
    static const std::string& fingerprint(const Ruleset& r) { return r.state_->fingerprint; }
    // A ruleset's versions, set once while it is made (api/ruleset.cpp).
    static std::vector<api::Version>& versions(Ruleset& r) { return const_cast<Ruleset::State&>(*r.state_).versions; }
    static const std::vector<api::Version>& versions(const Ruleset& r) { return r.state_->versions; }

    static Result result(std::shared_ptr<const Result::State> s) { return Result(std::move(s)); }
    static const Result::State& state(const Result& r) { return *r.state_; }
    // A batch applying a quota changes the outcome of a result it has just scored and not yet
    // handed on: that result's state is shared with no one else.
    static eval::Outcome& held_outcome(const Result& r) { return const_cast<Result::State&>(*r.state_).outcome; }

    static Unit unit(std::shared_ptr<const Unit::State> s) { return Unit(std::move(s)); }
    static const record::Unit& unit(const Unit& u) { return u.state_->unit; }
    static const ir::Program* unit_program(const Unit& u) { return u.state_->program; }
};

}  // namespace kaohe
