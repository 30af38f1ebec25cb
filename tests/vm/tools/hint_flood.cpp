// Guest-side load for the hints scenario: as fast as it can for SECONDS, and on until at least
// MIN_SENT records went out (a loaded TCG host makes each round trip slow; the scenario needs a
// flood, not a duration), sends game_started hints about its own process over hints.sock and
// counts how the core answered. Prints one JSON line.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "ipc/client.h"

// A test tool: an escaping exception ends it with a message, which fails the test as it should.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
    using namespace std::chrono;
    int seconds_to_run = argc > 1 ? std::atoi(argv[1]) : 10;
    long min_sent = argc > 2 ? std::atol(argv[2]) : 0;
    auto client =
        gamesched::ipc::Client::connect("/run/gamesched/hints.sock", gamesched::ipc::Channel::hints);
    if (!client) {
        std::fprintf(stderr, "hint-flood: %s\n", client.error().message.c_str());
        return 1;
    }
    long sent = 0, ok = 0, refused = 0, failed = 0;
    auto end = steady_clock::now() + seconds(seconds_to_run);
    auto hard_end = end + seconds(120);
    gamesched::ipc::GameStarted hint{getpid(), std::nullopt, "flood", "test", 50};
    while ((steady_clock::now() < end || sent < min_sent) && steady_clock::now() < hard_end) {
        auto reply = client->request(hint, milliseconds(2000));
        ++sent;
        if (!reply) {
            ++failed;
            break;  // the core dropped us: that is a valid defence, stop here
        }
        reply->ok ? ++ok : ++refused;
    }
    std::printf("{\"sent\":%ld,\"ok\":%ld,\"refused\":%ld,\"transport_errors\":%ld}\n", sent, ok, refused,
                failed);
    return 0;
}
