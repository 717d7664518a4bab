// See kaohe_sql.hpp.
#include "kaohe_sql.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <new>
#include <optional>

#include "ir/program.hpp"
#include "kaohe/kaohe.hpp"

namespace kaohe_sql {

struct Cache::Entry {
    kaohe::Ruleset ruleset;
    std::int64_t mtime_sec = 0, mtime_nsec = 0, size = 0;
    // The last unit record read against this ruleset (most queries pass one unit for every row).
    std::string unit_text;
    std::shared_ptr<const kaohe::Unit> unit;
    explicit Entry(kaohe::Ruleset r) : ruleset(std::move(r)) {}
};

struct Cache::Prepared {
    std::shared_ptr<Entry> entry;
    std::shared_ptr<const kaohe::Unit> unit;
};

Cache::Cache() = default;
Cache::~Cache() = default;

std::shared_ptr<Cache::Entry> Cache::get(const std::string& path, Outcome& out) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        out = {Status::bad_ruleset, "cannot read ruleset " + path + ": " + std::strerror(errno)};
        return nullptr;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = entries_.find(path);
        if (it != entries_.end() && it->second->mtime_sec == st.st_mtim.tv_sec &&
            it->second->mtime_nsec == st.st_mtim.tv_nsec && it->second->size == st.st_size)
            return it->second;
    }
    kaohe::CompileResult compiled = kaohe::Ruleset::compile_file(path);
    if (!compiled.ruleset) {
        std::string text = kaohe::render(compiled.diagnostics);
        while (!text.empty() && text.back() == '\n') text.pop_back();
        if (text.empty()) text = "cannot compile ruleset " + path;
        out = {Status::bad_ruleset, "ruleset " + path + " has errors:\n" + text};
        return nullptr;
    }
    auto entry = std::make_shared<Entry>(std::move(*compiled.ruleset));
    entry->mtime_sec = st.st_mtim.tv_sec;
    entry->mtime_nsec = st.st_mtim.tv_nsec;
    entry->size = st.st_size;
    std::lock_guard<std::mutex> lock(mutex_);
    entries_[path] = entry;
    return entry;
}

bool Cache::prepare(const std::string& path, const std::string* unit, Prepared& p, Outcome& out) {
    p.entry = get(path, out);
    if (!p.entry) return false;
    if (!unit) return true;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (p.entry->unit && p.entry->unit_text == *unit) {
            p.unit = p.entry->unit;
            return true;
        }
    }
    kaohe::RecordError error;
    std::optional<kaohe::Unit> u = p.entry->ruleset.read_unit(*unit, &error);
    if (!u) {
        out = {Status::bad_unit, "unit record" + (error.where.empty() ? std::string() : ": " + error.where) +
                                     ": " + error.message + " [" + error.code + "]"};
        return false;
    }
    p.unit = std::make_shared<const kaohe::Unit>(std::move(*u));
    std::lock_guard<std::mutex> lock(mutex_);
    p.entry->unit_text = *unit;
    p.entry->unit = p.unit;
    return true;
}

namespace {

std::string describe(const kaohe::RecordError& e) {
    std::string s = "record " + (e.id.empty() ? std::string("(no id)") : e.id);
    if (!e.where.empty()) s += ": " + e.where;
    s += ": " + e.message;
    if (!e.code.empty()) s += " [" + e.code + "]";
    return s;
}

std::string number_text(const kaohe::Ruleset& r, const kaohe::Number& n) {
    const auto& policy = r.program().policy;
    return n.to_string(policy.round_places, policy.rounding);
}

template <class F>
Outcome guarded(F&& f) noexcept {
    try {
        return f();
    } catch (const std::bad_alloc&) {
        return {Status::out_of_memory, "out of memory"};
    } catch (const std::exception& e) {
        try {
            return {Status::internal, std::string("internal error: ") + e.what()};
        } catch (...) {
            return {Status::out_of_memory, "out of memory"};
        }
    } catch (...) {
        return {Status::internal, "internal error"};
    }
}

}  // namespace

Outcome Cache::score(const std::string& path, std::string_view record, const std::string* unit) noexcept {
    return guarded([&]() -> Outcome {
        Prepared p;
        Outcome out;
        if (!prepare(path, unit, p, out)) return out;
        kaohe::Evaluation e = p.entry->ruleset.evaluate(record, p.unit.get());
        return {Status::ok, e.json()};
    });
}

Outcome Cache::total(const std::string& path, std::string_view record, const std::string* unit) noexcept {
    return guarded([&]() -> Outcome {
        Prepared p;
        Outcome out;
        if (!prepare(path, unit, p, out)) return out;
        kaohe::Evaluation e = p.entry->ruleset.evaluate(record, p.unit.get());
        if (!e.ok()) return {Status::bad_record, describe(e.error())};
        return {Status::ok, number_text(p.entry->ruleset, e.result().total())};
    });
}

Outcome Cache::lines(const std::string& path, std::string_view record, const std::string* unit,
                     std::vector<LineRow>& rows) noexcept {
    return guarded([&]() -> Outcome {
        rows.clear();
        Prepared p;
        Outcome out;
        if (!prepare(path, unit, p, out)) return out;
        kaohe::Evaluation e = p.entry->ruleset.evaluate(record, p.unit.get());
        if (!e.ok()) return {Status::bad_record, describe(e.error())};
        for (const kaohe::Line& l : e.result().lines())
            rows.push_back({l.path, l.event, l.date, number_text(p.entry->ruleset, l.points), l.rule, l.note});
        return {Status::ok, {}};
    });
}

}  // namespace kaohe_sql
