// The one UTF-8 helper (lib/support/utf8.hpp): its decoder, and the one classification of what a
// terminal or a JSON reader is shown escaped (terminal_text, json_quote).
#include <doctest/doctest.h>

#include <string>

#include "kaohe/diagnostic.hpp"
#include "support/text.hpp"
#include "support/utf8.hpp"

using kaohe::json_quote;
using kaohe::terminal_text;

TEST_CASE("the decoder refuses what is not UTF-8, at the byte where it starts") {
    CHECK_FALSE(kaohe::first_invalid_utf8("考核 2022 ok"));
    CHECK(kaohe::first_invalid_utf8("ab\xC0\xAF") == 2u);          // overlong '/'
    CHECK(kaohe::first_invalid_utf8("a\xE0\x80\x80") == 1u);       // overlong three-byte form
    CHECK(kaohe::first_invalid_utf8("\xED\xA0\x80") == 0u);        // a surrogate
    CHECK(kaohe::first_invalid_utf8("x\xF4\x90\x80\x80") == 1u);   // past U+10FFFF
    CHECK(kaohe::first_invalid_utf8("\xE8\x80") == 0u);            // truncated
    CHECK(kaohe::first_invalid_utf8("\x80") == 0u);                // a stray continuation byte
    const auto cp = kaohe::utf8_at("考", 0);
    CHECK(cp.value == 0x8003);
    CHECK(cp.length == 3);
    CHECK(kaohe::utf8_at("\xED\xA0\x80", 0).length == 0);
    CHECK(kaohe::decode_at("\xFF", 0).length == 1);  // moves on by one byte
}

TEST_CASE("text for a terminal: what a terminal would obey or hide is shown as its code point") {
    CHECK(terminal_text("考核 ０１ ok") == "考核 ０１ ok");
    CHECK(terminal_text("a\x1b[2Jb") == "a\\u{1b}[2Jb");                   // C0
    CHECK(terminal_text("\xC2\x9B" "31m") == "\\u{9b}31m");                // C1 (a CSI)
    CHECK(terminal_text("\xE2\x80\xAE" "cba") == "\\u{202e}cba");          // bidi override (Cf)
    CHECK(terminal_text("\xE2\x80\xA8") == "\\u{2028}");                   // line separator (Zl)
    CHECK(terminal_text("\xD8\x80" "1") == "\\u{600}1");                   // Arabic number sign (Cf)
    CHECK(terminal_text("\xF3\xA0\x80\x81") == "\\u{e0001}");              // language tag (Cf)
    CHECK(terminal_text("\xCD\xB8") == "\\u{378}");                        // unassigned (Cn)
    CHECK(terminal_text("\xEE\x80\x80") == "\xEE\x80\x80");                // private use (Co): shown
    CHECK(terminal_text("gbk \xBF\xBC") == "gbk \\xbf\\xbc");              // not UTF-8
}

TEST_CASE("JSON text escapes the same characters and is always valid UTF-8") {
    CHECK(json_quote("考核 \"q\" \\") == "\"考核 \\\"q\\\" \\\\\"");
    CHECK(json_quote("\x1b\n") == "\"\\u001b\\n\"");
    CHECK(json_quote("\xE2\x80\xAE") == "\"\\u202e\"");
    CHECK(json_quote("\xD8\x80") == "\"\\u0600\"");
    CHECK(json_quote("\xF3\xA0\x80\x81") == "\"\\udb40\\udc01\"");  // past the BMP: a surrogate pair
    CHECK(json_quote("\xEE\x80\x80") == "\"\xEE\x80\x80\"");
    CHECK(json_quote("a\xBF") == "\"a\xEF\xBF\xBD\"");  // U+FFFD
}

TEST_CASE("display width: Chinese and full-width characters take two columns") {
    CHECK(kaohe::display_width("ab") == 2);
    CHECK(kaohe::display_width("考核") == 4);
    CHECK(kaohe::display_width("１") == 2);
    CHECK(kaohe::pad_right("考", 4) == "考  ");
}
