#include "helpers/kwin/focus_helper.h"

#include "util/log.h"

#include <algorithm>

namespace gamesched::kwin {
namespace {

// KWin takes its bus name slightly before /Scripting is ready; a handful of retries with a
// growing pause covers that without ever turning into a polling loop.
constexpr int kMaxLoadAttempts = 8;
constexpr std::chrono::milliseconds kFirstRetryDelay{100};

}  // namespace

FocusHelper::FocusHelper(sdbus::IConnection& bus, EventLoop& loop, FocusSink& sink, WindowPidLookup& x11_pids,
                         HelperConfig config)
    : bus_(bus),
      loop_(loop),
      sink_(sink),
      x11_pids_(x11_pids),
      config_(std::move(config)),
      scripts_(bus, config_.kwin_service),
      service_(bus, [this](FocusReport report) { on_report(std::move(report)); }),
      coalescer_(config_.coalesce_window) {}

Status FocusHelper::run() {
    auto presence = KWinPresence::watch(bus_, config_.kwin_service,
                                        [this](const std::string& owner) { on_kwin_owner(owner); });
    if (!presence) return presence.error();
    presence_ = std::move(presence.value());
    on_kwin_owner(presence_->owner());

    Status result = loop_.run(bus_, [this] { on_timer(); });

    if (loaded_ && !presence_->owner().empty()) {
        if (auto s = scripts_.unload(config_.plugin_name); !s) {
            spdlog::warn("could not unload the script from KWin: {}", s.error().message);
        } else {
            spdlog::info("unloaded the focus script from KWin");
        }
    }
    return result;
}

void FocusHelper::on_kwin_owner(const std::string& owner) {
    service_.trust_sender(owner);
    loaded_ = false;
    retry_at_.reset();
    coalescer_.cancel();  // whatever was pending belonged to the old KWin
    if (owner.empty()) {
        spdlog::info("KWin ({}) is not on the session bus; waiting for it to appear", config_.kwin_service);
        rearm_timer();
        return;
    }
    spdlog::info("KWin is on the session bus as {}", owner);
    name_compositor();
    load_attempts_ = 0;
    try_load();
}

void FocusHelper::name_compositor() {
    auto pid = presence_->owner_pid(bus_);
    if (!pid) {
        spdlog::warn("cannot tell which process KWin is ({}); it gets no desktop treatment",
                     pid.error().message);
        return;
    }
    spdlog::debug("KWin runs as pid {}", *pid);
    if (auto s = sink_.compositor(*pid); !s) loop_.stop(s.error().context("naming the compositor"));
}

void FocusHelper::try_load() {
    ++load_attempts_;
    auto loaded = scripts_.load_and_run(config_.script_path, config_.plugin_name);
    if (loaded) {
        loaded_ = true;
        coalescer_.forget_forwarded();
        spdlog::info("focus script running in KWin as {}", loaded->object_path);
    } else if (load_attempts_ < kMaxLoadAttempts) {
        const auto delay = kFirstRetryDelay * (1 << (load_attempts_ - 1));
        spdlog::debug("KWin not ready ({}); retrying in {} ms", loaded.error().message, delay.count());
        retry_at_ = Clock::now() + delay;
    } else {
        spdlog::error("giving up loading the focus script until KWin restarts: {}", loaded.error().message);
    }
    rearm_timer();
}

void FocusHelper::on_report(FocusReport report) {
    coalescer_.offer(std::move(report), Clock::now());
    rearm_timer();
}

void FocusHelper::on_timer() {
    const auto now = Clock::now();
    if (retry_at_ && *retry_at_ <= now) {
        retry_at_.reset();
        if (!presence_->owner().empty() && !loaded_) try_load();
    }
    if (auto due = coalescer_.take_due(now)) forward(std::move(*due));
    rearm_timer();
}

void FocusHelper::forward(FocusReport report) {
    if (report.pid == 0) {
        // Asked only now, a coalescing window after KWin's report, when KWin has long since
        // published the activation on the X side too.
        auto pid = x11_pids_.active_x11_window_pid(report.resource_class);
        if (!pid) {
            spdlog::debug(
                "no pid for the focused window ({}): KWin knows none and the X server cannot say ({}); "
                "not forwarded",
                printable(report.resource_class), pid.error().message);
            return;
        }
        spdlog::debug("KWin knows no pid for the focused window ({}); the X server names pid {}",
                      printable(report.resource_class), *pid);
        report.pid = *pid;
    }
    if (!coalescer_.mark_forwarded(report.pid)) return;
    spdlog::debug("forwarding focus on pid {}", report.pid);
    if (auto s = sink_.forward(report); !s) loop_.stop(s.error().context("forwarding a focus change"));
}

void FocusHelper::rearm_timer() {
    std::optional<Clock::time_point> next = coalescer_.deadline();
    if (retry_at_) next = next ? std::min(*next, *retry_at_) : *retry_at_;
    if (auto s = loop_.arm_timer(next); !s) loop_.stop(s.error());
}

}  // namespace gamesched::kwin
