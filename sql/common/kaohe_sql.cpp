// See kaohe_sql.hpp.
#include "kaohe_sql.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <new>
#include <optional>

#include "kaohe/batch.hpp"
#include "kaohe/kaohe.hpp"

namespace kaohe_sql {

struct Cache::Entry {
    kaohe::Ruleset ruleset;
    std::string key;  // the resolved root file, and the directory its includes are read from
    std::uint64_t dev = 0, ino = 0;
    std::int64_t mtime_sec = 0, mtime_nsec = 0, size = 0;
    std::size_t bytes = 0;  // estimated
    // The last unit record read against this ruleset (most queries pass one unit for every row).
    std::string unit_text;
    std::shared_ptr<const kaohe::Unit> unit;
    explicit Entry(kaohe::Ruleset r) : ruleset(std::move(r)) {}
};

struct Cache::Prepared {
    std::shared_ptr<Entry> entry;
    std::shared_ptr<const kaohe::Unit> unit;
};

static_assert(kMaxRecordBytes == kaohe::kMaxRecordBytes);

std::string record_too_large(std::size_t bytes, const std::string& as) {
    return kaohe::record_too_large(std::to_string(bytes) + " " + as);
}

std::string batch_too_large(std::size_t rows, std::size_t bytes) {
    return "the records of one batch hold at most " + std::to_string(kMaxBatchBytes) + " bytes of text in all; at row " +
           std::to_string(rows) + " they hold " + std::to_string(bytes) +
           " (score a larger population with `kaohe eval --batch`, or one unit per call with GROUP BY)";
}

std::string path_too_long(std::size_t bytes) {
    if (bytes <= kMaxPathBytes) return {};
    return "the ruleset path is " + std::to_string(bytes) + " bytes long; a path holds at most " +
           std::to_string(kMaxPathBytes) + " (PATH_MAX)";
}

Cache::Cache(std::string confine_to, CacheLimits limits) : confine_to_(std::move(confine_to)), limits_(limits) {}
Cache::~Cache() = default;

std::size_t Cache::entries() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    return lru_.size();
}

std::size_t Cache::bytes() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    return bytes_;
}

namespace {

// A database's error message is a C string: a NUL the record's text holds would end it there,
// so it is written as the terminal writes it, `\u{0}`.
std::string without_nul(std::string s) {
    for (std::size_t at; (at = s.find('\0')) != std::string::npos;) s.replace(at, 1, "\\u{0}");
    return s;
}

bool same_file(const Cache::Entry& e, const struct stat& st) {
    return e.dev == static_cast<std::uint64_t>(st.st_dev) && e.ino == static_cast<std::uint64_t>(st.st_ino) &&
           e.mtime_sec == st.st_mtim.tv_sec && e.mtime_nsec == st.st_mtim.tv_nsec && e.size == st.st_size;
}

// The cache's key for a path: the file it resolves to (through symbolic links), and the directory
// its includes are read from (the parser reads them beside the path as given, lexically). Every
// spelling of one path (seed/./seed.kh, seed//seed.kh, x/../seed/seed.kh) has the same key.
std::string key_of(const std::string& path) {
    std::error_code ec;
    const auto real = std::filesystem::canonical(path, ec);
    if (ec) return {};
    const auto absolute = std::filesystem::absolute(path, ec);
    if (ec) return {};
    return real.string() + '\n' + absolute.parent_path().lexically_normal().string();
}

}  // namespace

void Cache::touch(std::list<std::shared_ptr<Entry>>::iterator it) { lru_.splice(lru_.begin(), lru_, it); }

