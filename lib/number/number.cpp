// kaohe::Number — exact rationals on int64 with an arbitrary-precision fallback.
//
// Small form: num_/den_ reduced, den_ > 0. Arithmetic on two small values is done with
// checked 64-bit operations and __int128 intermediates, without allocating. Only when a
// result does not fit the small form is it built as a Boost cpp_rational (Number::Wide), and
// a big result is brought back to the small form whenever it fits again.
#include "kaohe/number.hpp"

#include <boost/multiprecision/cpp_int.hpp>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <utility>

namespace kaohe {

namespace mp = boost::multiprecision;
using cpp_int = mp::cpp_int;
using cpp_rational = mp::cpp_rational;

struct Number::Wide {
    cpp_rational v;
};

namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;
// Two int64 values as one vector, for a single 16-byte store (see NumberAccess::small).
typedef i64 I64Pair __attribute__((vector_size(16), aligned(8), may_alias));

constexpr i64 kI64Max = std::numeric_limits<i64>::max();
constexpr i64 kI64Min = std::numeric_limits<i64>::min();
constexpr u64 kTwo63 = u64{1} << 63;  // |INT64_MIN|

constexpr u64 kPow10[20] = {
    1ULL,
    10ULL,
    100ULL,
    1000ULL,
    10000ULL,
    100000ULL,
    1000000ULL,
    10000000ULL,
    100000000ULL,
    1000000000ULL,
    10000000000ULL,
    100000000000ULL,
    1000000000000ULL,
    10000000000000ULL,
    100000000000000ULL,
    1000000000000000ULL,
    10000000000000000ULL,
    100000000000000000ULL,
    1000000000000000000ULL,
    10000000000000000000ULL,
};

const char* const kTooLarge = "number too large: more than 1024 bits";
const char* const kTooPrecise =
    "too many decimal places: its exact fraction needs a denominator of more than 1024 bits (about 308 places)";

// A computed value over the limit because of its denominator is too precise, not too large: it
// may well be below 1 (`m * m * m * m` of a measure with 80 decimal places).
const char* const kTooPreciseComputed =
    "too many decimal places: the exact value needs a denominator of more than 1024 bits (about 308 places)";

[[noreturn]] void throw_too_large() { throw ArithmeticError(kTooLarge); }
[[noreturn]] void throw_too_precise() { throw ArithmeticError(kTooPreciseComputed); }
[[noreturn]] void throw_division_by_zero() { throw ArithmeticError("division by zero"); }

// Division and remainder of small operands with the (faster) 32-bit instruction when both fit.
inline u64 udiv(u64 a, u64 b) noexcept {
    if (b == 1) return a;  // the common case: a gcd of 1
    if (((a | b) >> 32) == 0) return static_cast<std::uint32_t>(a) / static_cast<std::uint32_t>(b);
    return a / b;
}
inline u64 umod(u64 a, u64 b) noexcept {
    if (((a | b) >> 32) == 0) return static_cast<std::uint32_t>(a) % static_cast<std::uint32_t>(b);
    return a % b;
}

inline u64 mag(i64 x) noexcept { return x < 0 ? u64{0} - static_cast<u64>(x) : static_cast<u64>(x); }

inline int ctz(u64 x) noexcept { return __builtin_ctzll(x); }
inline int ctz(u128 x) noexcept {
    const u64 lo = static_cast<u64>(x);
    if (lo != 0) return __builtin_ctzll(lo);
    return 64 + __builtin_ctzll(static_cast<u64>(x >> 64));
}

// Stein's binary gcd, at either width. Both operands are nonzero.
template <class U>
inline U binary_gcd(U a, U b) noexcept {
    const int shift = ctz(a | b);
    a >>= ctz(a);
    do {
        b >>= ctz(b);
        if (a > b) std::swap(a, b);
        b -= a;
    } while (b != 0);
    return a << shift;
}

inline u64 gcd64(u64 a, u64 b) noexcept {
    if (a == 0) return b;
    if (b == 0) return a;
    // Binary gcd takes many steps when one operand is far larger (a large numerator against a small
    // denominator); one remainder first brings both to the same size.
    if ((a >> 6) > b) {
        a = umod(a, b);
        if (a == 0) return b;
    } else if ((b >> 6) > a) {
        b = umod(b, a);
        if (b == 0) return a;
    }
    return binary_gcd(a, b);
}

u128 gcd128(u128 a, u128 b) noexcept {
    if ((a >> 64) == 0 && (b >> 64) == 0) return gcd64(static_cast<u64>(a), static_cast<u64>(b));
    if (a == 0) return b;
    if (b == 0) return a;
    return binary_gcd(a, b);
}

cpp_int to_cpp(u128 v) {
    cpp_int r = static_cast<u64>(v >> 64);
    r <<= 64;
    r |= static_cast<u64>(v);
    return r;
}

// True when |x| has more than kMaxBits bits, that is |x| >= 2^kMaxBits.
bool too_many_bits(const cpp_int& x) {
    static const cpp_int limit = cpp_int(1) << Number::kMaxBits;
    static const cpp_int negative_limit = -limit;
    return x.sign() < 0 ? x <= negative_limit : x >= limit;
}

cpp_int pow10_cpp(unsigned k) { return mp::pow(cpp_int(10), k); }

// Decimal digits of v (no sign).
std::string u128_digits(u128 v) {
    char buf[48];
    char* end = buf + sizeof buf;
    char* p = end;
    do {
        *--p = static_cast<char>('0' + static_cast<int>(v % 10));
        v /= 10;
    } while (v != 0);
    return std::string(p, end);
}

// "-"? digits with a decimal point `k` places from the right, trailing zeros trimmed.
std::string place_point(bool negative, std::string digits, unsigned k) {
    if (k > 0) {
        if (digits.size() <= k) digits.insert(0, k + 1 - digits.size(), '0');
        digits.insert(digits.size() - k, 1, '.');
        while (digits.back() == '0') digits.pop_back();
        if (digits.back() == '.') digits.pop_back();
    }
    if (negative && digits != "0") digits.insert(0, 1, '-');
    return digits;
}

// Applies `mode` to N/D given q = floor(N/D) and r = N - q*D with 0 < r < D.
template <class Int>
Int round_quotient(const Int& q, const Int& r, const Int& d, bool negative, Rounding mode) {
    switch (mode) {
        case Rounding::down: return negative ? Int(q + 1) : q;
        case Rounding::up: return negative ? q : Int(q + 1);
        case Rounding::half_up:
        case Rounding::half_even: {
            const Int twice = r * 2;
            if (twice < d) return q;
            if (twice > d) return Int(q + 1);
            if (mode == Rounding::half_up) return negative ? q : Int(q + 1);
            return (q % 2 == 0) ? q : Int(q + 1);
        }
    }
    return q;
}

}  // namespace

