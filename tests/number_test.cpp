// Tests for kaohe::Number, the exact rational type.
#include "kaohe/number.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

using kaohe::ArithmeticError;
using kaohe::Number;
using kaohe::Rounding;

namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

Number parse(const std::string& text) {
    std::string why;
    auto n = Number::from_decimal(text, &why);
    INFO("text: ", text, " why: ", why);
    REQUIRE(n.has_value());
    return *n;
}

bool is_small(const Number& x) {
    std::int64_t n = 0, d = 0;
    return x.small(n, d);
}

bool small_is(const Number& x, std::int64_t num, std::int64_t den) {
    std::int64_t n = 0, d = 0;
    return x.small(n, d) && n == num && d == den;
}

std::string reject_reason(const std::string& text) {
    std::string why;
    auto n = Number::from_decimal(text, &why);
    INFO("text: ", text);
    CHECK_FALSE(n.has_value());
    return why;
}

Number two_to(int power) {
    Number x = 1;
    for (int i = 0; i < power; ++i) x *= 2;
    return x;
}

}  // namespace

// ---- construction ----

TEST_CASE("a default number is zero, as 0/1") {
    Number x;
    CHECK(x.is_zero());
    CHECK(small_is(x, 0, 1));
    CHECK(x == Number(0));
}

TEST_CASE("a fraction is stored reduced with a positive denominator") {
    CHECK(small_is(Number::fraction(6, 4), 3, 2));
    CHECK(small_is(Number::fraction(6, -4), -3, 2));
    CHECK(small_is(Number::fraction(-6, -4), 3, 2));
    CHECK(small_is(Number::fraction(0, -7), 0, 1));
}

TEST_CASE("a fraction with a zero denominator is a division by zero") {
    CHECK_THROWS_WITH_AS(Number::fraction(1, 0), "division by zero", ArithmeticError);
}

// ---- parsing ----

TEST_CASE("a decimal like 93.7 is read as 937/10") { CHECK(small_is(parse("93.7"), 937, 10)); }

TEST_CASE("an integer like 4200 is read as 4200/1") { CHECK(small_is(parse("4200"), 4200, 1)); }

TEST_CASE("a decimal is read reduced: 1.50 is 3/2 and 0.25 is 1/4") {
    CHECK(small_is(parse("1.50"), 3, 2));
    CHECK(small_is(parse("0.25"), 1, 4));
    CHECK(small_is(parse("-0.125"), -1, 8));
}

TEST_CASE("negative zero in any spelling is read as plain zero") {
    for (const char* text : {"0", "-0", "-0.0", "0.000", "-0e5", "0E-3"}) {
        const Number x = parse(text);
        CHECK(x.is_zero());
        CHECK_FALSE(x.is_negative());
        CHECK(x.to_string() == "0");
    }
}

TEST_CASE("exponents scale the value exactly") {
    CHECK(parse("1e3") == Number(1000));
    CHECK(parse("1E+3") == Number(1000));
    CHECK(parse("2.5e-3") == Number::fraction(1, 400));
    CHECK(parse("-12.5e1") == Number(-125));
    CHECK(parse("5e-1") == Number::fraction(1, 2));
    CHECK(parse("1e0000000000000005") == Number(100000));
    CHECK(parse("123e-3") == Number::fraction(123, 1000));
}

TEST_CASE("the int64 limits are read as small numbers, one past them as big") {
    CHECK(small_is(parse("9223372036854775807"), kMax, 1));
    CHECK(small_is(parse("-9223372036854775808"), kMin, 1));
    const Number past = parse("9223372036854775808");
    CHECK_FALSE(is_small(past));
    CHECK(past == Number(kMax) + 1);
}

TEST_CASE("long decimals are read exactly and printed back unchanged") {
    const std::string text = "123456789012345678901234567890.125";
    const Number x = parse(text);
    CHECK_FALSE(is_small(x));
    CHECK(x.to_string() == text);
    CHECK(parse("-" + text).to_string() == "-" + text);
    CHECK(parse("0.1234567890123456789") == Number::fraction(1234567890123456789, 1) / parse("1e19"));
}

TEST_CASE("text that is not JSON number syntax is rejected as not a number") {
    for (const char* text : {"", "-", "+1", "01", "-01", "00", "1.", ".5", "-.5", "1e", "1e+", "1e-", " 1", "1 ",
                             "1.2.3", "0x10", "1_000", "--1", "1e5.0", "e5", "1,5", "NaN", "Infinity", "1..2", "1ee2"}) {
        CHECK(reject_reason(text) == "not a number");
    }
}

