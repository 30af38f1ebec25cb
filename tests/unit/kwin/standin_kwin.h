// A stand-in for KWin's script manager on a private bus: owns org.kde.KWin, exports /Scripting
// (org.kde.kwin.Scripting) and, per loaded script, the org.kde.kwin.Script object where Plasma 5
// (/<id>) or Plasma 6 (/Scripting/Script<id>) puts it. It records every call, refuses to load a
// name twice (as KWin does), and when a script is run it reports the "active window" back to
// gamesched-kwin the way the real script does, through an asynchronous call.
// Single-threaded: it serves its bus only inside serve_until().
#pragma once

#include "tests/unit/kwin/child_process.h"

#include <sdbus-c++/sdbus-c++.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gamesched::testing {

class StandinKWin {
public:
    enum class Layout { plasma5, plasma6 };
    struct Window {
        int32_t pid = 0;
        std::string resource_class;
    };

    StandinKWin(const std::string& bus_address, Layout layout, Window active);
    ~StandinKWin();

    // Pretends a script called pluginName was left loaded (by an earlier, crashed helper).
    void preload(const std::string& plugin_name);

    // Activates a window: every running script reports it.
    void activate(Window window);

    // Serves the bus until done() holds or timeout passes; also drains observed's pipes.
    bool serve_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                     ChildProcess* observed = nullptr);

    [[nodiscard]] const std::vector<std::string>& calls() const { return calls_; }
    [[nodiscard]] const std::vector<std::string>& report_errors() const { return report_errors_; }
    [[nodiscard]] std::string unique_name() const { return bus_->getUniqueName(); }
    [[nodiscard]] std::string script_text(const std::string& plugin_name) const;

    // Called by the adaptors.
    int32_t load(const std::string& path, const std::string& plugin_name);
    bool unload(const std::string& plugin_name);
    bool is_loaded(const std::string& plugin_name) const { return scripts_.contains(plugin_name); }
    void run(int32_t id);
    void record(std::string call) { calls_.push_back(std::move(call)); }

private:
    class ScriptingObject;
    class ScriptObject;
    struct Loaded {
        int32_t id = -1;
        std::string path;
        std::string text;  // the file's content when KWin "loaded" it
        bool running = false;
        std::unique_ptr<ScriptObject> object;
    };

    void report(const Window& window);

    Layout layout_;
    Window active_;
    std::unique_ptr<sdbus::IConnection> bus_;
    std::unique_ptr<ScriptingObject> scripting_;
    std::unique_ptr<sdbus::IProxy> helper_;
    std::map<std::string, Loaded> scripts_;
    int32_t next_id_ = 0;
    std::vector<std::string> calls_;
    std::vector<std::string> report_errors_;
};

}  // namespace gamesched::testing
