#include "helpers/kwin/json_lines_sink.h"

#include "util/unique_fd.h"

#include <catch2/catch_test_macros.hpp>

#include <fcntl.h>
#include <unistd.h>
#include <csignal>
#include <nlohmann/json.hpp>

using gamesched::UniqueFd;
using gamesched::kwin::FocusReport;
using gamesched::kwin::JsonLinesSink;

TEST_CASE("one JSON object per line, with the class escaped", "[kwin][sink]") {
    CHECK(JsonLinesSink::format({1234, "steam_app_570"}) ==
          "{\"event\":\"focus_changed\",\"pid\":1234,\"resource_class\":\"steam_app_570\"}\n");

    const std::string hostile = JsonLinesSink::format({7, std::string("a\"b\n\xff", 5)});
    CHECK(hostile.find('\n') == hostile.size() - 1);
    const auto parsed = nlohmann::json::parse(hostile);
    CHECK(parsed["pid"] == 7);
    CHECK(parsed["resource_class"] == "a\"b\n\xEF\xBF\xBD");
}

TEST_CASE("lines reach the file descriptor; a vanished reader is an error", "[kwin][sink]") {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    UniqueFd read_end(fds[0]), write_end(fds[1]);
    JsonLinesSink sink(write_end.get());

    REQUIRE(sink.forward({42, "x"}));
    char buf[256] = {};
    const ssize_t n = ::read(read_end.get(), buf, sizeof buf - 1);
    CHECK(std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0) == JsonLinesSink::format({42, "x"}));

    read_end.reset();
    std::signal(SIGPIPE, SIG_IGN);
    auto failed = sink.forward({43, "y"});
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == EPIPE);
}
