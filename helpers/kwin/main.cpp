// gamesched-kwin: tells gamesched-core which process owns the focused window, as KWin sees it.
#include "helpers/common/sandbox.h"
#include "helpers/kwin/event_loop.h"
#include "helpers/kwin/focus_helper.h"
#include "helpers/kwin/options.h"
#include "helpers/kwin/script_file.h"
#include "helpers/kwin/sink_factory.h"
#include "util/log.h"

#include <sdbus-c++/sdbus-c++.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
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

int run(const Options& options) {
    // Before touching anything the session hands us.
    if (auto s = sandbox::confine({}); !s) return fail(s.error());

    const char* runtime_dir = std::getenv("XDG_RUNTIME_DIR");
    if (runtime_dir == nullptr || runtime_dir[0] != '/') {
        return fail(
            Error::invalid("XDG_RUNTIME_DIR is not set to an absolute path; start gamesched-kwin "
                           "from the user's login session (systemd --user)"));
    }

    auto sink = make_sink(options);
    if (!sink) return fail(sink.error());

    // Owning the name first makes this the only instance in the session before it touches the
    // script copy another instance may be using.
    auto bus = connect_session_bus();
    if (!bus) return fail(bus.error());
    (*bus)->setMethodCallTimeout(std::chrono::seconds(10));

    auto script = ScriptFile::install(options.script_source, runtime_dir);
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