// Internal access to Number's representation.
struct NumberAccess {
    static Number small(i64 n, i64 d) noexcept {
        Number x;
        // num_ and den_ are written by one 16-byte store: callers commonly copy a returned Number
        // with 16-byte loads, and two 8-byte stores there cost a store-forwarding stall (~10 cycles).
        static_assert(offsetof(Number, den_) == offsetof(Number, num_) + sizeof(i64));
        *reinterpret_cast<I64Pair*>(&x.num_) = I64Pair{n, d};
        return x;
    }

    // The value as a rational: a reference to the big value, or `tmp` filled from the small one.
    static const cpp_rational& rational(const Number& x, cpp_rational& tmp) {
        if (x.big_) return x.big_->v;
        tmp = cpp_rational(cpp_int(x.num_), cpp_int(x.den_));
        return tmp;
    }

    // From a reduced rational: small when it fits, else big; throws past kMaxBits.
    static Number from_rational(cpp_rational r) {
        const cpp_int& n = r.backend().data().numerator();
        const cpp_int& d = r.backend().data().denominator();
        if (n.is_zero()) return Number();
        if (too_many_bits(d)) throw_too_precise();
        if (too_many_bits(n)) throw_too_large();
        if (d <= kI64Max && n <= kI64Max && n >= kI64Min) {
            return small(n.convert_to<i64>(), d.convert_to<i64>());
        }
        Number x;
        x.big_ = std::make_shared<Number::Wide>(Number::Wide{std::move(r)});
        return x;
    }

    // From a reduced fraction (negative ? -n : n) / d with d > 0.
    static Number from_magnitudes(bool negative, u128 n, u128 d) {
        if (n == 0) return Number();
        if (d <= static_cast<u128>(kI64Max)) {
            if (n <= static_cast<u128>(kI64Max)) {
                const i64 sn = static_cast<i64>(n);
                return small(negative ? -sn : sn, static_cast<i64>(d));
            }
            if (negative && n == kTwo63) return small(kI64Min, static_cast<i64>(d));
        }
        return big_from_magnitudes(negative, n, d);
    }

