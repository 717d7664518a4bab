// JSON Lines cut into chunks (support/lines.hpp).
#include "support/lines.hpp"

#include <algorithm>
#include <cstring>
#include <istream>

#include "kaohe/batch.hpp"

namespace kaohe {
namespace {

constexpr std::size_t kBlock = 64 * 1024;

bool blank(const char* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (p[i] != ' ' && p[i] != '\t') return false;
    return true;
}

}  // namespace

bool RecordLine::too_large() const { return full_size > kMaxRecordBytes; }

std::string too_large_message(const RecordLine& l) {
    return record_too_large(std::to_string(l.full_size) + " bytes");
}

LineReader::LineReader(std::istream& in) : in_(in), buf_(kBlock) {}

bool LineReader::next(LineChunk& c) {
    c.text.clear();
    c.lines.clear();
    while (c.lines.size() < kBatchChunkRecords && c.text.size() < kBatchChunkBytes) {
        const std::size_t start = c.text.size();
        std::uint64_t full = 0;
        bool any = false;
        for (;;) {
            if (pos_ == end_ && !refill()) break;
            any = true;
            const char* p = buf_.data() + pos_;
            const std::size_t avail = end_ - pos_;
            const char* nl = static_cast<const char*>(std::memchr(p, '\n', avail));
            const std::size_t take = nl ? static_cast<std::size_t>(nl - p) : avail;
            // Keep at most one byte past the record limit: enough to know the line is too long.
            const std::uint64_t room = full <= kMaxRecordBytes ? kMaxRecordBytes + 1 - full : 0;
            c.text.append(p, static_cast<std::size_t>(std::min<std::uint64_t>(take, room)));
            full += take;
            pos_ += take;
            bytes_ += take;
            if (nl) {
                ++pos_;
                ++bytes_;
                break;
            }
        }
        if (!any) break;  // the input has ended
        ++line_;
        std::size_t size = c.text.size() - start;
        if (full > kMaxRecordBytes) {
            c.text.resize(start);  // not kept: its error names only its size
            c.lines.push_back({start, 0, line_, full});
            continue;
        }
        if (size > 0 && c.text.back() == '\r') {
            c.text.pop_back();
            --size;
            --full;
        }
        if (blank(c.text.data() + start, size)) {
            c.text.resize(start);
            continue;
        }
        c.lines.push_back({start, size, line_, full});
    }
    c.bytes_end = bytes_;
    return !c.lines.empty();
}

bool LineReader::refill() {
    if (done_) return false;
    in_.read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    const auto n = static_cast<std::size_t>(in_.gcount());
    if (!in_) {
        done_ = true;
        error_ = in_.bad() || !in_.eof();
    }
    pos_ = 0;
    end_ = n;
    return n > 0;
}

}  // namespace kaohe
