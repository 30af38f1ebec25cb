// gamesched-hint-flood: offers hint records to hints.sock at a fixed rate for a time, as one user
// on several connections, without waiting for replies (replies are read and counted as they
// come); a connection the core drops is replaced. Prints one JSON line of counts at the end.
// usage: gamesched-hint-flood SOCKET SECONDS RATE [CONNECTIONS]
#include "ipc/codec.h"
#include "ipc/unix_socket.h"

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace gamesched;
using Clock = std::chrono::steady_clock;

// A test tool: an escaping exception ends it with a message, which fails the test as it should.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
    if (argc < 4) {
        std::fprintf(stderr, "usage: gamesched-hint-flood SOCKET SECONDS RATE [CONNECTIONS]\n");
        return 2;
    }
    const std::string path = argv[1];
    const double seconds = std::atof(argv[2]);
    const double rate = std::atof(argv[3]);
    const std::size_t want = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 32;
    const std::string record = ipc::encode_request(
        {1, ipc::GameStarted{getpid(), std::nullopt, std::string(64, 'f'), "flood", 100}});

    std::vector<UniqueFd> connections;
    long offered = 0, sent = 0, would_block = 0, replies = 0, reconnects = 0;
    const auto start = Clock::now();
    const auto end =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::size_t next = 0;
    std::string buffer;
    while (Clock::now() < end) {
        while (connections.size() < want) {
            auto fd = ipc::connect_seqpacket(path, true);
            if (!fd) break;
            connections.push_back(std::move(*fd));
            ++reconnects;
        }
        if (connections.empty()) {
            usleep(1000);
            continue;
        }
        // Offer what the rate allows by now, round robin over the connections.
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        const long due = static_cast<long>(elapsed * rate);
        for (; offered < due; ++offered) {
            auto& fd = connections[next++ % connections.size()];
            auto status = ipc::send_record(fd.get(), record);
            if (!status || *status == ipc::IoStatus::closed) {
                fd.reset();
            } else if (*status == ipc::IoStatus::would_block) {
                ++would_block;
            } else {
                ++sent;
            }
        }
        for (auto& fd : connections) {
            for (;;) {
                if (!fd) break;
                auto reply = ipc::recv_record(fd.get(), ipc::kHintsMaxRecord);
                if (!reply || reply->status == ipc::IoStatus::closed) {
                    fd.reset();
                    break;
                }
                if (reply->status == ipc::IoStatus::would_block) break;
                ++replies;
            }
        }
        std::erase_if(connections, [](const UniqueFd& fd) { return !fd; });
        usleep(200);
    }
    std::printf(
        "{\"seconds\":%.1f,\"rate\":%.0f,\"offered\":%ld,\"sent\":%ld,\"would_block\":%ld,\"replies\":%ld,"
        "\"connects\":%ld}\n",
        seconds, rate, offered, sent, would_block, replies, reconnects);
    return 0;
}
