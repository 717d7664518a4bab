// kaohe::Number — an exact rational number for scores.
//
// Scores are sums of small integers and short decimals ("93.5", "(95 - 92.3) / 2"), so the
// common case is kept on machine integers: a reduced fraction n/d of two int64 values. Only when
// a result no longer fits does a value move to an arbitrary-precision rational (Boost.Multiprecision),
// and past kMaxBits bits it is an ArithmeticError, never a wrong number. No binary floating point.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kaohe {

// Overflow past the size limit, or division by zero.
class ArithmeticError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Rounding {
    half_up,    // 四舍五入: halves away from zero
    half_even,  // banker's rounding
    down,       // toward zero (truncate)
    up,         // away from zero
};

class Number {
public:
    // Largest numerator or denominator, in bits, that a Number may hold.
    static constexpr unsigned kMaxBits = 1024;
    // Longest decimal text from_decimal accepts (digits, sign, point and exponent together).
    static constexpr std::size_t kMaxDecimalChars = 400;

    Number() noexcept = default;
    Number(std::int64_t value) noexcept : num_(value) {}  // NOLINT: implicit by design

    // num/den, reduced. Throws ArithmeticError when den is 0.
    static Number fraction(std::int64_t num, std::int64_t den);

    // Exact value of a decimal text in JSON number syntax: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    // Also accepts a leading '+' nowhere and no spaces. Returns nullopt and, when why is given,
    // a reason in words ("not a number", "more than 400 characters", "exponent too large").
    static std::optional<Number> from_decimal(std::string_view text, std::string* why = nullptr);

    // Arithmetic is exact; each throws ArithmeticError past kMaxBits or on division by zero.
    friend Number operator+(const Number& a, const Number& b);
    friend Number operator-(const Number& a, const Number& b);
    friend Number operator*(const Number& a, const Number& b);
    friend Number operator/(const Number& a, const Number& b);
    Number operator-() const;
    Number& operator+=(const Number& b) { return *this = *this + b; }
    Number& operator-=(const Number& b) { return *this = *this - b; }
    Number& operator*=(const Number& b) { return *this = *this * b; }

    friend std::strong_ordering operator<=>(const Number& a, const Number& b);
    friend bool operator==(const Number& a, const Number& b);

    bool is_zero() const noexcept;
    bool is_negative() const noexcept;
    bool is_integer() const noexcept;
    Number floor() const;
    Number ceil() const;
    Number abs() const;

    // Whole value as int64 when it is an integer that fits, else nullopt.
    std::optional<std::int64_t> to_int64() const noexcept;

    // True when the value has a finite decimal expansion (its reduced denominator is 2^a 5^b).
    bool has_finite_decimal() const;

    // Plain decimal text, no exponent, no trailing zeros: "95", "-1.5", "1.35", "0.001".
    // Exact when has_finite_decimal(); otherwise rounded to `places` digits with `mode`.
    std::string to_string(int places = 2, Rounding mode = Rounding::half_up) const;

    // Rounded to `places` decimal digits with `mode`, trailing zeros trimmed.
    Number round(int places, Rounding mode) const;

    // The small representation, for callers on a fast path: true and n/d when not big.
    bool small(std::int64_t& n, std::int64_t& d) const noexcept {
        if (big_) return false;
        n = num_;
        d = den_;
        return true;
    }

private:
    struct Wide;  // lib/number: the value as a Boost cpp_rational
    // Invariant: when big_ is null the value is num_/den_, den_ > 0, gcd(|num_|, den_) == 1.
    // When big_ is set it holds the value, and the value does not fit the small form.
    std::int64_t num_ = 0;
    std::int64_t den_ = 1;
    std::shared_ptr<const Wide> big_;

    friend struct NumberAccess;
};

}  // namespace kaohe
