// gamesched-detect: decides which of the user's processes are games and hints the core.
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "helpers/common/escape_probe.h"
#include "helpers/common/sandbox.h"
#include "helpers/detect/ipc_core_link.h"
#include "helpers/detect/once.h"
#include "helpers/detect/options.h"
#include "helpers/detect/rule_loader.h"
#include "helpers/detect/service.h"
#include "util/log.h"
#include "util/unique_fd.h"

namespace gd = gamesched::detect;

namespace {

std::optional<gd::Classifier> load_classifier(const gd::Options& options) {
    const auto dirs = options.rule_dirs.empty() ? gd::default_rule_dirs() : options.rule_dirs;
    gd::RuleLoad load = gd::load_rule_dirs(dirs);
    for (const auto& error : load.errors) spdlog::error("{}", error);
    std::error_code absent;
    if (options.rule_dirs.empty() && !std::filesystem::exists(dirs.front(), absent)) {
        spdlog::warn("the shipped rules directory {} is missing: only overrides apply; reinstall gamesched",
                     dirs.front().string());
    }
    if (load.rules.empty()) {
        std::string searched;
        for (const auto& dir : dirs) searched += (searched.empty() ? "" : ", ") + dir.string();
        spdlog::error("no detection rules loaded (searched {}); reinstall gamesched or pass --rules-dir",
                      searched);
        return std::nullopt;
    }
    spdlog::debug("{} rules from {} files", load.rules.size(), load.loaded_files.size());
    return gd::Classifier(std::move(load.rules), options.threshold);
}

gamesched::Result<gamesched::UniqueFd> stop_signals() {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    if (sigprocmask(SIG_BLOCK, &mask, nullptr) != 0) return gamesched::Error::from_errno("sigprocmask");
    gamesched::UniqueFd fd(signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!fd) return gamesched::Error::from_errno("signalfd");
    return fd;
}

}  // namespace

// Start-up may throw (allocation, spdlog setup); an escaping exception ends the process with a
// message, which is what a failed start-up should do.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
    auto options = gd::parse_options(argc, argv);
    if (!options) {
        std::fprintf(stderr, "gamesched-detect: %s\n", options.error().message.c_str());
        return 2;
    }
    if (options->help) {
        std::fputs(gd::usage_text().c_str(), stdout);
        return 0;
    }
    if (options->version) {
        std::printf("gamesched-detect %s\n", GAMESCHED_VERSION);
        return 0;
    }
    gamesched::init_logging("gamesched-detect", options->verbose);

    // Confined before touching any input, also when started by hand. The common base covers
    // all detect does (reading /proc, poll, signalfd, AF_UNIX sockets for the core and sd-bus).
    // Read-only by seccomp, not Landlock: a Landlock domain would hide the /proc/<pid>/environ
    // of the user's other processes, which the Steam and Wine rules need.
    if (auto confined =
            gamesched::sandbox::confine({.extra_syscalls = {}, .filesystem = {}, .read_only = true});
        !confined) {
        spdlog::error("cannot confine myself: {}", confined.error().message);
        return 1;
    }
    if (options->sandbox_selftest != 0) {
        const char* home = std::getenv("HOME");
        return gamesched::sandbox::probe_escapes(options->sandbox_selftest, home != nullptr ? home : "/");
    }
    auto classifier = load_classifier(*options);
    if (!classifier) return 1;
    gd::ProcReader reader(options->proc_root);

    if (options->once) {
        auto json = gd::scan_once(*classifier, reader, ::getuid());
        if (!json) {
            spdlog::error("{}", json.error().message);
            return 1;
        }
        std::printf("%s\n", json->c_str());
        return 0;
    }

    auto stop = stop_signals();
    if (!stop) {
        spdlog::error("{}", stop.error().message);
        return 1;
    }
    gd::IpcCoreLink core(options->socket_path);
    gd::Detector detector(*classifier, reader, core, ::getuid());
    std::unique_ptr<gd::GameModeWatch> gamemode;
    if (options->gamemode) {
        auto watch = gd::GameModeWatch::open(
            {[&](pid_t pid) { detector.on_gamemode_registered(pid, gd::Clock::now()); },
             [&](pid_t pid) { detector.on_gamemode_unregistered(pid); }});
        if (watch) {
            gamemode = std::move(*watch);
        } else {
            spdlog::info("no session bus ({}); GameMode registrations will not be seen",
                         watch.error().message);
        }
    }
    gd::Service service(detector, core, gamemode.get());
    if (auto ran = service.run(stop->get()); !ran) {
        spdlog::error("{}", ran.error().message);
        return 1;
    }
    spdlog::info("stopping");
    return 0;
}