TEST_CASE("a rejected text leaves why untouched when no why is given") {
    CHECK_FALSE(Number::from_decimal("abc").has_value());
    CHECK_FALSE(Number::from_decimal(std::string(401, '1')).has_value());
}

TEST_CASE("text of exactly 400 characters is accepted, 401 is rejected") {
    std::string text = "1.5";
    text.append(397, '0');
    REQUIRE(text.size() == 400);
    CHECK(parse(text) == Number::fraction(3, 2));
    text.push_back('0');
    CHECK(reject_reason(text) == "more than 400 characters");
}

TEST_CASE("an overlong text is rejected for its length even when malformed") {
    CHECK(reject_reason(std::string(500, 'x')) == "more than 400 characters");
}

TEST_CASE("exponents larger than 400 are rejected as out of range") {
    CHECK(reject_reason("1e401") == "exponent out of range (at most 400)");
    CHECK(reject_reason("1e-401") == "exponent out of range (at most 400)");
    CHECK(reject_reason("0e401") == "exponent out of range (at most 400)");
    CHECK(reject_reason("1e99999999999999999999") == "exponent out of range (at most 400)");
}

TEST_CASE("an exponent of 400 is accepted when the value fits") {
    CHECK(parse("0e400").is_zero());
    CHECK(parse("0e-400").is_zero());
    std::string small_digits = "0.";
    small_digits.append(300, '0');
    CHECK(parse(small_digits + "1e400") == parse("1e99"));
    CHECK(parse("1" + std::string(300, '0') + "e-400") == parse("1e-100"));
}

TEST_CASE("a value past 1024 bits is rejected with a reason, not thrown") {
    CHECK(reject_reason("1e400") == "number too large: more than 1024 bits");
    // Too small a step is not too large a value: the denominator is what does not fit.
    CHECK(reject_reason("1e-400") ==
          "too many decimal places: its exact fraction needs a denominator of more than 1024 bits (about 308 places)");
    CHECK(reject_reason("-1e-309") == reject_reason("1e-400"));
    CHECK(reject_reason("-1e309") == "number too large: more than 1024 bits");
}

TEST_CASE("large exponents that fit 1024 bits are read exactly") {
    const Number big = parse("1e300");
    CHECK_FALSE(is_small(big));
    CHECK(big.is_integer());
    CHECK(big.to_string() == "1" + std::string(300, '0'));
    const Number tiny = parse("1e-300");
    CHECK(tiny * big == Number(1));
    CHECK(parse("1000e-3") == Number(1));
    CHECK(parse("123456789012345678e-1") == Number::fraction(61728394506172839, 5));
}

// ---- arithmetic ----

TEST_CASE("decimal sums are exact: 0.1 + 0.2 equals 0.3") {
    CHECK(parse("0.1") + parse("0.2") == parse("0.3"));
}

TEST_CASE("adding values with equal denominators reduces the result") {
    CHECK(small_is(Number::fraction(1, 4) + Number::fraction(1, 4), 1, 2));
    CHECK(small_is(parse("0.3") + parse("0.7"), 1, 1));
    CHECK(small_is(parse("0.3") + parse("0.1"), 2, 5));
    CHECK(small_is(parse("0.3") - parse("0.3"), 0, 1));
    CHECK(small_is(parse("93.5") + parse("1.5"), 95, 1));
}

TEST_CASE("adding values with different denominators is exact and reduced") {
    CHECK(small_is(Number::fraction(1, 6) + Number::fraction(1, 10), 4, 15));
    CHECK(small_is(Number::fraction(1, 2) + Number::fraction(1, 3), 5, 6));
    CHECK(small_is(Number::fraction(5, 6) + Number::fraction(1, 6), 1, 1));
    CHECK(small_is(Number::fraction(1, 6) - Number::fraction(2, 3), -1, 2));
}

TEST_CASE("subtraction is exact: 93.7 - 92.3 is 7/5") {
    CHECK(small_is(parse("93.7") - parse("92.3"), 7, 5));
}

TEST_CASE("multiplication is exact and reduced") {
    CHECK(small_is(Number::fraction(2, 3) * Number::fraction(9, 4), 3, 2));
    CHECK(small_is(Number::fraction(-2, 3) * Number::fraction(3, 2), -1, 1));
    CHECK(small_is(Number(0) * Number::fraction(-3, 2), 0, 1));
}

