// Guest-side load for the hardening scenario: opens up to COUNT connections to hints.sock without
// sending anything (stopping at the first refusal of connect()), prints "opened N", holds them
// for SECONDS, then closes them all.
#include "ipc/unix_socket.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::atoi(argv[1]) : 200;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 10;
    std::vector<gamesched::UniqueFd> held;
    for (int i = 0; i < count; ++i) {
        auto fd = gamesched::ipc::connect_seqpacket("/run/gamesched/hints.sock", true);
        if (!fd) break;
        held.push_back(std::move(*fd));
    }
    std::printf("opened %zu\n", held.size());
    std::fflush(stdout);
    sleep(static_cast<unsigned>(seconds));
    return 0;
}
