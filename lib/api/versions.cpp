// A scheme's versions (api/versions.hpp): the manifest read line by line, each version compiled
// as a rule file of its own, and the checks that make the versions one scheme over the years.
#include "api/versions.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <filesystem>

#include "api/access.hpp"
#include "api/score.hpp"
#include "support/files.hpp"
#include "support/sources.hpp"

namespace kaohe::api {
namespace {

using diag::Code;
namespace fs = std::filesystem;

constexpr std::string_view kManifestName = "versions.kh";

// The first word of `text` after blank lines and `#` comments.
std::string_view first_word(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') ++i;
        else if (c == '#') {
            while (i < text.size() && text[i] != '\n') ++i;
        } else break;
    }
    std::size_t j = i;
    while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
    return text.substr(i, j - i);
}

// One manifest line cut into words, quoted texts and numbers, each with its span.
struct Token {
    enum Kind { word, text, number } kind = word;
    std::string value;
    Span span;
};

class ManifestReader {
public:
    ManifestReader(const Sources& sources, std::uint32_t file, std::vector<Diagnostic>& diagnostics)
        : sources_(sources), file_(file), text_(sources.text(file)), diagnostics_(diagnostics) {}

    struct Entry {
        std::string label;
        int year = 0;
        std::string file;
        Span span;       // the whole line
        Span file_span;  // the file's quoted name
    };
    std::string scheme;
    Span scheme_span;
    std::vector<Entry> entries;

    // False after a syntax error (P001), reported.
    bool read() {
        std::size_t pos = 0;
        while (pos <= text_.size()) {
            std::size_t end = text_.find('\n', pos);
            if (end == std::string::npos) end = text_.size();
            std::vector<Token> tokens;
            if (!tokenize(pos, end, tokens)) return false;
            if (!tokens.empty() && !line(tokens)) return false;
            pos = end + 1;
        }
        if (scheme_span.end == 0 && scheme.empty())
            return error({file_, 0, 0}, "expected `versions of \"SCHEME\"` naming the scheme the versions are of");
        if (entries.empty())
            return error(scheme_span, "expected at least one `version \"LABEL\" year YEAR file \"FILE\"` after `versions of`");
        return true;
    }

private:
    bool error(Span at, std::string message) {
        diagnostics_.push_back(diag::make(Code::P001, sources_.locate(at), std::move(message)));
        return false;
    }

    bool tokenize(std::size_t pos, std::size_t end, std::vector<Token>& out) {
        while (pos < end) {
            const char c = text_[pos];
            if (c == ' ' || c == '\t' || c == '\r') {
                ++pos;
            } else if (c == '#') {
                break;
            } else if (c == '"') {
                const std::size_t close = text_.find('"', pos + 1);
                if (close == std::string::npos || close > end)
                    return error(span(pos, end), "a quoted text is not closed on its line");
                out.push_back({Token::text, text_.substr(pos + 1, close - pos - 1), span(pos, close + 1)});
                pos = close + 1;
            } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
                std::size_t j = pos;
                while (j < end && (std::isalnum(static_cast<unsigned char>(text_[j])) || text_[j] == '_')) ++j;
                const std::string w = text_.substr(pos, j - pos);
                const bool digits = std::all_of(w.begin(), w.end(), [](char d) { return d >= '0' && d <= '9'; });
                out.push_back({digits ? Token::number : Token::word, w, span(pos, j)});
                pos = j;
            } else {
                std::size_t j = pos + 1;
                while (j < end && (static_cast<unsigned char>(text_[j]) & 0xC0) == 0x80) ++j;
                return error(span(pos, j), "unexpected `" + text_.substr(pos, j - pos) +
                                               "`: a manifest line is `versions of \"SCHEME\"` or `version \"LABEL\" year YEAR file \"FILE\"`");
            }
        }
        return true;
    }

    bool expect(const std::vector<Token>& t, std::size_t i, Token::Kind kind, std::string_view word, std::string_view what) {
        const Span at = i < t.size() ? t[i].span : Span{file_, t.back().span.end, t.back().span.end};
        if (i >= t.size() || t[i].kind != kind || (kind == Token::word && t[i].value != word))
            return error(at, "expected " + std::string(what));
        return true;
    }

