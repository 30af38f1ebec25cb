#include "helpers/kwin/options.h"

#include <catch2/catch_test_macros.hpp>

#include <vector>

using gamesched::kwin::parse_options;
using gamesched::kwin::usage;

namespace {
auto parse(std::vector<std::string_view> args) {
    return parse_options(args);
}
}  // namespace

TEST_CASE("defaults: forward to the core with the installed script", "[kwin][options]") {
    auto o = parse({});
    REQUIRE(o);
    CHECK_FALSE(o->print);
    CHECK_FALSE(o->verbose);
    CHECK(o->script_source == GAMESCHED_KWIN_SCRIPT);
    CHECK(o->core_socket == "/run/gamesched/hints.sock");
}

TEST_CASE("flags and values in both spellings", "[kwin][options]") {
    auto o = parse({"--print", "-v", "--script", "/a.js", "--socket=/s"});
    REQUIRE(o);
    CHECK(o->print);
    CHECK(o->verbose);
    CHECK(o->script_source == "/a.js");
    CHECK(o->core_socket == "/s");
    CHECK(parse({"-h"})->help);
    CHECK(parse({"--version"})->version);
    CHECK(parse({"-V"})->version);
}

TEST_CASE("bad arguments say what is wrong and where to look", "[kwin][options]") {
    auto unknown = parse({"--frobnicate"});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message == "unknown argument '--frobnicate'; see --help");

    auto missing = parse({"--script"});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message == "--script needs a value; see --help");

    CHECK_FALSE(parse({"--socket="}));
}

TEST_CASE("usage names every option", "[kwin][options]") {
    const std::string text = usage("gamesched-kwin");
    for (const char* option : {"--print", "--script", "--socket", "--verbose", "--version", "--help"}) {
        CHECK(text.find(option) != std::string::npos);
    }
}