    [[gnu::noinline, gnu::cold]] static Number big_from_magnitudes(bool negative, u128 n, u128 d) {
        cpp_int cn = to_cpp(n);
        if (negative) cn = -cn;
        Number x;
        x.big_ = std::make_shared<Number::Wide>(Number::Wide{cpp_rational(cn, to_cpp(d))});
        return x;
    }

    // (negative ? -n : n) / d, d > 0, not necessarily reduced.
    static Number reduce_magnitudes(bool negative, u128 n, u128 d) {
        if (n == 0) return Number();
        const u128 g = gcd128(n, d);
        if (g != 1) {
            n /= g;
            d /= g;
        }
        return from_magnitudes(negative, n, d);
    }

    template <bool Subtract>
    static Number add_small(i64 a, i64 b, i64 c, i64 d) {
        if (b == d) {
            i64 s;
            const bool overflow = Subtract ? __builtin_sub_overflow(a, c, &s) : __builtin_add_overflow(a, c, &s);
            if (!overflow) {
                if (b == 1 || s == 0) return small(s, s == 0 ? 1 : b);
                const u64 us = mag(s);
                const u64 g = gcd64(us, static_cast<u64>(b));
                if (g == 1) return small(s, b);
                const i64 n = static_cast<i64>(udiv(us, g));  // |s| / g < 2^63 as g > 1
                return small(s < 0 ? -n : n, static_cast<i64>(udiv(static_cast<u64>(b), g)));
            }
            const i128 n = Subtract ? i128{a} - i128{c} : i128{a} + i128{c};
            const bool neg = n < 0;
            const u128 un = neg ? u128{0} - static_cast<u128>(n) : static_cast<u128>(n);
            const u64 g = b == 1 ? 1 : gcd64(static_cast<u64>(un % static_cast<u64>(b)), static_cast<u64>(b));
            return from_magnitudes(neg, un / g, static_cast<u128>(b / static_cast<i64>(g)));
        }
        // Knuth 4.5.1: g = gcd(b, d); a/b + c/d = (a*(d/g) + c*(b/g)) / (b*(d/g)), reduced by gcd(num, g).
        const u64 g = gcd64(static_cast<u64>(b), static_cast<u64>(d));
        const i64 b1 = g == 1 ? b : static_cast<i64>(udiv(static_cast<u64>(b), g));
        const i64 d1 = g == 1 ? d : static_cast<i64>(udiv(static_cast<u64>(d), g));
        const i128 left = i128{a} * d1;
        const i128 right = i128{c} * b1;
        const i128 n = Subtract ? left - right : left + right;
        if (n == 0) return Number();
        const bool neg = n < 0;
        u128 un = neg ? u128{0} - static_cast<u128>(n) : static_cast<u128>(n);
        u64 bb = static_cast<u64>(b);
        if (g != 1) {
            const u64 rem = (un >> 64) == 0 ? umod(static_cast<u64>(un), g) : static_cast<u64>(un % g);
            const u64 g2 = gcd64(rem, g);
            if (g2 != 1) {
                un = (un >> 64) == 0 ? u128{udiv(static_cast<u64>(un), g2)} : un / g2;
                bb = udiv(bb, g2);
            }
        }
        const u128 den = static_cast<u128>(bb) * static_cast<u64>(d1);
        if ((un >> 63) == 0 && (den >> 63) == 0) {
            const i64 sn = static_cast<i64>(un);
            return small(neg ? -sn : sn, static_cast<i64>(den));
        }
        return from_magnitudes(neg, un, den);
    }

    static Number mul_small(i64 a, i64 b, i64 c, i64 d) {
        if (a == 0 || c == 0) return Number();
        const u64 ua = mag(a);
        const u64 uc = mag(c);
        const u64 g1 = gcd64(ua, static_cast<u64>(d));
        const u64 g2 = gcd64(uc, static_cast<u64>(b));
        const u128 n = static_cast<u128>(udiv(ua, g1)) * udiv(uc, g2);
        const u128 den = static_cast<u128>(udiv(static_cast<u64>(b), g2)) * udiv(static_cast<u64>(d), g1);
        return from_magnitudes((a < 0) != (c < 0), n, den);
    }

