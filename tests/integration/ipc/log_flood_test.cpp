// 10,000 clients that connect, get refused and leave must not bury the daemon's own messages:
// the real socket server, under systemd-socket-activate, logs a bounded number of lines per
// category and accounts for every suppressed one in its summaries.
#include "tests/integration/ipc/harness.h"

#include <catch2/catch_test_macros.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

using namespace gamesched;
using namespace gamesched::test;

namespace {

constexpr int kHintClients = 10'000;
constexpr int kControlClients = 2'000;

std::vector<std::string> lines_of(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// Lines logged individually plus the counts in the category's summaries.
long accounted(const std::vector<std::string>& lines, const std::string& each, const std::string& category) {
    const std::regex summary("(\\d+) similar messages suppressed in the last \\d+ s \\(" + category);
    long total = 0;
    for (const auto& line : lines) {
        std::smatch match;
        if (std::regex_search(line, match, summary)) {
            total += std::stol(match[1]);
        } else if (line.find(each) != std::string::npos) {
            ++total;
        }
    }
    return total;
}

}  // namespace

TEST_CASE("a flood of refused clients is rate-limited in the log and fully accounted for") {
    char pattern[] = "/tmp/gamesched-flood-log.XXXXXX";
    const int fd = mkstemp(pattern);
    REQUIRE(fd >= 0);
    close(fd);
    const std::string log_path = pattern;
    TestDaemon daemon({.socket_activation = true,
                       // No hint budget in the way: every hint reaches the ownership check.
                       .args = {"--log-level=info", "--hint-rate=1000000", "--hint-burst=1000000",
                                "--max-connections-per-uid=100000"},
                       .shipped_capabilities = false,
                       .log_path = log_path});
    (void)daemon.status();  // started, and its own start-up lines are in the log

    AsUser nobody(kNobody, [&](const Handshake&) {
        nlohmann::json out = {{"hints_refused", 0}, {"control_refused", 0}};
        for (int i = 0; i < kHintClients; ++i) {
            auto client = ipc::Client::connect(daemon.hints_path(), ipc::Channel::hints);
            if (!client) continue;
            auto reply =
                client->request(ipc::GameStarted{1, std::nullopt, "flood", "test", 50}, kReplyTimeout);
            if (reply && !reply->ok &&
                reply->error.find("is not one of your processes") != std::string::npos) {
                out["hints_refused"] = out["hints_refused"].get<int>() + 1;
            }
        }
        for (int i = 0; i < kControlClients; ++i) {
            auto client = ipc::Client::connect(daemon.control_path(), ipc::Channel::control);
            if (!client) continue;
            auto reply = client->request(ipc::GetStatus{}, kReplyTimeout);
            if (reply && !reply->ok) out["control_refused"] = out["control_refused"].get<int>() + 1;
        }
        return out;
    });
    const auto out = nobody.join();
    INFO(out.dump());
    REQUIRE(out["hints_refused"] == kHintClients);
    REQUIRE(out["control_refused"] == kControlClients);
    REQUIRE(daemon.stop() == 0);  // reports what the last windows suppressed

    const auto lines = lines_of(log_path);
    std::string head;
    for (std::size_t i = 0; i < lines.size() && i < 80; ++i) head += lines[i] + "\n";
    INFO("log has " << lines.size() << " lines; first ones:\n" << head);
    // Bounded: a few windows' worth of each category, not one line per client.
    CHECK(lines.size() < 400);
    CHECK(accounted(lines, "refused a hint from uid 65534", "refused hints") == kHintClients);
    CHECK(accounted(lines, "refused uid 65534 pid", "refused clients") == kControlClients);
    // The daemon's own messages are there, at the start and at the end.
    CHECK(std::any_of(lines.begin(), lines.end(),
                      [](const auto& line) { return line.find("serving ") != std::string::npos; }));
    CHECK(lines.back().find("stopping") != std::string::npos);
    std::remove(log_path.c_str());
}
