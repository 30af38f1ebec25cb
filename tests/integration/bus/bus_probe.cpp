// gamesched-bus-probe: calls one method of org.gamesched.Scheduler1 on the system bus
// (DBUS_SYSTEM_BUS_ADDRESS) and prints "ok [RESULT]" or "error NAME: MESSAGE" — busctl prints
// only the message, and the test checks error names. For the pidfd methods it opens the pidfd
// itself (pidfd_open of PID).
#include <sdbus-c++/sdbus-c++.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

namespace {

constexpr const char* kUsage =
    "usage: gamesched-bus-probe METHOD [ARG]\n"
    "  SetMode N | SetTunables NAME=VALUE | RegisterGame PID | UnregisterGame PID |\n"
    "  RegisterGameByPIDFd PID | UnregisterGameByPIDFd PID | GetStats | Stop | Start |\n"
    "  ListProfiles | GetProfile GAME | PinProfile GAME | UnpinProfile GAME | ResetProfile GAME\n";

sdbus::UnixFd pidfd_of(const std::string& pid) {
    const int fd = static_cast<int>(syscall(SYS_pidfd_open, std::stoi(pid), 0));
    if (fd < 0) {
        std::perror("pidfd_open");
        std::exit(2);
    }
    return sdbus::UnixFd(fd, sdbus::adopt_fd);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    const std::string method = argv[1];
    const std::string arg = argc > 2 ? argv[2] : "";
    try {
        auto bus = sdbus::createSystemBusConnection();
        auto proxy = sdbus::createProxy(*bus, "org.gamesched.Scheduler1", "/org/gamesched/Scheduler1");
        auto call = proxy->createMethodCall("org.gamesched.Scheduler1", method);
        if (method == "SetMode") {
            call << static_cast<std::uint32_t>(std::stoul(arg));
        } else if (method == "SetTunables") {
            const auto eq = arg.find('=');
            call << std::map<std::string, std::uint64_t>{
                {arg.substr(0, eq), std::stoull(arg.substr(eq + 1))}};
        } else if (method == "RegisterGame" || method == "UnregisterGame") {
            call << static_cast<std::int32_t>(std::stoi(arg));
        } else if (method == "RegisterGameByPIDFd" || method == "UnregisterGameByPIDFd") {
            call << pidfd_of(arg);
        } else if (method == "GetProfile" || method == "PinProfile" || method == "UnpinProfile" ||
                   method == "ResetProfile") {
            call << arg;
        } else if (method != "GetStats" && method != "Stop" && method != "Start" &&
                   method != "ListProfiles") {
            std::fputs(kUsage, stderr);
            return 2;
        }
        auto reply = proxy->callMethod(call, 30'000'000);
        if (method == "GetStats" || method == "ListProfiles" || method == "GetProfile") {
            std::string json;
            reply >> json;
            std::printf("ok %s\n", json.c_str());
        } else {
            std::printf("ok\n");
        }
        return 0;
    } catch (const sdbus::Error& e) {
        std::printf("error %s: %s\n", e.getName().c_str(), e.getMessage().c_str());
        return 1;
    }
}
