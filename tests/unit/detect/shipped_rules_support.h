// Shared by the shipped-rule tests: the shipped rules as a classifier, a one-call classify
// over a fixture tree, and the process tree Steam builds for a launch.
#pragma once

#include <set>
#include <string>

#include "helpers/detect/classifier.h"
#include "tests/unit/detect/fake_proc.h"

namespace gamesched::detect::testing {

inline const std::string kSteamDir = "/home/u/.local/share/Steam";
inline const std::string kProton = "/home/u/.local/share/Steam/steamapps/common/Proton 9.0/files/bin/";

Classifier shipped_classifier();

struct Outcome {
    Verdict verdict;
    bool certain = false;
    bool candidate = false;
};

// Classifies one fixture process with the shipped rules, fds read as the detector does for
// candidates.
Outcome classify(const FakeProc& proc, pid_t pid, const std::set<pid_t>& gamemode = {});

// steam (1000) -> reaper SteamLaunch AppId=1091500 [extra] -- ... (1100) -> launch wrapper (1110).
void add_steam_tree(FakeProc& proc, const std::string& reaper_extra = "");

}  // namespace gamesched::detect::testing
