// gamesched-kwin's behaviour: keep our script loaded in whatever KWin owns org.kde.KWin
// (loading it when KWin appears or restarts, unloading it on exit) and pass the focus changes
// it reports, coalesced, to a sink; KWin's own process goes to the sink as the compositor.
#pragma once

#include "helpers/common/bus_event_loop.h"
#include "helpers/kwin/focus_coalescer.h"
#include "helpers/kwin/focus_service.h"
#include "helpers/kwin/focus_sink.h"
#include "helpers/kwin/kwin_presence.h"
#include "helpers/kwin/kwin_scripts.h"
#include "helpers/kwin/x11_window_pid.h"

#include <chrono>
#include <memory>
#include <string>

namespace gamesched::kwin {

struct HelperConfig {
    std::string script_path;  // the copy KWin reads
    std::string kwin_service = kKWinService;
    std::string plugin_name = kPluginName;
    std::chrono::milliseconds coalesce_window{50};
};

class FocusHelper {
public:
    // x11_pids names the process of an X11 window KWin knows no pid for.
    FocusHelper(sdbus::IConnection& bus, EventLoop& loop, FocusSink& sink, WindowPidLookup& x11_pids,
                HelperConfig config);

    // Until SIGTERM/SIGINT (Ok), a lost bus or a failed sink (the error). Unloads the script
    // from KWin on the way out.
    Status run();

private:
    using Clock = FocusCoalescer::Clock;

    void on_kwin_owner(const std::string& owner);
    void name_compositor();
    void on_report(FocusReport report);
    void on_timer();
    void forward(FocusReport report);
    void try_load();
    void rearm_timer();

    sdbus::IConnection& bus_;
    EventLoop& loop_;
    FocusSink& sink_;
    WindowPidLookup& x11_pids_;
    HelperConfig config_;
    KWinScripts scripts_;
    FocusService service_;
    FocusCoalescer coalescer_;
    std::unique_ptr<KWinPresence> presence_;
    bool loaded_ = false;
    int load_attempts_ = 0;
    std::optional<Clock::time_point> retry_at_;
};

}  // namespace gamesched::kwin