    static Number div_small(i64 a, i64 b, i64 c, i64 d) {
        if (c == 0) throw_division_by_zero();
        if (a == 0) return Number();
        const u64 ua = mag(a);
        const u64 uc = mag(c);
        const u64 g1 = gcd64(ua, uc);
        const u64 g2 = gcd64(static_cast<u64>(b), static_cast<u64>(d));
        const u128 n = static_cast<u128>(udiv(ua, g1)) * udiv(static_cast<u64>(d), g2);
        const u128 den = static_cast<u128>(udiv(static_cast<u64>(b), g2)) * udiv(uc, g1);
        return from_magnitudes((a < 0) != (c < 0), n, den);
    }

    // Arithmetic when either operand is big; kept out of line so the small paths stay lean.
    [[gnu::noinline, gnu::cold]] static Number big_add(const Number& a, const Number& b) {
        cpp_rational ta, tb;
        return from_rational(cpp_rational(rational(a, ta) + rational(b, tb)));
    }
    [[gnu::noinline, gnu::cold]] static Number big_sub(const Number& a, const Number& b) {
        cpp_rational ta, tb;
        return from_rational(cpp_rational(rational(a, ta) - rational(b, tb)));
    }
    [[gnu::noinline, gnu::cold]] static Number big_mul(const Number& a, const Number& b) {
        cpp_rational ta, tb;
        return from_rational(cpp_rational(rational(a, ta) * rational(b, tb)));
    }
    [[gnu::noinline, gnu::cold]] static Number big_div(const Number& a, const Number& b) {
        cpp_rational ta, tb;
        return from_rational(cpp_rational(rational(a, ta) / rational(b, tb)));
    }
    [[gnu::noinline, gnu::cold]] static int big_compare(const Number& a, const Number& b) {
        cpp_rational ta, tb;
        return rational(a, ta).compare(rational(b, tb));
    }

    // Denominator as 2^twos * 5^fives, or false when it has another prime factor.
    static bool decimal_shape(const Number& x, unsigned& twos, unsigned& fives) {
        if (!x.big_) {
            u64 d = static_cast<u64>(x.den_);
            twos = static_cast<unsigned>(__builtin_ctzll(d));
            d >>= twos;
            fives = 0;
            while (d % 5 == 0) {
                d /= 5;
                ++fives;
            }
            return d == 1;
        }
        cpp_int d = x.big_->v.backend().data().denominator();
        twos = mp::lsb(d);
        d >>= twos;
        fives = 0;
        while (true) {
            cpp_int q, r;
            mp::divide_qr(d, cpp_int(5), q, r);
            if (!r.is_zero()) break;
            d = std::move(q);
            ++fives;
        }
        return d == 1;
    }

    // Exact decimal text; requires decimal_shape(x) to be true.
    static std::string exact_decimal(const Number& x, unsigned twos, unsigned fives) {
        const unsigned k = std::max(twos, fives);
        if (!x.big_) {
            if (x.den_ == 1) return std::to_string(x.num_);
            // scaled = |num| * 10^k / den = |num| * 2^(k - twos) * 5^(k - fives)
            u128 scaled = mag(x.num_);
            bool fits = true;
            for (unsigned i = twos; i < k && fits; ++i) fits = !__builtin_mul_overflow(scaled, u128{2}, &scaled);
            for (unsigned i = fives; i < k && fits; ++i) fits = !__builtin_mul_overflow(scaled, u128{5}, &scaled);
            if (fits) return place_point(x.num_ < 0, u128_digits(scaled), k);
            cpp_int m = cpp_int(mag(x.num_));
            m *= mp::pow(cpp_int(2), k - twos) * mp::pow(cpp_int(5), k - fives);
            return place_point(x.num_ < 0, m.str(), k);
        }
        const cpp_int& n = x.big_->v.backend().data().numerator();
        cpp_int m = mp::abs(n);
        m *= mp::pow(cpp_int(2), k - twos) * mp::pow(cpp_int(5), k - fives);
        return place_point(n.sign() < 0, m.str(), k);
    }

