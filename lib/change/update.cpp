// Snapshot update (include/kaohe/policy.hpp): the expected value of each failed `expect` is
// rewritten to the actual one, in place; every other byte of the file stays as it was.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "support/files.hpp"
#include "kaohe/policy.hpp"
#include "api/compile.hpp"

namespace kaohe::policy {
namespace {

// Replaces the content of `path` with `text` so that a failure at any point (a full disk, a
// folder that cannot be written) leaves the original untouched: a temporary file in the same
// folder, written, flushed to disk and renamed over the original (after symlinks, so that a
// link stays a link). "" on success, else what failed and why.
std::string replace_file(const std::string& path, const std::string& text) {
    std::error_code ec;
    std::filesystem::path target = std::filesystem::canonical(path, ec);
    if (ec) return "cannot write " + path + ": " + ec.message() + "; the file is left as it was";
    struct stat st {};
    const bool have_mode = ::stat(target.c_str(), &st) == 0;
    std::string tmp = (target.parent_path() / ("." + target.filename().string() + ".kaohe-XXXXXX")).string();
    const auto failed = [&](const char* what, int err) {
        return "cannot write " + path + " (" + what + "): " + std::strerror(err) + "; the file is left as it was";
    };
    const int fd = ::mkstemp(tmp.data());
    if (fd < 0) return failed("creating a temporary file next to it", errno);
    const auto give_up = [&](const char* what) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        return failed(what, err);
    };
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        const ssize_t w = ::write(fd, p, left);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (w == 0) errno = EIO;
            return give_up("writing");
        }
        p += w;
        left -= static_cast<std::size_t>(w);
    }
    if (have_mode && ::fchmod(fd, st.st_mode & 07777) != 0) return give_up("setting its permissions");
    if (::fsync(fd) != 0) return give_up("flushing it to disk");
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return failed("closing", err);
    }
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return failed("renaming the new version over it", err);
    }
    return "";
}

}  // namespace

std::string Update::text() const {
    std::string out = terminal_text(file) + ":" + std::to_string(line) + ": " + terminal_text(expectation);
    if (applied) return out + " -> " + terminal_text(actual.substr(0, 200)) + "\n";
    return out + ": not updated: " + terminal_text(why_not) + "\n";
}

std::string Update::json() const {
    return "{\"file\":" + json_quote(file) + ",\"line\":" + std::to_string(line) + ",\"expectation\":" +
           json_quote(expectation) + ",\"actual\":" + json_quote(actual) + ",\"applied\":" + (applied ? "true" : "false") +
           (applied ? std::string() : ",\"why_not\":" + json_quote(why_not)) + "}";
}

bool UpdateReport::applied() const {
    return std::any_of(updates.begin(), updates.end(), [](const Update& u) { return u.applied; });
}

std::string UpdateReport::text() const {
    std::string out;
    for (const auto& u : updates) out += u.text();
    return out;
}

std::string UpdateReport::json() const {
    std::string out = "{\"updates\":[";
    for (std::size_t i = 0; i < updates.size(); ++i) out += (i ? "," : "") + updates[i].json();
    return out + "]}";
}

UpdateReport apply_updates(const std::vector<TestReport>& reports) {
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
                const std::string key = file_key(m.where.file);
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
        const std::string failure = replace_file(file, text);
        if (!failure.empty()) {
            for (const auto& e : list) {
                if (!out[e.update].applied) continue;
                out[e.update].applied = false;
                out[e.update].write_failed = true;
                out[e.update].why_not = failure;
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Update& a, const Update& b) {
        return a.file != b.file ? a.file < b.file : a.line < b.line;
    });
    UpdateReport report;
    report.updates = std::move(out);
    return report;
}

}  // namespace kaohe::policy
