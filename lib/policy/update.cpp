// Snapshot update (include/kaohe/policy.hpp): the expected value of each failed `expect` is
// rewritten to the actual one, in place; every other byte of the file stays as it was.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "support/files.hpp"
#include "kaohe/policy.hpp"
#include "parse/parser.hpp"

namespace kaohe::policy {

std::vector<Update> apply_updates(const std::vector<TestReport>& reports) {
    struct Edit {
        std::uint32_t begin, end;
        std::string expected, replacement;
        std::size_t update;  // index into the result
    };
    std::vector<Update> out;
    std::map<std::string, std::vector<Edit>> edits;  // by file (its canonical path)
    std::map<std::string, std::string> names;        // canonical path → the name to open
    std::set<std::pair<std::string, std::uint32_t>> seen;
    for (const auto& report : reports) {
        for (const auto& t : report.tests) {
            for (const auto& m : t.mismatches) {
                // One file may be reached under several names (`a/../b.kh`, `./b.kh`): one edit.
                const std::string key = parse::overlay_key(m.where.file);
                if (!seen.insert({key, m.begin}).second) continue;
                names.emplace(key, m.where.file);
                Update u;
                u.file = m.where.file;
                u.line = m.where.line;
                u.expectation = m.expectation;
                u.actual = m.actual;
                if (m.actual.empty()) {
                    u.why_not = "the actual value cannot be written exactly";
                    out.push_back(std::move(u));
                    continue;
                }
                out.push_back(std::move(u));
                edits[key].push_back({m.begin, m.end, m.expected_text, m.actual, out.size() - 1});
            }
        }
    }
    for (auto& [key, list] : edits) {
        const std::string& file = names[key];
        FileText f = read_file(file, kMaxRuleFileBytes);
        if (f.status != FileText::Status::ok) {
            for (const auto& e : list) out[e.update].why_not = "cannot read " + file + ": " + f.reason;
            continue;
        }
        std::string& text = f.text;
        // Last first, so that earlier offsets stay valid; each edit checks the bytes it replaces.
        std::sort(list.begin(), list.end(), [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
        bool any = false;
        for (const auto& e : list) {
            if (e.end > text.size() || text.compare(e.begin, e.end - e.begin, e.expected) != 0) {
                out[e.update].why_not = "the file changed since the tests ran";
                continue;
            }
            text.replace(e.begin, e.end - e.begin, e.replacement);
            out[e.update].applied = true;
            any = true;
        }
        if (!any) continue;
        std::ofstream o(file, std::ios::binary | std::ios::trunc);
        o << text;
        if (!o) {
            for (const auto& e : list)
                if (out[e.update].applied) out[e.update].applied = false, out[e.update].why_not = "cannot write " + file;
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Update& a, const Update& b) {
        return a.file != b.file ? a.file < b.file : a.line < b.line;
    });
    return out;
}

}  // namespace kaohe::policy