    static Number round(const Number& x, int places, Rounding mode) {
        if (x.is_zero()) return x;
        unsigned twos = 0, fives = 0;
        const bool finite = decimal_shape(x, twos, fives);
        if (finite && places >= 0 && std::max(twos, fives) <= static_cast<unsigned>(places)) return x;
        // A value with numerator and denominator below 2^1024 differs from any other such value by
        // more than 10^-617, so rounding to more than 700 places that changes the value gives a
        // denominator over the limit; rounding to fewer than -700 places leaves |x| / 10^700 < 1/2.
        if (places > 700) throw_too_precise();
        if (places < -700) {
            if (mode != Rounding::up) return Number();
            throw_too_large();
        }
        if (!x.big_ && places >= 0 && places <= 18) {
            const i128 scale = static_cast<i128>(kPow10[places]);
            const i128 n = i128{x.num_} * scale;
            const i128 d = x.den_;
            i128 q = n / d;
            i128 r = n % d;
            if (r < 0) {
                q -= 1;
                r += d;
            }
            if (r != 0) q = round_quotient<i128>(q, r, d, n < 0, mode);
            const bool neg = q < 0;
            const u128 uq = neg ? u128{0} - static_cast<u128>(q) : static_cast<u128>(q);
            return reduce_magnitudes(neg, uq, static_cast<u128>(scale));
        }
        cpp_rational tmp;
        const cpp_rational& v = rational(x, tmp);
        const cpp_int scale = pow10_cpp(static_cast<unsigned>(places < 0 ? -places : places));
        cpp_int n = v.backend().data().numerator();
        cpp_int d = v.backend().data().denominator();
        if (places >= 0)
            n *= scale;
        else
            d *= scale;
        cpp_int q, r;
        mp::divide_qr(n, d, q, r);
        if (r.sign() < 0) {
            q -= 1;
            r += d;
        }
        if (!r.is_zero()) q = round_quotient<cpp_int>(q, r, d, n.sign() < 0, mode);
        if (places >= 0) return from_rational(cpp_rational(q, scale));
        return from_rational(cpp_rational(q * scale));
    }

    // Value of already-checked decimal text: the digits of the integer and fraction parts, without
    // leading and trailing zeros, times 10^k. Out of line: only long or far-scaled text comes here.
    [[gnu::noinline]] static std::optional<Number> parse_slow(bool negative, std::string_view text,
                                                              std::size_t int_begin, std::size_t int_len,
                                                              std::size_t frac_begin, std::size_t frac_len, long k,
                                                              std::string* why) {
        auto digit = [&](std::size_t i) {
            return static_cast<unsigned>(text[i < int_len ? int_begin + i : frac_begin + (i - int_len)] - '0');
        };
        const std::size_t total = int_len + frac_len;
        std::size_t first = 0;
        while (digit(first) == 0) ++first;  // there is a nonzero digit
        std::size_t last = total - 1;
        while (digit(last) == 0) --last;
        cpp_int m = 0;
        u64 chunk = 0;
        unsigned chunk_len = 0;
        for (std::size_t i = first; i <= last; ++i) {
            chunk = chunk * 10 + digit(i);
            if (++chunk_len == 19) {
                m *= kPow10[19];
                m += chunk;
                chunk = 0;
                chunk_len = 0;
            }
        }
        if (chunk_len > 0) {
            m *= kPow10[chunk_len];
            m += chunk;
        }
        if (negative) m = -m;
        cpp_rational r = k >= 0 ? cpp_rational(m * pow10_cpp(static_cast<unsigned>(k)))
                                : cpp_rational(m, pow10_cpp(static_cast<unsigned>(-k)));
        // Name the side that is over: a value too large, or too small a step (`1e-400`: its
        // denominator, 10^400 reduced, is what does not fit).
        if (too_many_bits(r.backend().data().numerator())) {
            if (why) *why = kTooLarge;
            return std::nullopt;
        }
        if (too_many_bits(r.backend().data().denominator())) {
            if (why) *why = kTooPrecise;
            return std::nullopt;
        }
        return from_rational(std::move(r));
    }
};

Number Number::fraction(std::int64_t num, std::int64_t den) {
    if (den == 0) throw_division_by_zero();
    if (num == 0) return Number();
    const u64 un = mag(num);
    const u64 ud = mag(den);
    const u64 g = gcd64(un, ud);
    return NumberAccess::from_magnitudes((num < 0) != (den < 0), un / g, ud / g);
}

