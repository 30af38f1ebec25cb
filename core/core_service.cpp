// The core as a system service: what systemd and the administrator see. Signals (SIGTERM stops,
// SIGHUP reloads gamesched.conf), the watchdog, the data files, and the one "stop and stay off"
// path that keeps the user's escape hatch closed to socket activation.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <filesystem>

#include "core/core.h"
#include "core/exit_status.h"
#include "core/thread_roles.h"
#include "util/journal.h"
#include "util/message_ids.h"

namespace gamesched {
namespace {

bool under_systemd() {
    return std::getenv("INVOCATION_ID") != nullptr;  // set by systemd for every unit it starts
}

std::string how_to_start_again() {
    return under_systemd() ? "start it again with: systemctl start gamesched"
                           : "start gamesched-core again to re-enable it";
}

}  // namespace

Status Core::apply_initial_config() {
    const auto& path = options_.config_path;
    if (auto st = config_.apply_initial(initial_config_.config, state_); !st) {
        log_event(spdlog::level::err, message_id::kConfigInvalid,
                  path + ": " + st.error().message + "; fix the file and start gamesched again",
                  {{"GAMESCHED_CONFIG_FILE", path}});
        return st;
    }
    log_event(
        spdlog::level::info, message_id::kConfigApplied,
        initial_config_.missing
            ? "no " + path + "; built-in defaults (mode auto)"
            : "configuration " + path + " applied: " + ConfigApplier::describe(initial_config_.config),
        {{"GAMESCHED_CONFIG_FILE", path}, {"GAMESCHED_MODE", std::string(ipc::mode_name(state_.mode()))}});
    return Ok{};
}

void Core::reload_config() {
    const auto& path = options_.config_path;
    sd_notify(0, "RELOADING=1\nSTATUS=reloading the configuration");
    auto loaded = load_core_config(path);
    Status applied = loaded ? config_.apply_reload(loaded->config, state_) : Status(loaded.error());
    if (!applied) {
        log_event(spdlog::level::err, message_id::kConfigInvalid,
                  "reload refused, nothing changed: " + (loaded ? path + ": " : std::string()) +
                      applied.error().message,
                  {{"GAMESCHED_CONFIG_FILE", path}});
    } else {
        log_event(spdlog::level::info, message_id::kConfigApplied,
                  "configuration " + path + " reloaded: " +
                      (loaded->missing ? std::string("file missing, built-in defaults")
                                       : ConfigApplier::describe(loaded->config)) +
                      "; the scheduler stayed attached",
                  {{"GAMESCHED_CONFIG_FILE", path},
                   {"GAMESCHED_MODE", std::string(ipc::mode_name(state_.mode()))}});
    }
    sd_notify(0, scheduler_ ? "READY=1\nSTATUS=scheduler attached" : "READY=1");
}

void Core::on_signal() {
    auto signal = read_signal(signals_.get());
    if (!signal || *signal == 0) return;
    if (*signal == SIGHUP) return reload_config();
    spdlog::info("termination requested ({}); detaching. After systemctl stop the sockets stop too; {}",
                 *signal == SIGINT ? "SIGINT" : "SIGTERM", how_to_start_again());
    sd_notify(0, "STOPPING=1");
    loop_.stop();
}

Status Core::start_watchdog() {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0) return Ok{};
    // Pinged from the loop, so a loop that hangs stops pinging; twice per period for slack.
    auto period = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::microseconds(usec / 2));
    auto timer =
        loop_.add_timer(std::max(period, std::chrono::milliseconds(1)), [] { sd_notify(0, "WATCHDOG=1"); });
    if (!timer) return timer.error();
    return Ok{};
}

void Core::stop_and_stay_off(const std::string& reason, const std::string& why) {
    log_event(spdlog::level::warn, message_id::kStoppedByUser,
              "gamesched stopped: " + why +
                  ". The scheduler stays off and its sockets are closed, so hints cannot bring it back; " +
                  how_to_start_again(),
              {{"GAMESCHED_STOP_REASON", reason}, {"GAMESCHED_STATE", "disabled"}});
    sd_notify(0, "STOPPING=1\nSTATUS=stopped by the user; systemctl start gamesched re-enables it");
    exit_status_ = kExitStoppedByUser;
    loop_.stop();
}

void Core::load_thread_role_table() {
    const auto& shipped = options_.thread_roles_file;
    std::vector<std::string> files;
    std::error_code unreadable;  // treated as absent: the warning says what is lost
    if (std::filesystem::exists(shipped, unreadable)) {
        files.push_back(shipped);
    } else {
        spdlog::warn(
            "thread-name table {} is missing: thread roles come from behaviour alone; reinstall "
            "gamesched or pass --thread-roles FILE",
            shipped);
    }
    const auto& local = options_.thread_roles_override;
    if (!local.empty() && std::filesystem::exists(local, unreadable)) files.push_back(local);
    if (files.empty()) return;
    auto hints = load_thread_roles(files);
    if (!hints) {
        spdlog::warn("thread-name hints not loaded: {}", hints.error().message);
        return;
    }
    for (const auto& [comm, role] : *hints) (void)state_.set_name_hint(comm, role);
    std::string from;
    for (const auto& file : files) from += (from.empty() ? "" : ", then ") + file;
    spdlog::info("thread-name hints: {} names from {}", hints->size(), from);
}

}  // namespace gamesched
