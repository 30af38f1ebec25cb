// gameschedctl: the command line over the core's sockets (hints.sock for anyone's own
// processes, control.sock for root and group gamesched).
#include <signal.h>
#include <sys/signalfd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ipc/client.h"
#include "tools/ctl/commands.h"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    auto parsed = gamesched::ctl::parse_command(args);
    if (!parsed) {
        std::fprintf(stderr, "gameschedctl: %s\n", parsed.error().message.c_str());
        return 2;
    }
    if (parsed->help) {
        std::fputs(gamesched::ctl::kUsage, stdout);
        return 0;
    }
    auto st = gamesched::ctl::run_command(*parsed);
    if (!st) {
        std::fprintf(stderr, "gameschedctl: %s\n", st.error().message.c_str());
        return 1;
    }
    return 0;
}
