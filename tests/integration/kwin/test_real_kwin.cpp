// gamesched-kwin --print against a real, headless KWin: Plasma 5 (this machine's kwin_wayland
// 5.27) and Plasma 6 (Debian trixie's kwin_wayland 6.x in a trixie root). The same assertions on
// both: the PIDs of two native Wayland clients and two X11 clients through Xwayland in focus
// order — one announcing its pid as Wine does (_NET_WM_PID), one not (its pid comes from the X
// server's record of the connection) — the script reloaded after KWin is killed and restarted,
// and unloaded when the helper stops.
#include "tests/integration/kwin/real_kwin.h"

#include <sdbus-c++/sdbus-c++.h>
#include <catch2/catch_test_macros.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <algorithm>
#include <csignal>
#include <fstream>
#include <set>

using namespace gamesched::testing;
using namespace std::chrono_literals;

namespace {

constexpr auto kStartTimeout = 60s;  // llvmpipe on two cores: KWin start-up is slow, never the criterion
constexpr auto kReportTimeout = 30s;

// The pids of the printed events of one kind ("focus_changed", "compositor"), in order.
std::vector<int> printed_pids(ChildProcess& helper, const std::string& event = "focus_changed") {
    std::vector<int> pids;
    for (const auto& line : helper.out().lines()) {
        const auto parsed = nlohmann::json::parse(line);
        if (parsed.at("event") == event) pids.push_back(parsed.at("pid").get<int>());
    }
    return pids;
}

std::string comm_of(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
    std::string comm;
    std::getline(in, comm);
    return comm;
}

// The compositor the helper names is KWin's own process (what the kernel calls it, not what
// anyone claims): one per KWin start.
void check_compositors(ChildProcess& helper, std::size_t starts) {
    const auto compositors = printed_pids(helper, "compositor");
    REQUIRE(compositors.size() == starts);
    // One pid per start, each a new process; only the running KWin can still be looked at.
    CHECK(std::set<int>(compositors.begin(), compositors.end()).size() == starts);
    CHECK(comm_of(compositors.back()) == "kwin_wayland");
}

std::size_t count_lines(ChildProcess& process, const std::string& needle) {
    return static_cast<std::size_t>(
        std::count_if(process.err().lines().begin(), process.err().lines().end(),
                      [&](const auto& l) { return l.find(needle) != std::string::npos; }));
}

std::string describe(ChildProcess& process) {
    std::string text;
    for (const auto& line : process.err().lines()) text += line + "\n";
    return text;
}

bool printed(ChildProcess& helper, pid_t pid) {
    const std::string needle = "\"pid\":" + std::to_string(pid) + ",\"resource_class\"";
    return std::any_of(helper.out().lines().begin(), helper.out().lines().end(),
                       [&](const auto& l) { return l.find(needle) != std::string::npos; });
}

// Waits until the helper prints the client's pid as the focus.
void require_reported(RealKWin& kwin, ChildProcess& helper, ChildProcess& client, const std::string& what) {
    const bool reported = helper.wait_for(
        [&] {
            client.out().drain();
            client.err().drain();
            return printed(helper, client.pid());
        },
        kReportTimeout);
    INFO(what << " (pid " << client.pid() << ") stderr:\n" << describe(client));
    INFO("helper stderr:\n" << describe(helper));
    INFO("KWin log:\n" << kwin.log_tail());
    INFO(
        "a Wayland client failing with 'wl_shm' missing means libwayland-server0 is too new for KWin 5.27 "
        "(bookworm-backports' 1.23); install bookworm's 1.21 (./run setup)");
    REQUIRE(reported);
}

ChildProcess focus_new_wayland_window(RealKWin& kwin, ChildProcess& helper) {
    auto client = kwin.start_wayland_client({"weston-simple-shm"});
    require_reported(kwin, helper, client, "weston-simple-shm");
    return client;
}

ChildProcess focus_new_x11_window(RealKWin& kwin, ChildProcess& helper, const std::string& window_class,
                                  bool announce_pid) {
    std::vector<std::string> argv = {GAMESCHED_X11_WINDOW};
    if (announce_pid) argv.emplace_back("--net-wm-pid");
    argv.push_back(window_class);
    auto client = kwin.start_x11_client(argv);
    require_reported(kwin, helper, client, window_class);
    return client;
}

bool script_loaded_in_kwin(const RealKWin& kwin) {
    auto bus = sdbus::createSessionBusConnectionWithAddress(kwin.bus().address());
    auto scripting = sdbus::createProxy(*bus, "org.kde.KWin", "/Scripting");
    bool loaded = false;
    scripting->callMethod("isScriptLoaded")
        .onInterface("org.kde.kwin.Scripting")
        .withArguments(std::string("gamesched-focus"))
        .storeResultsTo(loaded);
    return loaded;
}

void check_focus_tracking(Plasma release) {
    RealKWin kwin(release);
    kwin.start();

    // The helper asks this display's X server for X11 windows KWin knows no pid for.
    auto env = kwin.session_env();
    env.push_back("DISPLAY=" + kwin.wait_for_x11_display());
    auto spawned = ChildProcess::spawn(SpawnSpec{
        .argv = {GAMESCHED_KWIN_BINARY, "--print", "--verbose", "--script", GAMESCHED_KWIN_SCRIPT_SOURCE},
        .env = env,
        .capture_stdout = true,
        .capture_stderr = true,
        .stderr_file = {},
    });
    REQUIRE(spawned);
    ChildProcess& helper = spawned.value();

    {
        INFO("helper stderr:\n" << describe(helper) << "KWin log:\n" << kwin.log_tail());
        REQUIRE(helper.wait_for_err("focus script running in KWin as /", kStartTimeout));
    }
    // Plasma 5 puts the script object at /<id>, Plasma 6 at /Scripting/Script<id>.
    CHECK(helper.wait_for_err(release == Plasma::five ? "(Plasma 5 layout)" : "(Plasma 6 layout)", 1s));
    CHECK(script_loaded_in_kwin(kwin));
    check_compositors(helper, 1);

    // Two native Wayland windows, one after the other: each one's real pid, in order.
    auto first = focus_new_wayland_window(kwin, helper);
    auto second = focus_new_wayland_window(kwin, helper);
    CHECK(printed_pids(helper) == std::vector<int>{first.pid(), second.pid()});

    // X11 windows through Xwayland. One announces its pid as Wine does: KWin itself knows it.
    auto wine_like = focus_new_x11_window(kwin, helper, "GameWithPid", true);
    CHECK(count_lines(helper, "KWin reports focus on pid " + std::to_string(wine_like.pid()) + " (") == 1);
    // One does not: KWin reports pid 0 and the helper gets the pid from the X server.
    auto silent = focus_new_x11_window(kwin, helper, "GameWithoutPid", false);
    CHECK(count_lines(helper, "KWin reports focus on pid 0 (") >= 1);
    CHECK(count_lines(helper, "the X server names pid " + std::to_string(silent.pid())) == 1);
    CHECK(printed_pids(helper) == std::vector<int>{first.pid(), second.pid(), wine_like.pid(), silent.pid()});

    // KWin dies and comes back: the helper notices through the bus and loads its script again.
    const auto loads_before = count_lines(helper, "focus script running in KWin");
    kwin.kill();
    REQUIRE(helper.wait_for_err("is not on the session bus; waiting", kReportTimeout));
    kwin.start();
    REQUIRE(helper.wait_for(
        [&] { return count_lines(helper, "focus script running in KWin") > loads_before; }, kStartTimeout));
    auto third = focus_new_wayland_window(kwin, helper);
    check_compositors(helper, 2);
    const auto pids = printed_pids(helper);
    REQUIRE(pids.size() >= 5);
    CHECK(std::vector<int>(pids.begin(), pids.begin() + 4) ==
          std::vector<int>{first.pid(), second.pid(), wine_like.pid(), silent.pid()});
    CHECK(pids.back() == third.pid());

    // SIGTERM: the helper unloads its script from KWin and exits cleanly.
    helper.signal(SIGTERM);
    const auto status = helper.wait_exit(30s);
    REQUIRE(status);
    CHECK(WIFEXITED(*status));
    CHECK(WEXITSTATUS(*status) == 0);
    CHECK(count_lines(helper, "unloaded the focus script from KWin") == 1);
    CHECK_FALSE(script_loaded_in_kwin(kwin));
    kwin.kill();
}

}  // namespace

TEST_CASE("real KWin 5.27: Wayland and X11 focus PIDs, reload after restart, unload on exit",
          "[kwin][plasma5]") {
    check_focus_tracking(Plasma::five);
}

TEST_CASE("real KWin 6 (trixie): Wayland and X11 focus PIDs, reload after restart, unload on exit",
          "[kwin][plasma6]") {
    check_focus_tracking(Plasma::six);
}
