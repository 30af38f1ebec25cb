#include "ipc/utf8.h"

#include <catch2/catch_test_macros.hpp>

using namespace gamesched::ipc;

TEST_CASE("UTF-8 validation follows RFC 3629") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ascii"));
    CHECK(is_valid_utf8("\xC2\xA9 \xE2\x82\xAC \xF0\x9F\x8E\xAE \xF4\x8F\xBF\xBF"));
    CHECK_FALSE(is_valid_utf8("\x80"));              // lone continuation
    CHECK_FALSE(is_valid_utf8("\xC0\x80"));          // overlong NUL
    CHECK_FALSE(is_valid_utf8("\xC1\xBF"));          // overlong
    CHECK_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // overlong 3-byte
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
    CHECK_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // overlong 4-byte
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
    CHECK_FALSE(is_valid_utf8("\xE2\x82"));  // truncated
    CHECK_FALSE(is_valid_utf8("ok\xFF"));
}

TEST_CASE("printable text excludes C0, DEL and C1 controls") {
    CHECK(is_printable_text("Name with spaces \xC2\xA0 and \xE2\x80\x94"));
    CHECK_FALSE(is_printable_text("tab\t"));
    CHECK_FALSE(is_printable_text(std::string("\0", 1)));
    CHECK_FALSE(is_printable_text("\x7F"));
    CHECK_FALSE(is_printable_text("\xC2\x9B"));  // CSI
    CHECK_FALSE(is_printable_text("\xFF"));
}

TEST_CASE("sanitize_text replaces what is not printable UTF-8") {
    CHECK(sanitize_text("fine") == "fine");
    CHECK(sanitize_text("a\xFF"
                        "b") ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(sanitize_text("\x1B[2J") == "\xEF\xBF\xBD[2J");
    CHECK(sanitize_text("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(is_printable_text(sanitize_text("\xC0\xAF\x01\xED\xA0\x80")));
}
