#include "sheet/cells.hpp"

#include <cstdint>

#include "support/suggest.hpp"
#include "support/text.hpp"
#include "support/utf8.hpp"

namespace kaohe::sheet {

namespace {

bool blank(std::uint32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000 || cp == 0xA0 || cp == 0x202F ||
           (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

// `text` quoted for a message: what the cell holds, every invisible character shown.
std::string quoted(std::string_view text) { return "`" + printable(text) + "`"; }

// Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard Hinnant's algorithms).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

unsigned days_in_month(std::int64_t y, unsigned m) {
    static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

std::string two(unsigned n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string date_forms(int year) {
    const std::string y = std::to_string(year);
    return "请填写日期（如 " + y + "-03-14、" + y + "/3/14、" + y + "年3月14日）或月份（如 " + y + "-03、" + y + "年3月）";
}

// The date of Excel serial `serial` (its whole days), or nullopt for 60, the 1900-02-29 that Excel
// counts (as Lotus 1-2-3 did) but that never was.
std::optional<std::int64_t> serial_days(std::int64_t serial) {
    static const std::int64_t dec31_1899 = days_from_civil(1899, 12, 31);
    if (serial == 60) return std::nullopt;
    return dec31_1899 + serial - (serial > 60 ? 1 : 0);
}

// A whole number of up to 4 digits at `s[i]`, moving `i` past it; -1 when there is none.
int digits_at(std::string_view s, std::size_t& i, std::size_t max_digits) {
    int value = 0;
    std::size_t n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && n < max_digits) value = value * 10 + (s[i++] - '0'), ++n;
    return n ? value : -1;
}

bool take(std::string_view s, std::size_t& i, std::string_view word) {
    if (s.substr(i).starts_with(word)) return i += word.size(), true;
    return false;
}

// "2022-03-14", "2022/3/14", "2022.3.14", "2022年3月14日", a month "2022-03", "2022年3月", each
// date perhaps with a time after it ("2022-03-14 08:30"): year, month and day (0 for a month).
bool date_text(std::string_view s, int& y, int& m, int& d) {
    std::size_t i = 0;
    y = digits_at(s, i, 4);
    if (y < 0 || i != 4) return false;
    d = 0;
    if (take(s, i, "年")) {
        m = digits_at(s, i, 2);
        if (m < 0 || !take(s, i, "月")) return false;
        if (i == s.size()) return true;
        d = digits_at(s, i, 2);
        if (d < 0) return false;
        take(s, i, "日") || take(s, i, "号");
    } else {
        if (i >= s.size() || (s[i] != '-' && s[i] != '/' && s[i] != '.')) return false;
        const char sep = s[i++];
        m = digits_at(s, i, 2);
        if (m < 0) return false;
        if (i == s.size()) return true;
        if (s[i] != sep) return false;
        ++i;
        d = digits_at(s, i, 2);
        if (d < 0) return false;
    }
    if (i == s.size()) return true;
    // A time after the date: " 08:30" or " 08:30:00", left out.
    if (s[i] != ' ' && s[i] != 'T') return false;
    ++i;
    int hh = digits_at(s, i, 2);
    if (hh < 0 || !take(s, i, ":") || digits_at(s, i, 2) < 0) return false;
    if (take(s, i, ":") && digits_at(s, i, 2) < 0) return false;
    return i == s.size();
}

}  // namespace

std::string trimmed(std::string_view text) {
    std::size_t begin = 0, end = text.size();
    while (begin < end) {
        const CodePoint c = utf8_at(text, begin);
        if (c.length == 0 || !blank(c.value)) break;
        begin += c.length;
    }
    while (end > begin) {
        std::size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
        const CodePoint c = utf8_at(text, start);
        if (c.length == 0 || start + c.length != end || !blank(c.value)) break;
        end = start;
    }
    return std::string(text.substr(begin, end - begin));
}

std::string ascii_forms(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const CodePoint c = utf8_at(text, i);
        if (c.length == 0) {
            out += text[i++];
            continue;
        }
        std::string ascii = c.value >= 0x80 ? detail::nfkc_ascii(c.value) : std::string();
        if (!ascii.empty() && ascii.size() == 1) out += ascii;
        else out.append(text.substr(i, c.length));
        i += c.length;
    }
    return out;
}

std::optional<Number> read_number(const Cell& cell, std::string_view text, CellProblem& problem) {
    std::string s = cell.type == Cell::Type::number ? std::string(text) : ascii_forms(text);
    std::string digits = s;
    bool negative = false;
    if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) negative = digits[0] == '-', digits.erase(0, 1);
    // What a clerk types that JSON's number syntax does not take: leading zeros, ".5", "5.".
    while (digits.size() > 1 && digits[0] == '0' && digits[1] >= '0' && digits[1] <= '9') digits.erase(0, 1);
    if (!digits.empty() && digits[0] == '.') digits.insert(0, "0");
    if (!digits.empty() && digits.back() == '.') digits.pop_back();
    if (auto n = Number::from_decimal(digits)) return negative ? -*n : *n;
    problem = {diag::Code::S004, quoted(text) + " 不是数字"};
    return std::nullopt;
}

std::optional<std::string> read_date(const Cell& cell, std::string_view text, int year, CellProblem& problem) {
    const std::string s = ascii_forms(text);
    std::int64_t days = 0;
    int y = 0, m = 0, d = 0;
    bool serial = false;
    if (date_text(s, y, m, d)) {
        if (m < 1 || m > 12 || (d && static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(m)))) {
            problem = {diag::Code::S004, quoted(text) + " 不是真实的日期：" + date_forms(year)};
            return std::nullopt;
        }
    } else if (auto n = Number::from_decimal(s); n && !n->is_negative()) {
        // An Excel serial: typed as a date, or a plain number once its format was lost (a CSV
        // export, a script), taken as a date only when it falls inside the year.
        const auto whole = n->floor().to_int64();
        const std::int64_t first = days_from_civil(year, 1, 1), last = days_from_civil(year, 12, 31);
        const std::optional<std::int64_t> at = whole ? serial_days(*whole) : std::nullopt;
        if (cell.date_format && whole && *whole == 0) {
            problem = {diag::Code::S004, "只有时间，没有日期：" + date_forms(year)};
            return std::nullopt;
        }
        if (cell.date_format && whole && *whole == 60) {
            problem = {diag::Code::S004, "1900-02-29 不是真实的日期（Excel 的日期序号 60）：" + date_forms(year)};
            return std::nullopt;
        }
        if (!whole || !at || *whole < 1 || *whole > 2958465 || (!cell.date_format && (*at < first || *at > last))) {
            problem = {diag::Code::S004, quoted(text) + " 不是日期：" + date_forms(year)};
            return std::nullopt;
        }
        days = *at;
        serial = true;
    } else {
        problem = {diag::Code::S004, quoted(text) + " 不是日期：" + date_forms(year)};
        return std::nullopt;
    }
    std::string out;
    if (serial) {
        std::int64_t yy;
        unsigned mm, dd;
        civil_from_days(days, yy, mm, dd);
        y = static_cast<int>(yy), m = static_cast<int>(mm), d = static_cast<int>(dd);
    }
    out = std::to_string(y) + "-" + two(static_cast<unsigned>(m)) + (d ? "-" + two(static_cast<unsigned>(d)) : "");
    if (y != year) {
        problem = {diag::Code::S005, "日期 " + out + " 不在考核年度 " + std::to_string(year) + " 年内"};
        return std::nullopt;
    }
    return out;
}

std::optional<bool> read_yes_no(std::string_view text, CellProblem& problem) {
    std::string s = ascii_forms(text);
    for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    for (const char* yes : {"是", "y", "yes", "√", "✓", "✔", "1", "true", "对"})
        if (s == yes) return true;
    for (const char* no : {"否", "n", "no", "×", "✗", "0", "false", "不是"})
        if (s == no) return false;
    problem = {diag::Code::S004, quoted(text) + " 不是“是”或“否”：请填 是 或 否"};
    return std::nullopt;
}

std::optional<std::size_t> read_name(std::string_view text, const std::vector<std::string>& labels,
                                     const std::vector<std::string>& ids, std::string_view what, CellProblem& problem) {
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] == text) return i;
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (ids[i] == text) return i;
    // Full-width letters and digits typed by an input method: `ａｗａｒｄ` is `award`.
    const std::string ascii = ascii_forms(text);
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (ids[i] == ascii || (i < labels.size() && ascii_forms(labels[i]) == ascii)) return i;
    std::vector<std::string_view> candidates;
    for (const auto& l : labels) candidates.push_back(l);
    std::string_view near = nearest(text, candidates);
    if (near.empty()) {
        candidates.clear();
        for (const auto& id : ids) candidates.push_back(id);
        near = nearest(ascii, candidates);
    }
    std::string message = "未知的" + std::string(what) + " " + quoted(text);
    if (!near.empty()) {
        message += "，是否为 `" + std::string(near) + "`？";
    } else {
        message += "：可填 ";
        for (std::size_t i = 0; i < labels.size() && i < 12; ++i) message += (i ? "、" : "") + labels[i];
        if (labels.size() > 12) message += " 等 " + std::to_string(labels.size()) + " 项";
    }
    problem = {diag::Code::S003, std::move(message)};
    return std::nullopt;
}

}  // namespace kaohe::sheet