TEST_CASE("division is exact: (95 - 92.3) / 2 is 1.35") {
    const Number x = (Number(95) - parse("92.3")) / Number(2);
    CHECK(small_is(x, 27, 20));
    CHECK(x.to_string() == "1.35");
    CHECK(small_is(Number(1) / Number(-3), -1, 3));
    CHECK(small_is(Number::fraction(-2, 3) / Number::fraction(-4, 9), 3, 2));
}

TEST_CASE("compound assignment operators update the value") {
    Number x = 10;
    x += Number::fraction(1, 2);
    x -= 3;
    x *= 2;
    CHECK(x == Number(15));
}

TEST_CASE("division by zero throws for small and big values") {
    CHECK_THROWS_WITH_AS(Number(1) / Number(0), "division by zero", ArithmeticError);
    CHECK_THROWS_WITH_AS(Number(0) / Number(0), "division by zero", ArithmeticError);
    const Number big = Number(kMax) + 1;
    CHECK_THROWS_WITH_AS(big / Number(0), "division by zero", ArithmeticError);
    CHECK_THROWS_WITH_AS(big / (big - big), "division by zero", ArithmeticError);
}

TEST_CASE("an int64 overflow moves to a big value and back to small when it fits") {
    const Number past = Number(kMax) + 1;
    CHECK_FALSE(is_small(past));
    CHECK(past.to_string() == "9223372036854775808");
    CHECK(small_is(past - 1, kMax, 1));
    const Number below = Number(kMin) - 1;
    CHECK_FALSE(is_small(below));
    CHECK(below.to_string() == "-9223372036854775809");
    CHECK(small_is(below + 1, kMin, 1));
}

TEST_CASE("a product too large for int64 returns to small after dividing") {
    const Number sq = Number(kMax) * Number(kMax);
    CHECK_FALSE(is_small(sq));
    CHECK(small_is(sq / Number(kMax), kMax, 1));
    CHECK(small_is(sq / sq, 1, 1));
}

TEST_CASE("a sum whose denominator overflows int64 is big and exact") {
    const Number a = Number::fraction(1, kMax);
    const Number b = Number::fraction(1, kMax - 1);
    const Number sum = a + b;
    CHECK_FALSE(is_small(sum));
    CHECK(small_is(sum - b, 1, kMax));
    CHECK(small_is(sum - a - b, 0, 1));
}

TEST_CASE("an overflowing sum with equal denominators is reduced") {
    // (kMax + kMax) / 2 over the same odd-free denominator
    const Number a = Number::fraction(kMax, 2);
    const Number sum = a + a;
    CHECK(small_is(sum, kMax, 1));
    const Number c = Number::fraction(kMax - 2, 4);  // odd numerator
    const Number twice = c + c;
    CHECK(small_is(twice, kMax - 2, 2));
    const Number e = Number::fraction(kMax, 3);
    const Number big = e + e;  // 2*kMax/3 does not fit
    CHECK_FALSE(is_small(big));
    CHECK(small_is(big - e, kMax, 3));
}

TEST_CASE("big values combine with each other and with small ones") {
    const Number big = Number(kMax) + 1;
    CHECK((big + big).to_string() == "18446744073709551616");
    CHECK((big * big - big * big).is_zero());
    CHECK((big + Number::fraction(1, 3)).to_string(2) == "9223372036854775808.33");
    CHECK(big / big == Number(1));
    CHECK(small_is(big / Number(2), 4611686018427387904, 1));
    CHECK(Number(0) * big == Number(0));
    CHECK(Number(0) / big == Number(0));
}

TEST_CASE("values up to 1024 bits are allowed") {
    const Number x = two_to(1023);
    CHECK_FALSE(is_small(x));
    const Number max = x + (x - 1);  // 2^1024 - 1, exactly 1024 bits
    CHECK(max > x);
    CHECK(Number(1) / x > Number(0));
}

TEST_CASE("a result past 1024 bits throws an arithmetic error") {
    const Number x = two_to(1023);
    CHECK_THROWS_WITH_AS(x * 2, "number too large: more than 1024 bits", ArithmeticError);
    CHECK_THROWS_WITH_AS(x + x, "number too large: more than 1024 bits", ArithmeticError);
    CHECK_THROWS_WITH_AS(-x - x, "number too large: more than 1024 bits", ArithmeticError);
    CHECK_THROWS_WITH_AS(Number(1) / (x * Number::fraction(1, 1) + x), "number too large: more than 1024 bits",
                         ArithmeticError);
    // Over the limit by its denominator: too precise, not too large (the value is tiny).
    CHECK_THROWS_WITH_AS(Number::fraction(1, 2) / x,
                         "too many decimal places: the exact value needs a denominator of more than 1024 bits (about 308 places)",
                         ArithmeticError);
}

