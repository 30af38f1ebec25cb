// gamesched-kwin: tells gamesched-core which process owns the focused window, as KWin sees it.
#include "helpers/common/bus_event_loop.h"
#include "helpers/common/runtime_dir.h"
#include "helpers/common/sandbox.h"
#include "helpers/kwin/focus_helper.h"
#include "helpers/kwin/options.h"
#include "helpers/kwin/script_file.h"
#include "helpers/kwin/sink_factory.h"
#include "util/log.h"

#include <sdbus-c++/sdbus-c++.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>
#include <vector>

namespace {

using namespace gamesched;
using namespace gamesched::kwin;

int fail(const Error& error) {
    spdlog::error("{}", error.message);
    return EXIT_FAILURE;
}

Result<std::unique_ptr<sdbus::IConnection>> connect_session_bus() {
    try {
        return sdbus::createSessionBusConnection(kBusName);
    } catch (const sdbus::Error& e) {
        return Error::invalid("cannot own " + std::string(kBusName) + " on the session bus (" +
                              e.getMessage() +
                              "); is another gamesched-kwin running in this session, or is there no "
                              "session bus (DBUS_SESSION_BUS_ADDRESS)?");
    }
}

// Reads the system's libraries and configuration, its own /proc entry, the script and the X
// authority file; writes only its directory in $XDG_RUNTIME_DIR. The session bus and the X server
// are sockets, which Landlock leaves alone, except abstract ones: those stay reachable only when
// the bus address or an X display (libxcb tries the abstract socket first) needs them.
sandbox::Policy sandbox_policy(const Options& options, const std::string& script_dir) {
    sandbox::FsAccess fs;
    fs.read = {"/usr", "/etc", "/proc/self", options.script_source};
    if (const char* xauthority = std::getenv("XAUTHORITY"); xauthority != nullptr && xauthority[0] == '/') {
        fs.read.emplace_back(xauthority);
    } else if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
        fs.read.push_back(std::string(home) + "/.Xauthority");
    }
    fs.write = {script_dir};
    const char* bus = std::getenv("DBUS_SESSION_BUS_ADDRESS");
    const bool abstract_bus =
        bus != nullptr && std::string_view(bus).find("abstract=") != std::string_view::npos;
    fs.scope_abstract_sockets = !abstract_bus && std::getenv("DISPLAY") == nullptr;
    return {.extra_syscalls = {}, .filesystem = std::move(fs), .read_only = false};
}

int run(const Options& options) {
    auto runtime_dir = sandbox::user_runtime_dir();
    if (!runtime_dir) return fail(runtime_dir.error());
    auto script_dir = ScriptFile::prepare_dir(*runtime_dir);
    if (!script_dir) return fail(script_dir.error());
    // Before touching anything the session hands us.
    if (auto s = sandbox::confine(sandbox_policy(options, *script_dir)); !s) return fail(s.error());

    auto sink = make_sink(options);
    if (!sink) return fail(sink.error());

    // Owning the name first makes this the only instance in the session before it touches the
    // script copy another instance may be using.
    auto bus = connect_session_bus();
    if (!bus) return fail(bus.error());
    (*bus)->setMethodCallTimeout(std::chrono::seconds(10));

    auto script = ScriptFile::install(options.script_source, *runtime_dir);
    if (!script) return fail(script.error());

    auto loop = EventLoop::create();
    if (!loop) return fail(loop.error());

    // X11 windows without _NET_WM_PID are named by the X server of this session (Xwayland).
    const char* display = std::getenv("DISPLAY");
    XResWindowPidLookup x11_pids(display != nullptr ? display : "");
    if (display == nullptr) {
        spdlog::info("DISPLAY is not set: X11 windows that do not announce their pid cannot be tracked");
    }

    FocusHelper helper(**bus, *loop, **sink, x11_pids, HelperConfig{.script_path = script->path()});
    if (auto s = helper.run(); !s) return fail(s.error());
    return EXIT_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::vector<std::string_view> args(argv + 1, argv + argc);
        auto options = parse_options(args);
        if (!options) {
            std::fprintf(stderr, "gamesched-kwin: %s\n", options.error().message.c_str());
            return 2;
        }
        if (options->help) {
            std::fputs(usage("gamesched-kwin").c_str(), stdout);
            return EXIT_SUCCESS;
        }
        if (options->version) {
            std::printf("gamesched-kwin %s\n", GAMESCHED_VERSION);
            return EXIT_SUCCESS;
        }
        init_logging("gamesched-kwin", options->verbose);
        return run(*options);
    } catch (const std::exception& e) {
        // Start-up only (out of memory, a D-Bus object that cannot be registered).
        std::fprintf(stderr, "gamesched-kwin: %s\n", e.what());
    } catch (...) {
        std::fputs("gamesched-kwin: unexpected error\n", stderr);
    }
    return EXIT_FAILURE;
}