std::optional<Number> Number::from_decimal(std::string_view text, std::string* why) {
    auto fail = [why](const char* reason) -> std::optional<Number> {
        if (why) *why = reason;
        return std::nullopt;
    };
    if (text.size() > kMaxDecimalChars) return fail("more than 400 characters");
    const std::size_t size = text.size();
    auto is_digit = [&](std::size_t i) { return i < size && text[i] >= '0' && text[i] <= '9'; };

    // One pass checks the syntax and collects the significant digits into m while there are at
    // most 18 of them. Zeros after a nonzero digit are held in `pending` until the next nonzero
    // digit, so trailing zeros ("4200", "1.50") cost nothing.
    u64 m = 0;
    unsigned digits = 0;   // significant digits up to the last nonzero one
    unsigned pending = 0;  // zeros since the last nonzero digit
    auto take = [&](char ch) {
        if (ch == '0') {
            if (digits != 0) ++pending;
            return;
        }
        digits += pending + 1;
        if (digits <= 18) m = m * kPow10[pending + 1] + static_cast<u64>(ch - '0');
        pending = 0;
    };

    std::size_t i = 0;
    const bool negative = i < size && text[i] == '-';
    if (negative) ++i;
    if (!is_digit(i)) return fail("not a number");
    const std::size_t int_begin = i;
    if (text[i] == '0') {
        ++i;
    } else {
        while (is_digit(i)) take(text[i++]);
    }
    const std::size_t int_len = i - int_begin;
    std::size_t frac_begin = i;
    std::size_t frac_len = 0;
    if (i < size && text[i] == '.') {
        ++i;
        frac_begin = i;
        while (is_digit(i)) take(text[i++]);
        frac_len = i - frac_begin;
        if (frac_len == 0) return fail("not a number");
    }
    long exponent = 0;
    if (i < size && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool exp_negative = false;
        if (i < size && (text[i] == '+' || text[i] == '-')) {
            exp_negative = text[i] == '-';
            ++i;
        }
        if (!is_digit(i)) return fail("not a number");
        while (is_digit(i)) {
            if (exponent <= 400) exponent = exponent * 10 + (text[i] - '0');
            ++i;
        }
        if (i == size && exponent > 400) return fail("exponent out of range (at most 400)");
        if (exp_negative) exponent = -exponent;
    }
    if (i != size) return fail("not a number");
    if (digits == 0) return Number();

    // value = M * 10^k, M the significant digits without trailing zeros
    const long k = exponent - static_cast<long>(frac_len) + static_cast<long>(pending);

    // Fast path: up to 18 significant digits, scaled by at most 10^18 either way.
    if (digits <= 18 && k >= -18 && k + static_cast<long>(digits) <= 18) {
        if (k >= 0) {
            const i64 v = static_cast<i64>(m * kPow10[k]);
            return NumberAccess::small(negative ? -v : v, 1);
        }
        // m / 10^places reduced. m has no factor 10 (trailing zeros were dropped), so the common
        // factor is a power of 2 or a power of 5; both are removed without a hardware division.
        const unsigned places = static_cast<unsigned>(-k);
        u64 den = kPow10[places];
        if ((m & 1) == 0) {
            const unsigned t = std::min(static_cast<unsigned>(__builtin_ctzll(m)), places);
            m >>= t;
            den >>= t;
        } else {
            for (unsigned f = 0; f < places && m % 5 == 0; ++f) {
                m /= 5;
                den /= 5;
            }
        }
        const i64 v = static_cast<i64>(m);
        return NumberAccess::small(negative ? -v : v, static_cast<i64>(den));
    }
    return NumberAccess::parse_slow(negative, text, int_begin, int_len, frac_begin, frac_len, k, why);
}

Number operator+(const Number& a, const Number& b) {
    if (!a.big_ && !b.big_) [[likely]] {
        std::int64_t s;
        if (a.den_ == 1 && b.den_ == 1 && !__builtin_add_overflow(a.num_, b.num_, &s)) [[likely]]
            return NumberAccess::small(s, 1);
        return NumberAccess::add_small<false>(a.num_, a.den_, b.num_, b.den_);
    }
    return NumberAccess::big_add(a, b);
}

Number operator-(const Number& a, const Number& b) {
    if (!a.big_ && !b.big_) [[likely]] {
        std::int64_t s;
        if (a.den_ == 1 && b.den_ == 1 && !__builtin_sub_overflow(a.num_, b.num_, &s)) [[likely]]
            return NumberAccess::small(s, 1);
        return NumberAccess::add_small<true>(a.num_, a.den_, b.num_, b.den_);
    }
    return NumberAccess::big_sub(a, b);
}

