#include "tools/ctl/control_source.h"

#include "helpers/common/systemd_units.h"
#include "ipc/core_client.h"

#include <sdbus-c++/sdbus-c++.h>

#include <unistd.h>

#include <chrono>
#include <functional>

namespace gamesched::ctl {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

constexpr const char* kBusName = "org.gamesched.Scheduler1";
constexpr const char* kObjectPath = "/org/gamesched/Scheduler1";
constexpr const char* kCoreUnit = "gamesched.service";
// A busy core (or a slow virtual machine) answers get_status in seconds; the view waits for it
// and shows how long it took, rather than blanking on a short timeout.
constexpr std::chrono::seconds kAnswerWait{15};
// Longer than the core's default stats interval (1 s).
constexpr std::chrono::milliseconds kFirstSampleWait{2500};

Error core_error(const ipc::CallError& error) {
    if (error.refused()) return Error{EPERM, "gamesched-core refused: " + error.message()};
    return Error{error.error.code, error.message() + " (is gamesched-core running? gameschedctl start)"};
}

// Root and group gamesched, straight to the core.
class SocketSource final : public ControlSource {
public:
    explicit SocketSource(const std::string& path)
        : core_({.socket_path = path, .channel = ipc::Channel::control, .timeout = kAnswerWait}) {
        core_.on_connect([](ipc::CoreClient& core) -> ipc::CallResult<Ok> {
            if (auto subscribed = core.subscribe({.stats = true}); !subscribed) return subscribed.error();
            return Ok{};
        });
    }
    [[nodiscard]] std::string name() const override { return "control.sock"; }

    Result<Json> snapshot() override {
        auto status = core_.get_status();
        if (!status) return core_error(status.error());
        // The pushes since the last snapshot; the latest sample wins. A first snapshot waits for
        // one sample (the core publishes every interval), so that a one-shot `stats` has one.
        const auto first_by = std::chrono::steady_clock::now() + kFirstSampleWait;
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                first_by - std::chrono::steady_clock::now());
            auto push = core_.next_push(latest_.empty() ? std::max(left, 0ms) : 0ms);
            if (!push) break;
            if (auto* sample = std::get_if<ipc::StatsSample>(&*push)) latest_ = sample->sample;
        }
        Json out = ipc::reply_body(*status);
        out["stats"] = latest_;
        return out;
    }
    Status set_mode(ipc::Mode mode) override {
        if (auto set = core_.set_mode(mode); !set) return core_error(set.error());
        return Ok{};
    }
    Status stop() override {
        if (auto stopped = core_.stop(); !stopped) return core_error(stopped.error());
        return Ok{};
    }
    // The stopped core has no socket left to ask: systemd starts it (root may).
    Status start() override {
        auto bus = sdbus::createSystemBusConnection();
        if (auto started = start_unit(*bus, kCoreUnit); !started) return started.error();
        return Ok{};
    }

private:
    ipc::CoreClient core_;
    Json latest_ = Json::object();
};

// Everyone else: the D-Bus bridge, which asks polkit for the changes.
class BusSource final : public ControlSource {
public:
    BusSource()
        : bus_(sdbus::createSystemBusConnection()),
          proxy_(sdbus::createProxy(*bus_, kBusName, kObjectPath)) {}
    [[nodiscard]] std::string name() const override { return "D-Bus"; }

    Result<Json> snapshot() override {
        auto reply = invoke("GetStats", {});
        if (!reply) return reply.error();
        std::string text;
        *reply >> text;
        auto parsed = Json::parse(text, nullptr, false);
        if (parsed.is_discarded() || !parsed.is_object())
            return Error::invalid("GetStats did not return a JSON object");
        return parsed;
    }
    Status set_mode(ipc::Mode mode) override {
        return done(
            invoke("SetMode", [mode](sdbus::MethodCall& call) { call << static_cast<std::uint32_t>(mode); }));
    }
    Status stop() override { return done(invoke("Stop", {})); }
    Status start() override { return done(invoke("Start", {})); }

private:
    // polkit may ask for a password: the longest wait is the bridge's.
    static constexpr std::uint64_t kTimeoutUs = 130'000'000;

    Result<sdbus::MethodReply> invoke(const char* method,
                                      const std::function<void(sdbus::MethodCall&)>& args) {
        try {
            auto message = proxy_->createMethodCall(kBusName, method);
            if (args) args(message);
            return proxy_->callMethod(message, kTimeoutUs);
        } catch (const sdbus::Error& e) {
            return Error{EPERM, "gamesched-bus (D-Bus) answered " + e.getName() + ": " + e.getMessage()};
        }
    }
    static Status done(const Result<sdbus::MethodReply>& reply) {
        if (!reply) return reply.error();
        return Ok{};
    }

    std::unique_ptr<sdbus::IConnection> bus_;
    std::unique_ptr<sdbus::IProxy> proxy_;
};

}  // namespace

Result<std::unique_ptr<ControlSource>> open_control_source(const SourceOptions& options) {
    const std::string control = options.socket_dir + "/control.sock";
    // control.sock is 0660 root:gamesched: who may open it is who may use it (the core checks
    // again with SO_PEERCRED).
    if (!options.force_bus && access(control.c_str(), R_OK | W_OK) == 0) {
        return std::unique_ptr<ControlSource>(std::make_unique<SocketSource>(control));
    }
    try {
        return std::unique_ptr<ControlSource>(std::make_unique<BusSource>());
    } catch (const sdbus::Error& e) {
        return Error{EIO, "cannot reach the system bus (" + e.getMessage() + ") and " + control +
                              " is not open to you (root and group gamesched only)"};
    }
}

}  // namespace gamesched::ctl