    bool line(const std::vector<Token>& t) {
        const Span whole{file_, t.front().span.begin, t.back().span.end};
        if (t[0].kind == Token::word && t[0].value == "versions") {
            if (!scheme.empty() || scheme_span.end != 0) return error(whole, "`versions of` is given twice");
            if (!expect(t, 1, Token::word, "of", "`of` after `versions`") ||
                !expect(t, 2, Token::text, "", "the scheme's name in quotes, as its files' `policy` header gives it"))
                return false;
            if (t.size() > 3) return error(t[3].span, "unexpected text after the scheme's name");
            scheme = t[2].value;
            scheme_span = whole;
            return true;
        }
        if (t[0].kind == Token::word && t[0].value == "version") {
            if (scheme_span.end == 0) return error(whole, "expected `versions of \"SCHEME\"` before the versions");
            if (!expect(t, 1, Token::text, "", "the version's label in quotes, as its file's header gives it (`version \"2023\"`)") ||
                !expect(t, 2, Token::word, "year", "`year` and the assessment year the version is for") ||
                !expect(t, 3, Token::number, "", "the assessment year, four digits") ||
                !expect(t, 4, Token::word, "file", "`file` and the version's root rule file") ||
                !expect(t, 5, Token::text, "", "the version's root rule file in quotes, relative to the manifest"))
                return false;
            if (t.size() > 6) return error(t[6].span, "unexpected text after the version's file");
            if (t[3].value.size() != 4) return error(t[3].span, "expected the assessment year, four digits");
            entries.push_back({t[1].value, std::stoi(t[3].value), t[5].value, whole, t[5].span});
            return true;
        }
        return error(t[0].span, "expected `versions of \"SCHEME\"` or `version \"LABEL\" year YEAR file \"FILE\"`");
    }

    Span span(std::size_t b, std::size_t e) const {
        return Span{file_, static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e)};
    }

    const Sources& sources_;
    std::uint32_t file_;
    const std::string& text_;
    std::vector<Diagnostic>& diagnostics_;
};

// Why `path`, a version's file of the manifest `manifest`, is not a rule file a version can be:
// the manifest itself, another manifest (or a folder holding one) or a folder. Compiling either
// would read a manifest as a version again, without end when it leads back here.
// A file outside `confine_to` (when given) is not looked at here: compiling it refuses it
// without saying anything of it.
std::optional<std::string> not_a_rule_file(const std::string& path, const std::string& manifest, const std::string& confine_to) {
    std::error_code ec;
    if (!confine_to.empty()) {
        const fs::path dir = fs::canonical(confine_to, ec);
        if (ec) return std::nullopt;
        const fs::path rel = fs::weakly_canonical(path, ec).lexically_relative(dir);
        if (ec || rel.empty() || *rel.begin() == "..") return std::nullopt;
    }
    const auto same = fs::equivalent(path, manifest, ec);
    if (!ec && same) return "is this manifest itself: a version's file is its root rule file, not the manifest";
    if (fs::is_directory(path, ec))
        return "is a folder: a version's file is its root rule file, as `file \"2023/kaohe.kh\"`";
    if (versions_manifest(path))
        return "is a versions manifest: a version's file is its root rule file, not a manifest";
    return std::nullopt;
}

}  // namespace

std::optional<std::string> versions_manifest(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        const std::string inside = (fs::path(path) / kManifestName).string();
        if (fs::is_regular_file(inside, ec)) return inside;
        return std::nullopt;
    }
    if (!fs::is_regular_file(path, ec)) return std::nullopt;
    const FileText f = kaohe::read_file(path, kMaxRuleFileBytes);
    if (f.status != FileText::Status::ok) return std::nullopt;  // the parser reports it
    if (first_word(f.text) == "versions") return path;
    return std::nullopt;
}