Number operator*(const Number& a, const Number& b) {
    if (!a.big_ && !b.big_) [[likely]] return NumberAccess::mul_small(a.num_, a.den_, b.num_, b.den_);
    if (a.is_zero() || b.is_zero()) return Number();
    return NumberAccess::big_mul(a, b);
}

Number operator/(const Number& a, const Number& b) {
    if (b.is_zero()) throw_division_by_zero();
    if (!a.big_ && !b.big_) [[likely]] return NumberAccess::div_small(a.num_, a.den_, b.num_, b.den_);
    if (a.is_zero()) return Number();
    return NumberAccess::big_div(a, b);
}

Number Number::operator-() const {
    if (!big_) {
        if (num_ != kI64Min) return NumberAccess::small(-num_, den_);
        return NumberAccess::from_magnitudes(false, kTwo63, static_cast<u128>(den_));
    }
    return NumberAccess::from_rational(-big_->v);
}

std::strong_ordering operator<=>(const Number& a, const Number& b) {
    if (!a.big_ && !b.big_) {
        if (a.den_ == b.den_) return a.num_ <=> b.num_;
        const i128 l = i128{a.num_} * b.den_;
        const i128 r = i128{b.num_} * a.den_;
        if (l < r) return std::strong_ordering::less;
        if (l > r) return std::strong_ordering::greater;
        return std::strong_ordering::equal;
    }
    const int c = NumberAccess::big_compare(a, b);
    if (c < 0) return std::strong_ordering::less;
    if (c > 0) return std::strong_ordering::greater;
    return std::strong_ordering::equal;
}

bool operator==(const Number& a, const Number& b) {
    if (!a.big_ && !b.big_) return a.num_ == b.num_ && a.den_ == b.den_;
    if (!a.big_ || !b.big_) return false;  // a big value never fits the small form
    return a.big_->v == b.big_->v;
}

bool Number::is_zero() const noexcept { return !big_ && num_ == 0; }

bool Number::is_negative() const noexcept { return big_ ? big_->v.sign() < 0 : num_ < 0; }

bool Number::is_integer() const noexcept {
    return big_ ? big_->v.backend().data().denominator() == 1 : den_ == 1;
}

Number Number::floor() const {
    if (!big_) {
        if (den_ == 1) return *this;
        i64 q = num_ / den_;
        if (num_ % den_ < 0) --q;
        return Number(q);
    }
    const cpp_int& n = big_->v.backend().data().numerator();
    const cpp_int& d = big_->v.backend().data().denominator();
    if (d == 1) return *this;
    cpp_int q, r;
    mp::divide_qr(n, d, q, r);
    if (r.sign() < 0) q -= 1;
    return NumberAccess::from_rational(cpp_rational(q));
}

Number Number::ceil() const {
    if (!big_) {
        if (den_ == 1) return *this;
        i64 q = num_ / den_;
        if (num_ % den_ > 0) ++q;
        return Number(q);
    }
    const cpp_int& n = big_->v.backend().data().numerator();
    const cpp_int& d = big_->v.backend().data().denominator();
    if (d == 1) return *this;
    cpp_int q, r;
    mp::divide_qr(n, d, q, r);
    if (r.sign() > 0) q += 1;
    return NumberAccess::from_rational(cpp_rational(q));
}

Number Number::abs() const { return is_negative() ? -*this : *this; }

std::optional<std::int64_t> Number::to_int64() const noexcept {
    // A big value never fits the small form, so a whole int64 value is always small.
    if (!big_ && den_ == 1) return num_;
    return std::nullopt;
}

bool Number::has_finite_decimal() const {
    unsigned twos = 0, fives = 0;
    return NumberAccess::decimal_shape(*this, twos, fives);
}

std::string Number::to_string(int places, Rounding mode) const {
    if (!big_ && den_ == 1) return std::to_string(num_);
    unsigned twos = 0, fives = 0;
    if (NumberAccess::decimal_shape(*this, twos, fives)) return NumberAccess::exact_decimal(*this, twos, fives);
    const Number r = round(places, mode);
    NumberAccess::decimal_shape(r, twos, fives);  // true: a rounded value is a finite decimal
    return NumberAccess::exact_decimal(r, twos, fives);
}

Number Number::round(int places, Rounding mode) const { return NumberAccess::round(*this, places, mode); }

}  // namespace kaohe