// ---- comparison ----

TEST_CASE("small values compare by value across denominators") {
    CHECK(Number::fraction(1, 3) < Number::fraction(1, 2));
    CHECK(Number::fraction(-1, 2) < Number::fraction(-1, 3));
    CHECK(Number::fraction(2, 4) == Number::fraction(1, 2));
    CHECK(Number::fraction(kMax, kMax - 1) > Number(1));
    CHECK(Number::fraction(kMin, kMax) < Number(-1));
    CHECK(Number(kMin) < Number(kMax));
    CHECK((Number(3) <=> Number(3)) == std::strong_ordering::equal);
}

TEST_CASE("comparisons between small and big values are exact") {
    const Number big = Number(kMax) + 1;
    const Number neg_big = Number(kMin) - 1;
    CHECK(Number(kMax) < big);
    CHECK(big > Number(kMax));
    CHECK(neg_big < Number(kMin));
    CHECK(Number(kMin) > neg_big);
    CHECK(neg_big < big);
    CHECK(big != Number(kMax));
    CHECK(big == parse("9223372036854775808"));
    CHECK(big + Number::fraction(1, 3) > big);
    CHECK(Number::fraction(1, kMax) > Number::fraction(1, kMax) * Number::fraction(1, kMax));
}

// ---- floor, ceil, abs, predicates ----

TEST_CASE("floor and ceil of negatives go down and up respectively") {
    const Number x = parse("-1.5");
    CHECK(x.floor() == Number(-2));
    CHECK(x.ceil() == Number(-1));
    CHECK(Number(-2).floor() == Number(-2));
    CHECK(Number(-2).ceil() == Number(-2));
    CHECK(Number::fraction(7, 2).floor() == Number(3));
    CHECK(Number::fraction(7, 2).ceil() == Number(4));
    CHECK(Number::fraction(-1, 3).ceil().to_string() == "0");
}

TEST_CASE("floor and ceil of big values return exact integers") {
    const Number big = Number(kMax) + 1;
    const Number half = Number::fraction(1, 2);
    CHECK((big + half).floor() == big);
    CHECK((big + half).ceil() == big + 1);
    CHECK((-big - half).floor() == -big - 1);
    CHECK((-big - half).ceil() == -big);
    CHECK(small_is((Number(kMax) + half).floor(), kMax, 1));
    CHECK(big.floor() == big);
}

TEST_CASE("abs drops the sign") {
    CHECK(parse("-1.5").abs() == parse("1.5"));
    CHECK(parse("1.5").abs() == parse("1.5"));
    CHECK(Number(0).abs().is_zero());
    CHECK((Number(kMin) - 1).abs() == Number(kMax) + 2);
}

TEST_CASE("is_integer and to_int64 see whole values only") {
    CHECK(parse("4200").is_integer());
    CHECK(parse("4200").to_int64() == 4200);
    CHECK_FALSE(parse("1.5").is_integer());
    CHECK_FALSE(parse("1.5").to_int64().has_value());
    const Number big = Number(kMax) + 1;
    CHECK(big.is_integer());
    CHECK_FALSE(big.to_int64().has_value());
    CHECK_FALSE((big + Number::fraction(1, 2)).is_integer());
    CHECK(Number(kMin).to_int64() == kMin);
}

TEST_CASE("is_negative and is_zero reflect the sign") {
    CHECK(parse("-0.5").is_negative());
    CHECK_FALSE(parse("0.5").is_negative());
    CHECK((Number(kMin) - 1).is_negative());
    CHECK_FALSE((Number(kMax) + 1).is_negative());
    CHECK_FALSE((Number(kMax) + 1).is_zero());
}

TEST_CASE("has_finite_decimal is true exactly for denominators 2^a 5^b") {
    CHECK(Number::fraction(1, 8).has_finite_decimal());
    CHECK(Number::fraction(7, 20).has_finite_decimal());
    CHECK(Number(5).has_finite_decimal());
    CHECK_FALSE(Number::fraction(1, 3).has_finite_decimal());
    CHECK_FALSE(Number::fraction(1, 6).has_finite_decimal());
    const Number tiny = Number(1) / two_to(100);
    CHECK(tiny.has_finite_decimal());
    CHECK_FALSE((tiny / 3).has_finite_decimal());
    CHECK((tiny / 5).has_finite_decimal());
}

