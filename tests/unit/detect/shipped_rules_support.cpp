#include "tests/unit/detect/shipped_rules_support.h"

#include <catch2/catch_test_macros.hpp>

#include "helpers/detect/rule_loader.h"

namespace gamesched::detect::testing {

Classifier shipped_classifier() {
    RuleLoad load = load_rule_dirs({shipped_rules_dir()});
    REQUIRE(load.errors.empty());
    return Classifier(std::move(load.rules));
}

Outcome classify(const FakeProc& proc, pid_t pid, const std::set<pid_t>& gamemode) {
    static const Classifier classifier = shipped_classifier();
    ProcReader reader(proc.root());
    auto info = reader.read(pid, true);
    REQUIRE(info.ok());
    MatchContext ctx(*info, reader, gamemode);
    Outcome out;
    out.verdict = classifier.classify(ctx);
    out.certain = classifier.certain(out.verdict);
    out.candidate = classifier.candidate(out.verdict);
    return out;
}

void add_steam_tree(FakeProc& proc, const std::string& reaper_extra) {
    proc.add({.pid = 1000,
              .comm = "steam",
              .exe = kSteamDir + "/ubuntu12_32/steam",
              .args = {kSteamDir + "/ubuntu12_32/steam", "-srt-logger-opened"},
              .threads = 60,
              .fds = {"/dev/dri/renderD128"}});
    std::vector<std::string> reaper_args = {kSteamDir + "/ubuntu12_32/reaper", "SteamLaunch",
                                            "AppId=1091500"};
    if (!reaper_extra.empty()) reaper_args.push_back(reaper_extra);
    reaper_args.insert(reaper_args.end(), {"--", kSteamDir + "/ubuntu12_32/steam-launch-wrapper", "--",
                                           "/games/Cyberpunk/bin/Cyberpunk2077"});
    proc.add({.pid = 1100,
              .ppid = 1000,
              .comm = "reaper",
              .exe = kSteamDir + "/ubuntu12_32/reaper",
              .args = reaper_args,
              .env = {{"SteamAppId", "1091500"}, {"SteamGameId", "1091500"}}});
    proc.add({.pid = 1110,
              .ppid = 1100,
              .comm = "steam-launch-wr",
              .exe = "/usr/bin/bash",
              .args = {"/bin/sh", kSteamDir + "/ubuntu12_32/steam-launch-wrapper"},
              .env = {{"SteamAppId", "1091500"}}});
}

}  // namespace gamesched::detect::testing
