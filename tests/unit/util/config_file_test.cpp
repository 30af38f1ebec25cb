// "key = value" files: parsing with line numbers, editing one key while keeping the rest, and
// replacing a file atomically.
#include "util/config_file.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

using namespace gamesched;
using Catch::Matchers::ContainsSubstring;

TEST_CASE("settings, comments and blank lines parse with their line numbers") {
    auto settings = parse_config_text(
        "# a comment\n\n  mode = gaming  \nslice_us=3000 # trailing\n\t# indented\n", "test.conf");
    REQUIRE(settings.ok());
    REQUIRE(settings->size() == 2);
    CHECK((*settings)[0].key == "mode");
    CHECK((*settings)[0].value == "gaming");
    CHECK((*settings)[0].line == 3);
    CHECK((*settings)[1].key == "slice_us");
    CHECK((*settings)[1].value == "3000");
    CHECK((*settings)[1].line == 4);
    CHECK(parse_config_text("", "empty")->empty());
    CHECK(parse_config_text("no_newline_at_end = 1", "x")->at(0).value == "1");
}

TEST_CASE("malformed lines are refused naming file and line") {
    auto no_equals = parse_config_text("mode = auto\nslice_us 3000\n", "/etc/gamesched/gamesched.conf");
    REQUIRE_FALSE(no_equals.ok());
    CHECK_THAT(no_equals.error().message,
               ContainsSubstring("/etc/gamesched/gamesched.conf:2: expected 'key = value'"));
    auto bad_key = parse_config_text("Slice-US = 3\n", "f");
    REQUIRE_FALSE(bad_key.ok());
    CHECK_THAT(bad_key.error().message, ContainsSubstring("f:1: 'Slice-US' is not a key"));
    auto empty_value = parse_config_text("\nmode =   # nothing\n", "f");
    REQUIRE_FALSE(empty_value.ok());
    CHECK_THAT(empty_value.error().message, ContainsSubstring("f:2: 'mode' has no value"));
    auto twice = parse_config_text("mode = auto\n\nmode = gaming\n", "f");
    REQUIRE_FALSE(twice.ok());
    CHECK_THAT(twice.error().message, ContainsSubstring("f:3: 'mode' is already set on line 1"));
    auto control = parse_config_text("\x01\x02", "f");
    REQUIRE_FALSE(control.ok());
    CHECK_THAT(control.error().message, ContainsSubstring("\\x01\\x02"));
}

TEST_CASE("setting a value keeps comments, order and other keys") {
    const std::string text = "# gamesched.conf\nmode = auto   # the default\n\nslice_us = 5000\n";
    CHECK(set_config_value(text, "mode", "gaming") ==
          "# gamesched.conf\nmode = gaming   # the default\n\nslice_us = 5000\n");
    CHECK(set_config_value(text, "lag_clamp_us", "30000") == text + "lag_clamp_us = 30000\n");
    CHECK(set_config_value("mode = auto", "slice_us", "1") == "mode = auto\nslice_us = 1\n");
    CHECK(set_config_value("", "mode", "server") == "mode = server\n");
    // A commented-out setting is a comment, not the setting.
    CHECK(set_config_value("# mode = auto\n", "mode", "gaming") == "# mode = auto\nmode = gaming\n");
    CHECK(set_config_value("  mode=auto\n", "mode", "gaming") == "  mode = gaming\n");
    auto edited = parse_config_text(set_config_value(text, "mode", "gaming"), "edited");
    REQUIRE(edited.ok());
    CHECK(edited->at(0).value == "gaming");
}

TEST_CASE("a file is replaced atomically with the mode asked for") {
    const auto dir = std::filesystem::temp_directory_path() / ("gamesched-conf-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "gamesched.conf").string();
    REQUIRE(write_file_atomically(path, "mode = auto\n", 0644).ok());
    REQUIRE(write_file_atomically(path, "mode = gaming\n", 0640).ok());
    auto text = read_text_file(path);
    REQUIRE(text.ok());
    CHECK(*text == "mode = gaming\n");
    struct stat st {};
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
    // No temporary file is left behind.
    CHECK(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()) ==
          1);
    auto missing = read_text_file((dir / "absent.conf").string());
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == ENOENT);
    auto no_dir = write_file_atomically((dir / "no" / "such" / "dir.conf").string(), "x", 0644);
    REQUIRE_FALSE(no_dir.ok());
    CHECK_THAT(no_dir.error().message, ContainsSubstring("cannot create a temporary file next to"));
    std::filesystem::remove_all(dir);
}