// ---- to_string ----

TEST_CASE("to_string prints 1.35 and -1.5 exactly") {
    CHECK(parse("1.35").to_string() == "1.35");
    CHECK(parse("-1.5").to_string() == "-1.5");
    CHECK(Number(95).to_string() == "95");
    CHECK(Number(-95).to_string() == "-95");
    CHECK(parse("0.001").to_string() == "0.001");
    CHECK(parse("-0.001").to_string() == "-0.001");
    CHECK(parse("12.50").to_string() == "12.5");
}

TEST_CASE("to_string prints a finite decimal exactly even past the places asked for") {
    CHECK(Number::fraction(1, 8).to_string() == "0.125");
    CHECK(Number::fraction(1, 8).to_string(0) == "0.125");
    CHECK(Number::fraction(1, 1024).to_string() == "0.0009765625");
}

TEST_CASE("to_string rounds 1/3 to 0.33 and 2/3 to 0.67") {
    CHECK(Number::fraction(1, 3).to_string() == "0.33");
    CHECK(Number::fraction(2, 3).to_string() == "0.67");
    CHECK(Number::fraction(-2, 3).to_string() == "-0.67");
    CHECK(Number::fraction(1, 3).to_string(5) == "0.33333");
    CHECK(Number::fraction(2, 3).to_string(0) == "1");
    CHECK(Number::fraction(2, 3).to_string(2, Rounding::down) == "0.66");
}

TEST_CASE("to_string trims trailing zeros after rounding") {
    CHECK(Number::fraction(1001, 3000).to_string(2) == "0.33");
    CHECK(Number::fraction(2999, 3000).to_string(2) == "1");
    CHECK(Number::fraction(301, 300).to_string(2) == "1");
    CHECK(Number::fraction(31, 30).to_string(3) == "1.033");
}

TEST_CASE("to_string never prints minus zero") {
    CHECK(Number::fraction(-1, 300).to_string() == "0");
    CHECK(Number::fraction(-1, 3).to_string(0) == "0");
    CHECK((-Number(0)).to_string() == "0");
}

TEST_CASE("to_string of a big fraction rounds to the places asked for") {
    const Number x = Number(kMax) + 1 + Number::fraction(2, 3);
    CHECK(x.to_string() == "9223372036854775808.67");
    CHECK(x.to_string(0, Rounding::down) == "9223372036854775808");
    CHECK((-x).to_string(1) == "-9223372036854775808.7");
}

// ---- rounding ----

TEST_CASE("2.675 to two places: half_up 2.68, half_even 2.68, down 2.67, up 2.68") {
    const Number x = parse("2.675");
    CHECK(x.round(2, Rounding::half_up) == parse("2.68"));
    CHECK(x.round(2, Rounding::half_even) == parse("2.68"));
    CHECK(x.round(2, Rounding::down) == parse("2.67"));
    CHECK(x.round(2, Rounding::up) == parse("2.68"));
}

TEST_CASE("1.325 to two places: half_up 1.33, half_even 1.32, down 1.32, up 1.33") {
    const Number x = parse("1.325");
    CHECK(x.round(2, Rounding::half_up) == parse("1.33"));
    CHECK(x.round(2, Rounding::half_even) == parse("1.32"));
    CHECK(x.round(2, Rounding::down) == parse("1.32"));
    CHECK(x.round(2, Rounding::up) == parse("1.33"));
    const Number y = -x;
    CHECK(y.round(2, Rounding::half_up) == parse("-1.33"));
    CHECK(y.round(2, Rounding::half_even) == parse("-1.32"));
    CHECK(y.round(2, Rounding::down) == parse("-1.32"));
    CHECK(y.round(2, Rounding::up) == parse("-1.33"));
}

TEST_CASE("-2.5 to zero places: half_up -3, half_even -2, down -2, up -3") {
    const Number x = parse("-2.5");
    CHECK(x.round(0, Rounding::half_up) == Number(-3));
    CHECK(x.round(0, Rounding::half_even) == Number(-2));
    CHECK(x.round(0, Rounding::down) == Number(-2));
    CHECK(x.round(0, Rounding::up) == Number(-3));
}

TEST_CASE("half_even rounds halves to the even neighbour") {
    CHECK(parse("2.5").round(0, Rounding::half_even) == Number(2));
    CHECK(parse("3.5").round(0, Rounding::half_even) == Number(4));
    CHECK(parse("-3.5").round(0, Rounding::half_even) == Number(-4));
    CHECK(parse("0.125").round(2, Rounding::half_even) == parse("0.12"));
    CHECK(parse("0.135").round(2, Rounding::half_even) == parse("0.14"));
}

