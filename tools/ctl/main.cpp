// gameschedctl: the command line over the core's sockets (hints.sock for anyone's own
// processes, control.sock for root and group gamesched), and over the D-Bus bridge for the
// live commands of users outside that group.
#include <cstdio>
#include <string>
#include <vector>

#include "tools/ctl/commands.h"
#include "tools/ctl/live_commands.h"

namespace {

// The command word: the first argument that is neither an option nor an option's value.
std::string verb_of(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--socket-dir" || a == "--config" || a == "--interval" || a == "-d" || a == "--count") {
            ++i;
        } else if (!a.starts_with("-")) {
            return a;
        }
    }
    return "";
}

int fail(const gamesched::Error& error, int status) {
    std::fprintf(stderr, "gameschedctl: %s\n", error.message.c_str());
    return status;
}

}  // namespace

// Start-up may throw (allocation, spdlog setup); an escaping exception ends the process with a
// message, which is what a failed start-up should do.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
    using namespace gamesched::ctl;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (is_live_verb(verb_of(args))) {
        auto live = parse_live_command(args);
        if (!live) return fail(live.error(), 2);
        auto st = run_live_command(*live);
        return st ? 0 : fail(st.error(), 1);
    }
    auto parsed = parse_command(args);
    if (!parsed) return fail(parsed.error(), 2);
    if (parsed->help) {
        std::fputs(kUsage, stdout);
        std::fputs(kLiveUsage, stdout);
        std::fputs(kMlUsage, stdout);
        return 0;
    }
    auto st = run_command(*parsed);
    return st ? 0 : fail(st.error(), 1);
}