std::vector<Version> compile_versions(const std::string& manifest, const CompileOptions& options,
                                      std::vector<Diagnostic>& diagnostics) {
    std::vector<Version> out;
    const FileText f = kaohe::read_file(manifest, kMaxRuleFileBytes);
    if (f.status != FileText::Status::ok) {
        Location where;
        where.file = manifest;
        diagnostics.push_back(diag::make(Code::P003, where, cannot_read("versions manifest", manifest, f)));
        return out;
    }
    Sources sources;
    const std::uint32_t file = sources.add(manifest, f.text);
    ManifestReader reader(sources, file, diagnostics);
    if (!reader.read()) return out;

    const fs::path dir = fs::path(manifest).parent_path();
    bool failed = false;
    for (std::size_t i = 0; i < reader.entries.size(); ++i) {
        const auto& e = reader.entries[i];
        const Location at = sources.locate(e.span);
        for (std::size_t j = 0; j < i; ++j)
            if (reader.entries[j].year == e.year || reader.entries[j].label == e.label) {
                Diagnostic d = diag::make(Code::C056, at,
                                          reader.entries[j].year == e.year
                                              ? "two versions for the year " + std::to_string(e.year) +
                                                    ": a record is scored by the one version for its year"
                                              : "the version \"" + e.label + "\" is given twice");
                d.notes.push_back({sources.locate(reader.entries[j].span), "the other version"});
                diagnostics.push_back(std::move(d));
                failed = true;
            }
        const std::string path = (dir / e.file).string();
        if (std::optional<std::string> why = not_a_rule_file(path, manifest, options.confine_to)) {
            Diagnostic d = diag::make(Code::C068, sources.locate(e.file_span), "the version's file \"" + e.file + "\" " + *why);
            diagnostics.push_back(std::move(d));
            failed = true;
            continue;
        }
        CompileResult c = Ruleset::compile_file(path, options);
        diagnostics.insert(diagnostics.end(), c.diagnostics.begin(), c.diagnostics.end());
        if (!c.ruleset) {
            failed = true;
            continue;
        }
        const ir::Policy& policy = Access::program(*c.ruleset).policy;
        const std::string header = "its header is `policy \"" + policy.name + "\" version \"" + policy.version + "\" year " +
                                   std::to_string(policy.year) + "`";
        auto disagree = [&](std::string what) {
            Diagnostic d = diag::make(Code::C057, at, e.file + " " + what + ": " + header);
            d.notes.push_back({sources.locate(reader.scheme_span), "the versions are of \"" + reader.scheme + "\""});
            diagnostics.push_back(std::move(d));
            failed = true;
        };
        if (policy.name != reader.scheme)
            disagree("is a version of another scheme, \"" + policy.name + "\", not of \"" + reader.scheme + "\"");
        else if (policy.year != e.year)
            disagree("assesses the year " + std::to_string(policy.year) + ", not " + std::to_string(e.year) + " as the manifest says");
        else if (policy.version != e.label)
            disagree("is the version \"" + policy.version + "\", not \"" + e.label + "\" as the manifest says");
        out.push_back({e.label, e.year, Access::shared_program(*c.ruleset)});
    }
    if (failed) return {};
    std::sort(out.begin(), out.end(), [](const Version& a, const Version& b) { return a.year < b.year; });
    return out;
}

const Version* version_for(const std::vector<Version>& versions, const record::RawRecord& raw) {
    if (!raw.has_year || !raw.year || !raw.year->is_integer()) return nullptr;
    const std::optional<std::int64_t> y = raw.year->to_int64();
    for (const Version& v : versions)
        if (y && *y == v.year) return &v;
    std::string years;
    for (std::size_t i = 0; i < versions.size(); ++i)
        years += (i == 0 ? "" : i + 1 == versions.size() ? " and " : ", ") + std::to_string(versions[i].year);
    throw record::RecordFailure(Code::R007,
                                "the record is for " + raw.year->to_string() + " but the scheme has versions for " +
                                    (versions.size() == 1 ? "the year " : "the years ") + years + " only",
                                "year");
}

Evaluation evaluate_as_year(const Ruleset& ruleset, std::string_view record_json, int year) {
    thread_local record::JsonReader reader;
    auto result = std::make_shared<Access::ResultState>();
    result->program = Access::shared_program(ruleset);
    result->fingerprint = Access::fingerprint(ruleset);
    for (const Version& v : Access::versions(ruleset))
        if (v.year == year) {
            result->program = v.program;
            result->fingerprint = v.fingerprint;
        }
    record::RawRecord moved;
    std::deque<std::string> texts;  // the moved dates and periods, which `moved` views
    const std::string to = std::to_string(year);
    // "2022-03-14" of a record for 2022 → "2023-03-14"; anything else as written (validation says why).
    auto to_year = [&](std::string_view s, std::string_view from) -> std::string_view {
        if (s.size() < 5 || s.substr(0, 4) != from || s[4] != '-') return s;
        texts.push_back(to + std::string(s.substr(4)));
        return texts.back();
    };
    std::optional<RecordError> e = score(
        *result->program,
        [&](const record::Unit*& unit) -> const record::RawRecord& {
            unit = nullptr;
            moved = reader.read(record_json);
            const std::optional<std::int64_t> from =
                moved.has_year && moved.year && moved.year->is_integer() ? moved.year->to_int64() : std::nullopt;
            if (!from || *from < 1000 || *from > 9999) return moved;  // reported as for any record
            const std::string from_text = std::to_string(*from);
            moved.year = Number(static_cast<std::int64_t>(year));
            for (record::RawEvent& ev : moved.events)
                if (ev.date) ev.date = to_year(*ev.date, from_text);
            for (auto& period : moved.periods) period.first = to_year(period.first, from_text);
            return moved;
        },
        result->record, result->outcome, [] {});
    if (e) {
        e->id = reader.last_id();
        return Evaluation(std::move(*e));
    }
    result->record_hash = record_hash(moved);  // the record as scored: moved to `year`
    return Evaluation(Access::result(std::move(result)));
}

}  // namespace kaohe::api