TEST_CASE("a value with no more digits than asked for is unchanged by round") {
    const Number x = parse("1.35");
    CHECK(x.round(2, Rounding::up) == x);
    CHECK(x.round(5, Rounding::down) == x);
    CHECK(Number(7).round(0, Rounding::up) == Number(7));
}

TEST_CASE("rounding to negative places rounds to tens and hundreds") {
    CHECK(Number(1234).round(-2, Rounding::half_up) == Number(1200));
    CHECK(Number(1250).round(-2, Rounding::half_up) == Number(1300));
    CHECK(Number(1250).round(-2, Rounding::half_even) == Number(1200));
    CHECK(Number(1350).round(-2, Rounding::half_even) == Number(1400));
    CHECK(Number(-1234).round(-1, Rounding::up) == Number(-1240));
    CHECK(Number(5).round(-800, Rounding::half_up).is_zero());
    CHECK_THROWS_AS(Number(5).round(-800, Rounding::up), ArithmeticError);
}

TEST_CASE("rounding to many places is exact or reports the size limit") {
    const Number third = Number::fraction(1, 3);
    const Number r = third.round(30, Rounding::half_up);
    CHECK(r.to_string() == "0." + std::string(30, '3'));
    CHECK(Number::fraction(1, 8).round(1000, Rounding::up) == Number::fraction(1, 8));
    CHECK_THROWS_WITH_AS(third.round(400, Rounding::half_up),
                         "too many decimal places: the exact value needs a denominator of more than 1024 bits (about 308 places)",
                         ArithmeticError);
    CHECK_THROWS_AS(third.round(100000, Rounding::half_up), ArithmeticError);
}

TEST_CASE("rounding a big value keeps it exact") {
    const Number x = Number(kMax) * Number(kMax) + Number::fraction(1, 3);
    CHECK(x.round(0, Rounding::half_up) == Number(kMax) * Number(kMax));
    CHECK(x.round(0, Rounding::up) == Number(kMax) * Number(kMax) + 1);
    CHECK(x.round(1, Rounding::down) == Number(kMax) * Number(kMax) + parse("0.3"));
}

// ---- INT64_MIN ----

TEST_CASE("negating INT64_MIN gives 2^63 as a big value, and back") {
    const Number m = kMin;
    const Number neg = -m;
    CHECK_FALSE(is_small(neg));
    CHECK(neg.to_string() == "9223372036854775808");
    CHECK_FALSE(neg.is_negative());
    CHECK(small_is(-neg, kMin, 1));
    CHECK(m.abs() == neg);
}

TEST_CASE("INT64_MIN times or divided by -1 is 2^63") {
    const Number two63 = Number(kMax) + 1;
    CHECK(Number(kMin) * Number(-1) == two63);
    CHECK(Number(kMin) / Number(-1) == two63);
    CHECK(Number::fraction(kMin, -1) == two63);
    CHECK(small_is(Number::fraction(kMin, kMin), 1, 1));
    CHECK(small_is(Number::fraction(kMin, 2), kMin / 2, 1));
    CHECK(small_is(Number(kMin) / Number(kMin), 1, 1));
}

TEST_CASE("a denominator of INT64_MIN makes a big fraction") {
    const Number x = Number::fraction(1, kMin);
    CHECK_FALSE(is_small(x));
    CHECK(x.is_negative());
    CHECK(x.has_finite_decimal());
    CHECK(x.to_string() == "-0.000000000000000000108420217248550443400745280086994171142578125");
    CHECK(small_is(x * 2, -1, 4611686018427387904));
}

TEST_CASE("sums and differences at INT64_MIN stay exact") {
    const Number m = kMin;
    CHECK((m - m).is_zero());
    CHECK((m + m).to_string() == "-18446744073709551616");
    CHECK(small_is(m + Number(kMax), -1, 1));
    CHECK(small_is(Number::fraction(kMin + 1, 2) - Number::fraction(1, 2), kMin / 2, 1));
    CHECK(m.floor() == m);
    CHECK(m.ceil() == m);
    CHECK(m.to_string() == "-9223372036854775808");
    CHECK(Number::fraction(kMin, 3).to_string() == "-3074457345618258602.67");
    CHECK(Number::fraction(kMin, 3).floor() == Number(-3074457345618258603));
}