std::shared_ptr<Cache::Entry> Cache::get(const std::string& path, Outcome& out) {
    if (std::string why = path_too_long(path.size()); !why.empty()) {
        out = {Status::bad_ruleset, why};
        return nullptr;
    }
    if (path.find('\0') != std::string::npos) {
        out = {Status::bad_ruleset, "the ruleset path holds a NUL byte"};
        return nullptr;
    }
    struct stat st {};
    const bool found = ::stat(path.c_str(), &st) == 0;
    // Confined, whether a file outside exists is not told: the compiler says it is outside.
    if (!found && confine_to_.empty()) {
        out = {Status::bad_ruleset, "cannot read ruleset " + path + ": " + std::strerror(errno)};
        return nullptr;
    }
    std::string key;
    if (found) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (last_entry_ && last_path_ == path && same_file(*last_entry_, st)) {
                if (auto it = entries_.find(last_entry_->key); it != entries_.end()) touch(it->second);
                return last_entry_;
            }
        }
        key = key_of(path);
        if (!key.empty()) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (auto it = entries_.find(key); it != entries_.end() && same_file(**it->second, st)) {
                touch(it->second);
                last_path_ = path;
                last_entry_ = *it->second;
                return last_entry_;
            }
        }
    }
    kaohe::CompileOptions options;
    options.confine_to = confine_to_;
    kaohe::CompileResult compiled = kaohe::Ruleset::compile_file(path, options);
    if (!compiled.ruleset) {
        std::string text = kaohe::render(compiled.diagnostics);
        while (!text.empty() && text.back() == '\n') text.pop_back();
        if (text.empty()) text = "cannot compile ruleset " + kaohe::terminal_text(path);
        out = {Status::bad_ruleset, "ruleset " + kaohe::terminal_text(path) + " has errors:\n" + text};
        return nullptr;
    }
    auto entry = std::make_shared<Entry>(std::move(*compiled.ruleset));
    if (key.empty()) return entry;  // it cannot be resolved (it changed meanwhile): used once, not kept
    entry->key = key;
    entry->dev = static_cast<std::uint64_t>(st.st_dev);
    entry->ino = static_cast<std::uint64_t>(st.st_ino);
    entry->mtime_sec = st.st_mtim.tv_sec;
    entry->mtime_nsec = st.st_mtim.tv_nsec;
    entry->size = st.st_size;
    entry->bytes = sizeof(Entry) + kBytesPerTextByte * entry->ruleset.source_bytes();

    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) {  // a stale one (or another thread's)
        bytes_ -= (*it->second)->bytes;
        lru_.erase(it->second);
        entries_.erase(it);
    }
    lru_.push_front(entry);
    entries_[key] = lru_.begin();
    bytes_ += entry->bytes;
    while (lru_.size() > 1 && (lru_.size() > limits_.max_entries || bytes_ > limits_.max_bytes)) {
        const std::shared_ptr<Entry>& old = lru_.back();
        bytes_ -= old->bytes;
        entries_.erase(old->key);
        lru_.pop_back();
    }
    last_path_ = path;
    last_entry_ = entry;
    return entry;
}

bool Cache::prepare(const std::string& path, const Json* unit, Prepared& p, Outcome& out) {
    p.entry = get(path, out);
    if (!p.entry) return false;
    if (!unit) return true;
    if (!unit->refused.empty()) {
        out = {Status::bad_unit, "unit record: " + unit->refused + " [R008]"};
        return false;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (p.entry->unit && p.entry->unit_text == unit->text) {
            p.unit = p.entry->unit;
            return true;
        }
    }
    kaohe::RecordError error;
    std::optional<kaohe::Unit> u = p.entry->ruleset.read_unit(unit->text, &error);
    if (!u) {
        out = {Status::bad_unit, without_nul("unit record" + (error.where.empty() ? std::string() : ": " + error.where) +
                                             ": " + error.message + " [" + error.code + "]")};
        return false;
    }
    p.unit = std::make_shared<const kaohe::Unit>(std::move(*u));
    std::lock_guard<std::mutex> lock(mutex_);
    p.entry->unit_text = unit->text;
    p.entry->unit = p.unit;
    return true;
}

