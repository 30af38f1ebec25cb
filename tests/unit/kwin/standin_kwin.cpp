#include "tests/unit/kwin/standin_kwin.h"

#include "helpers/kwin/focus_report.h"
#include "helpers/kwin/org.kde.kwin.Script_adaptor.h"
#include "helpers/kwin/org.kde.kwin.Scripting_adaptor.h"

#include <poll.h>

#include <fstream>
#include <sstream>

namespace gamesched::testing {

class StandinKWin::ScriptingObject final
    : public sdbus::AdaptorInterfaces<org::kde::kwin::Scripting_adaptor> {
public:
    ScriptingObject(sdbus::IConnection& bus, StandinKWin& kwin)
        : AdaptorInterfaces(bus, "/Scripting"), kwin_(kwin) {
        registerAdaptor();
    }
    ~ScriptingObject() { unregisterAdaptor(); }

private:
    int32_t loadScript(const std::string& filePath, const std::string& pluginName) override {
        kwin_.record("loadScript " + filePath + " " + pluginName);
        return kwin_.load(filePath, pluginName);
    }
    bool unloadScript(const std::string& pluginName) override {
        kwin_.record("unloadScript " + pluginName);
        return kwin_.unload(pluginName);
    }
    bool isScriptLoaded(const std::string& pluginName) override {
        kwin_.record("isScriptLoaded " + pluginName);
        return kwin_.is_loaded(pluginName);
    }
    StandinKWin& kwin_;
};

class StandinKWin::ScriptObject final : public sdbus::AdaptorInterfaces<org::kde::kwin::Script_adaptor> {
public:
    ScriptObject(sdbus::IConnection& bus, std::string path, StandinKWin& kwin, int32_t id)
        : AdaptorInterfaces(bus, path), path_(std::move(path)), kwin_(kwin), id_(id) {
        registerAdaptor();
    }
    ~ScriptObject() { unregisterAdaptor(); }

private:
    void run() override {
        kwin_.record("run " + path_);
        kwin_.run(id_);
    }
    void stop() override { kwin_.record("stop " + path_); }
    std::string path_;
    StandinKWin& kwin_;
    int32_t id_;
};

StandinKWin::StandinKWin(const std::string& bus_address, Layout layout, Window active)
    : layout_(layout),
      active_(std::move(active)),
      bus_(sdbus::createSessionBusConnectionWithAddress(bus_address)) {
    scripting_ = std::make_unique<ScriptingObject>(*bus_, *this);
    helper_ = sdbus::createProxy(*bus_, gamesched::kwin::kBusName, gamesched::kwin::kObjectPath);
    bus_->requestName(gamesched::kwin::kKWinService);
}

StandinKWin::~StandinKWin() {
    scripts_.clear();
    scripting_.reset();
    helper_.reset();
}

void StandinKWin::preload(const std::string& plugin_name) {
    scripts_[plugin_name] = Loaded{
        .id = next_id_++, .path = "/stale/" + plugin_name, .text = "", .running = true, .object = nullptr};
}

int32_t StandinKWin::load(const std::string& path, const std::string& plugin_name) {
    if (scripts_.contains(plugin_name)) return -1;
    Loaded loaded;
    loaded.id = next_id_++;
    loaded.path = path;
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    loaded.text = text.str();
    std::string object_path = layout_ == Layout::plasma6 ? "/Scripting/Script" : "/";
    object_path += std::to_string(loaded.id);
    loaded.object = std::make_unique<ScriptObject>(*bus_, object_path, *this, loaded.id);
    const int32_t id = loaded.id;
    scripts_[plugin_name] = std::move(loaded);
    return id;
}

bool StandinKWin::unload(const std::string& plugin_name) {
    return scripts_.erase(plugin_name) > 0;
}

std::string StandinKWin::script_text(const std::string& plugin_name) const {
    auto it = scripts_.find(plugin_name);
    return it == scripts_.end() ? std::string() : it->second.text;
}

void StandinKWin::run(int32_t id) {
    for (auto& [name, loaded] : scripts_) {
        if (loaded.id == id) loaded.running = true;
    }
    report(active_);  // the script reports the current window once at load
}

void StandinKWin::activate(Window window) {
    active_ = std::move(window);
    for (const auto& [name, loaded] : scripts_) {
        if (loaded.running && loaded.object) {
            report(active_);
            break;
        }
    }
}

void StandinKWin::report(const Window& window) {
    // Asynchronous like KWin's callDBus: the helper may be blocked in a call to us right now.
    helper_->callMethodAsync("FocusChanged")
        .onInterface("org.gamesched.KWinFocus1")
        .withArguments(window.pid, window.resource_class)
        .uponReplyInvoke([this](const sdbus::Error* error) {
            if (error != nullptr) report_errors_.push_back(error->getName());
        });
}

bool StandinKWin::serve_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                              ChildProcess* observed) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        while (bus_->processPendingRequest()) {
        }
        if (observed != nullptr) {
            observed->out().drain();
            observed->err().drain();
        }
        if (done()) return true;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        const auto poll_data = bus_->getEventLoopPollData();
        pollfd fds[3] = {{poll_data.fd, poll_data.events, 0},
                         {observed ? observed->out().fd() : -1, POLLIN, 0},
                         {observed ? observed->err().fd() : -1, POLLIN, 0}};
        ::poll(fds, 3, static_cast<int>(std::min<long>(left.count(), 50)));
    }
}

}  // namespace gamesched::testing
