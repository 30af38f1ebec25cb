// gamesched-kwin (the real binary, --print mode) against a stand-in KWin on a private bus: the
// calls it makes on Plasma 6 and Plasma 5, stale copies, KWin restarts, exit, and reports from
// connections that are not KWin.
#include "ipc/unix_socket.h"
#include "tests/unit/kwin/fake_core.h"
#include "tests/unit/kwin/file_text.h"
#include "tests/unit/kwin/private_bus.h"
#include "tests/unit/kwin/standin_kwin.h"

#include <catch2/catch_test_macros.hpp>

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

using namespace gamesched::testing;
using namespace std::chrono_literals;

namespace {

const std::string kPlugin = "gamesched-focus";

std::string json_line(int pid, const std::string& cls) {
    return R"({"event":"focus_changed","pid":)" + std::to_string(pid) + R"(,"resource_class":")" + cls +
           "\"}";
}

// The stand-in KWin lives in this process: the bus daemon names it as KWin's process.
std::string compositor_line() {
    return R"({"event":"compositor","pid":)" + std::to_string(::getpid()) + "}";
}

bool has_line(const LineReader& reader, const std::string& needle) {
    for (const auto& line : reader.lines()) {
        if (line.find(needle) != std::string::npos) return true;
    }
    return false;
}

ChildProcess start_helper(const PrivateBus& bus, const TempDir& runtime) {
    auto helper = ChildProcess::spawn(SpawnSpec{
        .argv = {GAMESCHED_KWIN_BINARY, "--print", "--verbose", "--script", GAMESCHED_KWIN_SCRIPT_SOURCE},
        .env = {bus.env(), "XDG_RUNTIME_DIR=" + runtime.path(), "DISPLAY"},
        .capture_stdout = true,
        .capture_stderr = true,
        .stderr_file = {},
    });
    REQUIRE(helper);
    return std::move(helper.value());
}

std::vector<std::string> expected_load_calls(const TempDir& runtime, const std::string& run_path) {
    return {"unloadScript " + kPlugin, "loadScript " + runtime.path() + "/gamesched/kwin-focus.js " + kPlugin,
            "run " + run_path};
}

// Gives the helper time to do something wrong (forward what it should drop) before the next step.
void let_it_settle(StandinKWin& kwin, ChildProcess& helper) {
    kwin.serve_until([] { return false; }, 300ms, &helper);
}

void stop_and_check_unload(StandinKWin& kwin, ChildProcess& helper) {
    helper.signal(SIGTERM);
    REQUIRE(kwin.serve_until([&] { return !helper.running(); }, 10s, &helper));
    CHECK(kwin.calls().back() == "unloadScript " + kPlugin);
    CHECK_FALSE(kwin.is_loaded(kPlugin));
}

void check_layout(StandinKWin::Layout layout, const std::string& run_path) {
    PrivateBus bus;
    TempDir runtime;
    StandinKWin kwin(bus.address(), layout, {4242, "game"});
    auto helper = start_helper(bus, runtime);

    REQUIRE(kwin.serve_until([&] { return has_line(helper.out(), "\"pid\":4242"); }, 10s, &helper));
    CHECK(kwin.calls() == expected_load_calls(runtime, run_path));
    CHECK(kwin.script_text(kPlugin) == file_text(GAMESCHED_KWIN_SCRIPT_SOURCE));

    // A window KWin knows no pid for, and no X server to ask (no DISPLAY): reported by the
    // script, said in the debug log, never forwarded.
    kwin.activate({0, "xclient"});
    REQUIRE(kwin.serve_until(
        [&] { return has_line(helper.err(), "no pid for the focused window (xclient)"); }, 10s, &helper));
    CHECK(has_line(helper.err(), "DISPLAY is not set"));
    let_it_settle(kwin, helper);
    kwin.activate({5151, "other"});
    REQUIRE(kwin.serve_until([&] { return has_line(helper.out(), "\"pid\":5151"); }, 10s, &helper));
    CHECK(helper.out().lines() ==
          std::vector<std::string>{compositor_line(), json_line(4242, "game"), json_line(5151, "other")});
    CHECK(kwin.report_errors().empty());

    const std::string copy = runtime.path() + "/gamesched/kwin-focus.js";
    CHECK(std::filesystem::exists(copy));
    stop_and_check_unload(kwin, helper);
    CHECK_FALSE(std::filesystem::exists(copy));
}

}  // namespace

TEST_CASE("Plasma 6: unload, load, run on /Scripting/Script<id>, report, unload on exit", "[kwin][standin]") {
    check_layout(StandinKWin::Layout::plasma6, "/Scripting/Script0");
}

TEST_CASE("Plasma 5: unload, load, run on /<id>, report, unload on exit", "[kwin][standin]") {
    check_layout(StandinKWin::Layout::plasma5, "/0");
}

TEST_CASE("a stale copy left in KWin is unloaded before loading", "[kwin][standin]") {
    PrivateBus bus;
    TempDir runtime;
    StandinKWin kwin(bus.address(), StandinKWin::Layout::plasma6, {4242, "game"});
    kwin.preload(kPlugin);  // id 0, from an earlier helper that died
    auto helper = start_helper(bus, runtime);

    REQUIRE(kwin.serve_until([&] { return has_line(helper.out(), "\"pid\":4242"); }, 10s, &helper));
    CHECK(kwin.calls() == expected_load_calls(runtime, "/Scripting/Script1"));
    stop_and_check_unload(kwin, helper);
}

