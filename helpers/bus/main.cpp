// gamesched-bus: org.gamesched.Scheduler1 on the system bus, a thin bridge to gamesched-core's
// control socket (see gamesched-bus(8)).
#include "helpers/bus/scheduler_object.h"
#include "helpers/common/bus_event_loop.h"
#include "helpers/common/sandbox.h"
#include "util/log.h"

#include <sdbus-c++/sdbus-c++.h>

#include <cstdlib>
#include <string_view>
#include <vector>

namespace {

using namespace gamesched;

constexpr const char* kBusName = "org.gamesched.Scheduler1";
constexpr std::chrono::milliseconds kRefreshInterval{500};

constexpr const char* kUsage =
    "usage: gamesched-bus [--core-socket PATH] [--mlcollect-socket PATH] [--sysfs DIR] [--verbose]\n"
    "  --core-socket PATH  gamesched-core's control socket (default /run/gamesched/control.sock)\n"
    "  --mlcollect-socket PATH  gamesched-mlcollect's request socket, for the profile methods\n"
    "                      (default /run/gamesched/mlcollect.sock)\n"
    "  --sysfs DIR         sched_ext's sysfs directory (default /sys/kernel/sched_ext)\n"
    "The system bus is DBUS_SYSTEM_BUS_ADDRESS if set, else the default one.\n";

int run(const bus::BridgeOptions& options) {
    if (auto confined = sandbox::confine({}); !confined) {
        spdlog::error("{}", confined.error().message);
        return EXIT_FAILURE;
    }
    std::unique_ptr<sdbus::IConnection> connection;
    try {
        connection = sdbus::createSystemBusConnection(kBusName);
    } catch (const sdbus::Error& e) {
        spdlog::error(
            "cannot own {} on the system bus ({}); is another gamesched-bus running, and does the "
            "bus policy (org.gamesched.Scheduler1.conf) let this user own it?",
            kBusName, e.getMessage());
        return EXIT_FAILURE;
    }
    auto loop = EventLoop::create();
    if (!loop) {
        spdlog::error("{}", loop.error().message);
        return EXIT_FAILURE;
    }
    bus::SchedulerObject object(*connection, options);
    const auto arm = [&loop] { (void)loop->arm_timer(EventLoop::Clock::now() + kRefreshInterval); };
    arm();
    auto status = loop->run(*connection, [&] {
        object.refresh();
        arm();
    });
    if (!status) {
        spdlog::error("{}", status.error().message);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
    bus::BridgeOptions options;
    bool verbose = false;
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--core-socket" && i + 1 < args.size()) {
            options.core_socket = args[++i];
        } else if (args[i] == "--mlcollect-socket" && i + 1 < args.size()) {
            options.mlcollect_socket = args[++i];
        } else if (args[i] == "--sysfs" && i + 1 < args.size()) {
            options.sysfs_root = args[++i];
        } else if (args[i] == "--verbose") {
            verbose = true;
        } else if (args[i] == "-h" || args[i] == "--help") {
            std::fputs(kUsage, stdout);
            return EXIT_SUCCESS;
        } else {
            std::fprintf(stderr, "gamesched-bus: unknown argument '%s'\n%s", std::string(args[i]).c_str(),
                         kUsage);
            return 2;
        }
    }
    init_logging("gamesched-bus", verbose);
    return run(options);
}
