// One CSV file into a table (sheet/read.hpp): the encoding first (UTF-8, with or without a
// byte-order mark, else GB18030, which Excel on a Chinese Windows writes by default, or UTF-16,
// Excel's "Unicode text"), then RFC 4180 fields, separated by what the header row is separated by
// (`,`, `;` or tab). Every cell is text: CSV keeps no types, so the importer reads numbers and dates
// from the text.
#include <cerrno>
#include <cstddef>
#include <iconv.h>
#include <string>
#include <string_view>

#include "sheet/read.hpp"
#include "support/utf8.hpp"

namespace kaohe::sheet {

namespace {

// A CSV sheet of the entry workbook is a few thousand rows; anything this large is not one.
constexpr std::size_t kMaxCsvBytes = 32u << 20;

// The line (from 1) that byte `offset` of `bytes` is on.
std::size_t line_of(std::string_view bytes, std::size_t offset) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < offset && i < bytes.size(); ++i) line += bytes[i] == '\n';
    return line;
}

// `bytes` from `encoding` (GB18030, UTF-16LE, UTF-16BE) to UTF-8 with glibc's iconv; ReadFailure
// at the first byte that is not in it, `bad` saying what else the text is not.
std::string to_utf8(std::string_view bytes, const char* encoding, const std::string& bad) {
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == reinterpret_cast<iconv_t>(-1)) throw ReadFailure(diag::Code::S001, std::string("无法转换 ") + encoding + " 编码（系统缺少该编码）");
    std::string out(bytes.size() * 2 + 16, '\0');
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char* to = out.data();
    std::size_t to_left = out.size();
    while (in_left > 0) {
        if (iconv(cd, &in, &in_left, &to, &to_left) != static_cast<std::size_t>(-1)) continue;
        if (errno == E2BIG) {  // cannot happen at twice the size, but grow rather than trust that
            const std::size_t used = static_cast<std::size_t>(to - out.data());
            out.resize(out.size() * 2);
            to = out.data() + used;
            to_left = out.size() - used;
            continue;
        }
        const std::size_t at = static_cast<std::size_t>(in - bytes.data());
        iconv_close(cd);
        throw ReadFailure(diag::Code::S001, "第" + std::to_string(line_of(bytes, at)) + "行有" + bad + "的字符：请将文件另存为“CSV UTF-8”");
    }
    iconv_close(cd);
    out.resize(static_cast<std::size_t>(to - out.data()));
    return out;
}

// The separator of the fields: the one of `,` `;` and tab that the header row (the first line,
// outside quotes) holds most of. Excel writes `;` where a locale's list separator is `;`, and
// tabs as "Unicode text"; the header row's names never hold any of them.
char separator_of(std::string_view text) {
    std::size_t commas = 0, semicolons = 0, tabs = 0;
    bool in_quotes = false;
    for (char c : text) {
        if (c == '"') in_quotes = !in_quotes;
        if (in_quotes) continue;
        if (c == '\n' || c == '\r') break;
        commas += c == ',';
        semicolons += c == ';';
        tabs += c == '\t';
    }
    if (tabs > commas && tabs >= semicolons) return '\t';
    if (semicolons > commas) return ';';
    return ',';
}

// UTF-16 (what Excel saves as "Unicode text"): its byte-order mark, else NUL bytes, which no
// text in UTF-8 or GB18030 that a spreadsheet writes holds; the order is the one whose every
// other byte is mostly NUL (the high byte of ASCII's separators and digits).
const char* utf16_of(std::string_view bytes) {
    if (bytes.starts_with("\xFF\xFE")) return "UTF-16LE";
    if (bytes.starts_with("\xFE\xFF")) return "UTF-16BE";
    std::size_t even = 0, odd = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i)
        if (bytes[i] == '\0') ++(i % 2 ? odd : even);
    if (even + odd == 0) return nullptr;
    return odd >= even ? "UTF-16LE" : "UTF-16BE";
}

}  // namespace

Table read_csv(std::string_view bytes, std::string sheet) {
    if (bytes.size() > kMaxCsvBytes)
        throw ReadFailure(diag::Code::S001, "文件过大（" + std::to_string(bytes.size() >> 20) + " MiB），CSV 文件至多 " +
                                                std::to_string(kMaxCsvBytes >> 20) + " MiB");
    std::string text;
    if (const char* utf16 = utf16_of(bytes)) {
        if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) bytes.remove_prefix(2);
        if (bytes.size() % 2) throw ReadFailure(diag::Code::S001, "文件像是 UTF-16 编码，但字节数是单数：请将文件另存为“CSV UTF-8”");
        text = to_utf8(bytes, utf16, std::string("不是 ") + utf16);
        if (text.find('\0') != std::string::npos) throw ReadFailure(diag::Code::S001, "文件含有空字符（NUL）：请将文件另存为“CSV UTF-8”");
    } else if (bytes.starts_with(kUtf8Bom)) {
        bytes.remove_prefix(kUtf8Bom.size());
        if (auto bad = first_invalid_utf8(bytes))
            throw ReadFailure(diag::Code::S001, "第" + std::to_string(line_of(bytes, *bad)) + "行有不是 UTF-8 的字节");
        text = std::string(bytes);
    } else if (!first_invalid_utf8(bytes)) {
        text = std::string(bytes);
    } else {
        text = to_utf8(bytes, "GB18030", "既不是 UTF-8 也不是 GB18030 ");
    }

    const char separator = separator_of(text);
    Table table;
    table.name = std::move(sheet);
    Row row;
    row.number = 1;
    std::string field;
    std::size_t column = 1;
    bool quoted_field = false;  // the field was quoted: kept even when it is empty
    auto end_field = [&] {
        if (!field.empty()) row.cells.push_back(Cell{column, Cell::Type::text, std::move(field), false});
        field.clear();
        quoted_field = false;
        ++column;
    };
    auto end_row = [&] {
        end_field();
        if (!row.cells.empty()) table.rows.push_back(std::move(row));
        row = Row{};
        column = 1;
    };
    // Rows are numbered by record, as a spreadsheet opening the file numbers them (a quoted line
    // break stays in its cell); lines by line, for the messages about the file's bytes.
    std::size_t record = 1, line = 1;
    row.number = record;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"' && field.empty() && !quoted_field) {
            // A quoted field: up to the closing quote, "" standing for one quote.
            quoted_field = true;
            const std::size_t opened = line;
            std::size_t j = i + 1;
            for (;; ++j) {
                if (j >= text.size()) throw ReadFailure(diag::Code::S001, "第" + std::to_string(opened) + "行的引号没有结束");
                if (text[j] == '"') {
                    if (j + 1 < text.size() && text[j + 1] == '"') {
                        field += '"';
                        ++j;
                        continue;
                    }
                    break;
                }
                if (text[j] == '\n') ++line;
                field += text[j];
            }
            i = j;
            continue;
        }
        if (c == separator) {
            end_field();
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            end_row();
            ++line;
            row.number = ++record;
            continue;
        }
        field += c;
    }
    end_row();
    return table;
}

}  // namespace kaohe::sheet
