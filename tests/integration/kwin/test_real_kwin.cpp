// gamesched-kwin --print against a real KWin (Debian's kwin_wayland 5.27, headless): the PIDs of
// real Wayland clients in focus order, an Xwayland window without a pid not forwarded, the
// script reloaded after KWin is killed and restarted, and unloaded when the helper stops.
#include "tests/integration/kwin/real_kwin.h"

#include <sdbus-c++/sdbus-c++.h>
#include <catch2/catch_test_macros.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <algorithm>
#include <csignal>

using namespace gamesched::testing;
using namespace std::chrono_literals;

namespace {

constexpr auto kStartTimeout = 60s;  // llvmpipe on two cores: KWin start-up is slow, never the criterion
constexpr auto kReportTimeout = 30s;

std::vector<int> printed_pids(ChildProcess& helper) {
    std::vector<int> pids;
    for (const auto& line : helper.out().lines()) {
        pids.push_back(nlohmann::json::parse(line).at("pid").get<int>());
    }
    return pids;
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

// Starts a Wayland client and waits until the helper prints its pid.
ChildProcess focus_new_wayland_window(RealKWin& kwin, ChildProcess& helper) {
    auto client = kwin.start_wayland_client({"weston-simple-shm"});
    const std::string needle = "\"pid\":" + std::to_string(client.pid()) + ",";
    const bool reported = helper.wait_for(
        [&] {
            client.out().drain();
            client.err().drain();
            return helper.out().lines().size() > 0 &&
                   std::any_of(helper.out().lines().begin(), helper.out().lines().end(),
                               [&](const auto& l) { return l.find(needle) != std::string::npos; });
        },
        kReportTimeout);
    INFO("weston-simple-shm (pid " << client.pid() << ") stderr:\n" << describe(client));
    INFO("helper stderr:\n" << describe(helper));
    INFO("KWin log:\n" << kwin.log_tail());
    INFO(
        "a client failing with 'wl_shm' missing means libwayland-server0 is too new for KWin 5.27 "
        "(bookworm-backports' 1.23); install bookworm's 1.21 (./run setup)");
    REQUIRE(reported);
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

}  // namespace

TEST_CASE("real KWin: focus PIDs in order, Xwayland pid 0 dropped, reload after restart, unload on exit",
          "[kwin][integration]") {
    RealKWin kwin;
    kwin.start();

    auto spawned = ChildProcess::spawn(SpawnSpec{
        .argv = {GAMESCHED_KWIN_BINARY, "--print", "--verbose", "--script", GAMESCHED_KWIN_SCRIPT_SOURCE},
        .env = kwin.session_env(),
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
    // KWin 5.27 is Plasma 5: the script object sits at /<id>.
    CHECK(helper.wait_for_err("(Plasma 5 layout)", 1s));
    CHECK(script_loaded_in_kwin(kwin));

    // Two native Wayland windows, one after the other: each one's real pid, in order.
    auto first = focus_new_wayland_window(kwin, helper);
    auto second = focus_new_wayland_window(kwin, helper);
    CHECK(printed_pids(helper) == std::vector<int>{first.pid(), second.pid()});

    // An X11 window through Xwayland. KWin knows its pid only if the client announces it; an
    // unknown pid (0) must not be forwarded.
    auto x_client = kwin.start_x11_client({"xmessage", "-geometry", "200x80", "gamesched"});
    {
        INFO("xmessage stderr:\n" << describe(x_client) << "helper stderr:\n" << describe(helper));
        REQUIRE(helper.wait_for_err("(xmessage)", kReportTimeout));
    }
    if (helper.wait_for_err("focus on pid 0 (xmessage)", 0s)) {
        helper.wait_for([] { return false; }, 500ms);  // room for a wrong forward to show up
        CHECK(printed_pids(helper) == std::vector<int>{first.pid(), second.pid()});
    } else {
        REQUIRE(helper.wait_for_out("\"pid\":" + std::to_string(x_client.pid()) + ",", kReportTimeout));
    }

    // KWin dies and comes back: the helper notices through the bus and loads its script again.
    const auto loads_before = count_lines(helper, "focus script running in KWin");
    kwin.kill();
    REQUIRE(helper.wait_for_err("is not on the session bus; waiting", kReportTimeout));
    kwin.start();
    REQUIRE(helper.wait_for(
        [&] { return count_lines(helper, "focus script running in KWin") > loads_before; }, kStartTimeout));
    auto third = focus_new_wayland_window(kwin, helper);
    const auto pids = printed_pids(helper);
    REQUIRE(pids.size() >= 3);
    CHECK(pids.front() == first.pid());
    CHECK(pids[1] == second.pid());
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