TEST_CASE("waits for KWin without polling, and reloads after KWin restarts", "[kwin][standin]") {
    PrivateBus bus;
    TempDir runtime;
    auto helper = start_helper(bus, runtime);
    REQUIRE(helper.wait_for_err("waiting for it to appear", 10s));

    // Idle means asleep in poll() with no timeout: /proc/<pid>/syscall shows poll (7) with the
    // third argument, an int, at -1.
    bool blocked_forever = false;
    helper.wait_for(
        [&] {
            std::ifstream in("/proc/" + std::to_string(helper.pid()) + "/syscall");
            std::string nr, fds, nfds, timeout;
            in >> nr >> fds >> nfds >> timeout;
            blocked_forever = nr == "7" && !timeout.empty() &&
                              (std::stoull(timeout, nullptr, 16) & 0xffffffffULL) == 0xffffffffULL;
            return blocked_forever;
        },
        5s);
    CHECK(blocked_forever);

    auto kwin = std::make_unique<StandinKWin>(bus.address(), StandinKWin::Layout::plasma6,
                                              StandinKWin::Window{4242, "game"});
    REQUIRE(kwin->serve_until([&] { return has_line(helper.out(), "\"pid\":4242"); }, 10s, &helper));
    CHECK(kwin->calls() == expected_load_calls(runtime, "/Scripting/Script0"));

    kwin.reset();  // KWin exits (crash or restart): the bus drops its name
    const auto waits_before =
        std::count_if(helper.err().lines().begin(), helper.err().lines().end(),
                      [](const auto& l) { return l.find("waiting for it") != std::string::npos; });
    REQUIRE(helper.wait_for(
        [&] {
            return std::count_if(helper.err().lines().begin(), helper.err().lines().end(), [](const auto& l) {
                       return l.find("waiting for it") != std::string::npos;
                   }) > waits_before;
        },
        10s));

    kwin = std::make_unique<StandinKWin>(bus.address(), StandinKWin::Layout::plasma6,
                                         StandinKWin::Window{6262, "game2"});
    REQUIRE(kwin->serve_until([&] { return has_line(helper.out(), "\"pid\":6262"); }, 10s, &helper));
    CHECK(kwin->calls() == expected_load_calls(runtime, "/Scripting/Script0"));
    CHECK(helper.out().lines() == std::vector<std::string>{compositor_line(), json_line(4242, "game"),
                                                           compositor_line(), json_line(6262, "game2")});
    stop_and_check_unload(*kwin, helper);
}

TEST_CASE("reports from a connection that is not KWin are refused", "[kwin][standin]") {
    PrivateBus bus;
    TempDir runtime;
    StandinKWin kwin(bus.address(), StandinKWin::Layout::plasma6, {4242, "game"});
    auto helper = start_helper(bus, runtime);
    REQUIRE(kwin.serve_until([&] { return has_line(helper.out(), "\"pid\":4242"); }, 10s, &helper));

    auto stranger = sdbus::createSessionBusConnectionWithAddress(bus.address());
    auto proxy = sdbus::createProxy(*stranger, "org.gamesched.KWinFocus", "/org/gamesched/KWinFocus");
    std::string error_name;
    try {
        proxy->callMethod("FocusChanged")
            .onInterface("org.gamesched.KWinFocus1")
            .withArguments(int32_t{7777}, std::string("evil"));
    } catch (const sdbus::Error& e) {
        error_name = e.getName();
    }
    CHECK(error_name == "org.freedesktop.DBus.Error.AccessDenied");
    let_it_settle(kwin, helper);
    CHECK_FALSE(has_line(helper.out(), "7777"));

    kwin.activate({5151, "other"});
    REQUIRE(kwin.serve_until([&] { return has_line(helper.out(), "\"pid\":5151"); }, 10s, &helper));
    stop_and_check_unload(kwin, helper);
}

TEST_CASE("without --print, focus changes reach the core's hint socket as focus_changed",
          "[kwin][standin][core]") {
    PrivateBus bus;
    TempDir runtime;
    const std::string socket = runtime.path() + "/hints.sock";
    auto listener = gamesched::ipc::listen_seqpacket(socket, 0600);
    REQUIRE(listener);
    auto core = std::async(std::launch::async, serve_hints, listener->get(), 3, false, 10s);

    StandinKWin kwin(bus.address(), StandinKWin::Layout::plasma6, {4242, "game"});
    auto spawned = ChildProcess::spawn(SpawnSpec{
        .argv = {GAMESCHED_KWIN_BINARY, "--verbose", "--script", GAMESCHED_KWIN_SCRIPT_SOURCE, "--socket",
                 socket},
        .env = {bus.env(), "XDG_RUNTIME_DIR=" + runtime.path(), "DISPLAY"},
        .capture_stdout = true,
        .capture_stderr = true,
        .stderr_file = {},
    });
    REQUIRE(spawned);
    ChildProcess& helper = spawned.value();
    REQUIRE(
        kwin.serve_until([&] { return has_line(helper.err(), "accepted focus on pid 4242"); }, 10s, &helper));
    kwin.activate({0, "xclient"});
    REQUIRE(kwin.serve_until(
        [&] { return has_line(helper.err(), "no pid for the focused window (xclient)"); }, 10s, &helper));
    let_it_settle(kwin, helper);
    kwin.activate({5151, "other"});
    REQUIRE(
        kwin.serve_until([&] { return has_line(helper.err(), "accepted focus on pid 5151"); }, 10s, &helper));
    CHECK(core.get() ==
          std::vector<std::string>{"compositor " + std::to_string(::getpid()), "focus 4242", "focus 5151"});
    CHECK(has_line(helper.err(), "treats KWin (pid " + std::to_string(::getpid()) + ") as the compositor"));
    CHECK(helper.out().lines().empty());
    stop_and_check_unload(kwin, helper);
}
