// JSON Lines cut into chunks of whole records, for the scorers of many records (kaohe/batch.hpp
// gives the rules: blank lines skipped but counted, "\r\n" allowed, a line past the record limit
// not kept).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace kaohe {

// One input line that holds a record: its text in LineChunk::text, its line number (from 1), its
// full size (more than its text's size when the line was too long to keep: then its text is "").
struct RecordLine {
    std::size_t offset = 0, size = 0;
    std::size_t line = 0;
    std::uint64_t full_size = 0;

    bool too_large() const;
};

struct LineChunk {
    std::string text;
    std::vector<RecordLine> lines;
    std::uint64_t bytes_end = 0;  // input bytes consumed up to the end of this chunk

    std::string_view text_of(const RecordLine& l) const { return {text.data() + l.offset, l.size}; }
};

// Why a line was too long to be a record, as the record reader says it: "record is larger than
// 1048576 bytes (the limit for a record), N bytes".
std::string too_large_message(const RecordLine& l);

// Cuts a stream into chunks of at most kBatchChunkRecords records or about kBatchChunkBytes of
// text. Not thread-safe: one caller at a time.
class LineReader {
public:
    explicit LineReader(std::istream& in);

    // Refills `c` with the next chunk of record lines; false when the input has no more.
    bool next(LineChunk& c);

    std::size_t lines() const { return line_; }      // lines read, blank ones included
    std::uint64_t bytes() const { return bytes_; }   // input bytes read
    bool error() const { return error_; }            // reading stopped on a stream error

private:
    bool refill();

    std::istream& in_;
    std::vector<char> buf_;
    std::size_t pos_ = 0, end_ = 0;
    bool done_ = false, error_ = false;
    std::size_t line_ = 0;
    std::uint64_t bytes_ = 0;
};

}  // namespace kaohe
