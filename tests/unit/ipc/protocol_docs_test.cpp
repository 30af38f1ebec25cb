// docs/protocol.md's table of message types is the registry's (ipc/messages.h), rendered: when a
// row changes, this test fails and prints the table to paste.
#include "ipc/messages.h"
#include "ipc/protocol.h"

#include <catch2/catch_test_macros.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

using namespace gamesched::ipc;

namespace {

std::string cell(const MessageTypeInfo& info, Channel channel) {
    if (info.direction == Direction::push) return "pushed";
    if (!request_allowed(info.type, channel)) return "—";
    return info.access == Access::admin ? "root, bridge" : "yes";
}

std::string rendered_table() {
    std::ostringstream out;
    out << "| # | type | hints | control | rate-limited | purpose |\n";
    out << "|---|---|---|---|---|---|\n";
    for (const auto& info : all_types()) {
        out << "| " << static_cast<int>(info.type) << " | `" << info.name << "` | "
            << cell(info, Channel::hints) << " | " << cell(info, Channel::control) << " | "
            << (info.rate == Rate::limited ? "yes" : "—") << " | " << info.purpose << " |\n";
    }
    return out.str();
}

std::string read_file(const char* path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("docs/protocol.md lists every message type as the registry does") {
    const char* path = std::getenv("GAMESCHED_PROTOCOL_DOC");
    REQUIRE(path != nullptr);
    const std::string doc = read_file(path);
    REQUIRE_FALSE(doc.empty());
    const std::string begin = "<!-- registry table: generated from ipc/messages.h -->\n";
    const std::string end = "<!-- end of registry table -->";
    const auto from = doc.find(begin);
    const auto to = doc.find(end);
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    const std::string table = doc.substr(from + begin.size(), to - from - begin.size());
    INFO("expected, between the markers:\n" << rendered_table());
    CHECK(table == rendered_table());
}