namespace {

std::string describe(const kaohe::RecordError& e) {
    std::string s = "record " + (e.id.empty() ? std::string("(no id)") : e.id);
    if (!e.where.empty()) s += ": " + e.where;
    s += ": " + e.message;
    if (!e.code.empty()) s += " [" + e.code + "]";
    return without_nul(std::move(s));
}

std::string number_text(const kaohe::Ruleset& r, const kaohe::Number& n) { return r.format(n); }

// The evaluation of `record`, or its R008 error when the host refused it by its size.
kaohe::Evaluation evaluate(const kaohe::Ruleset& r, const Json& record, const kaohe::Unit* unit) {
    if (!record.refused.empty()) return kaohe::Evaluation(kaohe::RecordError{"", record.refused, "", "R008"});
    return r.evaluate(record.text, unit);
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

Outcome Cache::score(const std::string& path, const Json& record, const Json* unit) noexcept {
    return guarded([&]() -> Outcome {
        Prepared p;
        Outcome out;
        if (!prepare(path, unit, p, out)) return out;
        kaohe::Evaluation e = evaluate(p.entry->ruleset, record, p.unit.get());
        return {Status::ok, e.json()};
    });
}

Outcome Cache::total(const std::string& path, const Json& record, const Json* unit) noexcept {
    return guarded([&]() -> Outcome {
        Prepared p;
        Outcome out;
        if (!prepare(path, unit, p, out)) return out;
        kaohe::Evaluation e = evaluate(p.entry->ruleset, record, p.unit.get());
        if (!e.ok()) return {Status::bad_record, describe(e.error())};
        return {Status::ok, number_text(p.entry->ruleset, e.result().total())};
    });
}

Outcome Cache::score_batch(const std::string& path, const std::vector<Json>& records, const Json* unit,
                           std::size_t max_result_bytes) noexcept {
    return guarded([&]() -> Outcome {
        Prepared p;
        Outcome out;
        if (!prepare(path, unit, p, out)) return out;
        std::size_t bytes = 0;
        for (const Json& r : records) bytes += r.text.size();
        if (bytes > kMaxBatchBytes) return {Status::bad_record, batch_too_large(records.size(), bytes)};
        // A record refused by its size is scored as an empty text (an error, in no unit's
        // population) and its result is then its R008 error.
        std::vector<std::string_view> texts;
        texts.reserve(records.size());
        for (const Json& r : records) texts.push_back(r.refused.empty() ? r.text : std::string_view());
        kaohe::BatchOptions options;
        options.threads = 1;  // the database's own process: one thread, as every other kaohe function
        options.unit = p.unit.get();
        std::string array = "[";
        bool too_large = false;
        kaohe::evaluate_many(
            p.entry->ruleset, texts,
            [&](std::size_t i, const kaohe::Evaluation& e) {
                if (too_large) return;
                if (i > 0) array += ',';
                if (!records[i].refused.empty())
                    array += kaohe::Evaluation(kaohe::RecordError{"", records[i].refused, "", "R008"}).json();
                else array += e.json();
                too_large = array.size() + 1 > max_result_bytes;
            },
            options);
        if (too_large)
            return {Status::bad_record, "the results of " + std::to_string(records.size()) + " records are over " +
                                            std::to_string(max_result_bytes) +
                                            " bytes, the most one value holds here (score fewer per call, one unit per "
                                            "call with GROUP BY)"};
        array += ']';
        return {Status::ok, std::move(array)};
    });
}

Outcome Cache::lines(const std::string& path, const Json& record, const Json* unit,
                     std::vector<LineRow>& rows) noexcept {
    return guarded([&]() -> Outcome {
        rows.clear();
        Prepared p;
        Outcome out;
        if (!prepare(path, unit, p, out)) return out;
        kaohe::Evaluation e = evaluate(p.entry->ruleset, record, p.unit.get());
        if (!e.ok()) return {Status::bad_record, describe(e.error())};
        for (const kaohe::Line& l : e.result().lines())
            rows.push_back({l.path, l.event, l.date, number_text(p.entry->ruleset, l.points), l.rule, l.note});
        return {Status::ok, {}};
    });
}

}  // namespace kaohe_sql
